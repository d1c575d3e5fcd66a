package dev.weft.samples.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.MDC;

/** The router on a Jetty server of its own: threads, request ids, and routes that throw. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RouterTest {
  private static Server server;
  private static TestHttp http;

  @BeforeAll
  static void start() throws Exception {
    Router router =
        new Router()
            .get(
                "/thread",
                (request, id) -> {
                  Thread t = Thread.currentThread();
                  return Reply.json(
                      200,
                      Map.of(
                          "virtual", t.isVirtual(),
                          "id", t.threadId(),
                          "mdc", String.valueOf(MDC.get(RequestIds.MDC_KEY))));
                })
            .get(
                "/boom",
                (request, id) -> {
                  throw new IllegalStateException("boom in a route");
                })
            .get("/items/*", (request, id) -> Reply.json(200, Map.of("path", "items")));
    server = VirtualThreadServer.create("router-test", "127.0.0.1", 0, 8, Duration.ZERO, router);
    server.start();
    http =
        new TestHttp(java.net.URI.create("http://127.0.0.1:" + VirtualThreadServer.port(server)));
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    server.stop();
  }

  @Test
  void route_runsInANewVirtualThreadPerRequest() throws Exception {
    TestHttp.Answer first = http.get("/thread");
    TestHttp.Answer second = http.get("/thread");

    assertThat(first.json()).containsEntry("virtual", true);
    assertThat(second.json()).containsEntry("virtual", true);
    assertThat(first.json().get("id")).isNotEqualTo(second.json().get("id"));
  }

  @Test
  void route_seesItsRequestIdInTheMdc() throws Exception {
    TestHttp.Answer a = http.get("/thread", "X-Request-Id", "router-mdc-1");

    assertThat(a.json()).containsEntry("mdc", "router-mdc-1");
    assertThat(a.header("X-Request-Id")).isEqualTo("router-mdc-1");
  }

  @Test
  void routeThrows_500WithJsonBodyAndOneErrorLine() throws Exception {
    try (LogCapture log = new LogCapture(Router.class.getName(), Level.INFO)) {
      TestHttp.Answer a = http.get("/boom", "X-Request-Id", "boom-1");

      assertThat(a.status()).isEqualTo(500);
      assertThat(a.header("X-Request-Id")).isEqualTo("boom-1");
      assertThat(a.header("Content-Type")).startsWith("application/json");
      assertThat(a.json())
          .containsEntry("error", "internal error")
          .containsEntry("requestId", "boom-1")
          .containsEntry("exception", "java.lang.IllegalStateException");
      assertThat(log.events()).hasSize(1);
      ILoggingEvent line = log.events().get(0);
      assertThat(line.getLevel()).isEqualTo(Level.ERROR);
      assertThat(line.getFormattedMessage())
          .isEqualTo("GET /boom failed: java.lang.IllegalStateException: boom in a route");
      assertThat(line.getThrowableProxy().getClassName())
          .isEqualTo("java.lang.IllegalStateException");
      assertThat(line.getMDCPropertyMap()).containsEntry("requestId", "boom-1");
    }
  }

  @Test
  void prefixRoute_matchesLongerPathsOnly() throws Exception {
    assertThat(http.get("/items/7").status()).isEqualTo(200);
    assertThat(http.get("/items/").status()).isEqualTo(404);
    assertThat(http.get("/items").status()).isEqualTo(404);
  }
}
