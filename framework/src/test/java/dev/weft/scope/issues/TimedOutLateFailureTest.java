package dev.weft.scope.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.scope.Factories.Kind;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.scope.TaskFailedException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9, found by the soak (tree seed 0x91491be50e12f0e0): a task with a timeout and a fallback
 * timed out, the fallback replaced the {@code TimeoutException}, {@code join()} returned normally,
 * and then the body, interrupted by the timeout, threw an exception of its own (not the interrupt's
 * echo). That exception reached nobody: there was no exception to attach it to. It now goes where a
 * reader of the task looks: as a suppressed exception of the task's own {@code TimeoutException}
 * ({@code recoveredFrom()}, or {@code exception()} without a fallback), by the time {@code close()}
 * returns.
 */
class TimedOutLateFailureTest {

  private static String cleanupFails() {
    try {
      new CountDownLatch(1).await();
      return "not reached";
    } catch (InterruptedException e) {
      throw new IllegalStateException("cleanup after the timeout failed");
    }
  }

  /** With a fallback: recoveredFrom() (the TimeoutException) carries the body's late failure. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void close_timedOutTaskRecoveredThenThrew_recoveredFromCarriesIt(Kind kind) throws Exception {
    Task<String> slow;
    try (var scope = Scope.open("timeouts", kind.config())) {
      slow =
          scope.fork(
              "slow",
              TimedOutLateFailureTest::cleanupFails,
              o -> o.withTimeout(Duration.ofMillis(20)).withFallbackValue("fallback"));
      scope.join();
      assertThat(slow.get()).isEqualTo("fallback");
    }
    Throwable timeout = slow.recoveredFrom().orElseThrow();
    assertThat(timeout).isInstanceOf(TimeoutException.class);
    assertThat(timeout.getSuppressed())
        .singleElement()
        .satisfies(e -> assertThat(e).hasMessage("cleanup after the timeout failed"));
  }

  /**
   * Without a fallback: the exception leaving the block carries it, through the task's
   * TimeoutException.
   */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void close_timedOutTaskThenThrew_exceptionLeavingBlockCarriesIt(Kind kind) {
    AtomicReference<Task<String>> slow = new AtomicReference<>();
    Throwable escaped =
        catchThrowable(
            () -> {
              try (var scope = Scope.open("timeouts", kind.config())) {
                slow.set(
                    scope.fork(
                        "slow",
                        TimedOutLateFailureTest::cleanupFails,
                        o -> o.withTimeout(Duration.ofMillis(20))));
                scope.join();
              }
            });
    assertThat(escaped)
        .isInstanceOf(TaskFailedException.class)
        .hasCauseInstanceOf(TimeoutException.class);
    assertThat(Causes.reachable(escaped))
        .anySatisfy(e -> assertThat(e).hasMessage("cleanup after the timeout failed"));
  }
}
