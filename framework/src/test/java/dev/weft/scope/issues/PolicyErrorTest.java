package dev.weft.scope.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.scope.Factories.Kind;
import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: a policy callback that threw an {@link Error} hung {@code join()} or was lost.
 *
 * <p>The scope caught only {@code RuntimeException} from policy callbacks. An {@code Error} from
 * {@code onComplete} escaped from the middle of ending a task: when the task was being cancelled,
 * the cancel never marked it settled nor interrupted it, so {@code join()} waited for it forever;
 * when the task had succeeded, the error only killed the task's thread, and {@code join()} returned
 * normally as if the policy had been happy. An {@code Error} from {@code onFork} escaped from
 * {@code fork}, and one from {@code onJoin} left {@code join()} before the tasks were final.
 */
class PolicyErrorTest {

  /** The error a broken policy throws. */
  static final class PolicyBug extends Error {
    PolicyBug(String message) {
      super(message);
    }
  }

  /** A policy whose callbacks throw {@link PolicyBug} where asked to. */
  static final class Broken implements Policy<Void> {
    private final boolean onFork;
    private final boolean onComplete;
    private final boolean onJoin;

    Broken(boolean onFork, boolean onComplete, boolean onJoin) {
      this.onFork = onFork;
      this.onComplete = onComplete;
      this.onJoin = onJoin;
    }

    @Override
    public void onFork(Task<?> task) {
      if (onFork) {
        throw new PolicyBug("policy bug in onFork");
      }
    }

    @Override
    public boolean onComplete(Task<?> task) {
      if (onComplete) {
        throw new PolicyBug("policy bug in onComplete");
      }
      return false;
    }

    @Override
    public boolean onJoin() {
      if (onJoin) {
        throw new PolicyBug("policy bug in onJoin");
      }
      return false;
    }

    @Override
    public Void result(Scope<Void> scope) {
      return null;
    }
  }

  /** onComplete throws an Error for a task being cancelled: join throws it instead of hanging. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void join_onCompleteThrowsErrorForCancelledTask_throwsIt(Kind kind) throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    try (var scope = Scope.open("broken", new Broken(false, true, false), kind.config())) {
      Task<Object> blocked =
          scope.fork(
              "blocked",
              () -> {
                running.countDown();
                new CountDownLatch(1).await();
                return null;
              });
      running.await();
      // Cancelled from another thread: whatever cancel() does with the error, join must report it.
      Thread canceller = Thread.ofPlatform().start(scope::cancel);
      canceller.join();
      Throwable thrown = catchThrowable(scope::join);
      assertCarriesPolicyBug(thrown);
      assertThat(blocked.state()).isEqualTo(Task.State.CANCELLED);
    }
  }

  /**
   * onComplete throws an Error for tasks that succeed: join does not return as if all went well.
   */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void join_onCompleteThrowsErrorForSucceededTasks_throwsIt(Kind kind) throws Exception {
    try (var scope = Scope.open("broken", new Broken(false, true, false), kind.config())) {
      scope.fork("a", () -> 1);
      scope.fork("b", () -> 2);
      Throwable thrown = catchThrowable(scope::join);
      assertCarriesPolicyBug(thrown);
    }
  }

  /** onFork throws an Error: join throws it, every task is final, and close() returns. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void join_onForkThrowsError_throwsItAndCloseReturns(Kind kind) throws Exception {
    Task<Object> task;
    try (var scope = Scope.open("broken", new Broken(true, false, false), kind.config())) {
      task =
          scope.fork(
              "blocked",
              () -> {
                new CountDownLatch(1).await();
                return null;
              });
      Throwable thrown = catchThrowable(scope::join);
      assertCarriesPolicyBug(thrown);
      assertThat(task.state().isFinal()).as("state %s final after join()", task.state()).isTrue();
    }
    assertThat(task.state().isFinal()).isTrue();
  }

  /** onJoin throws an Error: join throws it once every task is final, and close() returns. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void join_onJoinThrowsError_throwsItAndCloseReturns(Kind kind) throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    Task<Object> task;
    try (var scope = Scope.open("broken", new Broken(false, false, true), kind.config())) {
      task =
          scope.fork(
              "blocked",
              () -> {
                running.countDown();
                new CountDownLatch(1).await();
                return null;
              });
      running.await();
      Throwable thrown = catchThrowable(scope::join);
      assertCarriesPolicyBug(thrown);
      // join()'s contract: when it returns or throws, every task is in a final state
      assertThat(task.state().isFinal()).as("state %s final after join()", task.state()).isTrue();
    }
    assertThat(task.state().isFinal()).isTrue();
  }

  private static void assertCarriesPolicyBug(Throwable thrown) {
    assertThat(thrown).as("what join() throws").isNotNull();
    assertThat(Causes.reachable(thrown))
        .as("join() threw%s", Causes.describe(thrown))
        .anySatisfy(t -> assertThat(t).isInstanceOf(PolicyBug.class));
  }
}
