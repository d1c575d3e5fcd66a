package dev.weft.samples.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** POST /transfer under checked locks: the fixed order, and --buggy-order's report. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransferEndpointTest {
  @Test
  void transfer_bothDirections_movesStock() throws Exception {
    try (DashboardService service = DashboardService.start(ServiceFixture.options());
        TestHttp http = new TestHttp(service.uri())) {
      TestHttp.Answer there = http.post("transfer?from=north&to=south&quantity=5");
      TestHttp.Answer back = http.post("transfer?from=south&to=north&quantity=2");

      assertThat(there.status()).isEqualTo(200);
      assertThat(there.json())
          .containsEntry("quantity", 5L)
          .containsEntry("stock", Map.of("north", 95L, "south", 105L));
      assertThat(back.status()).isEqualTo(200);
      assertThat(back.json()).containsEntry("stock", Map.of("south", 103L, "north", 97L));
      assertThat(http.get("stock").json())
          .isEqualTo(Map.of("east", 100L, "north", 97L, "south", 103L));
    }
  }

  @Test
  void transfer_badInput_4xxNamingTheProblem() throws Exception {
    try (DashboardService service = DashboardService.start(ServiceFixture.options());
        TestHttp http = new TestHttp(service.uri())) {
      assertError(
          http.post("transfer?from=west&to=south&quantity=5"),
          400,
          "unknown warehouse 'west': use one of east, north, south");
      assertError(
          http.post("transfer?from=north&to=north&quantity=5"),
          400,
          "from and to are both 'north': name two warehouses");
      assertError(
          http.post("transfer?from=north&to=south&quantity=0"),
          400,
          "quantity must be a whole number from 1 to 1000, was '0'");
      assertError(
          http.post("transfer?from=north&to=south&quantity=500"),
          409,
          "north has 100, cannot move 500 to south");
    }
  }

  @Test
  void buggyOrder_reverseTransfer_reportedInsteadOfHanging() throws Exception {
    try (DashboardService service =
            DashboardService.start(ServiceFixture.options().withBuggyOrder(true));
        TestHttp http = new TestHttp(service.uri());
        LogCapture log = new LogCapture(TransferHandler.class.getName(), Level.INFO)) {
      assertThat(http.post("transfer?from=north&to=south&quantity=5").status()).isEqualTo(200);

      TestHttp.Answer reverse = http.post("transfer?from=south&to=north&quantity=5");

      assertThat(reverse.status()).isEqualTo(500);
      assertThat(reverse.json())
          .containsEntry(
              "error", "potential deadlock: the transfer's locks would close a lock-order cycle")
          .containsEntry("cycle", List.of("south", "north"));
      assertThat((String) reverse.json().get("message"))
          .startsWith("south -> north, north -> south\nthread '")
          .contains("seen before: north -> south first seen in thread '");
      // The checker's report in the log, with the exception (whose causes hold the stacks).
      assertThat(log.events()).hasSize(1);
      ILoggingEvent line = log.events().get(0);
      assertThat(line.getLevel()).isEqualTo(Level.ERROR);
      assertThat(line.getFormattedMessage())
          .startsWith("transfer south -> north refused: potential deadlock: ");
      assertThat(line.getThrowableProxy().getClassName())
          .isEqualTo("dev.weft.lockorder.LockOrderViolationException");
      assertThat(line.getMDCPropertyMap())
          .containsEntry("requestId", reverse.header("X-Request-Id"));
      // ... and in /metrics; the refused transfer moved nothing.
      assertThat(
              MetricsEndpointTest.value(
                  http.get("metrics").body(), "transfer_lock_order_violations_total"))
          .isEqualTo(1);
      assertThat(http.get("stock").json())
          .isEqualTo(Map.of("east", 100L, "north", 95L, "south", 105L));
    }
  }

  /** Many transfers at once in both directions: every one is answered, none hangs. */
  @Test
  void concurrentTransfers_bothDirections_everyOneAnswered() throws Exception {
    for (boolean buggy : new boolean[] {false, true}) {
      try (DashboardService service =
              DashboardService.start(ServiceFixture.options().withBuggyOrder(buggy));
          TestHttp http = new TestHttp(service.uri())) {
        List<Task<Integer>> statuses = new ArrayList<>();
        try (var scope = Scope.open("transfers", Policy.collectAll())) {
          for (int i = 0; i < 40; i++) {
            String path =
                i % 2 == 0
                    ? "transfer?from=north&to=south&quantity=1"
                    : "transfer?from=south&to=north&quantity=1";
            statuses.add(scope.fork("t" + i, () -> http.post(path).status()));
          }
          scope.join();
        }
        TestHttp.Answer after = http.get("stock");
        assertThat(after.status()).isEqualTo(200);
        Map<String, Object> stock = after.json();
        assertThat((Long) stock.get("north") + (Long) stock.get("south")).isEqualTo(200);
        if (buggy) {
          assertThat(statuses).extracting(Task::get).containsOnly(200, 500).contains(500);
        } else {
          assertThat(statuses).extracting(Task::get).containsOnly(200);
        }
      }
    }
  }

  private static void assertError(TestHttp.Answer a, int status, String error) {
    assertThat(a.status()).isEqualTo(status);
    assertThat(a.json()).containsEntry("error", error);
  }
}
