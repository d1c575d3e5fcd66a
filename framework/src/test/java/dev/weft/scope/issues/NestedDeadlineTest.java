package dev.weft.scope.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.scope.DeadlineExceededException;
import dev.weft.scope.Factories.Kind;
import dev.weft.scope.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: at an outer deadline, a nested scope's {@code join()} could throw {@code
 * InterruptedException} instead of {@code DeadlineExceededException}.
 *
 * <p>A nested scope inherits its parent's deadline. When the deadline passed, the outer scope first
 * cancelled its own tasks (interrupting the thread of the task that owned the nested scope, which
 * waited in the nested {@code join()}) and only then stopped its nested scopes. The nested owner,
 * woken by the interrupt, could get there first and take it for an interrupt of its own: its {@code
 * join()} threw {@code InterruptedException}, and task code that handles a missed deadline never
 * saw one. Racy, so it runs many rounds.
 */
class NestedDeadlineTest {

  private static final int ROUNDS = 50;

  /**
   * The outer deadline passes while a nested join waits: the nested join throws
   * DeadlineExceededException.
   */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void join_outerDeadlinePassesDuringNestedJoin_nestedThrowsDeadlineExceeded(Kind kind)
      throws Exception {
    List<String> wrong = new ArrayList<>();
    int reached = 0; // rounds in which the nested join ran
    for (int round = 0; round < ROUNDS; round++) {
      AtomicReference<Throwable> nestedJoin = new AtomicReference<>();
      Throwable outerJoin;
      try (var outer = Scope.open("outer", kind.and(c -> c.withTimeout(Duration.ofMillis(100))))) {
        outer.fork(
            "nesting",
            () -> {
              try (var nested = Scope.open("nested", kind.config())) {
                nested.fork(
                    "blocked",
                    () -> {
                      new CountDownLatch(1).await();
                      return null;
                    });
                try {
                  nested.join();
                } catch (Throwable e) {
                  nestedJoin.set(e);
                  throw e;
                }
                return null;
              }
            });
        outerJoin = catchThrowable(outer::join);
      }
      Throwable n = nestedJoin.get();
      if (n != null) {
        reached++;
      }
      // null: on a loaded machine the deadline can pass before the task's body ran at all
      if (n != null && !(n instanceof DeadlineExceededException)) {
        wrong.add("round " + round + ": nested join threw " + n);
      }
      if (!(outerJoin instanceof DeadlineExceededException)) {
        wrong.add("round " + round + ": outer join threw " + outerJoin);
      }
    }
    assertThat(wrong)
        .as("rounds in which a join did not throw DeadlineExceededException")
        .isEmpty();
    assertThat(reached).as("rounds in which the nested join ran").isGreaterThan(ROUNDS / 2);
  }
}
