package dev.weft.lockorder;

import dev.weft.lockorder.internal.HeldLocks;
import java.util.Date;
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
    return released(() -> condition.await(time, unit));
  }

  @Override
  public boolean awaitUntil(Date deadline) throws InterruptedException {
    return released(() -> condition.awaitUntil(deadline));
  }

  @Override
  public void signal() {
    condition.signal();
  }

  @Override
  public void signalAll() {
    condition.signalAll();
  }
}
