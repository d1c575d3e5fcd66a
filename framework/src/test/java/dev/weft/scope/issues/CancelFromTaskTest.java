package dev.weft.scope.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.scope.Factories.Kind;
import dev.weft.scope.Scope;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: a task that called {@code scope.cancel()} interrupted itself.
 *
 * <p>{@code cancel()} walked every unfinished task and interrupted its thread, including the thread
 * that called it. A task body that cancels its own scope (it found the answer, say) came back from
 * {@code cancel()} with its interrupt flag set, so the next blocking call of its own cleanup threw
 * {@code InterruptedException}. Cancel must interrupt the other running tasks, not the caller.
 */
class CancelFromTaskTest {

  /** cancel() in a task body: the caller is not interrupted, the other running task is. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void cancel_calledInTaskBody_interruptsOthersNotCaller(Kind kind) throws Exception {
    CountDownLatch otherRunning = new CountDownLatch(1);
    CountDownLatch otherInterrupted = new CountDownLatch(1);
    AtomicReference<Boolean> callerInterrupted = new AtomicReference<>();
    try (var scope = Scope.open("self", kind.config())) {
      scope.fork(
          "other",
          () -> {
            otherRunning.countDown();
            try {
              new CountDownLatch(1).await();
              return null;
            } catch (InterruptedException e) {
              otherInterrupted.countDown();
              throw e;
            }
          });
      scope.fork(
          "canceller",
          () -> {
            otherRunning.await();
            scope.cancel();
            callerInterrupted.set(Thread.currentThread().isInterrupted());
            return null;
          });
      assertThat(catchThrowable(scope::join)).isInstanceOf(CancellationException.class);
    }
    assertThat(callerInterrupted.get())
        .as("the cancelling task's interrupt flag after cancel()")
        .isFalse();
    assertThat(otherInterrupted.await(10, TimeUnit.SECONDS))
        .as("the other task was interrupted")
        .isTrue();
  }

  /**
   * A task that cancels its scope before the owner has published it (the owner starts a task's
   * thread before it adds the task to the list, so a quick task can cancel the scope first): the
   * owner then cancels the task itself, and must not interrupt it either. Found as a flaky failure
   * of the test above.
   */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void cancel_calledAtOnceByUnpublishedTask_callerNeverInterrupted(Kind kind) throws Exception {
    for (int round = 0; round < 500; round++) {
      AtomicReference<Boolean> callerInterrupted = new AtomicReference<>();
      CountDownLatch forked = new CountDownLatch(1);
      try (var scope = Scope.open("quick", kind.config())) {
        scope.fork(
            "canceller",
            () -> {
              scope.cancel();
              forked.await(); // the owner's fork has returned: any interrupt it sent has arrived
              callerInterrupted.set(Thread.currentThread().isInterrupted());
              return null;
            });
        forked.countDown();
        assertThat(catchThrowable(scope::join)).isInstanceOf(CancellationException.class);
      }
      assertThat(callerInterrupted.get())
          .as("round %d: interrupt flag after cancel()", round)
          .isFalse();
    }
  }
}
