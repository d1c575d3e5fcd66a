package dev.weft.scope;

import org.jspecify.annotations.Nullable;

/**
 * Why and when a scope stopped, and the thread that stopped it: a stop never interrupts the thread
 * that made it (as the JDK's {@code cancel} skips the calling thread).
 *
 * <p>The stop of a {@code close()} builds its text when something first reads it: after a join that
 * saw every task end, nothing does, and a scope's close then allocates no message.
 */
final class Stop {
  private final StopReason reason;
  private final long nanos;
  private final Thread by;
  // closedScope: the name of the scope a close() stopped, for its text; null for the other stops.
  private final @Nullable String closedScope;
  // detail: the text; for a close, null until first read. Any thread may build it: each builds an
  // equal String (immutable, so a racy write publishes it whole).
  private @Nullable String detail;

  private Stop(StopReason reason, @Nullable String detail, @Nullable String closedScope) {
    this.reason = reason;
    this.detail = detail;
    this.closedScope = closedScope;
    this.nanos = System.nanoTime();
    this.by = Thread.currentThread();
  }

  /** A stop made now, by the current thread, with the text {@code detail}. */
  static Stop of(StopReason reason, String detail) {
    return new Stop(reason, detail, null);
  }

  /** The stop of scope {@code scopeName}'s close(), made now by the current thread (its owner). */
  static Stop ofClose(String scopeName) {
    return new Stop(StopReason.CLOSE, null, scopeName);
  }

  /** The first cause. */
  StopReason reason() {
    return reason;
  }

  /** The text every cancelled task's {@code CancellationException} carries. */
  String detail() {
    String d = detail;
    if (d == null) {
      d = "scope '" + closedScope + "' was closed";
      detail = d;
    }
    return d;
  }

  /** {@code System.nanoTime()} at the stop (for the stuck-task warning). */
  long nanos() {
    return nanos;
  }

  /** The thread that stopped the scope. */
  Thread by() {
    return by;
  }
}
