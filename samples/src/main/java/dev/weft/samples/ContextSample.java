package dev.weft.samples;

import dev.weft.context.ContextPropagator;
import dev.weft.context.WeftContext;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Context propagation (docs/observability.md, "Context in tasks"): a task sees the MDC its forking
 * thread had at fork, in its body, in a nested scope and in its fallback; a ThreadLocal of your own
 * is carried by a registered propagator.
 *
 * <p>How to run: {@code ./mvnw -q -pl samples -am compile exec:java
 * -Dsample.main=dev.weft.samples.ContextSample} (the log lines go to standard output, with the
 * pattern {@code [%thread] requestId=%X{requestId}} of samples/src/main/resources/logback.xml).
 */
public final class ContextSample {
  private static final Logger log = LoggerFactory.getLogger("dev.weft.samples.context");

  private ContextSample() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.println("mdc:        " + mdc());
    System.out.println("propagator: " + ownPropagator());
  }

  static String mdc() throws InterruptedException {
    // @start region="mdc"
    MDC.put("requestId", "req-7");                     // say, by a servlet filter
    try (var scope = Scope.open("checkout")) {
      Task<String> user = scope.fork("user", () -> {
        log.info("loading the user");                  // requestId=req-7, in thread checkout/user
        try (var inner = Scope.open("details")) {      // nested: its tasks get it too
          inner.fork("avatar", () -> { log.info("loading the avatar"); return "ok"; });
          inner.join();
        }
        return MDC.get("requestId");
      });
      Task<String> stock = scope.fork("stock", () -> {
        Thread.sleep(5_000);                           // too slow: timed out after 50 ms
        return "in stock";
      }, o -> o.withTimeout(Duration.ofMillis(50)).withFallback(e -> {
        log.info("stock timed out, assuming in stock");   // the fallback has it too
        return "assumed";
      }));
      scope.join();
      return user.get() + ", " + stock.get();          // "req-7, assumed"
    } finally {
      MDC.remove("requestId");
    }
    // @end region="mdc"
  }

  // @start region="own-propagator"
  static final ThreadLocal<String> TENANT = new ThreadLocal<>();

  static String ownPropagator() throws InterruptedException {
    // Once, at startup; close the registration to stop propagating.
    try (var registration = WeftContext.register(ContextPropagator.ofThreadLocal("tenant", TENANT))) {
      TENANT.set("acme");
      try (var scope = Scope.open("report")) {
        Task<String> rows = scope.fork("rows", TENANT::get);   // "acme", in thread report/rows
        scope.join();
        return rows.get();
      } finally {
        TENANT.remove();
      }
    }
  }
  // @end region="own-propagator"
}
