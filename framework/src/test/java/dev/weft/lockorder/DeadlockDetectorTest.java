package dev.weft.lockorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Actual deadlocks: broken on acquisition, found on demand, counted by the watchdog. */
class DeadlockDetectorTest {

  /** Two threads each hold one lock and block on the other's: one of them throws. */
  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void lock_waitCycle_latestWaiterThrowsAndTheOtherProceeds(ThreadFactory kind) throws Exception {
    LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.WARN);
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    CyclicBarrier bothHold = new CyclicBarrier(2);
    List<Throwable> thrown = new CopyOnWriteArrayList<>();
    List<Thread> threads =
        List.of(
            kind.newThread(() -> crossed(a, b, bothHold, thrown)),
            kind.newThread(() -> crossed(b, a, bothHold, thrown)));
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      assertThat(t.join(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(thrown).hasSize(1).first().isInstanceOf(DeadlockException.class);
    DeadlockException e = (DeadlockException) thrown.get(0);
    assertThat(e.getMessage())
        .matches(
            "(?s)deadlock: thread '.+' waits for lock '[ab]' held by thread '.+', thread '.+' waits for lock '[ab]' held by thread '.+'\nfix: .*");
    assertThat(e.report().threads()).hasSize(2);
    assertThat(e.report().locks()).containsExactlyInAnyOrder("a", "b");
  }

  /** Each thread holds a read lock the other wants to write: readers come from wait records. */
  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void lock_readHoldersWaitingForWrite_oneThrowsDeadlockException(ThreadFactory kind)
      throws Exception {
    LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.WARN);
    ReadWriteLock x = checker.newReadWriteLock("x");
    ReadWriteLock y = checker.newReadWriteLock("y");
    CyclicBarrier bothHold = new CyclicBarrier(2);
    List<Throwable> thrown = new CopyOnWriteArrayList<>();
    List<Thread> threads =
        List.of(
            kind.newThread(() -> crossed(x.readLock(), y.writeLock(), bothHold, thrown)),
            kind.newThread(() -> crossed(y.readLock(), x.writeLock(), bothHold, thrown)));
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      assertThat(t.join(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(thrown).hasSize(1).first().isInstanceOf(DeadlockException.class);
    assertThat(((DeadlockException) thrown.get(0)).report().locks())
        .containsExactlyInAnyOrder("x (write)", "y (write)");
  }

  private static void crossed(
      Lock first, Lock second, CyclicBarrier bothHold, List<Throwable> out) {
    try {
      first.lock();
      try {
        bothHold.await(10, TimeUnit.SECONDS);
        second.lock();
        second.unlock();
      } finally {
        first.unlock();
      }
    } catch (Throwable e) {
      out.add(e);
    }
  }

  /** ThreadMXBean misses deadlocks among virtual threads on j.u.c locks; the detector does not. */
  @Test
  void findDeadlocks_virtualThreadsDeadlocked_reportsThreadsLocksAndStacks() throws Exception {
    LockOrderChecker checker =
        LockOrderChecker.builder().policy(LockOrderPolicy.WARN).breakDeadlocks(false).build();
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    List<Thread> threads = deadlock(Thread.ofVirtual().name("vt-", 1).factory(), a, b);
    try {
      DeadlockDetector detector = DeadlockDetector.create();
      await().atMost(Duration.ofSeconds(10)).until(() -> !detector.findDeadlocks().isEmpty());

      List<DeadlockReport> reports = detector.findDeadlocks();
      assertThat(reports).hasSize(1);
      DeadlockReport r = reports.get(0);
      assertThat(r.threads()).containsExactlyInAnyOrderElementsOf(threads);
      assertThat(r.locks()).containsExactlyInAnyOrder("a", "b");
      assertThat(r.toString())
          .contains("\"vt-1\" (virtual) waiting for lock '")
          .contains("\"vt-2\" (virtual) waiting for lock '")
          .contains("at dev.weft.lockorder.DeadlockDetectorTest.hold");
      assertThat(jmxDeadlockedThreads()).isNull();
    } finally {
      release(threads);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void startWatchdog_deadlock_logsCountsAndTellsListenersOnce(ThreadFactory kind) throws Exception {
    LockOrderChecker checker =
        LockOrderChecker.builder().policy(LockOrderPolicy.WARN).breakDeadlocks(false).build();
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    List<RuntimeException> reports = new CopyOnWriteArrayList<>();
    Consumer<RuntimeException> listener = reports::add;
    LockOrderChecker.addReportListener(listener);
    try (DeadlockDetector detector =
        DeadlockDetector.create().startWatchdog(Duration.ofMillis(10))) {
      List<Thread> threads = deadlock(kind, a, b);
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> detector.deadlocksFound() == 1);
      } finally {
        release(threads);
      }
      assertThat(detector.deadlocksFound()).isEqualTo(1);
      List<DeadlockException> found =
          reports.stream()
              .filter(DeadlockException.class::isInstance)
              .map(DeadlockException.class::cast)
              .toList();
      assertThat(found).hasSize(1);
      assertThat(found.get(0).report().locks()).containsExactlyInAnyOrder("a", "b");
      assertThatThrownBy(() -> detector.startWatchdog(Duration.ofSeconds(1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "watchdog already running: start it once per detector, or create another "
                  + "DeadlockDetector");
    } finally {
      LockOrderChecker.removeReportListener(listener);
    }
  }

  @Test
  void startWatchdog_badPeriodOrClosed_throws() {
    DeadlockDetector detector = DeadlockDetector.create();
    assertThatThrownBy(() -> detector.startWatchdog(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "watchdog period must be positive, got PT0S: pass how often to look for deadlocks, "
                + "e.g. Duration.ofSeconds(10)");
    detector.close();
    assertThatThrownBy(() -> detector.startWatchdog(Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("deadlock detector is closed: create a new one");
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void findDeadlocks_threadBlockedByRunningHolder_noReport(ThreadFactory kind) throws Exception {
    LockOrderChecker checker = LockOrderChecker.create();
    Lock a = checker.newLock("a");
    a.lock();
    Thread waiter =
        kind.newThread(
            () -> {
              a.lock();
              a.unlock();
            });
    waiter.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> Waits.isWaiting(waiter));
    assertThat(DeadlockDetector.create().findDeadlocks()).isEmpty();
    a.unlock();
    assertThat(waiter.join(Duration.ofSeconds(10))).isTrue();
  }

  /** Read-to-write upgrade under WARN: reported, then the self-wait is broken, not hung. */
  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void lock_upgradeUnderWarn_throwsDeadlockInsteadOfHanging(ThreadFactory kind) throws Exception {
    LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.WARN);
    ReadWriteLock x = checker.newReadWriteLock("x");
    Threads.run(
        kind,
        () -> {
          x.readLock().lock();
          try {
            assertThatThrownBy(() -> x.writeLock().lock())
                .isInstanceOf(DeadlockException.class)
                .hasMessageContaining("waits for lock 'x (write)' held by thread");
          } finally {
            x.readLock().unlock();
          }
        });
  }

  // ThreadMXBean.findDeadlockedThreads(), called reflectively: test compilation patches the
  // dev.weft module, which does not read java.management (tests run on the class path).
  private static Object jmxDeadlockedThreads() throws Exception {
    Object bean =
        Class.forName("java.lang.management.ManagementFactory")
            .getMethod("getThreadMXBean")
            .invoke(null);
    return Class.forName("java.lang.management.ThreadMXBean")
        .getMethod("findDeadlockedThreads")
        .invoke(bean);
  }

  private static List<Thread> deadlock(ThreadFactory kind, Lock a, Lock b) throws Exception {
    CyclicBarrier bothHold = new CyclicBarrier(2);
    List<Thread> threads = new ArrayList<>();
    threads.add(kind.newThread(() -> hold(a, b, bothHold)));
    threads.add(kind.newThread(() -> hold(b, a, bothHold)));
    threads.forEach(Thread::start);
    return threads;
  }

  private static void hold(Lock first, Lock second, CyclicBarrier bothHold) {
    try {
      first.lockInterruptibly();
      try {
        bothHold.await(10, TimeUnit.SECONDS);
        second.lockInterruptibly();
        second.unlock();
      } finally {
        first.unlock();
      }
    } catch (Exception e) {
      // interrupted to end the test
    }
  }

  private static void release(List<Thread> threads) throws InterruptedException {
    threads.forEach(Thread::interrupt);
    for (Thread t : threads) {
      assertThat(t.join(Duration.ofSeconds(10))).isTrue();
    }
  }
}
