package dev.weft.scope.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.scope.Factories.Kind;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.scope.TaskFailedException;
import dev.weft.scope.TaskSkippedException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: a long chain of dependents overflowed the stack, and its messages grew with its depth.
 *
 * <p>When a task ended without succeeding, it skipped its dependents by recursion: each skipped
 * dependent published its own end and skipped its dependents in turn, in the same thread. A chain
 * {@code t0 <- t1 <- ... <- t99999} therefore recursed 100,000 deep: the thread that ended the head
 * threw {@code StackOverflowError} half way and the rest of the chain never reached a final state.
 * When the head failed, its own thread overflowed and {@code join()} waited forever; when it was
 * cancelled, {@code cancel()} overflowed in its caller before it interrupted the head, and {@code
 * close()} waited forever. Each {@code TaskSkippedException} also appended its cause's text to its
 * own message, so the messages grew with depth (quadratic memory in total), and the dependents of a
 * cancelled task became {@code SKIPPED} instead of {@code CANCELLED}.
 */
class LongDependencyChainTest {

  private static final int LENGTH = 100_000;

  /** The head fails: join names it, the other 99,999 are skipped, with short messages. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void join_headOfLongChainFails_namesHeadAndSkipsEveryDependent(Kind kind) throws Exception {
    CountDownLatch chainForked = new CountDownLatch(1);
    IOException headFailure = new IOException("head failed");
    List<Task<Object>> chain = new ArrayList<>(LENGTH);
    try (var scope = Scope.open("chain", kind.config())) {
      chain.add(
          scope.fork(
              "t0",
              () -> {
                chainForked.await(); // fail only once every dependent waits for the head
                throw headFailure;
              }));
      forkDependents(scope, chain);
      chainForked.countDown();
      Throwable thrown = catchThrowable(scope::join);
      assertThat(thrown).isInstanceOf(TaskFailedException.class);
      assertThat(((TaskFailedException) thrown).taskName()).isEqualTo("t0");
      // every skip reached the policy's record (a chain of 99,999 pushes), listed in fork order
      List<String> skipped = ((TaskFailedException) thrown).skippedTasks();
      assertThat(skipped).hasSize(LENGTH - 1).startsWith("t1").endsWith("t" + (LENGTH - 1));
    }
    assertThat(chain.get(0).state()).isEqualTo(Task.State.FAILED);
    assertThat(chain.subList(1, LENGTH))
        .allSatisfy(t -> assertThat(t.state()).isEqualTo(Task.State.SKIPPED));
    Throwable last = chain.get(LENGTH - 1).exception();
    assertThat(last).isInstanceOf(TaskSkippedException.class);
    assertThat(last.getMessage().length()).as("message length of the last skip").isLessThan(300);
    assertThat(last.getMessage()).contains("'t99998'").contains("'t0'");
    assertThat(last.getCause()).as("cause: the head's own exception").isSameAs(headFailure);
  }

  /**
   * The head is cancelled: join throws CancellationException promptly and every task is CANCELLED.
   */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void join_headOfLongChainCancelled_everyTaskCancelled(Kind kind) throws Exception {
    CountDownLatch headRunning = new CountDownLatch(1);
    List<Task<Object>> chain = new ArrayList<>(LENGTH);
    try (var scope = Scope.open("chain", kind.config())) {
      chain.add(
          scope.fork(
              "t0",
              () -> {
                headRunning.countDown();
                new CountDownLatch(1).await();
                return "never";
              }));
      forkDependents(scope, chain);
      headRunning.await();
      scope.cancel();
      long start = System.nanoTime();
      Throwable thrown = catchThrowable(scope::join);
      Duration joinTook = Duration.ofNanos(System.nanoTime() - start);
      assertThat(thrown).isInstanceOf(CancellationException.class);
      assertThat(joinTook).as("join() after cancel()").isLessThan(Duration.ofSeconds(10));
    }
    assertThat(chain).allSatisfy(t -> assertThat(t.state()).isEqualTo(Task.State.CANCELLED));
  }

  /** Forks {@code t1 ... t99999}, each a dependent of the one before. */
  private static void forkDependents(Scope<Void> scope, List<Task<Object>> chain) {
    for (int i = 1; i < LENGTH; i++) {
      chain.add(scope.fork("t" + i, chain.get(i - 1), v -> v));
    }
  }
}
