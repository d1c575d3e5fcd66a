package dev.weft.stress.shared;

import java.util.concurrent.TimeUnit;

/**
 * A reference one actor publishes and another waits for, e.g. the scope the owner actor opened,
 * which the other actor cancels. The wait is bounded ({@link Gate#BOUND_SECONDS}) and returns
 * {@code null} when it runs out, so a test reports it as an outcome instead of hanging.
 *
 * <p>The owner never waits for the other actor here, so the two cannot wait for each other.
 */
public final class Published<T> {
  // value: written once by the publisher (a volatile write after the object is built), read by
  // the waiter.
  private volatile T value;

  /** Publishes {@code v}. */
  public void set(T v) {
    value = v;
  }

  /** The value, or {@code null} if it was not published within the bound. */
  public T await() {
    T v = value;
    long end = 0;
    for (int i = 1; v == null; i++, v = value) {
      if ((i & 63) != 0) {
        Thread.onSpinWait();
        continue;
      }
      long now = System.nanoTime();
      if (end == 0) {
        end = now + TimeUnit.SECONDS.toNanos(Gate.BOUND_SECONDS);
      } else if (now - end > 0) {
        return null;
      }
      Thread.yield();
    }
    return v;
  }
}
