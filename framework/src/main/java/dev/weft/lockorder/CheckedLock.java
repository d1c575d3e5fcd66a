package dev.weft.lockorder;

import dev.weft.lockorder.internal.LockNode;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A checked exclusive lock wrapping a non-fair {@link ReentrantLock}. */
final class CheckedLock extends CheckedView {
  private final Sync sync;

  /** Exposes the owner for deadlock detection. */
  static final class Sync extends ReentrantLock {
    private static final long serialVersionUID = 1L;

    Thread owner() {
      return getOwner();
    }
  }

  CheckedLock(LockOrderChecker checker, LockNode node) {
    this(checker, node, new Sync());
  }

  private CheckedLock(LockOrderChecker checker, LockNode node, Sync sync) {
    super(checker, node.write, sync, node.nextInstanceLabel());
    this.sync = sync;
  }

  @Override
  boolean heldByCurrentThread() {
    return sync.isHeldByCurrentThread();
  }

  @Override
  boolean upgradeAttempt() {
    return false;
  }

  @Override
  void acquire() {
    sync.lock();
  }

  @Override
  void acquireInterruptibly() throws InterruptedException {
    sync.lockInterruptibly();
  }

  @Override
  boolean tryAcquire() {
    return sync.tryLock();
  }

  @Override
  boolean tryAcquire(long nanos) throws InterruptedException {
    return sync.tryLock(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  void release() {
    sync.unlock();
  }

  @Override
  Condition newUnderlyingCondition() {
    return sync.newCondition();
  }

  @Override
  public Thread exclusiveOwner() {
    return sync.owner();
  }

  @Override
  public String describe() {
    return label;
  }

  @Override
  public String toString() {
    return "checked lock '" + label + "' " + sync;
  }
}
