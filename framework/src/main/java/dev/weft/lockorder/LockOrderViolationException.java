package dev.weft.lockorder;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reports a potential deadlock: the current thread was about to take a lock in an order that,
 * together with orders seen before (or declared), forms a cycle.
 *
 * <p>The message starts with the cycle, as in {@code "b -> a, a -> b"}: the first edge is the
 * acquisition being made now, the others were seen before. Further lines name the thread, the locks
 * and a fix. The exception's own stack trace is the current acquisition; its cause chain holds one
 * exception per earlier edge, whose stack trace is where that edge was first seen (or declared).
 *
 * <p>Thrown by the acquiring method under {@link LockOrderPolicy#THROW}; logged under {@link
 * LockOrderPolicy#WARN}. In both cases it is passed to the report listeners.
 */
public final class LockOrderViolationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> cycle;
  private final LockOrderPolicy policy;

  LockOrderViolationException(
      String message, List<String> cycle, @Nullable Throwable cause, LockOrderPolicy policy) {
    super(message, cause);
    this.cycle = List.copyOf(cycle);
    this.policy = policy;
  }

  /**
   * The policy of the checker that reported it: {@link LockOrderPolicy#THROW} (the exception was
   * thrown) or {@link LockOrderPolicy#WARN} (it was logged). For report listeners and meters.
   */
  public LockOrderPolicy policy() {
    return policy;
  }

  /**
   * The lock classes of the cycle in order, starting with the held one: {@code [b, a]} for {@code
   * "b -> a, a -> b"}, {@code [account]} for two locks of class {@code account} nested.
   */
  public List<String> cycle() {
    return cycle;
  }
}
