package dev.weft.scope.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.scope.Factories.Kind;
import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.scope.TaskFailedException;
import dev.weft.scope.TaskSkippedException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: a task exception whose {@code getMessage()} throws broke the failure report.
 *
 * <p>Weft built the text of {@code TaskFailedException} and {@code TaskSkippedException} by
 * concatenating the task's exception, which calls its {@code toString()} and so its {@code
 * getMessage()}. An exception whose {@code getMessage()} throws (a lazily formatted message that
 * fails, a proxy, a buggy library type) made those constructors throw instead: {@code join()} threw
 * the formatting error, losing the task's failure and its name; when the failed task had a
 * dependent, the error escaped while the dependent was being skipped, the policy never saw the
 * failure, the dependent never ended, and {@code join()} waited forever. A report must never depend
 * on the failure being printable.
 */
class ThrowingGetMessageTest {

  /** An exception whose message, and so whose toString(), cannot be computed. */
  static final class UnprintableException extends Exception {
    @Override
    public String getMessage() {
      throw new IllegalStateException("getMessage() of UnprintableException throws");
    }
  }

  /**
   * The task's exception is the cause, and the message names the task and the exception's class.
   */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void join_failureMessageThrows_taskFailedNamesTaskAndClass(Kind kind) throws Exception {
    UnprintableException boom = new UnprintableException();
    try (var scope = Scope.open("unprintable", kind.config())) {
      scope.fork(
          "boom",
          () -> {
            throw boom;
          });
      TaskFailedException e = taskFailed(catchThrowable(scope::join));
      assertThat(e.getCause() == boom).as("cause is the task's own exception").isTrue();
      assertReadable(e.getMessage(), "'boom'", UnprintableException.class.getSimpleName());
    }
  }

  /**
   * A dependent skipped by such a failure gets a readable TaskSkippedException, and join does not
   * hang.
   */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void join_failureMessageThrowsWithDependent_dependentSkippedWithReadableMessage(Kind kind)
      throws Exception {
    UnprintableException boom = new UnprintableException();
    CountDownLatch dependentForked = new CountDownLatch(1);
    try (var scope = Scope.open("unprintable", kind.config())) {
      Task<Object> failing =
          scope.fork(
              "boom",
              () -> {
                dependentForked.await(); // fail once the dependent waits for us
                throw boom;
              });
      Task<Object> render = scope.fork("render", failing, v -> v);
      dependentForked.countDown();
      TaskFailedException e = taskFailed(catchThrowable(scope::join));
      assertThat(e.getCause() == boom).as("cause is the task's own exception").isTrue();
      assertReadable(e.getMessage(), "'boom'", UnprintableException.class.getSimpleName());
      assertThat(render.state()).isEqualTo(Task.State.SKIPPED);
      Throwable skipped = render.exception();
      assertThat(skipped).isInstanceOf(TaskSkippedException.class);
      assertReadable(skipped.getMessage(), "'render'", "'boom'");
      assertThat(skipped.getCause() == boom)
          .as("skip's cause is the dependency's exception")
          .isTrue();
    }
  }

  /** collect-all with two such failures: both are delivered, each report readable and named. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void join_collectAllTwoFailureMessagesThrow_bothReportedReadably(Kind kind) throws Exception {
    UnprintableException x = new UnprintableException();
    UnprintableException y = new UnprintableException();
    try (var scope = Scope.open("unprintable", Policy.collectAll(), kind.config())) {
      scope.fork(
          "x",
          () -> {
            throw x;
          });
      scope.fork(
          "y",
          () -> {
            throw y;
          });
      TaskFailedException e = taskFailed(catchThrowable(scope::join));
      assertThat(e.failedTasks()).extracting(Task::name).containsExactlyInAnyOrder("x", "y");
      assertThat(e.getCause() == x || e.getCause() == y)
          .as("cause is one task's own exception")
          .isTrue();
      assertReadable(e.getMessage(), "'x'", "'y'", UnprintableException.class.getSimpleName());
      assertThat(Causes.carries(e, x) && Causes.carries(e, y))
          .as("both failures delivered")
          .isTrue();
      assertThat(e.getSuppressed()).hasSize(1);
      String other = e.taskName().equals("x") ? "'y'" : "'x'";
      assertReadable(
          e.getSuppressed()[0].getMessage(), other, UnprintableException.class.getSimpleName());
    }
  }

  private static TaskFailedException taskFailed(Throwable thrown) {
    assertThat(thrown).as("what join() throws").isInstanceOf(TaskFailedException.class);
    return (TaskFailedException) thrown;
  }

  private static void assertReadable(String message, String... contains) {
    assertThat(message).as("message").isNotNull().contains(contains);
  }
}
