package dev.weft.samples.http;

import dev.weft.scope.Scope;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the backends over HTTP with {@link HttpClient}, from the dashboard's tasks.
 *
 * <p>Each call's timeout is {@link Scope#remainingTime()}: what is left of the deadline of the
 * scope whose task makes the call. A backend can therefore never hold a task past its request's
 * deadline, and a call made with no time left fails at once with an {@link HttpTimeoutException}.
 * When the scope cancels a task (a sibling failed, or the deadline passed), the interrupt aborts
 * the call: {@code HttpClient.send} throws {@code InterruptedException}.
 *
 * <p>A backend answer other than 200 is an {@link IOException} naming the backend and its status.
 * Each call is timed in {@code backend_calls_seconds{backend, outcome}}.
 */
final class BackendClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BackendClient.class);

  /** The timeout of a call made outside any scope with a deadline. */
  static final Duration NO_DEADLINE_TIMEOUT = Duration.ofSeconds(2);

  /** A user's profile. */
  record Profile(String userId, String name, String tier) {}

  /** One order of a user. */
  record Order(String id, long totalCents) {}

  /** The price of a user's orders after the discount of their tier. */
  record Price(long subtotalCents, long discountCents, long totalCents) {}

  private final URI base;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient http;
  private final MeterRegistry registry;

  BackendClient(URI base, MeterRegistry registry) {
    this.base = base;
    this.registry = registry;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .executor(executor)
            .build();
  }

  Profile profile(String userId, String requestId) throws IOException, InterruptedException {
    Map<String, Object> json = get("profile", "profile/" + encode(userId), requestId);
    return new Profile((String) json.get("userId"), (String) json.get("name"), tier(json));
  }

  List<Order> orders(String userId, String requestId) throws IOException, InterruptedException {
    Map<String, Object> json = get("orders", "orders/" + encode(userId), requestId);
    return list(json, "orders").stream()
        .map(o -> (Map<?, ?>) o)
        .map(o -> new Order((String) o.get("id"), ((Number) o.get("totalCents")).longValue()))
        .toList();
  }

  List<String> recommendations(String userId, String requestId)
      throws IOException, InterruptedException {
    Map<String, Object> json =
        get("recommendations", "recommendations/" + encode(userId), requestId);
    return list(json, "items").stream().map(String::valueOf).toList();
  }

  Price pricing(String userId, String tier, long subtotalCents, String requestId)
      throws IOException, InterruptedException {
    Map<String, Object> json =
        get(
            "pricing",
            "pricing/"
                + encode(userId)
                + "?tier="
                + encode(tier)
                + "&subtotalCents="
                + subtotalCents,
            requestId);
    return new Price(
        cents(json, "subtotalCents"), cents(json, "discountCents"), cents(json, "totalCents"));
  }

  @Override
  public void close() throws InterruptedException {
    http.close();
    executor.shutdown();
    executor.awaitTermination(2, TimeUnit.SECONDS);
  }

  // --- implementation ---

  private Map<String, Object> get(String backend, String pathAndQuery, String requestId)
      throws IOException, InterruptedException {
    Duration timeout = Scope.remainingTime().orElse(NO_DEADLINE_TIMEOUT);
    if (timeout.isZero()) {
      throw new HttpTimeoutException(backend + ": no time left before the deadline");
    }
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(pathAndQuery))
            .timeout(timeout)
            .header(RequestIds.HEADER, requestId)
            .GET()
            .build();
    long start = System.nanoTime();
    String outcome = "error";
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      log.debug(
          "GET {} -> {} in {} ms (timeout {} ms)",
          request.uri().getPath(),
          response.statusCode(),
          (System.nanoTime() - start) / 1_000_000,
          timeout.toMillis());
      if (response.statusCode() != 200) {
        throw new IOException(backend + " backend answered " + response.statusCode());
      }
      Map<String, Object> json = JsonReader.parseObject(response.body());
      outcome = "ok";
      return json;
    } catch (HttpTimeoutException e) {
      outcome = "timeout";
      throw e;
    } catch (InterruptedException e) {
      outcome = "cancelled";
      throw e;
    } catch (IllegalArgumentException e) {
      throw new IOException(backend + " backend answered malformed JSON: " + e.getMessage(), e);
    } finally {
      Timer.builder("backend.calls")
          .description("Calls of the dashboard's tasks to the backends")
          .tag("backend", backend)
          .tag("outcome", outcome)
          .register(registry)
          .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  private static String tier(Map<String, Object> json) {
    Object tier = json.get("tier");
    return tier == null ? "basic" : tier.toString();
  }

  private static List<?> list(Map<String, Object> json, String key) throws IOException {
    if (json.get(key) instanceof List<?> list) {
      return list;
    }
    throw new IOException("backend answer has no list '" + key + "': " + Json.write(json));
  }

  private static long cents(Map<String, Object> json, String key) throws IOException {
    if (json.get(key) instanceof Number n) {
      return n.longValue();
    }
    throw new IOException("backend answer has no number '" + key + "': " + Json.write(json));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
