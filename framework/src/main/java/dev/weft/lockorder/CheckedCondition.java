package dev.weft.lockorder;

import dev.weft.internal.ThreadNames;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * A condition of a checked lock: while waiting, the lock is released, so the thread's held locks
 * leave it out; they take it back at its old place when the wait returns or throws.
 *
 * <p>Every method first checks that the current thread holds the lock and otherwise throws {@link
 * IllegalMonitorStateException} naming it, as the JDK condition would (without a name). The check
 * must come before the bookkeeping: a wait that failed only inside the JDK condition would still
 * "restore" the lock for the current thread and point the lock's owner at this thread's held locks,
 * so the real owner's unlock would miss its own.
 */
final class CheckedCondition implements Condition {
  private final CheckedView view;
  private final Condition condition;

  CheckedCondition(CheckedView view, Condition condition) {
    this.view = view;
    this.condition = condition;
  }

  @FunctionalInterface
  private interface Wait<T> {
    T run() throws InterruptedException;
  }

  private <T> T released(Wait<T> wait) throws InterruptedException {
    ensureHeld("awaits", "await");
    HeldLocks held = HeldLocks.current();
    int[] positions = held.removeAll(view);
    try {
      return wait.run();
    } finally {
      held.restore(view, positions);
      view.reacquired(held);
    }
  }

  @Override
  public void await() throws InterruptedException {
    released(
        () -> {
          condition.await();
          return Boolean.TRUE; // released() needs a result; await() has none
        });
  }

  @Override
  public void awaitUninterruptibly() {
    ensureHeld("awaits", "await");
    HeldLocks held = HeldLocks.current();
    int[] positions = held.removeAll(view);
    try {
      condition.awaitUninterruptibly();
    } finally {
      held.restore(view, positions);
      view.reacquired(held);
    }
  }

  @Override
  public long awaitNanos(long nanosTimeout) throws InterruptedException {
    return released(() -> condition.awaitNanos(nanosTimeout));
  }

  @Override
  public boolean await(long time, TimeUnit unit) throws InterruptedException {
    Objects.requireNonNull(
        unit, "await time unit must not be null: pass e.g. TimeUnit.MILLISECONDS");
    return released(() -> condition.await(time, unit));
  }

  @Override
  public boolean awaitUntil(Date deadline) throws InterruptedException {
    Objects.requireNonNull(
        deadline, "await deadline must not be null: use await() to wait without one");
    return released(() -> condition.awaitUntil(deadline));
  }

  @Override
  public void signal() {
    ensureHeld("signals", "signal");
    condition.signal();
  }

  @Override
  public void signalAll() {
    ensureHeld("signals", "signalAll");
    condition.signalAll();
  }

  // --- implementation ---

  private void ensureHeld(String verb, String method) {
    if (!view.heldByCurrentThread()) {
      String lock = view.describe();
      throw new IllegalMonitorStateException(
          "thread '"
              + ThreadNames.of(Thread.currentThread())
              + "' "
              + verb
              + " a condition of lock '"
              + lock
              + "', which it does not hold: take lock '"
              + lock
              + "' in the same thread before calling "
              + method);
    }
  }
}
