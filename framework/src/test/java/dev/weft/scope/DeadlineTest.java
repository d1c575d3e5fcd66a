package dev.weft.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.scope.Factories.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Deadlines of scopes, inherited by nested scopes, and per-task timeouts. */
class DeadlineTest {

  private static <T> T blockForever() throws InterruptedException {
    new CountDownLatch(1).await();
    throw new AssertionError("not reached");
  }

  /**
   * At the deadline the unfinished tasks are cancelled and join names them; finished ones keep
   * results.
   */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  void join_deadlinePasses_throwsNamingUnfinishedTasks(Kind kind) throws Exception {
    try (var scope = Scope.open("search", kind.and(c -> c.withTimeout(Duration.ofMillis(200))))) {
      Task<String> fast = scope.fork("fast", () -> "done");
      Task<String> slow = scope.fork("slow", DeadlineTest::blockForever);
      Task<String> slower = scope.fork("slower", DeadlineTest::blockForever);
      assertThatThrownBy(scope::join)
          .isInstanceOf(DeadlineExceededException.class)
          .hasMessage(
              "scope 'search' missed its deadline (200 ms after it opened): 2 tasks did not "
                  + "finish and were cancelled: 'slow', 'slower'")
          .satisfies(
              e ->
                  assertThat(((DeadlineExceededException) e).unfinishedTasks())
                      .containsExactly("slow", "slower"));
      assertThat(fast.get()).isEqualTo("done");
      assertThat(slow.state()).isEqualTo(Task.State.CANCELLED);
    }
  }

