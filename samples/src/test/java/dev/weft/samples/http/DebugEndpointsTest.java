package dev.weft.samples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The debug endpoints: /debug/scopes shows the live scope tree, /debug/trace/{id} the Chrome trace
 * of a recent dashboard request; and their gate: /debug/* is off without --debug, and with it
 * answers only loopback clients; /admin/* is loopback only. The tests cannot connect from another
 * machine, so the gate's decision is tested on made-up peer addresses (no traffic is sent to them).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DebugEndpointsTest {
  @Test
  void debugOff_404SayingHowToTurnItOn() throws Exception {
    try (DashboardService service = DashboardService.start(ServiceFixture.options());
        TestHttp http = new TestHttp(service.uri())) {
      for (String path : new String[] {"debug/scopes", "debug/trace/abc"}) {
        TestHttp.Answer a = http.get(path);

        assertThat(a.status()).as(path).isEqualTo(404);
        assertThat(a.json())
            .as(path)
            .containsEntry("error", "debug endpoints are off: start the service with --debug");
      }
    }
  }

  @Test
  void scopes_whileADashboardWaitsForASlowBackend_showsItsScopeAndTasks() throws Exception {
    try (DashboardService service =
            DashboardService.start(ServiceFixture.options().withDebug(true));
        TestHttp http = new TestHttp(service.uri());
        ExecutorService client = Executors.newVirtualThreadPerTaskExecutor()) {
      ServiceFixture.fault(service, "orders", 1_500, 0); // the deadline is 2 s: it still answers
      Future<TestHttp.Answer> inFlight =
          client.submit(() -> http.get("dashboard/u5", "X-Deadline-Ms", "2000"));

      // The dump as the request waits for orders: profile done, pricing waiting for orders.
      Map<String, Object> dashboard =
          Awaitility.await()
              .atMost(Duration.ofSeconds(10))
              .pollInterval(Duration.ofMillis(10))
              .until(
                  () -> dashboardScope(http.get("debug/scopes")),
                  d ->
                      taskState(d, "profile").equals("SUCCEEDED")
                          && taskState(d, "orders").equals("RUNNING")
                          && ownerBlockedIn(d).equals("join()"));
      TestHttp.Answer text = http.get("debug/scopes?format=text");

      assertThat(dashboard).containsEntry("policy", "fail-fast").containsEntry("phase", "joining");
      assertThat(tasks(dashboard))
          .extracting(t -> t.get("name"))
          .containsExactly("profile", "orders", "recommendations", "pricing");
      assertThat(task(dashboard, "orders").get("waitsFor"))
          .asInstanceOf(MAP)
          .containsEntry("kind", "body")
          .containsEntry("thread", "dashboard/orders");
      assertThat(taskState(dashboard, "pricing")).isEqualTo("PENDING");
      assertThat(task(dashboard, "pricing").get("waitsFor"))
          .asInstanceOf(MAP)
          .containsEntry("kind", "dependency")
          .containsEntry("dependencies", List.of(Map.of("name", "orders", "state", "RUNNING")));
      assertThat(text.status()).isEqualTo(200);
      assertThat(text.header("Content-Type")).startsWith("text/plain");
      assertThat(text.body())
          .startsWith("Weft scope dump: ")
          .contains("scope 'dashboard' (fail-fast, joining, deadline in ")
          .contains("task 'orders' RUNNING for ")
          .contains("task 'pricing' PENDING");
      assertThat(inFlight.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
  }

  @Test
  void scopes_badFormat_400NamingIt() throws Exception {
    try (DashboardService service =
            DashboardService.start(ServiceFixture.options().withDebug(true));
        TestHttp http = new TestHttp(service.uri())) {
      TestHttp.Answer json = http.get("debug/scopes");
      TestHttp.Answer bad = http.get("debug/scopes?format=xml");

      assertThat(json.status()).isEqualTo(200);
      assertThat(json.header("Content-Type")).startsWith("application/json");
      assertThat(json.json()).containsKey("scopes");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.json())
          .containsEntry("error", "format must be json (the default) or text, was 'xml'");
    }
  }

  @Test
  void trace_ofARequest_chromeTraceEventsOfItsTasks() throws Exception {
    try (DashboardService service =
            DashboardService.start(ServiceFixture.options().withDebug(true));
        TestHttp http = new TestHttp(service.uri())) {
      assertThat(http.get("dashboard/u3", "X-Request-Id", "trace-test-1").status()).isEqualTo(200);

      TestHttp.Answer a = http.get("debug/trace/trace-test-1");

      assertThat(a.status()).isEqualTo(200);
      assertThat(a.header("Content-Type")).startsWith("application/json");
      Map<String, Object> json = a.json();
      assertThat(json.get("otherData")).asInstanceOf(MAP).containsEntry("scope", "dashboard");
      assertThat(json.get("traceEvents")).asInstanceOf(LIST).isNotEmpty();
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> events = (List<Map<String, Object>>) json.get("traceEvents");
      // A span per task body, named for the task, whose arguments hold its path and outcome.
      List<Map<String, Object>> bodies =
          events.stream()
              .filter(e -> "task".equals(e.get("cat")) && "X".equals(e.get("ph")))
              .toList();
      assertThat(bodies.stream().map(e -> String.valueOf(e.get("name"))))
          .containsExactlyInAnyOrder("profile", "orders", "recommendations", "pricing");
      assertThat(bodies.stream().map(e -> (Map<?, ?>) e.get("args")))
          .allSatisfy(args -> assertThat(args.get("outcome")).isEqualTo("succeeded"))
          .map(args -> String.valueOf(args.get("path")))
          .containsExactlyInAnyOrder(
              "dashboard/profile",
              "dashboard/orders",
              "dashboard/recommendations",
              "dashboard/pricing");
      assertThat(events.stream().map(e -> String.valueOf(e.get("name"))))
          .contains("scope dashboard", "waiting for profile, orders");
    }
  }

  @Test
  void traces_keptWithDebugOnly() throws Exception {
    try (DashboardService off = DashboardService.start(ServiceFixture.options());
        TestHttp http = new TestHttp(off.uri())) {
      assertThat(http.get("dashboard/u3").status()).isEqualTo(200);

      assertThat(off.traces().size()).isZero();
    }
    try (DashboardService on = DashboardService.start(ServiceFixture.options().withDebug(true));
        TestHttp http = new TestHttp(on.uri())) {
      int before = on.traces().size(); // the warm-up request's
      assertThat(http.get("dashboard/u3", "X-Request-Id", "kept-1").status()).isEqualTo(200);

      assertThat(on.traces().size()).isEqualTo(before + 1);
      assertThat(on.traces().get("kept-1")).isNotNull();
    }
  }

  @Test
  void trace_unknownId_404NamingIt() throws Exception {
    try (DashboardService service =
            DashboardService.start(ServiceFixture.options().withDebug(true));
        TestHttp http = new TestHttp(service.uri())) {
      TestHttp.Answer a = http.get("debug/trace/no-such-request");

      assertThat(a.status()).isEqualTo(404);
      assertThat(a.header("Content-Type")).startsWith("application/json");
      assertThat(a.json())
          .containsEntry(
              "error",
              "no trace of request 'no-such-request': unknown, not a dashboard request, or"
                  + " evicted (the service keeps the last 256)")
          .containsEntry("requestId", "no-such-request");
    }
  }

  @Test
  void gate_allowsLoopbackPeersOnly() throws Exception {
    assertThat(LoopbackGate.allows(peer(127, 0, 0, 1))).isTrue();
    assertThat(LoopbackGate.allows(peer(127, 1, 2, 3))).isTrue();
    assertThat(LoopbackGate.allows(new InetSocketAddress(InetAddress.getByName("::1"), 1)))
        .isTrue();
    assertThat(LoopbackGate.allows(peer(203, 0, 113, 7))).isFalse(); // TEST-NET-3
    assertThat(LoopbackGate.allows(peer(10, 0, 0, 1))).isFalse();
    assertThat(LoopbackGate.allows(InetSocketAddress.createUnresolved("localhost", 1))).isFalse();
    assertThat(LoopbackGate.allows(null)).isFalse();
  }

  @Test
  void gate_otherPeer_403AndTheRouteDoesNotRun() throws Exception {
    AtomicBoolean ran = new AtomicBoolean();

    Reply reply =
        LoopbackGate.guarded(
            peer(203, 0, 113, 7),
            "/debug/scopes",
            () -> {
              ran.set(true);
              return Reply.json(200, "secret");
            });

    assertThat(reply.status()).isEqualTo(403);
    assertThat(JsonReader.parseObject(reply.body()))
        .containsEntry("error", "this endpoint answers loopback clients only")
        .containsEntry("path", "/debug/scopes");
    assertThat(ran).isFalse();
  }

  @Test
  void gate_loopbackPeer_runsTheRoute() throws Exception {
    Reply reply =
        LoopbackGate.guarded(peer(127, 0, 0, 1), "/debug/scopes", () -> Reply.json(200, "ok"));

    assertThat(reply.status()).isEqualTo(200);
  }

  /** The dashboard scope of a dump, or null if none is open (or the answer is not a dump). */
  static Map<String, Object> dashboardScope(TestHttp.Answer dump) {
    if (dump.status() != 200) {
      return null;
    }
    if (dump.json().get("scopes") instanceof List<?> scopes) {
      for (Object scope : scopes) {
        if (scope instanceof Map<?, ?> m && "dashboard".equals(m.get("name"))) {
          @SuppressWarnings("unchecked")
          Map<String, Object> found = (Map<String, Object>) m;
          return found;
        }
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> tasks(Map<String, Object> scope) {
    return (List<Map<String, Object>>) scope.get("tasks");
  }

  private static Map<String, Object> task(Map<String, Object> scope, String name) {
    return tasks(scope).stream()
        .filter(t -> name.equals(t.get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no task '" + name + "' in " + scope));
  }

  /** The state of the task, or "" if there is no such scope or task (yet). */
  private static String taskState(Map<String, Object> scope, String name) {
    if (scope == null) {
      return "";
    }
    return tasks(scope).stream()
        .filter(t -> name.equals(t.get("name")))
        .map(t -> String.valueOf(t.get("state")))
        .findFirst()
        .orElse("");
  }

  /** Where the scope's owner is blocked: "join()", "close()", or "" if it is not. */
  private static String ownerBlockedIn(Map<String, Object> scope) {
    return scope.get("owner") instanceof Map<?, ?> owner && owner.get("blockedIn") != null
        ? String.valueOf(owner.get("blockedIn"))
        : "";
  }

  private static InetSocketAddress peer(int a, int b, int c, int d) throws Exception {
    return new InetSocketAddress(
        InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}), 40_000);
  }
}
