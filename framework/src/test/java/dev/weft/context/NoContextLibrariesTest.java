package dev.weft.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * Without io.micrometer:context-propagation and without an SLF4J provider on the class path,
 * nothing fails: forks, nested scopes, fallbacks and users' own propagators work. Runs only in the
 * surefire execution {@code without-context-libraries} (framework/pom.xml), which leaves both off
 * the class path.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
@EnabledIfSystemProperty(named = "weft.test.noContextLibraries", matches = "true")
class NoContextLibrariesTest {
  private static final ThreadLocal<String> TENANT = new ThreadLocal<>();

  /** The libraries are really absent here (else this test proves nothing). */
  @Test
  void classPath_hasNeitherContextPropagationNorSlf4jProvider() {
    assertThatThrownBy(() -> Class.forName("io.micrometer.context.ContextRegistry"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> Class.forName("ch.qos.logback.classic.LoggerContext"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(NOPLoggerFactory.class);
    assertThat(WeftContext.sources()).containsExactly("slf4j-mdc");
  }

  /** Tasks, dependents, nested scopes and fallbacks run; the no-operation MDC carries nothing. */
  @Test
  void scopes_withoutLibraries_runAsUsual() throws Exception {
    MDC.put("requestId", "r-1"); // a no-operation: SLF4J's NOP MDC keeps nothing
    CountDownLatch never = new CountDownLatch(1);
    try (var scope = Scope.open("plain")) {
      Task<Integer> a = scope.fork("a", () -> 1);
      Task<Integer> b = scope.fork("b", a, x -> x + 1);
      Task<Integer> nested =
          scope.fork(
              "nested",
              () -> {
                try (var inner = Scope.open("inner")) {
                  Task<Integer> g = inner.fork("g", () -> 40);
                  inner.join();
                  return g.get();
                }
              });
      Task<Integer> slow =
          scope.fork(
              "slow",
              () -> {
                never.await();
                return 0;
              },
              o -> o.withTimeout(Duration.ofMillis(20)).withFallbackValue(-1));
      Task<String> mdc = scope.fork("mdc", () -> String.valueOf(MDC.get("requestId")));
      scope.join();
      assertThat(b.get() + nested.get() + slow.get()).isEqualTo(41);
      assertThat(mdc.get()).isEqualTo("null");
    } finally {
      MDC.clear();
    }
  }

  /** A user's own propagator works without either library. */
  @Test
  void ownPropagator_withoutLibraries_propagates() throws Exception {
    TENANT.set("acme");
    try (var registration =
            WeftContext.register(ContextPropagator.ofThreadLocal("tenant", TENANT));
        var scope = Scope.open("own")) {
      Task<String> t = scope.fork("t", TENANT::get);
      scope.join();
      assertThat(t.get()).isEqualTo("acme");
      assertThat(WeftContext.sources()).containsExactly("slf4j-mdc", "tenant");
    } finally {
      TENANT.remove();
    }
  }
}
