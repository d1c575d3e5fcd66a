package dev.weft.samples;

import dev.weft.samples.Shop.Cart;
import dev.weft.samples.Shop.Latencies;
import dev.weft.samples.Shop.Price;
import dev.weft.samples.Shop.Services;
import dev.weft.samples.Shop.User;
import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.scope.TaskFailedException;
import java.io.IOException;
import java.util.List;

/**
 * Dependencies between tasks of one scope (docs/scopes.md, "Dependencies").
 *
 * <p>What it shows: a task that depends on others starts only once they succeeded and receives
 * their results; when a dependency fails, its dependents are skipped, unless they declare a
 * fallback.
 *
 * <p>How to run: {@code ./mvnw -q -pl samples -am compile exec:java
 * -Dsample.main=dev.weft.samples.DependencyJoinSample}
 */
public final class DependencyJoinSample {
  private DependencyJoinSample() {}

  public static void main(String[] args) throws InterruptedException {
    Services shop = Shop.services(Latencies.normal());
    System.out.println("price:   " + price("user-42", shop));
    System.out.println("summary: " + summary("user-42", shop));
    System.out.println("failed:  " + failedDependency());
  }

  /** Prices the cart of {@code userId}: user and cart load at once, price waits for both. */
  static Price price(String userId, Services shop) throws InterruptedException {
    // @start region="dependency-join"
    try (var scope = Scope.open("quote")) {
      Task<User> user = scope.fork("user", () -> shop.user(userId));
      Task<Cart> cart = scope.fork("cart", () -> shop.cart(userId));
      Task<Price> price = scope.fork("price", user, cart, (u, c) -> shop.price(u, c));
      scope.join();
      return price.get();
    }
    // @end region="dependency-join"
  }

  /** A dependent of more than three tasks, or of tasks of mixed types, takes a list. */
  static String summary(String userId, Services shop) throws InterruptedException {
    // @start region="dependency-list"
    try (var scope = Scope.open("summary")) {
      Task<User> user = scope.fork("user", () -> shop.user(userId));
      Task<Cart> cart = scope.fork("cart", () -> shop.cart(userId));
      Task<String> line = scope.fork("line", List.of(user, cart),
          () -> user.get().name() + " has " + cart.get().items().size() + " items");
      scope.join();
      return line.get();
    }
    // @end region="dependency-list"
  }

  /** Returns the message join() throws when a dependency fails. */
  static String failedDependency() throws InterruptedException {
    // @start region="dependency-failed"
    try (var scope = Scope.open("profile", Policy.collectAll())) {
      Task<User> user = scope.fork("user", () -> { throw new IOException("user service down"); });
      Task<String> greeting = scope.fork("greeting", user, u -> "Hello " + u.name());
      Task<String> badge = scope.fork("badge", user, u -> u.gold() ? "gold" : "",
          o -> o.withFallbackValue("none"));
      scope.join();
      return "not reached";
    } catch (TaskFailedException e) {
      // task 'user' failed in scope 'profile': java.io.IOException: user service down;
      // 1 dependent skipped: 'greeting'          ('badge' succeeded with its fallback, "none")
      return e.getMessage();
    }
    // @end region="dependency-failed"
  }
}
