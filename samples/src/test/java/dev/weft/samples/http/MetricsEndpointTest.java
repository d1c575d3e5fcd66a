package dev.weft.samples.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * GET /metrics: Prometheus text with the JVM's, Jetty's, Weft's and the sample's meters, moving.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsEndpointTest {
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
  void metrics_prometheusTextWithJvmJettyAndSampleMeters() throws Exception {
    TestHttp.Answer a = http.get("metrics");

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.header("Content-Type")).startsWith("text/plain; version=0.0.4");
    assertThat(a.body())
        .contains("# TYPE jvm_memory_used_bytes gauge")
        .contains("jvm_threads_live_threads ")
        .contains("jvm_gc_")
        .contains("process_uptime_seconds ")
        .contains("jetty_threads_config_max ")
        .contains("jetty_server_requests_seconds_count{")
        .contains("jetty_connections_current_connections{")
        .contains("transfer_lock_order_violations_total 0.0")
        // Weft's, bound by Metrics; the warm-up request has opened a dashboard scope already
        .contains("weft_scopes_opened_total{scope=\"dashboard\"} ")
        .contains("# TYPE weft_task_duration_seconds summary")
        .contains("weft_lockorder_violations_total{policy=\"throw\"} ")
        .contains("weft_deadlocks_found_total ");
  }

  @Test
  void metrics_weftScopeAndTaskMetersMoveWithDashboards() throws Exception {
    String first = http.get("metrics").body();

    for (int i = 0; i < 2; i++) {
      assertThat(http.get("dashboard/w" + i).status()).isEqualTo(200);
    }
    String second = http.get("metrics").body();
    failedDashboard("w9");
    String third = http.get("metrics").body();

    String opened = "weft_scopes_opened_total{scope=\"dashboard\"}";
    assertThat(moved(first, second, opened)).isEqualTo(2);
    assertThat(moved(second, third, opened)).isEqualTo(1);
    String succeeded = scope("succeeded");
    assertThat(moved(first, second, succeeded)).isEqualTo(2);
    String failed = scope("failed");
    assertThat(moved(second, third, failed)).isEqualTo(1);
    for (String task : new String[] {"profile", "orders", "pricing", "recommendations"}) {
      assertThat(second).contains("scope=\"dashboard\",task=\"" + task + "\"");
      String ok = task("succeeded", task);
      assertThat(moved(first, second, ok)).as(task).isEqualTo(2);
      String waited =
          "weft_task_queue_wait_seconds_count{scope=\"dashboard\",task=\"" + task + "\"}";
      assertThat(moved(first, second, waited)).as(task).isEqualTo(2);
    }
    // The failed dashboard: profile failed, so pricing, which depends on it, was skipped.
    String profileFailed = task("failed", "profile");
    assertThat(moved(second, third, profileFailed)).isEqualTo(1);
    String pricingSkipped = task("skipped", "pricing");
    assertThat(moved(second, third, pricingSkipped)).isEqualTo(1);
  }

  @Test
  void metrics_countersMoveWithRequests() throws Exception {
    String before = http.get("metrics").body();

    for (int i = 0; i < 3; i++) {
      assertThat(http.get("dashboard/u" + i).status()).isEqualTo(200);
    }
    failedDashboard("u9");
    String after = http.get("metrics").body();

    String ok = "dashboard_requests_seconds_count{outcome=\"ok\"}";
    String failed = "dashboard_requests_seconds_count{outcome=\"failed\"}";
    String profileOk = "backend_calls_seconds_count{backend=\"profile\",outcome=\"ok\"}";
    String jettyOk =
        "jetty_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\",status=\"200\"}";
    assertThat(moved(before, after, ok)).isEqualTo(3);
    assertThat(moved(before, after, failed)).isEqualTo(1);
    assertThat(moved(before, after, profileOk)).isEqualTo(3);
    // Jetty's timer: the 3 dashboards and the first scrape (the second is still in progress)
    assertThat(moved(before, after, jettyOk)).isEqualTo(4);
  }

  /** One dashboard request whose profile backend fails: a 502. */
  private static void failedDashboard(String user) throws Exception {
    ServiceFixture.fault(service, "profile", 5, 1.0);
    try {
      assertThat(http.get("dashboard/" + user).status()).isEqualTo(502);
    } finally {
      ServiceFixture.resetFaults(service);
    }
  }

  /** How much {@code series} grew from the scrape {@code before} to the scrape {@code after}. */
  private static double moved(String before, String after, String series) {
    return value(after, series) - value(before, series);
  }

  /** The series of dashboard scopes that ended with {@code outcome}. */
  private static String scope(String outcome) {
    return "weft_scope_duration_seconds_count{outcome=\""
        + outcome
        + "\",policy=\"fail-fast\",scope=\"dashboard\"}";
  }

  /** The series of the dashboard's {@code task} that ended with {@code outcome}. */
  private static String task(String outcome, String task) {
    return "weft_task_duration_seconds_count{outcome=\""
        + outcome
        + "\",scope=\"dashboard\",task=\""
        + task
        + "\"}";
  }

  /** The value of the sample {@code series} in {@code text}, 0 if absent. */
  static double value(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
