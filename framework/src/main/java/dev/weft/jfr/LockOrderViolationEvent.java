package dev.weft.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A lock-order violation the checker reported (thrown, or logged under WARN), in the thread that
 * took the lock in the wrong order; its stack trace shows where. On by default: reports are rare.
 */
@Name("dev.weft.LockOrderViolation")
@Label("Lock Order Violation")
@Category("Weft")
@Description("Two lock classes taken in both orders: a potential deadlock")
final class LockOrderViolationEvent extends Event {
  @Label("Cycle")
  @Description("The lock classes of the cycle, as in a -> b -> a")
  String cycle = "";

  @Label("Message")
  @Description("The first line of the report")
  String message = "";
}
