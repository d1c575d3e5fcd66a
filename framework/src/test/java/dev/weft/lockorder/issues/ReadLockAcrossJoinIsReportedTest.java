package dev.weft.lockorder.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.lockorder.DeadlockException;
import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.Threads;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.scope.TaskFailedException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReadWriteLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 9: a scope owner that held the READ lock of a checked read/write lock across {@code
 * join()}, while a task of the scope wanted its WRITE lock, hung until the scope was cancelled.
 *
 * <p>The exclusive case (owner holds the lock, the task wants it) is reported: the task's
 * acquisition throws {@link DeadlockException} naming scope, task and lock, so {@code join()} ends.
 * But the check found the holder only through the lock's owner, which a read/write lock has only
 * for its write side; readers are not tracked, so the read-held case went unseen.
 *
 * <p>Now an owner that blocks in {@code join()} or {@code close()} publishes the checked locks it
 * holds (as a thread blocked on a checked lock does), and the task's write acquisition finds the
 * owner among the readers and is reported like the exclusive case.
 */
class ReadLockAcrossJoinIsReportedTest {
  // The deadlock is reported within a slice (25 ms); without the fix the deadline ends the wait.
  private static final Duration BACKSTOP = Duration.ofSeconds(5);

  /** The task blocks after the owner started joining. */
  @Test
  @Timeout(20)
  void join_ownerHoldsReadLockTaskWantsWriteLock_taskFailsWithDeadlockNamingScopeTaskAndLock()
      throws Exception {
    LockOrderChecker checker = LockOrderChecker.create();
    ReadWriteLock cache = checker.newReadWriteLock("cache");
    String owner = Threads.name(Thread.currentThread());
    cache.readLock().lock();
    try (var scope = Scope.open("refresh", c -> c.withTimeout(BACKSTOP))) {
      Task<String> reload = scope.fork("reload", () -> writeUnder(cache));

      Throwable e = catchThrowable(scope::join);

      assertThat(e).isInstanceOf(TaskFailedException.class);
      assertThat(reload.exception())
          .isInstanceOf(DeadlockException.class)
          .hasMessageStartingWith(
              "deadlock: thread 'refresh/reload' waits for lock 'cache (write)' held by thread '"
                  + owner
                  + "' in read mode, and thread '"
                  + owner
                  + "' is joining scope"
                  + " 'refresh', which waits for task 'reload' of scope 'refresh'")
          .hasMessageContaining("fix: release the lock before joining the scope");
    } finally {
      cache.readLock().unlock();
    }
  }

  /** The task already waits for the write lock when the owner starts joining. */
  @Test
  @Timeout(20)
  void join_taskAlreadyBlockedOnWriteLockWhenOwnerJoins_stillReported() throws Exception {
    LockOrderChecker checker = LockOrderChecker.create();
    ReadWriteLock cache = checker.newReadWriteLock("cache");
    CountDownLatch aboutToLock = new CountDownLatch(1);
    cache.readLock().lock();
    try (var scope = Scope.open("refresh", c -> c.withTimeout(BACKSTOP))) {
      Task<String> reload =
          scope.fork(
              "reload",
              () -> {
                aboutToLock.countDown();
                return writeUnder(cache);
              });
      aboutToLock.await(); // blocked before or after join starts: either is reported

      catchThrowable(scope::join);

      assertThat(reload.exception())
          .isInstanceOf(DeadlockException.class)
          .hasMessageContaining("in read mode, and thread '")
          .hasMessageContaining("scope 'refresh'");
    } finally {
      cache.readLock().unlock();
    }
  }

  /** Read against read never blocks: the task gets its read lock and join succeeds. */
  @Test
  @Timeout(20)
  void join_ownerHoldsReadLockTaskWantsReadLock_noReport() throws Exception {
    LockOrderChecker checker = LockOrderChecker.create();
    ReadWriteLock cache = checker.newReadWriteLock("cache");
    cache.readLock().lock();
    try (var scope = Scope.open("refresh", c -> c.withTimeout(BACKSTOP))) {
      Task<String> read =
          scope.fork(
              "read",
              () -> {
                cache.readLock().lock();
                try {
                  return "read";
                } finally {
                  cache.readLock().unlock();
                }
              });
      scope.join();
      assertThat(read.get()).isEqualTo("read");
    } finally {
      cache.readLock().unlock();
    }
  }

  private static String writeUnder(ReadWriteLock cache) throws InterruptedException {
    cache.writeLock().lockInterruptibly(); // so that the backstop deadline can end the wait
    try {
      return "reloaded";
    } finally {
      cache.writeLock().unlock();
    }
  }
}
