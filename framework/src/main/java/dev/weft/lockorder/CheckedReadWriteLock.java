package dev.weft.lockorder;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A checked read/write lock wrapping a non-fair {@link ReentrantReadWriteLock}. Both sides share
 * one lock class; the order graph tells read from write, so read-read orders do not form cycles.
 */
final class CheckedReadWriteLock implements ReadWriteLock {
  private final Sync sync = new Sync();
  private final ReadView read;
  private final WriteView write;
  private final String label;

  /** Exposes the write owner for deadlock detection. */
  static final class Sync extends ReentrantReadWriteLock {
    private static final long serialVersionUID = 1L;

    Thread owner() {
      return getOwner();
    }
  }

  CheckedReadWriteLock(LockOrderChecker checker, LockNode node) {
    label = node.nextInstanceLabel();
    read = new ReadView(checker, node);
    write = new WriteView(checker, node);
  }

  @Override
  public Lock readLock() {
    return read;
  }

  @Override
  public Lock writeLock() {
    return write;
  }

  @Override
  public String toString() {
    return "checked read/write lock '" + label + "' " + sync;
  }

  private final class ReadView extends CheckedView {
    ReadView(LockOrderChecker checker, LockNode node) {
      super(
          checker,
          node.read,
          CheckedReadWriteLock.this.sync,
          CheckedReadWriteLock.this.label,
          CheckedReadWriteLock.this.sync.readLock());
    }

    @Override
    boolean heldByCurrentThread() {
      return sync.getReadHoldCount() > 0 || sync.isWriteLockedByCurrentThread();
    }

    @Override
    boolean upgradeAttempt() {
      return false;
    }

    @Override
    public Condition newCondition() {
      throw new UnsupportedOperationException(
          "the read lock of '"
              + label
              + "' has no "
              + "conditions, as with ReentrantReadWriteLock: use the write lock's newCondition()");
    }

    @Override
    Thread exclusiveOwner() {
      return sync.owner();
    }

    @Override
    String describe() {
      return label + " (read)";
    }

    @Override
    boolean readWrite() {
      return true;
    }
  }

  private final class WriteView extends CheckedView {
    WriteView(LockOrderChecker checker, LockNode node) {
      super(
          checker,
          node.write,
          CheckedReadWriteLock.this.sync,
          CheckedReadWriteLock.this.label,
          CheckedReadWriteLock.this.sync.writeLock());
    }

    @Override
    boolean heldByCurrentThread() {
      return sync.isWriteLockedByCurrentThread();
    }

    @Override
    boolean upgradeAttempt() {
      return sync.getReadHoldCount() > 0;
    }

    @Override
    Thread exclusiveOwner() {
      return sync.owner();
    }

    @Override
    String describe() {
      return label + " (write)";
    }

    @Override
    boolean readWrite() {
      return true;
    }
  }
}
