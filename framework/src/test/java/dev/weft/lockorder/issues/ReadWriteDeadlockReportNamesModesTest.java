package dev.weft.lockorder.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.lockorder.DeadlockDetector;
import dev.weft.lockorder.DeadlockReport;
import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.LockOrderPolicy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: a deadlock report over read/write locks said which mode each thread waited for, but not
 * which mode the other thread held: "thread 'a' waits for lock 'y (write)' held by thread 'b'".
 * Whether 'b' held y for reading or writing decides the fix (a reader can often drop its read lock
 * earlier; a writer cannot), and the thread sections did not say what each thread held at all.
 *
 * <p>Now each hop of the summary says the mode the holder holds ({@code held by thread 'b' in read
 * mode}), and each thread's section names the lock it waits for and the one it holds.
 */
class ReadWriteDeadlockReportNamesModesTest {
  private final LockOrderChecker checker =
      LockOrderChecker.builder().policy(LockOrderPolicy.WARN).breakDeadlocks(false).build();

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  @Timeout(20)
  void findDeadlocks_readersWaitingToWrite_saysEachThreadsHeldAndWantedMode(ThreadFactory kind)
      throws Exception {
    ReadWriteLock x = checker.newReadWriteLock("x");
    ReadWriteLock y = checker.newReadWriteLock("y");
    DeadlockReport r =
        deadlock(kind, "rx", x.readLock(), y.writeLock(), "ry", y.readLock(), x.writeLock());

    assertThat(r.summary())
        .contains("thread 'rx' waits for lock 'y (write)' held by thread 'ry' in read mode")
        .contains("thread 'ry' waits for lock 'x (write)' held by thread 'rx' in read mode");
    String v = virtual(kind);
    assertThat(r.toString())
        .contains("\"rx\"" + v + " waiting for lock 'y (write)' while holding lock 'x (read)'")
        .contains("\"ry\"" + v + " waiting for lock 'x (write)' while holding lock 'y (read)'");
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  @Timeout(20)
  void findDeadlocks_writerAndReader_saysWriteModeOfTheWriter(ThreadFactory kind) throws Exception {
    ReadWriteLock x = checker.newReadWriteLock("x");
    ReadWriteLock y = checker.newReadWriteLock("y");
    DeadlockReport r =
        deadlock(kind, "w", x.writeLock(), y.writeLock(), "r", y.readLock(), x.readLock());

    assertThat(r.summary())
        .contains("thread 'w' waits for lock 'y (write)' held by thread 'r' in read mode")
        .contains("thread 'r' waits for lock 'x (read)' held by thread 'w' in write mode");
    String v = virtual(kind);
    assertThat(r.toString())
        .contains("\"w\"" + v + " waiting for lock 'y (write)' while holding lock 'x (write)'")
        .contains("\"r\"" + v + " waiting for lock 'x (read)' while holding lock 'y (read)'");
  }

  private static String virtual(ThreadFactory kind) {
    return kind.newThread(() -> {}).isVirtual() ? " (virtual)" : "";
  }

  // Starts the two threads, waits until the detector sees their cycle, ends them, returns it.
  private static DeadlockReport deadlock(
      ThreadFactory kind,
      String name1,
      Lock first1,
      Lock second1,
      String name2,
      Lock first2,
      Lock second2)
      throws Exception {
    CyclicBarrier bothHold = new CyclicBarrier(2);
    Thread t1 = kind.newThread(() -> hold(first1, second1, bothHold));
    Thread t2 = kind.newThread(() -> hold(first2, second2, bothHold));
    t1.setName(name1);
    t2.setName(name2);
    t1.start();
    t2.start();
    try {
      DeadlockDetector detector = DeadlockDetector.create();
      await().atMost(Duration.ofSeconds(10)).until(() -> !detector.findDeadlocks().isEmpty());
      List<DeadlockReport> reports = detector.findDeadlocks();
      assertThat(reports).hasSize(1);
      return reports.get(0);
    } finally {
      t1.interrupt();
      t2.interrupt();
      assertThat(t1.join(Duration.ofSeconds(10))).isTrue();
      assertThat(t2.join(Duration.ofSeconds(10))).isTrue();
    }
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
}
