package dev.weft.samples;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The simulated shop the samples and snippets call: each service sleeps for its latency (that is
 * the simulated work) and then answers. Nothing here knows about Weft.
 */
public final class Shop {
  private Shop() {}

  /** A signed-in user; gold members get a discount. */
  public record User(String id, String name, boolean gold) {}

  /** A line of a cart. */
  public record Item(String sku, long cents) {}

  /** A user's cart. */
  public record Cart(List<Item> items) {}

  /** A quoted price, in cents. */
  public record Price(long totalCents, long discountCents) {
    @Override
    public String toString() {
      return String.format(
          "%d.%02d EUR (discount %d.%02d)",
          totalCents / 100, totalCents % 100, discountCents / 100, discountCents % 100);
    }
  }

  /**
   * The latencies of the simulated services. {@link #normal()} answers well inside a checkout's
   * deadline; the {@code with...} methods make one service slower.
   */
  public record Latencies(Duration user, Duration cart, Duration price, Duration ads) {
    /** User 40 ms, cart 60 ms, price 30 ms, ads 2 s (an ad server having a bad day). */
    public static Latencies normal() {
      return new Latencies(
          Duration.ofMillis(40),
          Duration.ofMillis(60),
          Duration.ofMillis(30),
          Duration.ofSeconds(2));
    }

    /** The same latencies with a slow pricing service. */
    public Latencies withPrice(Duration price) {
      return new Latencies(user, cart, price, ads);
    }
  }

  /** The simulated services, with the given latencies. */
  public static Services services(Latencies latencies) {
    return new Services(latencies);
  }

  /** Simulated remote services. Every method blocks for its latency and honours interrupts. */
  public static final class Services {
    private final Latencies latencies;

    private Services(Latencies latencies) {
      this.latencies = latencies;
    }

    public User user(String userId) throws InterruptedException {
      Thread.sleep(latencies.user());
      return new User(userId, "Ann", true);
    }

    public Cart cart(String userId) throws InterruptedException {
      Thread.sleep(latencies.cart());
      return new Cart(
          List.of(new Item("tea", 1250), new Item("cups", 2400), new Item("pot", 2150)));
    }

    public Price price(User user, Cart cart) throws InterruptedException {
      Thread.sleep(latencies.price());
      long sum = cart.items().stream().mapToLong(Item::cents).sum();
      long discount = user.gold() ? sum / 10 : 0;
      return new Price(sum - discount, discount);
    }

    /** Always fails: the recommendation service is down. */
    public List<String> recommendations(String userId) throws IOException {
      throw new IOException("recommendation service unavailable (HTTP 503)");
    }

    public List<String> ads(String userId) throws InterruptedException {
      Thread.sleep(latencies.ads());
      return List.of("ad-for-" + userId);
    }
  }
}
