package dev.weft.samples.http;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Fields;

/**
 * The downstream services the dashboard calls, simulated: a second Jetty server on loopback, in the
 * same process, with one endpoint per backend. Each call waits its backend's latency plus jitter,
 * then fails with a 503 at the backend's failure rate, else answers JSON made up from the user id
 * (the same user always gets the same data). {@link Faults} holds the settings.
 *
 * <pre>
 * GET /profile/{userId}          {"userId": "u1", "name": "Ann", "tier": "gold"}
 * GET /orders/{userId}           {"orders": [{"id": "u1-o1", "totalCents": 1250}, ...]}
 * GET /recommendations/{userId}  {"items": ["tea", "cups"]}
 * GET /pricing/{userId}?tier=gold&amp;subtotalCents=4650
 *                                {"subtotalCents": 4650, "discountCents": 465, "totalCents": 4185}
 * </pre>
 */
final class BackendServer implements AutoCloseable {
  private static final List<String> NAMES = List.of("Ann", "Bo", "Chen", "Dara", "Eli", "Femi");
  private static final List<String> TIERS = List.of("gold", "silver", "basic");
  private static final List<String> ITEMS =
      List.of("tea", "cups", "pot", "kettle", "honey", "strainer", "tray");

  private final Faults faults;
  private final Server server;

  private BackendServer(Faults faults, Server server) {
    this.faults = faults;
    this.server = server;
  }

  /** Starts the backends on a free loopback port. */
  static BackendServer start(Faults faults, int maxConcurrentRequests) throws Exception {
    Router router = new Router();
    BackendServer backends =
        new BackendServer(
            faults,
            VirtualThreadServer.create(
                "backends", "127.0.0.1", 0, maxConcurrentRequests, Duration.ZERO, router));
    router
        .get("/profile/*", backends.simulated("profile", BackendServer::profile))
        .get("/orders/*", backends.simulated("orders", BackendServer::orders))
        .get("/recommendations/*", backends.simulated("recommendations", BackendServer::items))
        .get("/pricing/*", backends.simulated("pricing", BackendServer::pricing));
    backends.server.start();
    return backends;
  }

  /** Where the backends listen: {@code http://127.0.0.1:PORT/}. */
  URI uri() {
    return URI.create("http://127.0.0.1:" + VirtualThreadServer.port(server) + "/");
  }

  /** Stops at once: a simulated call still waiting out its latency is not waited for. */
  @Override
  public void close() throws Exception {
    server.stop();
  }

  // --- implementation ---

  /** An answer made up from a user id and the request's query. */
  @FunctionalInterface
  private interface Answer {
    Map<String, Object> of(String userId, Fields query);
  }

  private Router.Route simulated(String backend, Answer answer) {
    String prefix = "/" + backend + "/";
    return (request, requestId) -> {
      Faults.Fault fault = faults.of(backend);
      Thread.sleep(fault.nextDelay()); // the simulated work; a cancelled caller does not stop it
      if (fault.nextFails()) {
        return Reply.error(503, "injected failure", "backend", backend);
      }
      String userId = request.getHttpURI().getDecodedPath().substring(prefix.length());
      return Reply.json(200, answer.of(userId, Request.extractQueryParameters(request)));
    };
  }

  private static Map<String, Object> profile(String userId, Fields query) {
    int h = hash(userId);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("userId", userId);
    json.put("name", NAMES.get(h % NAMES.size()));
    json.put("tier", TIERS.get(h % TIERS.size()));
    return json;
  }

  private static Map<String, Object> orders(String userId, Fields query) {
    int h = hash(userId);
    List<Object> orders = new ArrayList<>();
    for (int i = 1; i <= 1 + h % 4; i++) {
      Map<String, Object> order = new LinkedHashMap<>();
      order.put("id", userId + "-o" + i);
      order.put("totalCents", 500L + (h * (long) i) % 5000);
      orders.add(order);
    }
    return Map.of("orders", orders);
  }

  private static Map<String, Object> items(String userId, Fields query) {
    int h = hash(userId);
    return Map.of(
        "items", List.of(ITEMS.get(h % ITEMS.size()), ITEMS.get((h / 7 + 1) % ITEMS.size())));
  }

  private static Map<String, Object> pricing(String userId, Fields query) {
    long subtotal = Long.parseLong(query.getValue("subtotalCents"));
    String tier = query.getValue("tier");
    long percent =
        switch (tier == null ? "" : tier) {
          case "gold" -> 10;
          case "silver" -> 5;
          default -> 0;
        };
    long discount = subtotal * percent / 100;
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("subtotalCents", subtotal);
    json.put("discountCents", discount);
    json.put("totalCents", subtotal - discount);
    return json;
  }

  private static int hash(String userId) {
    return userId.hashCode() & 0x7fff_ffff;
  }
}
