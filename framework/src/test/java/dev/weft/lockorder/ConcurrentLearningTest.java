package dev.weft.lockorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Learning is thread-safe: inverse orders added at the same moment are reported by at least one
 * thread (Guava's factory can miss this), and a consistent order is never reported. The jcstress
 * tests in stress-tests/ explore the interleavings; this runs many rounds in the unit suite.
 */
class ConcurrentLearningTest {
  private static final int ROUNDS = 300;

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void inverseOrdersAtTheSameMoment_atLeastOneReportsEveryRound(ThreadFactory kind)
      throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
      Lock a = checker.newLock("a");
      Lock b = checker.newLock("b");
      CyclicBarrier start = new CyclicBarrier(2);
      AtomicInteger reported = new AtomicInteger();
      AtomicInteger timedOut = new AtomicInteger();
      Thread t1 = kind.newThread(() -> take(a, b, start, reported, timedOut));
      Thread t2 = kind.newThread(() -> take(b, a, start, reported, timedOut));
      t1.start();
      t2.start();
      assertThat(t1.join(Duration.ofSeconds(10))).isTrue();
      assertThat(t2.join(Duration.ofSeconds(10))).isTrue();
      assertThat(reported.get()).as("reports in round %d", round).isPositive();
      assertThat(timedOut).hasValue(0);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void sameOrderAtTheSameMoment_neverReported(ThreadFactory kind) throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
      Lock a = checker.newLock("a");
      Lock b = checker.newLock("b");
      CyclicBarrier start = new CyclicBarrier(2);
      AtomicInteger reported = new AtomicInteger();
      AtomicInteger timedOut = new AtomicInteger();
      Thread t1 = kind.newThread(() -> take(a, b, start, reported, timedOut));
      Thread t2 = kind.newThread(() -> take(a, b, start, reported, timedOut));
      t1.start();
      t2.start();
      assertThat(t1.join(Duration.ofSeconds(10))).isTrue();
      assertThat(t2.join(Duration.ofSeconds(10))).isTrue();
      assertThat(reported).hasValue(0);
      assertThat(timedOut).hasValue(0);
    }
  }

  private static void take(
      Lock first, Lock second, CyclicBarrier start, AtomicInteger reported, AtomicInteger late) {
    try {
      start.await(10, TimeUnit.SECONDS);
      if (!first.tryLock(5, TimeUnit.SECONDS)) {
        late.incrementAndGet();
        return;
      }
      try {
        if (second.tryLock(5, TimeUnit.SECONDS)) {
          second.unlock();
        } else {
          late.incrementAndGet();
        }
      } finally {
        first.unlock();
      }
    } catch (LockOrderViolationException e) {
      reported.incrementAndGet();
    } catch (Exception e) {
      late.incrementAndGet();
    }
  }
}
