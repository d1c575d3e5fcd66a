package dev.weft.stress.shared;

import java.util.concurrent.TimeUnit;

/**
 * A one-shot gate that a jcstress actor opens and task bodies wait for, so that an actor decides
 * when a task ends and the race lands where the test wants it.
 *
 * <p>Waiting spins (with {@link Thread#onSpinWait()} and a {@link Thread#yield()} every 64 turns,
 * which lets a virtual thread give its carrier back) and is bounded: after {@link #BOUND_SECONDS}
 * the wait gives up, so a lost wake-up becomes an outcome the test reports instead of a hang.
 */
public final class Gate {
  /** How long a wait lasts at most. Far longer than any iteration; reached only by a bug. */
  public static final long BOUND_SECONDS = 5;

  // open: written once by the opener, read by the waiters.
  private volatile boolean open;

  /** Opens the gate; waiters return. */
  public void open() {
    open = true;
  }

  /** Whether {@link #open()} was called. */
  public boolean isOpen() {
    return open;
  }

  /**
   * Waits until the gate opens, as a cancellable task body does.
   *
   * @throws InterruptedException if the thread is interrupted (the task was cancelled)
   * @throws IllegalStateException if the gate stays shut for {@link #BOUND_SECONDS}
   */
  public void await() throws InterruptedException {
    if (!spin(true)) {
      throw new IllegalStateException("gate still shut after " + BOUND_SECONDS + " s");
    }
  }

  /**
   * Waits until the gate opens, ignoring interrupts (as a body that does not respond to
   * cancellation does); returns false if it stayed shut for {@link #BOUND_SECONDS}. The interrupt
   * status is kept.
   */
  public boolean awaitIgnoringInterrupts() {
    try {
      return spin(false);
    } catch (InterruptedException e) {
      throw new AssertionError(e); // not thrown when interrupts are ignored
    }
  }

  private boolean spin(boolean interruptible) throws InterruptedException {
    long end = 0;
    for (int i = 1; !open; i++) {
      if ((i & 63) != 0) {
        Thread.onSpinWait();
        continue;
      }
      if (interruptible && Thread.interrupted()) {
        throw new InterruptedException("cancelled while waiting at the gate");
      }
      long now = System.nanoTime();
      if (end == 0) {
        end = now + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
      } else if (now - end > 0) {
        return false;
      }
      Thread.yield();
    }
    return true;
  }
}
