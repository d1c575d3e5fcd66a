package dev.weft.lockorder;

import dev.weft.lockorder.internal.HeldLocks;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * A condition of a checked lock: while waiting, the lock is released, so the thread's held locks
 * leave it out; they take it back at its old place when the wait returns or throws.
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
    ensureHeld("await");
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
    released(() -> {
      condition.await();
      return null;
    });
  }

  @Override
  public void awaitUninterruptibly() {
    ensureHeld("await");
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
    Objects.requireNonNull(unit, "await time unit must not be null: pass e.g. TimeUnit.MILLISECONDS");
    return released(() -> condition.await(time, unit));
  }

  @Override
  public boolean awaitUntil(Date deadline) throws InterruptedException {
    Objects.requireNonNull(deadline, "await deadline must not be null: use await() to wait without one");
    return released(() -> condition.awaitUntil(deadline));
  }

  @Override
  public void signal() {
    ensureHeld("signal");
    condition.signal();
  }

  @Override
  public void signalAll() {
    ensureHeld("signalAll");
    condition.signalAll();
  }

  // Before any bookkeeping: a thread that does not hold the lock must not touch the view's owner
  // (a wait that threw would still restore it). The JDK condition would throw the same type.
  private void ensureHeld(String method) {
    if (!view.heldByCurrentThread()) {
      throw view.notHeld("call " + method + "() only while holding the lock", null);
    }
  }
}
