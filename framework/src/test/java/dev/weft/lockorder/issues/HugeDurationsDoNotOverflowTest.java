package dev.weft.lockorder.issues;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.lockorder.DeadlockDetector;
import dev.weft.lockorder.LockOrderChecker;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: {@code DeadlockDetector.startWatchdog(Duration)} with a period too long for a {@code
 * long} of nanoseconds ({@code Duration.ofDays(1_000_000)}, {@code ChronoUnit.FOREVER}) threw
 * {@link ArithmeticException} from {@code Duration.toNanos()}, after it had already stored the new
 * executor: the detector then claimed "watchdog already running" to every later start, although
 * nothing had been scheduled.
 *
 * <p>Now the period saturates (a watchdog that never fires before the heat death of the JVM is what
 * was asked for), and the start records the watchdog only once it is scheduled. The other time the
 * package takes, {@code tryLock(time, unit)}, already saturates; a test here keeps it so.
 */
class HugeDurationsDoNotOverflowTest {

  static Stream<Named<Duration>> hugePeriods() {
    return Stream.of(
        Named.of("Duration.ofDays(1_000_000)", Duration.ofDays(1_000_000)),
        Named.of("ChronoUnit.FOREVER", ChronoUnit.FOREVER.getDuration()),
        Named.of("Long.MAX_VALUE ns + 1 ns", Duration.ofNanos(Long.MAX_VALUE).plusNanos(1)));
  }

  @ParameterizedTest
  @MethodSource("hugePeriods")
  @Timeout(10)
  void startWatchdog_hugePeriod_startsAndStaysConsistent(Duration period) {
    try (DeadlockDetector detector = DeadlockDetector.create()) {
      assertThat(detector.startWatchdog(period)).isSameAs(detector);
      assertThat(detector.deadlocksFound()).isZero();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  @Timeout(20)
  void tryLock_hugeTimeoutWhileContended_waitsAndTakesLock(ThreadFactory kind) throws Exception {
    LockOrderChecker checker = LockOrderChecker.create();
    Lock a = checker.newLock("a");
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread holder =
        kind.newThread(
            () -> {
              a.lock();
              try {
                held.countDown();
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                a.unlock();
              }
            });
    holder.start();
    held.await();
    AtomicBoolean took = new AtomicBoolean();
    Thread waiter =
        kind.newThread(
            () -> {
              try {
                took.set(a.tryLock(Long.MAX_VALUE, TimeUnit.DAYS));
                a.unlock();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    waiter.start();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> waiter.getState() == Thread.State.TIMED_WAITING); // in its timed wait
    release.countDown();
    assertThat(waiter.join(Duration.ofSeconds(10))).isTrue();
    assertThat(holder.join(Duration.ofSeconds(10))).isTrue();
    assertThat(took).isTrue();
  }
}
