package dev.weft.samples.load;

import dev.weft.samples.http.JsonReader;
import dev.weft.samples.load.LoadReport.Sample;
import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load generator for the dashboard service: {@code clients} virtual threads (the tasks of one
 * Weft scope) send {@code GET /dashboard/{userId}} one after the other, until {@code requests} were
 * sent or {@code seconds} passed, whichever comes first. It prints the figures ({@link LoadReport})
 * and writes an SVG latency chart ({@link SvgChart}).
 *
 * <pre>{@code
 * java -cp samples/target/weft-samples.jar dev.weft.samples.load.LoadGenerator \
 *     --url http://127.0.0.1:8080/ --clients 32 --requests 20000 --seconds 30
 * }</pre>
 *
 * <p>It sends to loopback addresses only (127.0.0.0/8, ::1) and refuses any other. A request
 * without an answer within the deadline plus {@value #CLIENT_TIMEOUT_MS} ms counts as hung. The
 * exit status is 0 when the run kept every promise ({@link LoadReport#passed}), 1 when not, and 2
 * for a bad option.
 */
public final class LoadGenerator {
  /** How long past the deadline a client waits before it counts a request as hung. */
  static final long CLIENT_TIMEOUT_MS = 2_000;

  /** The settings of one run. */
  record Settings(
      URI url,
      int clients,
      long requests,
      Duration duration,
      Duration deadline,
      Duration margin,
      int users,
      Path svg) {}

  static final String USAGE =
      """
      usage: java -cp samples/target/weft-samples.jar dev.weft.samples.load.LoadGenerator [options]
        --url URL         the service, on loopback (default http://127.0.0.1:8080/)
        --clients C       concurrent clients, 1 to 1000 (default 16)
        --requests N      stop after N requests, up to 1000000 (default 5000)
        --seconds T       stop after T seconds, up to 600 (default 30)
        --deadline-ms D   X-Deadline-Ms sent with each request (default 500)
        --margin-ms M     how late past the deadline an answer may be (default 50)
        --users U         user ids u1..uU, drawn at random (default 100)
        --svg FILE        where to write the latency chart (default load-latency.svg)
      """;

  private LoadGenerator() {}

  public static void main(String[] args) throws Exception {
    Settings settings;
    try {
      settings = parse(List.of(args));
    } catch (IllegalArgumentException e) {
      System.err.println("load: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    LoadReport report = run(settings);
    report.print(System.out, settings.url() + "dashboard/{userId}");
    Files.writeString(settings.svg(), SvgChart.draw(report));
    System.out.println("  chart       " + settings.svg().toAbsolutePath());
    System.exit(report.passed() ? 0 : 1);
  }

  /**
   * Runs the load that {@code settings} describe and returns its figures.
   *
   * @throws IllegalArgumentException if the URL's host is not a loopback address
   */
  static LoadReport run(Settings settings) throws InterruptedException {
    requireLoopback(settings.url());
    ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    AtomicLong sent = new AtomicLong();
    long start = System.nanoTime();
    long end = start + settings.duration().toNanos();
    Duration limit = settings.duration().plus(settings.deadline()).plusMillis(CLIENT_TIMEOUT_MS);
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        HttpClient http =
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .executor(executor)
                .build()) {
      try (var scope =
          Scope.open("load", Policy.collectAll(), c -> c.withTimeout(limit.plusSeconds(5)))) {
        for (int c = 0; c < settings.clients(); c++) {
          scope.fork(
              "client-" + c,
              () -> {
                while (sent.incrementAndGet() <= settings.requests() && System.nanoTime() < end) {
                  samples.add(request(http, settings, start));
                }
                return null;
              });
        }
        scope.join();
      }
    }
    List<Sample> sorted = new ArrayList<>(samples);
    sorted.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
    return new LoadReport(
        sorted,
        Duration.ofNanos(System.nanoTime() - start),
        settings.deadline(),
        settings.margin(),
        settings.clients());
  }

  // --- implementation ---

  private static Sample request(HttpClient http, Settings settings, long runStart)
      throws InterruptedException {
    String user = "u" + (1 + ThreadLocalRandom.current().nextInt(settings.users()));
    HttpRequest request =
        HttpRequest.newBuilder(settings.url().resolve("dashboard/" + user))
            .header("X-Deadline-Ms", Long.toString(settings.deadline().toMillis()))
            .timeout(settings.deadline().plusMillis(CLIENT_TIMEOUT_MS))
            .build();
    long sentAt = System.nanoTime();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      long took = System.nanoTime() - sentAt;
      return new Sample(sentAt - runStart, took, response.statusCode(), degraded(response), null);
    } catch (HttpTimeoutException e) {
      return new Sample(sentAt - runStart, System.nanoTime() - sentAt, 0, false, "hung");
    } catch (IOException e) {
      return new Sample(sentAt - runStart, System.nanoTime() - sentAt, 0, false, "lost");
    }
  }

  private static boolean degraded(HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      return false;
    }
    try {
      Map<String, Object> json = JsonReader.parseObject(response.body());
      return json.get("degraded") instanceof List<?> parts && !parts.isEmpty();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Refuses a URL whose host is not a loopback address. */
  static void requireLoopback(URI url) {
    String host = url.getHost();
    boolean loopback;
    try {
      loopback = host != null;
      if (loopback) {
        for (InetAddress a : InetAddress.getAllByName(host)) {
          loopback &= a.isLoopbackAddress();
        }
      }
    } catch (UnknownHostException e) {
      loopback = false;
    }
    if (!loopback) {
      throw new IllegalArgumentException(
          "--url "
              + url
              + ": the load generator sends to loopback addresses only (127.0.0.1, localhost, [::1])");
    }
  }

  static Settings parse(List<String> args) {
    URI url = URI.create("http://127.0.0.1:8080/");
    int clients = 16;
    long requests = 5_000;
    long seconds = 30;
    long deadlineMs = 500;
    long marginMs = 50;
    int users = 100;
    Path svg = Path.of("load-latency.svg");
    for (int i = 0; i < args.size(); i += 2) {
      String option = args.get(i);
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException(option + " needs a value: see the usage below");
      }
      String value = args.get(i + 1);
      switch (option) {
        case "--url" -> url = URI.create(value.endsWith("/") ? value : value + "/");
        case "--clients" -> clients = (int) number(option, value, 1, 1_000);
        case "--requests" -> requests = number(option, value, 1, 1_000_000);
        case "--seconds" -> seconds = number(option, value, 1, 600);
        case "--deadline-ms" -> deadlineMs = number(option, value, 1, 60_000);
        case "--margin-ms" -> marginMs = number(option, value, 0, 60_000);
        case "--users" -> users = (int) number(option, value, 1, 1_000_000);
        case "--svg" -> svg = Path.of(value);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    requireLoopback(url);
    return new Settings(
        url,
        clients,
        requests,
        Duration.ofSeconds(seconds),
        Duration.ofMillis(deadlineMs),
        Duration.ofMillis(marginMs),
        users,
        svg);
  }

  private static long number(String option, String value, long min, long max) {
    long n;
    try {
      n = Long.parseLong(value);
    } catch (NumberFormatException e) {
      n = min - 1;
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(
          option + " takes a whole number from " + min + " to " + max + ", was '" + value + "'");
    }
    return n;
  }
}
