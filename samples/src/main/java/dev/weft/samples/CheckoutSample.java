package dev.weft.samples;

import dev.weft.samples.Shop.Cart;
import dev.weft.samples.Shop.Latencies;
import dev.weft.samples.Shop.Price;
import dev.weft.samples.Shop.Services;
import dev.weft.samples.Shop.User;
import dev.weft.scope.DeadlineExceededException;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.scope.TaskFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A checkout page built by one scope, the way a request handler would build it.
 *
 * <p>What it shows: {@code user} and {@code cart} load at the same time; {@code price} depends on
 * both and starts only once both succeeded (a dependency join). {@code recommendations} always
 * fails and falls back to a default list; {@code ads} is slower than its per-task timeout and falls
 * back to no ads. The whole scope has a deadline: in the second request pricing is too slow, the
 * deadline cancels it, and {@code join()} throws {@link DeadlineExceededException} naming it.
 *
 * <p>How to run, from the repository root:
 *
 * <pre>{@code ./mvnw -q -pl samples -am compile exec:java}</pre>
 *
 * <p>What it printed (JDK 25, a shared 2-core machine; times vary by a few ms):
 *
 * <pre>
 * checkout for user-42 (pricing takes 30 ms, deadline 500 ms)
 *   part             state      started    ran   outcome
 *   user             SUCCEEDED    10 ms  41 ms   User[id=user-42, name=Ann, gold=true]
 *   cart             SUCCEEDED    11 ms  61 ms   3 items
 *   price            SUCCEEDED    73 ms  33 ms   52.20 EUR (discount 5.80)
 *   recommendations  SUCCEEDED    13 ms   0 ms   [bestsellers] (fallback for java.io.IOException: recommendation service unavailable (HTTP 503))
 *   ads              SUCCEEDED    14 ms 104 ms   [] (fallback for java.util.concurrent.TimeoutException: task 'ads' timed out after 100 ms)
 *   page ready after 138 ms: total 52.20 EUR (discount 5.80)
 *
 * checkout for user-7 (pricing takes 2000 ms, deadline 500 ms)
 *   part             state      started    ran   outcome
 *   user             SUCCEEDED     0 ms  41 ms   User[id=user-7, name=Ann, gold=true]
 *   cart             SUCCEEDED     0 ms  60 ms   3 items
 *   price            CANCELLED    61 ms 440 ms   task 'price' cancelled: deadline of scope 'checkout' passed (500 ms after it opened)
 *   recommendations  SUCCEEDED     0 ms   0 ms   [bestsellers] (fallback for java.io.IOException: recommendation service unavailable (HTTP 503))
 *   ads              SUCCEEDED     0 ms 100 ms   [] (fallback for java.util.concurrent.TimeoutException: task 'ads' timed out after 100 ms)
 *   join() threw dev.weft.scope.DeadlineExceededException: scope 'checkout' missed its deadline (500 ms after it opened): 1 task did not finish and was cancelled: 'price'
 *   no page after 512 ms
 * </pre>
 *
 * The first request's tasks start about 10 ms late: the JVM starts its first virtual threads.
 */
public final class CheckoutSample {
  /** The deadline of one checkout. */
  static final Duration DEADLINE = Duration.ofMillis(500);

  /** How long ads may take before the page goes without them. */
  static final Duration ADS_TIMEOUT = Duration.ofMillis(100);

  private CheckoutSample() {}

  /** The page the checkout builds. */
  public record Page(
      User user, Cart cart, Price price, List<String> recommendations, List<String> ads) {}

  /**
   * What one part of the checkout did: its final state, when its body started (after the scope
   * opened) and how long it ran (both empty if its body never ran), and its result or exception.
   */
  public record Part(
      String name,
      Task.State state,
      Optional<Duration> startedAt,
      Optional<Duration> ran,
      String outcome) {}

  /**
   * One checkout: the page, or the exception {@code join()} threw; one entry per task; the total
   * time.
   */
  public record Outcome(
      Optional<Page> page, Optional<RuntimeException> failure, List<Part> parts, Duration took) {
    /** The part named {@code name}. */
    public Part part(String name) {
      return parts.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }
  }

  public static void main(String[] args) throws InterruptedException {
    print("user-42", Latencies.normal());
    print("user-7", Latencies.normal().withPrice(Duration.ofSeconds(2)));
  }

