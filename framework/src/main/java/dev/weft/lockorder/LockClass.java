package dev.weft.lockorder;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A lock class: a name under which many lock instances share one place in the lock order, as in
 * Linux lockdep. Get one from {@link LockOrderChecker#lockClass(String)}.
 *
 * <p>Order is learned per class, so an order seen with one pair of instances is checked for all of
 * them. Two instances of one class nested in each other are reported as the cycle {@code "account
 * -> account"} (except read inside read), because the checker cannot tell which of the two comes
 * first; give such instances separate classes and declare their order.
 *
 * <p>Thread-safe: any thread may create locks of a class.
 */
public final class LockClass {
  private final LockOrderChecker checker;
  private final LockNode node;

  LockClass(LockOrderChecker checker, LockNode node) {
    this.checker = checker;
    this.node = node;
  }

  /** The class name, as it appears in reports. */
  public String name() {
    return node.name;
  }

  /**
   * Returns a new checked exclusive lock of this class (a plain {@link ReentrantLock} when the
   * policy is {@link LockOrderPolicy#OFF}). Instances are labelled {@code name}, {@code name#2},
   * and so on in deadlock reports.
   */
  public Lock newLock() {
    return checker.policy() == LockOrderPolicy.OFF
        ? new ReentrantLock()
        : new CheckedLock(checker, node);
  }

  /**
   * Returns a new checked read/write lock of this class (a plain {@link ReentrantReadWriteLock}
   * when the policy is {@link LockOrderPolicy#OFF}).
   */
  public ReadWriteLock newReadWriteLock() {
    return checker.policy() == LockOrderPolicy.OFF
        ? new ReentrantReadWriteLock()
        : new CheckedReadWriteLock(checker, node);
  }

  @Override
  public String toString() {
    return "lock class '" + node.name + "'";
  }
}
