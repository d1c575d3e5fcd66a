package dev.weft.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A deadlock the checker found among checked locks (and scope joins), in the thread whose wait
 * closed the cycle. On by default: reports are rare.
 */
@Name("dev.weft.Deadlock")
@Label("Deadlock")
@Category("Weft")
@Description("Threads that wait for each other through checked locks or scope joins")
final class DeadlockEvent extends Event {
  @Label("Summary")
  String summary = "";

  @Label("Threads")
  @Description("The threads of the cycle, comma-separated")
  String threads = "";

  @Label("Locks")
  @Description("The locks of the cycle, comma-separated")
  String locks = "";
}
