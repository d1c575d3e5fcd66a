package dev.weft.lockorder.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.lockorder.HeldProbe;
import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.LockOrderPolicy;
import dev.weft.lockorder.Threads;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: a condition wait by a thread that does not hold the lock corrupted the owner's
 * bookkeeping.
 *
 * <p>Thread T1 holds checked lock {@code x}. Thread T2, which does not hold it, calls {@code
 * await()} on a condition of {@code x}. The JDK condition throws {@link
 * IllegalMonitorStateException} (with no message), but on its way out the checked condition told
 * {@code x} that it was "reacquired" by T2, so {@code x} pointed its owner at T2's held locks. When
 * T1 then unlocked {@code x}, the checker popped {@code x} from T2's (empty) held set and left it
 * in T1's: T1 still "held" {@code x} forever after, and its next lock {@code y} learned the false
 * order {@code x -> y}, reported later as a cycle against {@code y -> x}. The same held for {@code
 * awaitUninterruptibly} and the timed waits.
 *
 * <p>Now every wait first checks that the current thread holds the lock, and throws {@code
 * IllegalMonitorStateException} naming the lock before touching any bookkeeping.
 */
class FailedAwaitKeepsOwnerHeldSetTest {

  /** A wait on a condition, as each of the five await methods does it. */
  @FunctionalInterface
  interface Await {
    void on(Condition c) throws InterruptedException;
  }

  static Stream<Arguments> awaits() {
    Stream<Arguments> kinds = Threads.kinds();
    return kinds.flatMap(
        kind ->
            Stream.of(
                Arguments.of(kind.get()[0], Named.of("await()", (Await) Condition::await)),
                Arguments.of(
                    kind.get()[0],
                    Named.of("awaitUninterruptibly()", (Await) Condition::awaitUninterruptibly)),
                Arguments.of(
                    kind.get()[0],
                    Named.of("awaitNanos(1 ms)", (Await) c -> c.awaitNanos(1_000_000L))),
                Arguments.of(
                    kind.get()[0],
                    Named.of(
                        "await(1, MILLISECONDS)", (Await) c -> c.await(1, TimeUnit.MILLISECONDS))),
                Arguments.of(
                    kind.get()[0],
                    Named.of(
                        "awaitUntil(now + 1 ms)",
                        (Await) c -> c.awaitUntil(new Date(System.currentTimeMillis() + 1))))));
  }

  @ParameterizedTest
  @MethodSource("awaits")
  @Timeout(20)
  void await_byThreadNotHoldingLock_throwsNamingLockAndLeavesOwnerHeldSetAlone(
      ThreadFactory kind, Await await) throws Exception {
    LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
    Lock x = checker.newLock("x");
    Lock y = checker.newLock("y");
    Condition ready = x.newCondition();
    AtomicReference<Throwable> failedAwait = new AtomicReference<>();

    Threads.run(
        kind,
        () -> {
          x.lock();
          try {
            Thread intruder =
                kind.newThread(() -> failedAwait.set(catchThrowable(() -> await.on(ready))));
            intruder.setName("intruder");
            intruder.start();
            assertThat(intruder.join(Duration.ofSeconds(10))).isTrue();
          } finally {
            x.unlock();
          }
          assertThat(HeldProbe.heldClasses(checker))
              .as("checked locks the owner still holds after unlocking x")
              .isEmpty();
          y.lock(); // holds nothing, so this learns no order
          y.unlock();
        });

    assertThat(checker.edges()).as("orders learned").isEmpty();
    Threads.run(kind, () -> Threads.nest(y, x)); // no false "y -> x, x -> y"
    assertThat(failedAwait.get())
        .isInstanceOf(IllegalMonitorStateException.class)
        .hasMessage(
            "thread 'intruder' awaits a condition of lock 'x', which it does not hold: take lock"
                + " 'x' in the same thread before calling await");
  }

  /** Signalling without the lock changes no bookkeeping, but is named the same way. */
  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  @Timeout(20)
  void signal_byThreadNotHoldingLock_throwsNamingLock(ThreadFactory kind) throws Exception {
    LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
    Condition ready = checker.newReadWriteLock("cache").writeLock().newCondition();
    Threads.run(
        kind,
        () -> {
          String me = Threads.name(Thread.currentThread());
          String expected =
              "thread '"
                  + me
                  + "' signals a condition of lock 'cache (write)', which it does not"
                  + " hold: take lock 'cache (write)' in the same thread before calling signal";
          assertThat(catchThrowable(ready::signal))
              .isInstanceOf(IllegalMonitorStateException.class)
              .hasMessage(expected);
          assertThat(catchThrowable(ready::signalAll))
              .isInstanceOf(IllegalMonitorStateException.class)
              .hasMessage(expected + "All");
        });
  }
}
