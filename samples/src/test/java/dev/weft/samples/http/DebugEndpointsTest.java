package dev.weft.samples.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gate of the operator endpoints: /debug/* is off without --debug, and with it answers only
 * loopback clients; /admin/* is loopback only. The tests cannot connect from another machine, so
 * the gate's decision is tested on made-up peer addresses (no traffic is sent to them).
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
  void debugOn_loopbackClient_501UntilTheViewsAreWiredIn() throws Exception {
    try (DashboardService service =
            DashboardService.start(ServiceFixture.options().withDebug(true));
        TestHttp http = new TestHttp(service.uri())) {
      TestHttp.Answer scopes = http.get("debug/scopes");
      TestHttp.Answer trace = http.get("debug/trace/abc");

      assertThat(scopes.status()).isEqualTo(501);
      assertThat(scopes.json())
          .containsEntry(
              "error",
              "not available in this build: the live scope dump is not wired into the sample yet")
          .containsEntry("path", "/debug/scopes");
      assertThat(trace.status()).isEqualTo(501);
      assertThat(trace.json()).containsEntry("path", "/debug/trace/abc");
      assertThat(trace.header("X-Request-Id")).isNotBlank();
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

  private static InetSocketAddress peer(int a, int b, int c, int d) throws Exception {
    return new InetSocketAddress(
        InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}), 40_000);
  }
}
