package dev.weft.samples.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** POST /admin/faults changes the backends at run time; GET shows them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultsEndpointTest {
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

  @BeforeEach
  void resetFaults() {
    ServiceFixture.resetFaults(service);
  }

  @Test
  void post_oneBackend_changesItAndKeepsTheRest() throws Exception {
    TestHttp.Answer a = http.post("admin/faults?backend=pricing&failureRate=0.5&latencyMs=40");

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().get("pricing"))
        .isEqualTo(Map.of("latencyMs", 40L, "jitterMs", 0L, "failureRate", 0.5));
    assertThat(a.json().get("profile"))
        .isEqualTo(Map.of("latencyMs", 5L, "jitterMs", 0L, "failureRate", 0L));
    assertThat(http.get("admin/faults").json()).isEqualTo(a.json());
  }

  @Test
  void post_everyBackendFails_dashboardIs502() throws Exception {
    assertThat(http.post("admin/faults?failureRate=1.0").status()).isEqualTo(200);

    TestHttp.Answer a = http.get("dashboard/u3");

    assertThat(a.status()).isEqualTo(502);
  }

  @Test
  void post_badValues_400() throws Exception {
    assertThat(http.post("admin/faults?failureRate=2").json())
        .containsEntry("error", "failureRate takes a number from 0 to 1 (0.1 is 10 %), was 2");
    assertThat(http.post("admin/faults?latencyMs=-1").json())
        .containsEntry(
            "error", "latencyMs must be a whole number of milliseconds from 0 to 10000, was '-1'");
    TestHttp.Answer unknown = http.post("admin/faults?backend=ads&failureRate=1");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json())
        .containsEntry(
            "error", "unknown backend 'ads': use one of profile, orders, recommendations, pricing");
  }
}
