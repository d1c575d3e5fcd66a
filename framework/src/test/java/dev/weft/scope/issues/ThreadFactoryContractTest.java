package dev.weft.scope.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.scope.TaskFailedException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: a thread factory that broke its contract could hang {@code join()}.
 *
 * <p>{@code ScopeConfig.withThreadFactory} requires a new, unstarted thread that runs the {@code
 * Runnable} it is given. Weft started whatever thread the factory returned and marked the task
 * running; a thread that never ran the {@code Runnable} (say {@code r -> new Thread(() -> {})})
 * ended at once without ever ending the task, so the task stayed {@code RUNNING} and {@code join()}
 * (then {@code close()}) waited forever. A broken factory must fail the task with a message that
 * states the contract. Factories that return an already-started thread or {@code null} are covered
 * here too: they must fail the task, never hang.
 */
class ThreadFactoryContractTest {

  /** Factories whose threads never run the Runnable they are given. */
  static Stream<Arguments> neverRunning() {
    return Stream.of(
        Arguments.of(Named.of("new Thread(() -> {})", (ThreadFactory) r -> new Thread(() -> {}))),
        Arguments.of(
            Named.of(
                "Thread.ofPlatform().unstarted(() -> {})",
                (ThreadFactory) r -> Thread.ofPlatform().unstarted(() -> {}))),
        Arguments.of(
            Named.of(
                "Thread.ofVirtual().unstarted(() -> {})",
                (ThreadFactory) r -> Thread.ofVirtual().unstarted(() -> {}))));
  }

  /**
   * A thread that never runs the task: the task fails, naming the contract, and join does not hang.
   */
  @ParameterizedTest
  @MethodSource("neverRunning")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void join_factoryThreadNeverRunsTask_taskFailsNamingContract(ThreadFactory factory)
      throws Exception {
    try (var scope = Scope.open("factory", c -> c.withThreadFactory(factory))) {
      Task<String> task = scope.fork("t", () -> "ran");
      Throwable thrown = catchThrowable(scope::join);
      assertThat(thrown).isInstanceOf(TaskFailedException.class);
      assertThat(task.state()).isEqualTo(Task.State.FAILED);
      assertThat(task.exception().getMessage())
          .contains("thread factory")
          .contains("must return a new, unstarted thread that runs");
    }
  }

  /**
   * A thread that was already started: the task fails with IllegalThreadStateException, no hang.
   */
  @Test
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void join_factoryReturnsStartedThread_taskFailsWithIllegalThreadState() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    ThreadFactory started =
        r ->
            Thread.ofPlatform()
                .daemon()
                .start(
                    () -> {
                      try {
                        release.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    });
    try (var scope = Scope.open("factory", c -> c.withThreadFactory(started))) {
      Task<String> task = scope.fork("t", () -> "ran");
      Throwable thrown = catchThrowable(scope::join);
      assertThat(thrown).isInstanceOf(TaskFailedException.class);
      assertThat(task.state()).isEqualTo(Task.State.FAILED);
      Throwable failure = task.exception();
      assertThat(
              Causes.reachable(failure).stream()
                      .anyMatch(t -> t instanceof IllegalThreadStateException)
                  || Causes.messageOf(failure).contains("IllegalThreadStateException"))
          .as("IllegalThreadStateException as cause or in the message:%s", Causes.describe(failure))
          .isTrue();
    } finally {
      release.countDown();
    }
  }

  /**
   * A factory that returns null: the task fails with a NullPointerException naming the thread
   * factory.
   */
  @Test
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void join_factoryReturnsNull_taskFailsWithNullPointer() throws Exception {
    try (var scope = Scope.open("factory", c -> c.withThreadFactory(r -> null))) {
      Task<String> task = scope.fork("t", () -> "ran");
      Throwable thrown = catchThrowable(scope::join);
      assertThat(thrown).isInstanceOf(TaskFailedException.class);
      assertThat(task.state()).isEqualTo(Task.State.FAILED);
      assertThat(task.exception())
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("thread factory");
    }
  }
}
