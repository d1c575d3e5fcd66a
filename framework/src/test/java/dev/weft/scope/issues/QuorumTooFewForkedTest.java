package dev.weft.scope.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.weft.scope.Factories.Kind;
import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import java.io.IOException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: a quorum that could not be reached because too few tasks were forked dropped the
 * failures.
 *
 * <p>With {@code quorum(3)} and only two tasks forked, {@code join()} threw {@code
 * IllegalStateException} ("quorum of 3 cannot be reached ... only 2 tasks were forked") and nothing
 * else: a task that had failed meanwhile was neither the cause nor a suppressed exception, so its
 * failure never reached the caller, against the guarantee that every failure is delivered.
 */
class QuorumTooFewForkedTest {

  /**
   * quorum(3), two tasks, one failed: join says the quorum cannot be reached and carries the
   * failure.
   */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void join_quorumOfThreeTwoForkedOneFailed_throwsIllegalStateCarryingFailure(Kind kind)
      throws Exception {
    IOException down = new IOException("r1 down");
    try (var scope = Scope.open("replicas", Policy.<Integer>quorum(3), kind.config())) {
      Task<Integer> r1 =
          scope.fork(
              "r1",
              () -> {
                throw down;
              });
      scope.fork("r2", () -> 2);
      await()
          .until(() -> r1.state() == Task.State.FAILED); // failed before join: not a cancelled task
      Throwable thrown = catchThrowable(scope::join);
      assertThat(thrown)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("quorum of 3 cannot be reached");
      assertThat(Causes.carries(thrown, down))
          .as("r1's failure reaches the caller, in:%s", Causes.describe(thrown))
          .isTrue();
    }
  }
}
