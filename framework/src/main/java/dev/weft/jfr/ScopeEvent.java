package dev.weft.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import org.jspecify.annotations.Nullable;

/**
 * A scope, from {@code Scope.open} (the event's start) to the end of {@code close()} (its end),
 * committed in the owner thread. Off by default, like the JDK's per-virtual-thread events: enable
 * it in the recording ({@code dev.weft.Scope#enabled=true}).
 */
@Name("dev.weft.Scope")
@Label("Scope")
@Category("Weft")
@Description("A scope from open to close: its policy, how join() ended and its number of tasks")
@StackTrace(false)
@Enabled(false)
final class ScopeEvent extends Event {
  @Label("Scope")
  String scope = "";

  @Label("Policy")
  String policy = "";

  @Label("Parent Scope")
  @Description("The enclosing scope, or empty for a root scope")
  @Nullable String parentScope;

  @Label("Parent Task")
  @Description("The task of the parent scope whose body opened this scope, or empty")
  @Nullable String parentTask;

  @Label("Outcome")
  @Description(
      "succeeded: join() returned; failed: join() threw; not joined: closed without join()")
  String outcome = "not joined";

  @Label("Exception")
  @Description("The class of what join() threw, or empty")
  @Nullable String exception;

  @Label("Tasks")
  @Description("How many tasks the scope forked")
  int tasks;
}
