package dev.weft.lockorder;

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
    super(checker, node.write, sync, node.nextInstanceLabel(), sync);
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
  Thread exclusiveOwner() {
    return sync.owner();
  }

  @Override
  String describe() {
    return label;
  }

  @Override
  boolean readWrite() {
    return false;
  }

  @Override
  public String toString() {
    return "checked lock '" + label + "' " + sync;
  }
}
