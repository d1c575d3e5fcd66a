package dev.weft.samples.http;

import static dev.weft.samples.http.ServiceFixture.fault;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** GET /dashboard/{userId} against the running service: the JSON of each outcome. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DashboardEndpointTest {
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
  void dashboard_backendsUp_answersEveryPartAndNoneDegraded() throws Exception {
    TestHttp.Answer a = http.get("dashboard/u42");

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.header("Content-Type")).startsWith("application/json");
    assertThat(a.header("X-Request-Id")).matches("[0-9a-f]{16}");
    Map<String, Object> json = a.json();
    assertThat(json)
        .containsEntry("userId", "u42")
        .containsEntry("deadlineMs", 500L)
        .containsEntry("degraded", List.of())
        .containsEntry("degradedBecause", Map.of());
    assertThat(json.get("profile")).asInstanceOf(MAP).containsKeys("name", "tier");
    List<?> orders = (List<?>) json.get("orders");
    assertThat(orders).isNotEmpty();
    long subtotal = orders.stream().mapToLong(o -> (Long) ((Map<?, ?>) o).get("totalCents")).sum();
    Map<?, ?> pricing = (Map<?, ?>) json.get("pricing");
    assertThat(pricing.get("subtotalCents")).isEqualTo(subtotal); // pricing got orders' result
    assertThat((Long) pricing.get("totalCents"))
        .isEqualTo(subtotal - (Long) pricing.get("discountCents"));
    assertThat((List<?>) json.get("recommendations")).hasSize(2);
  }

  @Test
  void dashboard_clientSendsRequestId_getsItBack() throws Exception {
    assertThat(http.get("dashboard/u1", "X-Request-Id", "client-id-7").header("X-Request-Id"))
        .isEqualTo("client-id-7");
    assertThat(http.get("dashboard/u1", "X-Request-Id", "no spaces").header("X-Request-Id"))
        .matches("[0-9a-f]{16}");
  }

  @Test
  void dashboard_recommendationsFail_degraded200WithoutThem() throws Exception {
    fault(service, "recommendations", 5, 1.0);

    TestHttp.Answer a = http.get("dashboard/u42");

    assertThat(a.status()).isEqualTo(200);
    Map<String, Object> json = a.json();
    assertThat(json).containsEntry("degraded", List.of("recommendations"));
    assertThat(json).containsEntry("recommendations", List.of());
    assertThat(json.get("degradedBecause"))
        .asInstanceOf(MAP)
        .containsEntry(
            "recommendations", "java.io.IOException: recommendations backend answered 503");
    assertThat(json).containsKey("pricing");
  }

  @Test
  void dashboard_recommendationsSlow_degradedAfterTheirTimeout() throws Exception {
    fault(service, "recommendations", 3_000, 0);

    TestHttp.Answer a = http.get("dashboard/u42", "X-Deadline-Ms", "2000");

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json()).containsEntry("degraded", List.of("recommendations"));
    assertThat(a.json().get("degradedBecause"))
        .asInstanceOf(MAP)
        .containsEntry(
            "recommendations",
            "java.util.concurrent.TimeoutException: task 'recommendations' timed out after 1000 ms");
    assertThat(a.took()).isLessThan(Duration.ofMillis(2_000)); // not the backend's 3 s
  }

  @Test
  void dashboard_profileFails_502NamingProfileAndSkippedPricing() throws Exception {
    fault(service, "profile", 5, 1.0);

    TestHttp.Answer a = http.get("dashboard/u42");

    assertThat(a.status()).isEqualTo(502);
    assertThat(a.header("X-Request-Id")).isNotBlank();
    assertThat(a.json())
        .containsEntry("error", "a required part failed")
        .containsEntry("task", "profile")
        .containsEntry("skipped", List.of("pricing"));
    assertThat((String) a.json().get("message"))
        .startsWith(
            "task 'profile' failed in scope 'dashboard': java.io.IOException: profile backend"
                + " answered 503");
  }

  @Test
  void dashboard_pricingFails_502NamingPricing() throws Exception {
    fault(service, "pricing", 5, 1.0);

    TestHttp.Answer a = http.get("dashboard/u42");

    assertThat(a.status()).isEqualTo(502);
    assertThat(a.json()).containsEntry("task", "pricing").containsEntry("skipped", List.of());
  }

  @Test
  void dashboard_pricingSlowerThanDeadline_504WithinDeadlineNamingPricing() throws Exception {
    fault(service, "pricing", 5_000, 0);

    TestHttp.Answer a = http.get("dashboard/u42", "X-Deadline-Ms", "300");

    assertThat(a.status()).isEqualTo(504);
    assertThat(a.json())
        .containsEntry("error", "deadline exceeded")
        .containsEntry("tasks", List.of("pricing"))
        .containsEntry("deadlineMs", 300L);
    // Within the deadline plus a margin for a busy machine, and not before the deadline.
    assertThat(a.took()).isBetween(Duration.ofMillis(300), Duration.ofMillis(300 + 300));
  }

  @Test
  void dashboard_everyBackendFails_answersWithinTheDeadline() throws Exception {
    for (String backend : Faults.BACKENDS) {
      fault(service, backend, 5, 1.0);
    }

    TestHttp.Answer a = http.get("dashboard/u42");

    assertThat(a.status()).isEqualTo(502);
    assertThat((String) a.json().get("task")).isIn("profile", "orders");
    assertThat(a.took()).isLessThan(Duration.ofMillis(500));
  }

  @Test
  void dashboard_everyBackendHangs_504WithinTheDeadline() throws Exception {
    for (String backend : Faults.BACKENDS) {
      fault(service, backend, 10_000, 0);
    }

    TestHttp.Answer a = http.get("dashboard/u42", "X-Deadline-Ms", "250");

    assertThat(a.status()).isEqualTo(504);
    assertThat(a.json().get("tasks")).asInstanceOf(LIST).contains("profile", "orders", "pricing");
    assertThat(a.took()).isLessThan(Duration.ofMillis(250 + 300));
  }

  @Test
  void dashboard_deadlineAboveTheCap_isCapped() throws Exception {
    TestHttp.Answer a = http.get("dashboard/u42", "X-Deadline-Ms", "3600000");

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json()).containsEntry("deadlineMs", 2000L);
  }

  @Test
  void dashboard_malformedDeadline_400NamingTheHeader() throws Exception {
    for (String bad : List.of("abc", "0", "-5", "1.5")) {
      TestHttp.Answer a = http.get("dashboard/u42", "X-Deadline-Ms", bad);

      assertThat(a.status()).as(bad).isEqualTo(400);
      assertThat(a.json())
          .as(bad)
          .containsEntry(
              "error",
              "X-Deadline-Ms must be a whole number of milliseconds from 1 to 2000 (larger"
                  + " values are capped), was '"
                  + bad
                  + "'");
    }
  }

  @Test
  void dashboard_malformedUserId_400() throws Exception {
    TestHttp.Answer a = http.get("dashboard/a%20b");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.json()).containsEntry("error", "user id must match [A-Za-z0-9._-]{1,64}");
  }

  @Test
  void unknownPath_404WithRequestId() throws Exception {
    TestHttp.Answer a = http.get("nope");

    assertThat(a.status()).isEqualTo(404);
    assertThat(a.json()).containsEntry("error", "no such endpoint: GET /nope");
    assertThat(a.json()).containsEntry("requestId", a.header("X-Request-Id"));
  }

  @Test
  void wrongMethod_405WithAllow() throws Exception {
    TestHttp.Answer a = http.post("dashboard/u42");

    assertThat(a.status()).isEqualTo(405);
    assertThat(a.header("Allow")).isEqualTo("GET");
    assertThat(a.header("X-Request-Id")).isNotBlank();
  }

  @Test
  void index_listsTheEndpoints() throws Exception {
    TestHttp.Answer a = http.get("");

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().get("endpoints")).asInstanceOf(MAP).containsKey("GET /dashboard/{userId}");
  }

  private static final org.assertj.core.api.InstanceOfAssertFactory<
          Map, org.assertj.core.api.MapAssert<Object, Object>>
      MAP = org.assertj.core.api.InstanceOfAssertFactories.MAP;
  private static final org.assertj.core.api.InstanceOfAssertFactory<
          List, org.assertj.core.api.ListAssert<Object>>
      LIST = org.assertj.core.api.InstanceOfAssertFactories.LIST;
}
