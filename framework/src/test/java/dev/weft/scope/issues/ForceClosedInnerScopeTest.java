package dev.weft.scope.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.weft.scope.Factories.Kind;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.scope.TaskFailedException;
import java.io.IOException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: closing a nested scope on someone's behalf lost its failures.
 *
 * <p>Weft closes a scope that was left open: the scopes a task body left open when it returned, and
 * the scopes nested in a scope the owner closes. It closed them with its internal close, which
 * cancels and waits but, unlike {@code close()} without {@code join()}, did not attach the failures
 * of their tasks to anything. So a task that failed in such an inner scope was never reported: the
 * outer {@code join()} only said that a scope had been left open, and the {@code
 * IllegalStateException} from closing the outer scope only said that a nested scope had been closed
 * first.
 */
class ForceClosedInnerScopeTest {

  /**
   * A task body leaves its inner scope open: the outer join's exception carries the inner failure.
   */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void join_taskLeftInnerScopeWithFailureOpen_outerExceptionCarriesIt(Kind kind) throws Exception {
    IOException innerBoom = new IOException("inner failed");
    try (var outer = Scope.open("outer", kind.config())) {
      outer.fork(
          "leaky",
          () -> {
            Scope<Void> inner = Scope.open("inner", kind.config()); // never closed by the body
            Task<Object> bad =
                inner.fork(
                    "bad",
                    () -> {
                      throw innerBoom;
                    });
            await().until(() -> bad.state() == Task.State.FAILED);
            return "returned with inner open";
          });
      Throwable thrown = catchThrowable(outer::join);
      assertThat(thrown).isInstanceOf(TaskFailedException.class);
      assertThat(Causes.carries(thrown, innerBoom))
          .as("the inner task's failure reaches the caller, in:%s", Causes.describe(thrown))
          .isTrue();
    }
  }

  /**
   * The owner closes the outer scope while an inner one is open: the close exception carries the
   * inner failure.
   */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void close_outerClosedWithInnerFailureOpen_closeExceptionCarriesIt(Kind kind) throws Exception {
    IOException innerBoom = new IOException("inner failed");
    Scope<Void> outer = Scope.open("outer", kind.config());
    Scope<Void> inner = Scope.open("inner", kind.config()); // not in try-with-resources
    Task<Object> bad =
        inner.fork(
            "bad",
            () -> {
              throw innerBoom;
            });
    await().until(() -> bad.state() == Task.State.FAILED);
    Throwable thrown = catchThrowable(outer::close);
    assertThat(thrown).isInstanceOf(IllegalStateException.class);
    assertThat(Causes.carries(thrown, innerBoom))
        .as("the inner task's failure reaches the caller, in:%s", Causes.describe(thrown))
        .isTrue();
  }
}
