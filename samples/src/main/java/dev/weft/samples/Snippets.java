package dev.weft.samples;

import dev.weft.samples.Shop.Cart;
import dev.weft.samples.Shop.Price;
import dev.weft.samples.Shop.Services;
import dev.weft.samples.Shop.User;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Code shown in docs/ and README.md. Each {@code @start region} block is copied into a document
 * verbatim; {@code DocsSnippetsTest} fails if a copy drifts, and {@code SnippetsTest} runs every
 * method here.
 *
 * <p>The framework's javadoc shows some regions of this package as they are ({@code {@snippet
 * class=dev.weft.samples.Snippets region=limits}}, read through {@code --snippet-path}): the
 * framework's build fails if such a region is renamed or removed.
 */
public final class Snippets {
  private Snippets() {}

  // --- first scope (getting started) ---

  /** Two lookups at once; the result combines both. */
  static String firstScope() throws InterruptedException {
    // @start region="first-scope"
    try (var scope = Scope.open("greeting")) {
      Task<String> name = scope.fork("name", () -> {
        Thread.sleep(100);                     // stands for a call to a slow service
        return "Ann";
      });
      Task<Integer> unread = scope.fork("unread", () -> {
        Thread.sleep(100);
        return 3;
      });
      scope.join();                            // both ran at the same time: ~100 ms, not 200
      return "Hello " + name.get() + ", you have " + unread.get() + " new messages";
    }
    // @end region="first-scope"
  }

  // --- limits ---

  /** Bodies of {@link #fetchSize} running right now, and the most seen at once. */
  static final AtomicInteger running = new AtomicInteger();

  static final AtomicInteger maxRunning = new AtomicInteger();

  /** Simulated download: 20 ms of work, returns the URL's length. */
  static int fetchSize(String url) throws InterruptedException {
    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
    try {
      Thread.sleep(20);
      return url.length();
    } finally {
      running.decrementAndGet();
    }
  }

  static List<Integer> limits(List<String> urls) throws InterruptedException {
    // @start region="limits"
    try (var scope = Scope.open("crawl", c -> c.withMaxConcurrency(4))) {
      List<Task<Integer>> sizes = new ArrayList<>();
      for (String url : urls) {
        sizes.add(scope.fork(url, () -> fetchSize(url)));   // at most 4 bodies run at once
      }
      scope.join();
      return sizes.stream().map(Task::get).toList();
    }
    // @end region="limits"
  }

  // --- cancellation ---

  /** Simulated export that takes 10 s and stops when interrupted. */
  static int exportRows() throws InterruptedException {
    Thread.sleep(10_000);
    return 1_000_000;
  }

  /**
   * Runs an export that {@code onCancelRequest} may cancel: it receives the scope's cancel action
   * and may run it in any thread (think of a "Cancel" button's handler).
   */
  static String cancellation(Consumer<Runnable> onCancelRequest) throws InterruptedException {
    // @start region="cancellation"
    try (var scope = Scope.open("export")) {
      Task<Integer> rows = scope.fork("rows", () -> exportRows());   // honours interrupts
      onCancelRequest.accept(scope::cancel);                        // any thread may cancel
      scope.join();
      return rows.get() + " rows";
    } catch (CancellationException e) {
      // scope 'export' was cancelled by cancel() in thread 'ui'
      return e.getMessage();
    }
    // @end region="cancellation"
  }

  // --- fallbacks ---

  static String fallbacks(String userId, Services shop) throws InterruptedException {
    // @start region="fallbacks"
    try (var scope = Scope.open("home")) {
      Task<List<String>> recs = scope.fork("recommendations", () -> shop.recommendations(userId),
          o -> o.withFallback(failure -> List.of("bestsellers")));              // any failure
      Task<List<String>> ads = scope.fork("ads", () -> shop.ads(userId),
          o -> o.withTimeout(Duration.ofMillis(100)).withFallbackValue(List.of()));   // too slow
      scope.join();                                // both succeeded, through their fallbacks
      return recs.get() + " " + ads.get()          // [bestsellers] []
          + ", because: " + recs.recoveredFrom().orElseThrow().getMessage();
    }
    // @end region="fallbacks"
  }

  // --- coming from CompletableFuture ---

  /** Checked exceptions cannot cross a Supplier: CompletableFuture code wraps them. */
  static <T> Supplier<T> unchecked(Callable<T> body) {
    return () -> {
      try {
        return body.call();
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    };
  }

  static Price withCompletableFuture(String userId, Services shop, Executor executor) {
    // @start region="completable-future"
    CompletableFuture<User> user = CompletableFuture.supplyAsync(unchecked(() -> shop.user(userId)), executor);
    CompletableFuture<Cart> cart = CompletableFuture.supplyAsync(unchecked(() -> shop.cart(userId)), executor);
    CompletableFuture<Price> price = user.thenCombineAsync(cart,
        (u, c) -> unchecked(() -> shop.price(u, c)).get(), executor);
    return price.orTimeout(500, TimeUnit.MILLISECONDS)
        .join();   // CompletionException(RuntimeException(cause)); a failed 'user' leaves 'cart' running
    // @end region="completable-future"
  }

  static Price withWeft(String userId, Services shop) throws InterruptedException {
    // @start region="weft-equivalent"
    try (var scope = Scope.open("quote", c -> c.withTimeout(Duration.ofMillis(500)))) {
      Task<User> user = scope.fork("user", () -> shop.user(userId));
      Task<Cart> cart = scope.fork("cart", () -> shop.cart(userId));
      Task<Price> price = scope.fork("price", user, cart, (u, c) -> shop.price(u, c));
      scope.join();   // TaskFailedException(cause); a failed 'user' cancels 'cart'
      return price.get();
    }               // close(): no thread of this scope is still running
    // @end region="weft-equivalent"
  }
}
