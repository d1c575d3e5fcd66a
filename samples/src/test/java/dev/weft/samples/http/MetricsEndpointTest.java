package dev.weft.samples.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** GET /metrics: Prometheus text with the JVM's, Jetty's and the sample's meters, moving. */
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
        .contains("transfer_lock_order_violations_total 0.0");
  }

  @Test
  void metrics_countersMoveWithRequests() throws Exception {
    String before = http.get("metrics").body();

    for (int i = 0; i < 3; i++) {
      assertThat(http.get("dashboard/u" + i).status()).isEqualTo(200);
    }
    ServiceFixture.fault(service, "profile", 5, 1.0);
    try {
      assertThat(http.get("dashboard/u9").status()).isEqualTo(502);
    } finally {
      ServiceFixture.resetFaults(service);
    }
    String after = http.get("metrics").body();

    String ok = "dashboard_requests_seconds_count{outcome=\"ok\"}";
    String failed = "dashboard_requests_seconds_count{outcome=\"failed\"}";
    String profileOk = "backend_calls_seconds_count{backend=\"profile\",outcome=\"ok\"}";
    String jettyOk =
        "jetty_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\",status=\"200\"}";
    assertThat(value(after, ok) - value(before, ok)).isEqualTo(3);
    assertThat(value(after, failed) - value(before, failed)).isEqualTo(1);
    assertThat(value(after, profileOk) - value(before, profileOk)).isEqualTo(3);
    // Jetty's timer: the 3 dashboards and the first scrape (the second is still in progress)
    assertThat(value(after, jettyOk) - value(before, jettyOk)).isEqualTo(4);
  }

  /** The value of the sample {@code series} in {@code text}, 0 if absent. */
  static double value(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
