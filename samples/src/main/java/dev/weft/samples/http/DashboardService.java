package dev.weft.samples.http;

import io.micrometer.core.instrument.Tags;
import io.micrometer.jetty12.server.TimedHandler;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Server;

/**
 * A small HTTP service whose request handlers are Weft scopes: Jetty 12 on virtual threads, no web
 * framework. The runnable jar's main class.
 *
 * <pre>{@code
 * ./mvnw -q -pl samples -am package -DskipTests
 * java -jar samples/target/weft-samples.jar --port 8080
 * curl -i localhost:8080/dashboard/u42
 * }</pre>
 *
 * <p>Endpoints: {@code GET /dashboard/{userId}} ({@link DashboardHandler}); {@code POST /transfer}
 * and {@code GET /stock} ({@link TransferHandler}); {@code GET /metrics} ({@link Metrics}); {@code
 * GET|POST /admin/faults} ({@link FaultsEndpoint}); {@code GET /debug/scopes} and {@code GET
 * /debug/trace/{requestId}} ({@link DebugEndpoints}). The backends the dashboard calls run in a
 * second Jetty server on loopback ({@link BackendServer}). Options: {@link Options#USAGE}.
 */
public final class DashboardService implements AutoCloseable {
  private final Server server;
  private final BackendServer backends;
  private final BackendClient client;
  private final Metrics metrics;
  private final Faults faults;
  private final RecentTraces traces;

  private DashboardService(
      Server server,
      BackendServer backends,
      BackendClient client,
      Metrics metrics,
      Faults faults,
      RecentTraces traces) {
    this.server = server;
    this.backends = backends;
    this.client = client;
    this.metrics = metrics;
    this.faults = faults;
    this.traces = traces;
  }

  /**
   * Starts the service and its backends as {@code options} say; returns once both listen.
   *
   * @throws Exception if a server cannot start (say, the port is taken)
   */
  public static DashboardService start(Options options) throws Exception {
    Metrics metrics = new Metrics();
    Faults faults =
        new Faults(
            new Faults.Fault(
                options.backendLatency(), options.backendJitter(), options.backendFailureRate()));
    BackendServer backends =
        BackendServer.start(faults, options.maxConcurrentRequests() * DashboardHandler.TASKS);
    BackendClient client = new BackendClient(backends.uri(), metrics.registry());
    TransferHandler transfers =
        new TransferHandler(new Warehouses(options.buggyOrder()), metrics.registry());

    RecentTraces traces = new RecentTraces(RecentTraces.DEFAULT_CAPACITY); // filled with --debug
    Router router =
        new Router()
            .get("/", (request, id) -> Reply.json(200, index()))
            .get("/dashboard/*", new DashboardHandler(client, options, metrics.registry(), traces))
            .post("/transfer", transfers::transfer)
            .get("/stock", transfers::stock)
            .get("/metrics", metrics::scrape);
    new FaultsEndpoint(faults).addTo(router);
    new DebugEndpoints(options.debug(), traces).addTo(router);

    TimedHandler timed = new TimedHandler(metrics.registry(), Tags.empty());
    timed.setHandler(router);
    Server server =
        VirtualThreadServer.create(
            "dashboard",
            options.host(),
            options.port(),
            options.maxConcurrentRequests(),
            options.maxDeadline().plusSeconds(1), // every request ends by its deadline
            timed);
    metrics.bindJetty(server);
    DashboardService service =
        new DashboardService(server, backends, client, metrics, faults, traces);
    try {
      server.start();
      service.warmUp();
    } catch (Exception e) {
      service.close();
      throw e;
    }
    return service;
  }

  /** Where the service listens, such as {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    String host = ((org.eclipse.jetty.server.ServerConnector) server.getConnectors()[0]).getHost();
    return URI.create("http://" + host + ":" + VirtualThreadServer.port(server) + "/");
  }

  /** Where the simulated backends listen. */
  public URI backendUri() {
    return backends.uri();
  }

  /** Stops the service, then the backends. */
  @Override
  public void close() throws Exception {
    try {
      server.stop();
    } finally {
      try {
        client.close();
        backends.close();
      } finally {
        metrics.close();
      }
    }
  }

  /**
   * Runs the service until the JVM stops (Ctrl-C). Prints one line with its URL once it listens;
   * exits with status 2 and the usage on a bad option.
   */
  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(List.of(args));
    } catch (Options.HelpRequested e) {
      System.out.print(Options.USAGE);
      return;
    } catch (IllegalArgumentException e) {
      PrintStream err = System.err;
      err.println("weft-samples: " + e.getMessage());
      err.print(Options.USAGE);
      System.exit(2);
      return;
    }
    DashboardService service = start(options);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    service.close();
                  } catch (Exception e) {
                    System.err.println("weft-samples: stopping: " + e);
                  }
                },
                "shutdown"));
    System.out.println(
        "weft-samples dashboard service listening on "
            + service.uri()
            + " (try: curl -i "
            + service.uri()
            + "dashboard/u42)");
    service.server.join();
  }

  // --- implementation ---

  /**
   * Sends one dashboard request (id {@code warm-up}) through the front door before the service says
   * it is ready: the first request of a JVM loads the classes of Jetty's, the HTTP client's and
   * Weft's request path and starts the virtual-thread scheduler, which took 400 ms and more on a
   * busy 2-core machine. Its answer does not matter (the backends may be set to fail).
   */
  private void warmUp() throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      http.send(
          HttpRequest.newBuilder(uri().resolve("dashboard/warm-up"))
              .header(RequestIds.HEADER, "warm-up")
              .header(DashboardHandler.DEADLINE_HEADER, "10000") // capped at --max-deadline-ms
              .timeout(Duration.ofSeconds(10))
              .build(),
          HttpResponse.BodyHandlers.discarding());
    }
  }

  /** Faults of the backends, for the tests. */
  Faults faults() {
    return faults;
  }

  /** The traces of recent dashboard requests (none without {@code --debug}), for the tests. */
  RecentTraces traces() {
    return traces;
  }

  private static Map<String, Object> index() {
    Map<String, Object> endpoints = new LinkedHashMap<>();
    endpoints.put(
        "GET /dashboard/{userId}", "the dashboard; header X-Deadline-Ms sets the deadline");
    endpoints.put(
        "POST /transfer?from=north&to=south&quantity=5", "moves stock under checked locks");
    endpoints.put("GET /stock", "the stock of every warehouse");
    endpoints.put("GET /metrics", "Prometheus text");
    endpoints.put(
        "GET|POST /admin/faults?failureRate=R&latencyMs=L&jitterMs=J&backend=B",
        "backend faults (loopback only)");
    endpoints.put("GET /debug/scopes, GET /debug/trace/{requestId}", "with --debug, loopback only");
    return Map.of("service", "weft-samples dashboard", "endpoints", endpoints);
  }
}
