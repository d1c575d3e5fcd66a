package dev.weft.lockorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The blocking path: interruption, timeouts and the wait registry. */
class BlockingTest {
  private final LockOrderChecker checker = LockOrderChecker.create();
  private final Lock lock = checker.newLock("a");

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void lockInterruptibly_interruptedWhileBlocked_throwsAndStopsWaiting(ThreadFactory kind)
      throws Exception {
    lock.lock();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
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
    waiter.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> Waits.isWaiting(waiter));
    waiter.interrupt();
    assertThat(waiter.join(Duration.ofSeconds(10))).isTrue();
    lock.unlock();
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    assertThat(Waits.isWaiting(waiter)).isFalse();
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void lock_interruptedWhileBlocked_keepsWaitingThenKeepsInterruptFlag(ThreadFactory kind)
      throws Exception {
    lock.lock();
    AtomicBoolean flagAfter = new AtomicBoolean();
    AtomicReference<Integer> heldAfter = new AtomicReference<>();
    Thread waiter =
        kind.newThread(
            () -> {
              lock.lock();
              flagAfter.set(Thread.currentThread().isInterrupted());
              heldAfter.set(HeldLocks.current().size());
              lock.unlock();
            });
    waiter.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> Waits.isWaiting(waiter));
    waiter.interrupt();
    await().atMost(Duration.ofSeconds(10)).until(() -> Waits.isWaiting(waiter)); // still waiting
    lock.unlock();
    assertThat(waiter.join(Duration.ofSeconds(10))).isTrue();
    assertThat(flagAfter).isTrue();
    assertThat(heldAfter.get()).isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void tryLock_timedOut_returnsFalseAndStopsWaiting(ThreadFactory kind) throws Exception {
    lock.lock();
    try {
      Threads.run(
          kind,
          () -> {
            assertThat(lock.tryLock(60, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(Waits.isWaiting(Thread.currentThread())).isFalse();
            assertThat(HeldLocks.current().size()).isZero();
          });
    } finally {
      lock.unlock();
    }
  }
}
