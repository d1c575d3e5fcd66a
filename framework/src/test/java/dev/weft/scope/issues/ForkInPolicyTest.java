package dev.weft.scope.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 9: a policy callback that ran in the owner thread could fork tasks.
 *
 * <p>{@code fork} checked only that the caller was the owner and that the scope was open. A
 * policy's {@code onFork}, and an {@code onComplete} that runs in the owner (for a dependent
 * skipped at its fork), run in the owner in the middle of a fork, so a policy could call {@code
 * scope.fork(...)} from there: the task was added in the middle of another fork, out of the block's
 * fork order (from {@code onFork}, even before the task being forked). Forking from a policy
 * callback must be rejected with an {@code IllegalStateException} that names the policy.
 */
class ForkInPolicyTest {

  /** A policy that tries, once, to fork a task from onFork or from an onComplete in the owner. */
  static final class Forking implements Policy<Void> {
    private final boolean fromOnFork;
    private final Thread owner = Thread.currentThread();
    private final AtomicBoolean tried = new AtomicBoolean();
    // forkOutcome: what the fork from the callback did: the exception it threw, or the task it
    // returned
    final AtomicReference<Object> forkOutcome = new AtomicReference<>();
    volatile Scope<Void> scope;

    Forking(boolean fromOnFork) {
      this.fromOnFork = fromOnFork;
    }

    @Override
    public void onFork(Task<?> task) {
      if (fromOnFork) {
        tryFork();
      }
    }

    @Override
    public boolean onComplete(Task<?> task) {
      if (!fromOnFork && Thread.currentThread() == owner) {
        tryFork();
      }
      return false;
    }

    private void tryFork() {
      if (tried.compareAndSet(false, true)) {
        try {
          forkOutcome.set(scope.fork("sneaky", () -> "sneaky"));
        } catch (Throwable e) {
          forkOutcome.set(e);
        }
      }
    }

    @Override
    public Void result(Scope<Void> scope) {
      return null;
    }
  }

  /**
   * fork from onFork: IllegalStateException naming the policy; tasks() holds only the block's
   * forks.
   */
  @Test
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void fork_calledFromOnFork_throwsIllegalStateAndTasksKeepForkOrder() throws Exception {
    Forking policy = new Forking(true);
    try (var scope = Scope.open("forking", policy)) {
      policy.scope = scope;
      scope.fork("a", () -> "a");
      scope.fork("b", () -> "b");
      scope.join();
      assertThat(policy.forkOutcome.get())
          .as("what fork() in onFork did")
          .isInstanceOf(IllegalStateException.class);
      assertThat(((Throwable) policy.forkOutcome.get()).getMessage()).contains("policy");
      assertThat(scope.tasks()).extracting(Task::name).containsExactly("a", "b");
    }
  }

  /** fork from an onComplete that runs in the owner: IllegalStateException naming the policy. */
  @Test
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void fork_calledFromOnCompleteInOwner_throwsIllegalStateAndTasksKeepForkOrder() throws Exception {
    Forking policy = new Forking(false);
    try (var scope = Scope.open("forking", policy)) {
      policy.scope = scope;
      Task<String> failed =
          scope.fork(
              "failed",
              () -> {
                throw new IOException("down");
              });
      await().until(() -> failed.state() == Task.State.FAILED);
      scope.fork("dependent", failed, v -> v); // skipped at its fork: onComplete runs in the owner
      scope.fork("last", () -> "last");
      scope.join();
      assertThat(policy.forkOutcome.get())
          .as("what fork() in onComplete did")
          .isInstanceOf(IllegalStateException.class);
      assertThat(((Throwable) policy.forkOutcome.get()).getMessage()).contains("policy");
      assertThat(scope.tasks())
          .extracting(Task::name)
          .containsExactly("failed", "dependent", "last");
    }
  }
}
