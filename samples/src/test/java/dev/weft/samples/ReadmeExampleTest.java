package dev.weft.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.samples.Shop.Cart;
import dev.weft.samples.Shop.Latencies;
import dev.weft.samples.Shop.Price;
import dev.weft.samples.Shop.Services;
import dev.weft.samples.Shop.User;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The first example of the README (README.md), kept here so that it always compiles and runs;
 * {@link DocsSnippetsTest} checks that the README shows exactly this code.
 */
class ReadmeExampleTest {

  record Page(User user, Cart cart, Price price, List<String> ads) {}

  static Page checkout(String userId, Services shop) throws InterruptedException {
    // @start region="readme"
    try (var scope = Scope.open("checkout", c -> c.withTimeout(Duration.ofMillis(500)))) {
      Task<User> user = scope.fork("user", () -> shop.user(userId));
      Task<Cart> cart = scope.fork("cart", () -> shop.cart(userId));
      Task<Price> price = scope.fork("price", user, cart, (u, c) -> shop.price(u, c));
      Task<List<String>> ads = scope.fork("ads", () -> shop.ads(userId),
          o -> o.withTimeout(Duration.ofMillis(100)).withFallbackValue(List.of()));
      scope.join();  // fail-fast: the first failure cancels the rest and is thrown here
      return new Page(user.get(), cart.get(), price.get(), ads.get());
    }                // close(): every thread the scope started has ended
    // @end region="readme"
  }

  /** The README example builds the page; ads time out and fall back to none. */
  @Test
  void readmeExample_runs_buildsPage() throws InterruptedException {
    Page page = checkout("user-42", Shop.services(Latencies.normal()));

    assertThat(page.user().id()).isEqualTo("user-42");
    assertThat(page.price().totalCents()).isEqualTo(5220);
    assertThat(page.ads()).isEmpty();
  }
}
