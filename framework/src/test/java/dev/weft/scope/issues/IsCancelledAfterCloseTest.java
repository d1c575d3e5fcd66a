package dev.weft.scope.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.scope.Factories.Kind;
import dev.weft.scope.Scope;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: every closed scope reported {@code isCancelled()}.
 *
 * <p>{@code close()} stops the scope to cancel what has not ended, and it did so through the same
 * one-shot stop as {@code cancel()}, even when nothing was left to cancel. So after a clean {@code
 * join()} and {@code close()}, {@code isCancelled()} returned {@code true}, although nothing had
 * cancelled the scope. It must be {@code true} only if the scope was cancelled.
 */
class IsCancelledAfterCloseTest {

  /** After a clean join and close isCancelled() is false; after cancel() it is true. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void isCancelled_afterClose_trueOnlyIfCancelled(Kind kind) throws Exception {
    Scope<Void> clean;
    try (var scope = Scope.open("clean", kind.config())) {
      clean = scope;
      scope.fork("a", () -> 1);
      scope.join();
    }
    assertThat(clean.isCancelled()).as("isCancelled() after a clean join and close").isFalse();

    CountDownLatch running = new CountDownLatch(1);
    Scope<Void> cancelled;
    try (var scope = Scope.open("cancelled", kind.config())) {
      cancelled = scope;
      scope.fork(
          "t",
          () -> {
            running.countDown();
            new CountDownLatch(1).await();
            return null;
          });
      running.await();
      scope.cancel();
      assertThat(catchThrowable(scope::join)).isInstanceOf(CancellationException.class);
    }
    assertThat(cancelled.isCancelled()).as("isCancelled() after cancel() and close").isTrue();
  }
}
