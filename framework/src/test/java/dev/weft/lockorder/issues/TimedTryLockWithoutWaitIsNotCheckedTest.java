package dev.weft.lockorder.issues;

import static dev.weft.lockorder.Violations.assertViolation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.LockOrderPolicy;
import dev.weft.lockorder.Threads;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: {@code tryLock(0, unit)} (or a negative time) was order-checked like {@code lock()}.
 *
 * <p>Such a call never waits, so, like untimed {@code tryLock()}, it cannot take part in a
 * deadlock. But the checker ran the order check on it: after {@code a -> b} was learned, {@code
 * a.tryLock(0, SECONDS)} while holding {@code b} threw {@code LockOrderViolationException} (and
 * could have learned {@code b -> a}). Code that uses a zero-time try to back off from a lock taken
 * out of order, the usual fix for an inverted order, was reported for the very thing it avoids.
 *
 * <p>Now a timed {@code tryLock} whose time is zero or negative behaves as {@code tryLock()}:
 * checked only under {@code checkTryLock(true)}, it adds no order, and the lock it takes still
 * orders the locks taken after it.
 */
class TimedTryLockWithoutWaitIsNotCheckedTest {

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  @Timeout(20)
  void tryLockZeroOrNegative_againstLearnedOrder_takesLockWithoutReportOrEdge(ThreadFactory kind)
      throws Exception {
    LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    Lock c = checker.newLock("c");
    Threads.run(kind, () -> Threads.nest(a, b));

    Threads.run(
        kind,
        () -> {
          b.lock();
          try {
            for (long time : new long[] {0, -1, Long.MIN_VALUE}) {
              assertThat(a.tryLock(time, TimeUnit.SECONDS))
                  .as("tryLock(%d, SECONDS)", time)
                  .isTrue();
              try {
                c.lock(); // a still orders what comes after it: learns b -> c and a -> c
                c.unlock();
              } finally {
                a.unlock();
              }
            }
          } finally {
            b.unlock();
          }
        });

    assertThat(checker.edges()).containsExactly("a -> b", "a -> c", "b -> c");
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  @Timeout(20)
  void tryLockZero_lockTakenElsewhere_returnsFalseAtOnce(ThreadFactory kind) throws Exception {
    LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
    Lock a = checker.newLock("a");
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Thread holder =
        kind.newThread(
            () -> {
              a.lock();
              try {
                held.countDown();
                done.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                a.unlock();
              }
            });
    holder.start();
    held.await();
    AtomicBoolean took = new AtomicBoolean(true);
    try {
      Threads.run(kind, () -> took.set(a.tryLock(0, TimeUnit.NANOSECONDS)));
    } finally {
      done.countDown();
    }
    assertThat(holder.join(Duration.ofSeconds(10))).isTrue();
    assertThat(took).isFalse();
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  @Timeout(20)
  void tryLockZero_checkTryLockOn_checkedLikeTryLock(ThreadFactory kind) throws Exception {
    LockOrderChecker checker =
        LockOrderChecker.builder().policy(LockOrderPolicy.THROW).checkTryLock(true).build();
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    Threads.run(kind, () -> Threads.nest(a, b));

    Threads.run(
        kind,
        () -> {
          b.lock();
          try {
            assertViolation(() -> a.tryLock(0, TimeUnit.SECONDS), "b", "a");
          } finally {
            b.unlock();
          }
        });
  }
}
