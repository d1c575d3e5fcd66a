package dev.weft.lockorder.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.lockorder.DeadlockDetector;
import dev.weft.lockorder.DeadlockException;
import dev.weft.lockorder.DeadlockReport;
import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.LockOrderPolicy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: a thread that ended while holding a checked lock (a missing {@code finally}) left every
 * later acquirer waiting forever, and nothing said why: there is no wait cycle, so the {@link
 * DeadlockDetector} found nothing, and a blocked {@code lock()} never gave up, although an
 * exclusive or write lock can only be released by its owner, which no longer runs.
 *
 * <p>Now the detector reports each thread waiting for such a lock, naming the lock and its dead
 * owner ("lock 'x' is held by thread 'y', which has terminated without unlocking it"), and a
 * blocked acquisition that breaks deadlocks throws {@link DeadlockException} with the same text.
 */
class AbandonedLockIsNamedTest {

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  @Timeout(20)
  void findDeadlocks_ownerTerminatedHoldingLock_namesLockAndDeadOwner(ThreadFactory kind)
      throws Exception {
    LockOrderChecker checker =
        LockOrderChecker.builder().policy(LockOrderPolicy.THROW).breakDeadlocks(false).build();
    Lock x = checker.newLock("x");
    abandon(kind, x);
    Thread waiter = waiter(kind, x, new AtomicReference<>());
    try {
      DeadlockDetector detector = DeadlockDetector.create();
      await().atMost(Duration.ofSeconds(5)).until(() -> !detector.findDeadlocks().isEmpty());
      List<DeadlockReport> reports = detector.findDeadlocks();
      assertThat(reports).hasSize(1);
      DeadlockReport r = reports.get(0);
      assertThat(r.summary())
          .isEqualTo(
              "deadlock: thread 'waiter' waits forever for lock 'x': lock 'x' is held by thread"
                  + " 'quitter', which has terminated without unlocking it\n"
                  + "fix: unlock every lock in a finally block of the thread that locked it");
      assertThat(r.threads()).containsExactly(waiter);
      assertThat(r.locks()).containsExactly("x");
    } finally {
      waiter.interrupt();
      assertThat(waiter.join(Duration.ofSeconds(10))).isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  @Timeout(20)
  void lock_writeOwnerTerminated_throwsDeadlockNamingLockModeAndDeadOwner(ThreadFactory kind)
      throws Exception {
    LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
    ReadWriteLock cache = checker.newReadWriteLock("cache");
    abandon(kind, cache.writeLock());
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread waiter = waiter(kind, cache.readLock(), thrown);
    try {
      assertThat(waiter.join(Duration.ofSeconds(5))).as("waiter gave up").isTrue();
    } finally {
      waiter.interrupt();
      assertThat(waiter.join(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(thrown.get())
        .isInstanceOf(DeadlockException.class)
        .hasMessageStartingWith(
            "deadlock: thread 'waiter' waits forever for lock 'cache (read)': lock 'cache' is"
                + " held by thread 'quitter' in write mode, which has terminated without"
                + " unlocking it\n");
  }

  // Locks `lock` in a thread named 'quitter' that then ends without unlocking it.
  private static void abandon(ThreadFactory kind, Lock lock) throws InterruptedException {
    Thread quitter = kind.newThread(lock::lock);
    quitter.setName("quitter");
    quitter.start();
    assertThat(quitter.join(Duration.ofSeconds(10))).isTrue();
  }

  // Starts a thread named 'waiter' that blocks on `lock` until it gets it, throws or is
  // interrupted.
  private static Thread waiter(ThreadFactory kind, Lock lock, AtomicReference<Throwable> thrown) {
    Thread waiter =
        kind.newThread(
            () -> {
              try {
                lock.lockInterruptibly();
                lock.unlock();
              } catch (Throwable e) {
                thrown.set(e);
              }
            });
    waiter.setName("waiter");
    waiter.start();
    return waiter;
  }
}