  /**
   * join is honoured at the deadline even if a task ignores interrupts; close then waits for it.
   */
  @Test
  void join_taskIgnoresInterrupt_joinStillReturnsAtDeadline() throws Exception {
    CountDownLatch letGo = new CountDownLatch(1);
    Scope<Void> scope = Scope.open("stubborn", c -> c.withTimeout(Duration.ofMillis(100)));
    Task<String> stubborn;
    try (scope) {
      stubborn =
          scope.fork(
              "stubborn",
              () -> {
                while (true) {
                  try {
                    letGo.await();
                    return "late";
                  } catch (InterruptedException ignored) {
                    // keeps going: a task that ignores cancellation
                  }
                }
              });
      long t0 = System.nanoTime();
      try {
        assertThatThrownBy(scope::join).isInstanceOf(DeadlineExceededException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(stubborn.state()).isEqualTo(Task.State.CANCELLED);
      } finally {
        letGo.countDown(); // let close() finish
      }
    }
    assertThat(stubborn.state()).isEqualTo(Task.State.CANCELLED); // the late result is discarded
  }

  /** If every task ends before the deadline, join returns normally. */
  @Test
  void join_allFinishBeforeDeadline_returnsNormally() throws Exception {
    try (var scope = Scope.open("quick", c -> c.withTimeout(Duration.ofSeconds(20)))) {
      Task<Integer> t = scope.fork("t", () -> 1);
      scope.join();
      assertThat(t.get()).isEqualTo(1);
    }
  }

  /** A deadline in the past cancels everything at once. */
  @Test
  void join_deadlineAlreadyPast_cancelsAtOnce() throws Exception {
    try (var scope = Scope.open("late", c -> c.withDeadline(Instant.now().minusSeconds(1)))) {
      Task<Integer> t = scope.fork("t", () -> 1);
      assertThatThrownBy(scope::join)
          .isInstanceOf(DeadlineExceededException.class)
          .hasMessageContaining("'t'");
      assertThat(t.state()).isEqualTo(Task.State.CANCELLED);
    }
  }

  /** remainingTime() is empty outside scopes and without deadlines, and shrinks inside one. */
  @Test
  void remainingTime_insideTaskOfScopeWithDeadline_isPositiveAndBounded() throws Exception {
    assertThat(Scope.remainingTime()).isEmpty();
    try (var scope = Scope.open("budget", c -> c.withTimeout(Duration.ofSeconds(20)))) {
      Task<Duration> inTask = scope.fork("t", () -> Scope.remainingTime().orElseThrow());
      assertThat(Scope.remainingTime())
          .get()
          .matches(d -> d.compareTo(Duration.ofSeconds(20)) <= 0);
      scope.join();
      assertThat(inTask.get()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(20));
    }
    try (var scope = Scope.open("none")) {
      Task<Boolean> inTask = scope.fork("t", () -> Scope.remainingTime().isEmpty());
      scope.join();
      assertThat(inTask.get()).isTrue();
    }
  }

  /** A nested scope inherits the earlier deadline of its parent. */
  @Test
  void open_nestedInTask_inheritsEarlierParentDeadline() throws Exception {
    try (var outer = Scope.open("outer", c -> c.withTimeout(Duration.ofSeconds(2)))) {
      Task<Duration> nestedBudget =
          outer.fork(
              "t",
              () -> {
                try (var inner = Scope.open("inner", c -> c.withTimeout(Duration.ofHours(1)))) {
                  Task<Duration> b = inner.fork("leaf", () -> Scope.remainingTime().orElseThrow());
                  inner.join();
                  return b.get();
                }
              });
      outer.join();
      assertThat(nestedBudget.get()).isLessThanOrEqualTo(Duration.ofSeconds(2));
    }
  }

  /** The parent's deadline cancels the tasks of nested scopes too. */
  @Test
  void join_parentDeadlinePasses_nestedScopeTasksCancelled() throws Exception {
    CountDownLatch leafCancelled = new CountDownLatch(1);
    try (var outer = Scope.open("outer", c -> c.withTimeout(Duration.ofMillis(200)))) {
      outer.fork(
          "t",
          () -> {
            try (var inner = Scope.open("inner")) {
              inner.fork(
                  "leaf",
                  () -> {
                    try {
                      return blockForever();
                    } catch (InterruptedException e) {
                      leafCancelled.countDown();
                      throw e;
                    }
                  });
              inner.join();
              return null;
            }
          });
      assertThatThrownBy(outer::join)
          .isInstanceOf(DeadlineExceededException.class)
          .hasMessageContaining("'t'");
    }
    assertThat(leafCancelled.getCount()).isZero();
  }

  /** A per-task timeout fails that task with a TimeoutException naming it. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  void fork_taskTimeout_failsTaskWithTimeout(Kind kind) throws Exception {
    try (var scope = Scope.open("timeouts", Policy.collectAll(), kind.config())) {
      Task<String> slow =
          scope.fork("slow", DeadlineTest::blockForever, o -> o.withTimeout(Duration.ofMillis(50)));
      Task<String> fine =
          scope.fork("fine", () -> "ok", o -> o.withTimeout(Duration.ofSeconds(20)));
      assertThatThrownBy(scope::join)
          .isInstanceOf(TaskFailedException.class)
          .hasMessage(
              "task 'slow' failed in scope 'timeouts': java.util.concurrent.TimeoutException: "
                  + "task 'slow' timed out after 50 ms");
      assertThat(slow.exception()).isInstanceOf(TimeoutException.class);
      assertThat(fine.get()).isEqualTo("ok");
    }
  }

  /** A per-task timeout with a fallback succeeds with the fallback. */
  @Test
  void fork_taskTimeoutWithFallback_succeedsWithFallback() throws Exception {
    try (var scope = Scope.open("timeouts")) {
      Task<List<String>> recs =
          scope.fork(
              "recs",
              DeadlineTest::blockForever,
              o -> o.withTimeout(Duration.ofMillis(50)).withFallbackValue(List.of("bestsellers")));
      scope.join();
      assertThat(recs.get()).containsExactly("bestsellers");
      assertThat(recs.recoveredFrom()).get().isInstanceOf(TimeoutException.class);
    }
  }

  /** Bad durations are rejected naming the value and the fix. */
  @Test
  void config_nonPositiveDurations_throwIllegalArgument() {
    assertThatThrownBy(() -> ScopeConfig.defaults().withTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scope timeout must be positive, was PT0S: omit withTimeout for no deadline");
    assertThatThrownBy(() -> TaskOptions.defaults().withTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "task timeout must be positive, was PT-0.001S: omit withTimeout for no timeout");
    assertThatThrownBy(() -> ScopeConfig.defaults().withCancelGracePeriod(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cancel grace period must be positive, was PT0S: omit withCancelGracePeriod for the "
                + "default of 5 seconds");
  }

  /** Far-future deadlines do not overflow: the scope simply never times out. */
  @Test
  void open_farFutureDeadline_behavesAsNoTimeout() throws Exception {
    try (var scope = Scope.open("forever", c -> c.withDeadline(Instant.MAX))) {
      Task<Integer> t = scope.fork("t", () -> 1, o -> o.withTimeout(Duration.ofDays(365_000_000)));
      scope.join();
      assertThat(t.get()).isEqualTo(1);
      assertThat(Scope.remainingTime()).get().matches(d -> d.toDays() > 365 * 50);
    }
  }
}
