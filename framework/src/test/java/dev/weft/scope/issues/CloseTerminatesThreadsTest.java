package dev.weft.scope.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.scope.Factories.Kind;
import dev.weft.scope.Scope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: {@code close()} returned while threads the scope started were still alive.
 *
 * <p>{@code close()} waited until each task's thread had marked its task "released", which the
 * thread did in the {@code finally} of its body: after that mark the thread still ran (it told the
 * owner, unwound the current-task binding and terminated). So right after {@code close()} returned,
 * {@code Thread.isAlive()} could still be true for a task thread, against the guarantee that no
 * code of the scope runs after its block. It showed on virtual and platform threads, for trivial
 * tasks, for tasks that end late after a cancel, and under fail-fast.
 */
class CloseTerminatesThreadsTest {

  private static final int SCOPES = 2_000;

  /** Trivial tasks: once close() returns, every thread that ran one has terminated. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void close_trivialTasks_everyTaskThreadTerminated(Kind kind) throws Exception {
    List<String> alive = new ArrayList<>();
    for (int i = 0; i < SCOPES; i++) {
      Queue<Thread> threads = new ConcurrentLinkedQueue<>();
      try (var scope = Scope.open("trivial", kind.config())) {
        for (int j = 0; j < 3; j++) {
          scope.fork("t" + j, () -> threads.add(Thread.currentThread()));
        }
        scope.join();
      }
      collectAlive(i, threads, alive);
    }
    assertNoneAlive(alive);
  }

  /**
   * A cancelled task that keeps running for a while after its interrupt: close() waits for its
   * thread.
   */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void close_cancelledTaskIgnoresInterruptForAWhile_threadTerminated(Kind kind) throws Exception {
    List<String> alive = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Queue<Thread> threads = new ConcurrentLinkedQueue<>();
      CountDownLatch running = new CountDownLatch(1);
      try (var scope = Scope.open("deaf", kind.config())) {
        scope.fork(
            "deaf",
            () -> {
              threads.add(Thread.currentThread());
              running.countDown();
              try {
                new CountDownLatch(1).await();
              } catch (InterruptedException e) {
                ignoreInterruptsFor(TimeUnit.MILLISECONDS.toNanos(2));
              }
              return null;
            });
        running.await();
        scope.cancel();
        assertThat(catchThrowable(scope::join)).isInstanceOf(CancellationException.class);
      }
      collectAlive(i, threads, alive);
    }
    assertNoneAlive(alive);
  }

  /**
   * Fail-fast: one task fails, the others are cancelled; close() returns after all their threads
   * ended.
   */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void close_failFastCancelsSiblings_everyTaskThreadTerminated(Kind kind) throws Exception {
    List<String> alive = new ArrayList<>();
    for (int i = 0; i < SCOPES / 2; i++) {
      Queue<Thread> threads = new ConcurrentLinkedQueue<>();
      CountDownLatch siblingsRunning = new CountDownLatch(2);
      try (var scope = Scope.open("ff", kind.config())) {
        for (int j = 0; j < 2; j++) {
          scope.fork(
              "sibling" + j,
              () -> {
                threads.add(Thread.currentThread());
                siblingsRunning.countDown();
                new CountDownLatch(1).await();
                return null;
              });
        }
        scope.fork(
            "bad",
            () -> {
              threads.add(Thread.currentThread());
              siblingsRunning.await();
              throw new IOException("boom");
            });
        assertThat(catchThrowable(scope::join))
            .isInstanceOf(dev.weft.scope.TaskFailedException.class);
      }
      collectAlive(i, threads, alive);
    }
    assertNoneAlive(alive);
  }

  private static void assertNoneAlive(List<String> alive) {
    assertThat(alive.size())
        .as(
            "task threads alive right after close(), first ones: %s",
            alive.subList(0, Math.min(5, alive.size())))
        .isZero();
  }

  private static void collectAlive(int iteration, Queue<Thread> threads, List<String> alive) {
    for (Thread t : threads) {
      if (t.isAlive()) {
        alive.add("scope #" + iteration + ": " + t + " (" + t.getState() + ")");
      }
    }
  }

  /** Keeps the thread busy for {@code nanos}, clearing interrupts instead of giving in to them. */
  private static void ignoreInterruptsFor(long nanos) {
    long end = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = end - System.nanoTime()) {
      Thread.interrupted();
      LockSupport.parkNanos(left);
    }
  }
}
