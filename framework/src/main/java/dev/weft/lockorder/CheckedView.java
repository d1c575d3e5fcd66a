package dev.weft.lockorder;

import dev.weft.internal.ThreadNames;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.jspecify.annotations.Nullable;

/**
 * A checked lock: one JDK lock (or one side of a read/write lock) plus the order checks.
 *
 * <p>Fast path of {@link #lock()}: one thread-local read (none when this thread owned the lock
 * last), a look-up of the held chain extended by this lock's class (usually a field read), an epoch
 * compare, one {@code tryLock()} and an array store. Graph work happens only when the chain is new;
 * blocking happens only in {@link #acquireSlow}, which also looks for actual deadlocks.
 */
abstract class CheckedView extends LockView implements Lock {
  /** How long a blocked acquisition waits between deadlock checks. */
  static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

  final LockOrderChecker checker;
  // true for exclusive and write locks: one owner at a time, so unlock() can use owner
  private final boolean exclusive;

  // The held locks of the thread that acquired this lock last. For an exclusive lock it is the
  // current owner's: written by each owner after it acquires, read by the owner in unlock(), so
  // the owner reads its own write (program order), and an earlier owner's write happens-before
  // the lock's release and hence before the current owner's acquire. Saves unlock() a
  // thread-local look-up. A non-owner's racy read is discarded when release() throws.
  // lock() and tryLock() read it racily too (heldLocks()): a thread that finds its own held locks
  // here, told by their final thread id, uses them; any other value is ignored.
  private @Nullable HeldLocks owner;
  // the JDK lock this view checks: a ReentrantLock, or one side of a ReentrantReadWriteLock
  private final Lock delegate;

  CheckedView(LockOrderChecker checker, Acq acq, Object identity, String label, Lock delegate) {
    super(acq, identity, label);
    this.checker = checker;
    this.exclusive = acq.write;
    this.delegate = delegate;
  }

  /** The current thread already holds this lock, so acquiring it again never blocks. */
  abstract boolean heldByCurrentThread();

  /** Write acquisition while holding only the read lock: never succeeds. */
  abstract boolean upgradeAttempt();

  final void acquire() {
    delegate.lock();
  }

  final void acquireInterruptibly() throws InterruptedException {
    delegate.lockInterruptibly();
  }

  final boolean tryAcquire() {
    return delegate.tryLock();
  }

  final boolean tryAcquire(long nanos) throws InterruptedException {
    return delegate.tryLock(nanos, TimeUnit.NANOSECONDS);
  }

  final void release() {
    delegate.unlock(); // releaseOrName names the lock if this throws
  }

  /** The JDK condition (the read side of a read/write lock throws, as the JDK's does). */
  final Condition newUnderlyingCondition() {
    return delegate.newCondition();
  }

  /**
   * The current thread's held locks: the last owner's, when that was this thread (a thread that
   * takes the same lock again skips the thread-local look-up), else the thread-local's.
   */
  private HeldLocks heldLocks() {
    HeldLocks last = owner;
    return last != null && last.threadId == Thread.currentThread().threadId()
        ? last
        : HeldLocks.current();
  }

  @Override
  public final void lock() {
    HeldLocks held = heldLocks();
    if (heldByCurrentThread()) {
      acquire();
      held.pushReentrant(this);
      setOwner(held);
      return;
    }
    Chain chain = check(held);
    if (!tryAcquire()) {
      try {
        acquireSlow(held, -1L, false);
      } catch (InterruptedException e) {
        throw new AssertionError("uninterruptible acquisition was interrupted", e);
      }
    }
    held.push(this, chain);
    setOwner(held);
  }

