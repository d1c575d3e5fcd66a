package dev.weft.samples.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The request id in the MDC of the log lines of a dashboard request, by the thread that logs. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestLogMdcTest {
  private static DashboardService service;
  private static TestHttp http;

  @BeforeAll
  static void start() throws Exception {
    service = DashboardService.start(ServiceFixture.options());
    http = new TestHttp(service.uri());
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    service.close();
  }

  @Test
  void dashboardLogLines_carryTheRequestId() throws Exception {
    ServiceFixture.fault(service, "recommendations", 5, 1.0); // so that the handler logs INFO
    List<ILoggingEvent> events;
    try (LogCapture log = new LogCapture("dev.weft.samples.http", Level.DEBUG)) {
      TestHttp.Answer a = http.get("dashboard/u7", "X-Request-Id", "mdc-test-1");
      assertThat(a.status()).isEqualTo(200);
      // The router writes its access line after the response, so it may follow the answer.
      events =
          Awaitility.await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  log::events,
                  es ->
                      byThread(es, "dashboard-vt-").stream()
                          .anyMatch(
                              e -> e.getFormattedMessage().startsWith("GET /dashboard/u7 -> ")));
    } finally {
      ServiceFixture.resetFaults(service);
    }

    // The request's thread (Jetty's virtual thread): the handler's and the router's lines.
    List<ILoggingEvent> handlerLines = byThread(events, "dashboard-vt-");
    assertThat(handlerLines)
        .extracting(ILoggingEvent::getFormattedMessage)
        .contains(
            "dashboard of u7 degraded: {recommendations=java.io.IOException: recommendations"
                + " backend answered 503}")
        .anyMatch(m -> m.startsWith("GET /dashboard/u7 -> 200 in "));
    assertThat(handlerLines)
        .allSatisfy(
            e -> assertThat(e.getMDCPropertyMap()).containsEntry("requestId", "mdc-test-1"));

    // The backends' threads: the id arrives in the X-Request-Id header the tasks send.
    List<ILoggingEvent> backendLines = byThread(events, "backends-vt-");
    assertThat(backendLines).hasSizeGreaterThanOrEqualTo(4); // one access line per backend call
    assertThat(backendLines)
        .allSatisfy(
            e -> assertThat(e.getMDCPropertyMap()).containsEntry("requestId", "mdc-test-1"));

    // The scope's task threads (named dashboard/<task>): BackendClient's line of each call, with
    // the MDC that Weft carried from the request's thread into each task.
    List<ILoggingEvent> taskLines = byThread(events, "dashboard/");
    assertThat(taskLines)
        .extracting(ILoggingEvent::getThreadName)
        .contains("dashboard/profile", "dashboard/orders", "dashboard/pricing");
    assertThat(taskLines)
        .allSatisfy(
            e -> assertThat(e.getMDCPropertyMap()).containsEntry("requestId", "mdc-test-1"));
  }

  private static List<ILoggingEvent> byThread(List<ILoggingEvent> events, String prefix) {
    return events.stream().filter(e -> e.getThreadName().startsWith(prefix)).toList();
  }
}
