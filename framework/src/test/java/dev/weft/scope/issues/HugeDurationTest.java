package dev.weft.scope.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.scope.Scope;
import dev.weft.scope.ScopeConfig;
import dev.weft.scope.Task;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: durations too long for a {@code long} of nanoseconds broke {@code close()}, and the
 * broken close left the thread inside a dead scope.
 *
 * <p>{@code close()} converted the cancel grace period to nanoseconds with {@code toNanos()}, which
 * throws {@code ArithmeticException} above about 292 years: with {@code
 * withCancelGracePeriod(Duration.ofDays(1_000_000))} or {@code ChronoUnit.FOREVER}, every {@code
 * close()} threw before it unlinked the scope from its thread. The next {@code Scope.open} on that
 * thread then took the dead, cancelled scope for its parent and was born cancelled. The other ways
 * to pass a huge duration (scope timeout, task timeout, a deadline of {@code Instant.MAX}) must
 * work like any long duration.
 */
class HugeDurationTest {

  static Stream<Arguments> hugeDurations() {
    return Stream.of(
        Arguments.of(Named.of("1,000,000 days", Duration.ofDays(1_000_000))),
        Arguments.of(Named.of("ChronoUnit.FOREVER", ChronoUnit.FOREVER.getDuration())));
  }

  /**
   * A huge grace period: close() returns normally, and the next scope on the thread is not born
   * cancelled.
   */
  @ParameterizedTest
  @MethodSource("hugeDurations")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void close_hugeCancelGracePeriod_returnsAndNextScopeNotCancelled(Duration grace)
      throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    Scope<Void> scope = Scope.open("huge", c -> c.withCancelGracePeriod(grace));
    scope.fork(
        "t",
        () -> {
          running.countDown();
          return block(); // ends on its interrupt
        });
    running.await();
    scope.cancel();
    Throwable joined = catchThrowable(scope::join);
    Throwable closed = catchThrowable(scope::close);

    boolean nextBornCancelled;
    Throwable nextJoined;
    Object nextValue = null;
    try (var next = Scope.open("next")) {
      nextBornCancelled = next.isCancelled();
      Task<Integer> one = next.fork("one", () -> 1);
      nextJoined = catchThrowable(next::join);
      if (nextJoined == null) {
        nextValue = one.get();
      }
    }
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(joined).as("join() after cancel()").isInstanceOf(CancellationException.class);
    soft.assertThat(closed).as("what close() threw").isNull();
    soft.assertThat(nextBornCancelled).as("next scope born cancelled").isFalse();
    soft.assertThat(nextJoined).as("what the next scope's join() threw").isNull();
    soft.assertThat(nextValue).as("the next scope's task result").isEqualTo(1);
    soft.assertAll();
  }

  /** Scope configs with huge durations, from which a scope must work as usual. */
  static Stream<Arguments> hugeScopeConfigs() {
    return Stream.of(
        config(
            "withTimeout(Duration.ofSeconds(Long.MAX_VALUE))",
            c -> c.withTimeout(Duration.ofSeconds(Long.MAX_VALUE))),
        config("withDeadline(Instant.MAX)", c -> c.withDeadline(Instant.MAX)),
        config("withTimeout(FOREVER)", c -> c.withTimeout(ChronoUnit.FOREVER.getDuration())));
  }

  private static Arguments config(String name, UnaryOperator<ScopeConfig> config) {
    return Arguments.of(Named.of(name, config));
  }

  /**
   * A huge scope timeout or deadline: tasks run, join returns, a cancel is reported, close returns.
   */
  @ParameterizedTest
  @MethodSource("hugeScopeConfigs")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void join_hugeScopeDeadline_scopeWorksNormally(UnaryOperator<ScopeConfig> config)
      throws Exception {
    try (var scope = Scope.open("huge", config)) {
      Task<Integer> a = scope.fork("a", () -> 1);
      Task<Integer> b = scope.fork("b", a, x -> x + 1);
      assertThat(Scope.remainingTime()).hasValueSatisfying(d -> assertThat(d).isPositive());
      scope.join();
      assertThat(b.get()).isEqualTo(2);
      assertThat(scope.isCancelled()).isFalse();
    }
    CountDownLatch running = new CountDownLatch(1);
    try (var scope = Scope.open("huge", config)) {
      scope.fork(
          "t",
          () -> {
            running.countDown();
            return block();
          });
      running.await();
      scope.cancel();
      assertThat(catchThrowable(scope::join)).isInstanceOf(CancellationException.class);
    }
  }

  /** A huge task timeout: the task runs and succeeds, and a cancel still interrupts it. */
  @Test
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void join_hugeTaskTimeout_taskRunsNormally() throws Exception {
    Duration huge = Duration.ofSeconds(Long.MAX_VALUE);
    try (var scope = Scope.open("huge")) {
      Task<Integer> a = scope.fork("a", () -> 1, o -> o.withTimeout(huge));
      scope.join();
      assertThat(a.get()).isEqualTo(1);
    }
    CountDownLatch running = new CountDownLatch(1);
    try (var scope = Scope.open("huge")) {
      Task<Object> t =
          scope.fork(
              "t",
              () -> {
                running.countDown();
                return block();
              },
              o -> o.withTimeout(huge));
      running.await();
      scope.cancel();
      assertThat(catchThrowable(scope::join)).isInstanceOf(CancellationException.class);
      assertThat(t.state()).isEqualTo(Task.State.CANCELLED);
    }
  }

  private static <T> T block() throws InterruptedException {
    new CountDownLatch(1).await();
    throw new AssertionError("not reached");
  }
}