  /** Builds the checkout page of {@code userId} from {@code shop}, within {@link #DEADLINE}. */
  public static Outcome checkout(String userId, Services shop) throws InterruptedException {
    try (var scope = Scope.open("checkout", c -> c.withTimeout(DEADLINE))) {
      Timeline timeline = new Timeline(); // times count from here, like the deadline
      Task<User> user = scope.fork("user", timeline.timed("user", () -> shop.user(userId)));
      Task<Cart> cart = scope.fork("cart", timeline.timed("cart", () -> shop.cart(userId)));
      Task<Price> price =
          scope.fork(
              "price",
              user,
              cart,
              (u, c) -> timeline.timed("price", () -> shop.price(u, c)).call());
      Task<List<String>> recommendations =
          scope.fork(
              "recommendations",
              timeline.timed("recommendations", () -> shop.recommendations(userId)),
              o -> o.withFallback(failure -> List.of("bestsellers")));
      Task<List<String>> ads =
          scope.fork(
              "ads",
              timeline.timed("ads", () -> shop.ads(userId)),
              o -> o.withTimeout(ADS_TIMEOUT).withFallbackValue(List.of()));

      Optional<Page> page = Optional.empty();
      Optional<RuntimeException> failure = Optional.empty();
      try {
        scope.join();
        page =
            Optional.of(
                new Page(user.get(), cart.get(), price.get(), recommendations.get(), ads.get()));
      } catch (DeadlineExceededException | TaskFailedException e) {
        failure = Optional.of(e);
      }
      return new Outcome(page, failure, timeline.parts(scope.tasks()), timeline.sinceStart());
    }
  }

  private static void print(String userId, Latencies latencies) throws InterruptedException {
    System.out.printf(
        "checkout for %s (pricing takes %d ms, deadline %d ms)%n",
        userId, latencies.price().toMillis(), DEADLINE.toMillis());
    Outcome outcome = checkout(userId, Shop.services(latencies));
    System.out.printf("  %-16s %-10s %7s %6s   %s%n", "part", "state", "started", "ran", "outcome");
    for (Part p : outcome.parts()) {
      System.out.printf(
          "  %-16s %-10s %7s %6s   %s%n",
          p.name(),
          p.state(),
          p.startedAt().map(CheckoutSample::ms).orElse("-"),
          p.ran().map(CheckoutSample::ms).orElse("-"),
          p.outcome());
    }
    outcome.failure().ifPresent(e -> System.out.println("  join() threw " + e));
    System.out.println(
        outcome.page().isPresent()
            ? "  page ready after " + ms(outcome.took()) + ": total " + outcome.page().get().price()
            : "  no page after " + ms(outcome.took()));
    System.out.println();
  }

  private static String ms(Duration d) {
    return d.toMillis() + " ms";
  }

  /**
   * Records when each task body started and ended; written by task threads, read by the owner after
   * join().
   */
  private static final class Timeline {
    private final long openedAt = System.nanoTime();
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private final Map<String, Long> ended = new ConcurrentHashMap<>();

    /** Wraps {@code body} so that its start and end are recorded under {@code name}. */
    <T> Callable<T> timed(String name, Callable<T> body) {
      return () -> {
        started.put(name, System.nanoTime());
        try {
          return body.call();
        } finally {
          ended.put(name, System.nanoTime());
        }
      };
    }

    Duration sinceStart() {
      return Duration.ofNanos(System.nanoTime() - openedAt);
    }

    List<Part> parts(List<Task<?>> tasks) {
      List<Part> parts = new ArrayList<>();
      for (Task<?> t : tasks) {
        Long start = started.get(t.name());
        Long end = ended.get(t.name());
        parts.add(
            new Part(
                t.name(),
                t.state(),
                Optional.ofNullable(start).map(s -> Duration.ofNanos(s - openedAt)),
                Optional.ofNullable(start)
                    .map(s -> Duration.ofNanos((end == null ? System.nanoTime() : end) - s)),
                describe(t)));
      }
      return parts;
    }

    private static String describe(Task<?> t) {
      return switch (t.state()) {
        case SUCCEEDED ->
            t.get() instanceof Cart c
                ? c.items().size() + " items"
                : t.get() + t.recoveredFrom().map(e -> " (fallback for " + e + ")").orElse("");
        case FAILED, SKIPPED, CANCELLED -> String.valueOf(t.exception().getMessage());
        case PENDING, RUNNING -> "not ended"; // not reached: after join() every task is final
      };
    }
  }
}