  @Override
  public final void lockInterruptibly() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    HeldLocks held = heldLocks();
    if (heldByCurrentThread()) {
      acquireInterruptibly();
      held.pushReentrant(this);
      setOwner(held);
      return;
    }
    Chain chain = check(held);
    if (!tryAcquire()) {
      acquireSlow(held, -1L, true);
    }
    held.push(this, chain);
    setOwner(held);
  }

  @Override
  public final boolean tryLock() {
    HeldLocks held = heldLocks();
    if (heldByCurrentThread()) {
      if (!tryAcquire()) {
        return false;
      }
      held.pushReentrant(this);
      setOwner(held);
      return true;
    }
    Chain chain = checker.checkTryLock ? check(held) : held.top(graph).child(acq);
    if (!tryAcquire()) {
      return false;
    }
    held.push(this, chain);
    setOwner(held);
    return true;
  }

  @Override
  public final boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    long nanos =
        Objects.requireNonNull(
                unit, "tryLock time unit must not be null: pass e.g. " + "TimeUnit.MILLISECONDS")
            .toNanos(time); // saturates
    if (nanos <= 0L) {
      return tryLock(); // cannot wait, so it is not order-checked either (unless checkTryLock)
    }
    HeldLocks held = heldLocks();
    if (heldByCurrentThread()) {
      if (!tryAcquire(nanos)) {
        return false;
      }
      held.pushReentrant(this);
      setOwner(held);
      return true;
    }
    Chain chain = check(held);
    if (!tryAcquire() && !acquireSlow(held, nanos, true)) {
      return false;
    }
    held.push(this, chain);
    setOwner(held);
    return true;
  }

  /**
   * Releases the lock.
   *
   * @throws IllegalMonitorStateException if the current thread does not hold it; the message names
   *     the thread and the lock, and the checker's bookkeeping is left as it was
   */
  @Override
  public final void unlock() {
    if (exclusive) {
      HeldLocks held = owner;
      releaseOrName(); // throws unless the current thread is the owner, so `held` is its own
      Objects.requireNonNull(held, "held locks of the owner").pop(this);
    } else {
      releaseOrName();
      HeldLocks.current().pop(this);
    }
  }

  // The JDK lock says only "not locked by current thread" (or nothing): name the lock and the fix.
  private void releaseOrName() {
    try {
      release();
    } catch (IllegalMonitorStateException e) {
      IllegalMonitorStateException named =
          new IllegalMonitorStateException(
              "thread '"
                  + ThreadNames.of(Thread.currentThread())
                  + "' unlocks lock '"
                  + describe()
                  + "', which it does not hold: unlock a lock only in the thread"
                  + " that locked it, once for each lock() or successful tryLock()");
      named.initCause(e);
      throw StackTraces.trim(named);
    }
  }

  /** Called by a condition wait that got the lock back: the current thread owns it again. */
  final void reacquired(HeldLocks held) {
    setOwner(held);
  }

  // Only exclusive locks have one owner; readers do not write the shared field. A thread that
  // takes the lock again finds its own held locks there and skips the store (see HeldLocks).
  private void setOwner(HeldLocks held) {
    if (exclusive && owner != held) {
      owner = held;
    }
  }

  @Override
  public Condition newCondition() {
    return new CheckedCondition(this, newUnderlyingCondition());
  }

  // Returns the held chain after acquiring this lock; reports (per policy) if it closes a cycle.
  private Chain check(HeldLocks held) {
    Chain chain = held.top(graph).child(acq);
    if (!chain.isValid(graph.epoch())) {
      validate(held, chain);
    }
    return chain;
  }

  private void validate(HeldLocks held, Chain chain) {
    if (upgradeAttempt()) {
      Reports.violation(checker, ReportText.upgrade(this), null);
      return;
    }
    Violation v = graph.validate(held, this, chain);
    if (v != null) {
      Reports.violation(checker, v, chain);
    }
  }

  /**
   * Blocks until the lock is taken ({@code true}) or {@code nanos} (if not negative) pass ({@code
   * false}), checking for actual deadlocks between slices when the checker breaks them.
   */
  private boolean acquireSlow(HeldLocks held, long nanos, boolean interruptible)
      throws InterruptedException {
    Waits.Record rec = Waits.begin(this, held, checker.breakDeadlocks);
    boolean interrupted = false;
    try {
      if (!checker.breakDeadlocks) {
        if (nanos >= 0) {
          return tryAcquire(nanos);
        }
        if (interruptible) {
          acquireInterruptibly();
        } else {
          acquire();
        }
        return true;
      }
      long deadline = System.nanoTime() + nanos;
      for (; ; ) {
        Waits.Structural scope = Waits.structuralDeadlock(rec);
        if (scope != null) {
          throw Reports.structural(scope);
        }
        Waits.Hop abandoned = Waits.deadOwner(rec);
        if (abandoned != null) {
          throw Reports.abandoned(abandoned);
        }
        List<Waits.Hop> cycle = Waits.cycleToBreak(rec);
        if (cycle != null) {
          throw Reports.waitCycle(cycle);
        }
        long slice = SLICE_NANOS;
        if (nanos >= 0) {
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            return tryAcquire(); // a last look: the thread may have been descheduled past it
          }
          slice = Math.min(slice, remaining);
        }
        try {
          if (tryAcquire(slice)) {
            return true;
          }
        } catch (InterruptedException e) {
          if (interruptible) {
            throw e;
          }
          interrupted = true;
        }
      }
    } finally {
      Waits.end(rec);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
