package dev.weft.lockorder;

import static dev.weft.lockorder.Violations.assertViolation;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Condition waits release the lock and take it back at its old place. */
class ConditionTest {
  private final LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void await_releasesLock_andHeldSetIsRestoredAfterwards(ThreadFactory kind) throws Exception {
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    Condition ready = a.newCondition();
    CountDownLatch waiting = new CountDownLatch(1);
    AtomicInteger heldWhileWaiting = new AtomicInteger(-1);
    AtomicInteger heldAfter = new AtomicInteger(-1);

    Thread waiter =
        kind.newThread(
            () -> {
              a.lock();
              try {
                waiting.countDown();
                ready.await();
                heldWhileWaiting.set(HeldLocks.current().size());
                // a is held again, so taking b learns a -> b, and b -> a (below) closes a cycle
                assertViolation(b::lock, "a", "b");
              } catch (InterruptedException e) {
                throw new AssertionError(e);
              } finally {
                a.unlock();
              }
              heldAfter.set(HeldLocks.current().size());
            });
    waiter.start();
    waiting.await();
    Threads.run(
        kind,
        () -> {
          b.lock();
          try {
            a.lock(); // possible only because await released a; learns b -> a
            try {
              ready.signal();
            } finally {
              a.unlock();
            }
          } finally {
            b.unlock();
          }
        });
    assertThat(waiter.join(Duration.ofSeconds(20))).isTrue();
    assertThat(heldWhileWaiting).hasValue(1);
    assertThat(heldAfter).hasValue(0); // unlock found the waiter's own held locks again
    assertThat(checker.edges()).containsExactly("b -> a");
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void awaitNanos_timesOutHoldingTheLockAgain(ThreadFactory kind) throws Exception {
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    Threads.run(
        kind,
        () -> {
          a.lock();
          a.lock(); // held twice: await releases both holds
          try {
            assertThat(a.newCondition().await(1, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(HeldLocks.current().size()).isEqualTo(2);
            b.lock();
            b.unlock();
          } finally {
            a.unlock();
            a.unlock();
          }
          assertThat(HeldLocks.current().size()).isZero();
        });
    assertThat(checker.edges()).containsExactly("a -> b");
  }
}
