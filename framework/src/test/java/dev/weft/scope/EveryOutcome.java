package dev.weft.scope;

import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

/**
 * A collect-all scope with one task per way a task can end, for the observers' tests (the SPI,
 * meters, traces): {@code ok} and {@code dep} (depends on ok) succeed, {@code bad} fails with an
 * {@link IOException}, {@code skipped} depends on bad, {@code slow} times out after 20 ms, and
 * {@code saved} fails and is recovered by its fallback (7). The failures' messages contain {@code
 * secret}, so a test can check that they are never recorded.
 */
public final class EveryOutcome {
  private EveryOutcome() {}

  /**
   * Opens scope {@code name} with {@code config}, forks the six tasks, joins; returns what threw.
   */
  public static Throwable run(String name, UnaryOperator<ScopeConfig> config) {
    CountDownLatch never = new CountDownLatch(1);
    return catchThrowable(
        () -> {
          try (var scope = Scope.open(name, Policy.collectAll(), config)) {
            Task<Integer> ok = scope.fork("ok", () -> 1);
            scope.fork("dep", ok, v -> v + 1);
            Task<Integer> bad =
                scope.fork(
                    "bad",
                    () -> {
                      throw new IOException("secret-card-number");
                    });
            scope.fork("skipped", bad, v -> v);
            scope.fork(
                "slow",
                () -> {
                  never.await(); // ends on the interrupt of its timeout
                  return 0;
                },
                o -> o.withTimeout(Duration.ofMillis(20)));
            scope.fork(
                "saved",
                () -> {
                  throw new IOException("secret-too");
                },
                o -> o.withFallbackValue(7));
            scope.join();
          }
        });
  }
}
