package dev.weft.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import org.jspecify.annotations.Nullable;

/**
 * A task: the event's duration is its body's (start to return or throw; zero for a task whose body
 * never ran), its fields how long it waited before and how it ended. Committed once the body has
 * returned and the task has ended, usually in the task's own thread. Off by default (one event per
 * task, as the JDK's {@code jdk.VirtualThreadStart} is per thread): enable it in the recording
 * ({@code dev.weft.Task#enabled=true}), with a threshold to keep only slow bodies.
 */
@Name("dev.weft.Task")
@Label("Task")
@Category("Weft")
@Description("A task of a scope: its body's run time, the time it waited to start, its outcome")
@StackTrace(false)
@Enabled(false)
final class TaskEvent extends Event {
  @Label("Scope")
  String scope = "";

  @Label("Task")
  String task = "";

  @Label("Outcome")
  @Description("succeeded, failed, timed_out, recovered, cancelled or skipped")
  String outcome = "";

  @Label("Exception")
  @Description("The class of its failure (for recovered, of the failure its fallback replaced)")
  @Nullable String exception;

  @Label("Queue Wait")
  @Description("From fork to the start of its body (to its end if the body never ran)")
  @Timespan(Timespan.NANOSECONDS)
  long queueWait;

  @Label("Slot Wait")
  @Description("The part of the queue wait spent waiting for a slot of maxConcurrency")
  @Timespan(Timespan.NANOSECONDS)
  long slotWait;
}
