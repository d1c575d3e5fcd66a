package dev.weft.scope.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.scope.Factories.Kind;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: cancelling a scope could make a dependent succeed with its fallback.
 *
 * <p>A fallback does not apply to cancellation. But {@code cancel()} cancelled the tasks one by
 * one, and when it cancelled a dependency first, that dependency skipped its pending dependents
 * before the walk reached them: a dependent with a fallback was skipped, so its fallback ran and it
 * ended {@code SUCCEEDED} with the fallback value, in a scope that had been cancelled; one without
 * a fallback ended {@code SKIPPED}. The rule: a dependent of a cancelled task is {@code CANCELLED},
 * and its fallback is never called.
 */
class CancelledFallbackTest {

  /**
   * cancel() while a dependency blocks: its dependents are CANCELLED and the fallback never runs.
   */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void cancel_dependencyBlocks_dependentWithFallbackCancelledAndFallbackNotCalled(Kind kind)
      throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    AtomicBoolean fallbackCalled = new AtomicBoolean();
    Task<String> withFallback;
    Task<String> plain;
    try (var scope = Scope.open("fallback", kind.config())) {
      Task<String> dependency =
          scope.fork(
              "dependency",
              () -> {
                running.countDown();
                new CountDownLatch(1).await();
                return "never";
              });
      withFallback =
          scope.fork(
              "withFallback",
              dependency,
              v -> v,
              o ->
                  o.withFallback(
                      failure -> {
                        fallbackCalled.set(true);
                        return "fallback";
                      }));
      plain = scope.fork("plain", dependency, v -> v);
      running.await();
      scope.cancel();
      assertThat(catchThrowable(scope::join)).isInstanceOf(CancellationException.class);
      assertThat(withFallback.state()).isEqualTo(Task.State.CANCELLED);
      assertThat(withFallback.exception()).isInstanceOf(CancellationException.class);
      assertThat(plain.state()).isEqualTo(Task.State.CANCELLED);
    }
    assertThat(fallbackCalled).as("fallback called").isFalse();
  }
}
