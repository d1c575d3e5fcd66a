package dev.weft.samples;

import dev.weft.samples.Shop.Latencies;
import dev.weft.samples.Shop.Services;
import dev.weft.scope.DeadlineExceededException;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import java.time.Duration;
import java.util.List;

/**
 * Deadlines of scopes and timeouts of tasks (docs/scopes.md, "Deadlines and timeouts").
 *
 * <p>What it shows: a scope deadline cancels the tasks still running and {@code join()} names them;
 * task code reads what is left with {@link Scope#remainingTime()}; a per-task timeout fails one
 * task (here replaced by its fallback) and leaves the others alone; a nested scope keeps the
 * earlier deadline of its parent.
 *
 * <p>How to run: {@code ./mvnw -q -pl samples -am compile exec:java
 * -Dsample.main=dev.weft.samples.DeadlineSample}
 */
public final class DeadlineSample {
  private DeadlineSample() {}

  public static void main(String[] args) throws InterruptedException {
    Services shop = Shop.services(Latencies.normal());
    System.out.println("deadline:        " + deadline(shop));
    System.out.println("remaining time:  " + remainingTime() + " ms left when the task started");
    System.out.println("task timeout:    " + taskTimeout(shop));
    System.out.println("nested deadline: " + nestedDeadline() + " ms left in the inner scope");
  }

  static String deadline(Services shop) throws InterruptedException {
    // @start region="deadline"
    try (var scope = Scope.open("page", c -> c.withTimeout(Duration.ofMillis(200)))) {
      Task<Shop.User> user = scope.fork("user", () -> shop.user("user-42"));   // 40 ms
      Task<List<String>> ads = scope.fork("ads", () -> shop.ads("user-42"));   // 2 s
      try {
        scope.join();
        return "not reached";
      } catch (DeadlineExceededException e) {
        // scope 'page' missed its deadline (200 ms after it opened):
        // 1 task did not finish and was cancelled: 'ads'
        return e.getMessage() + " / user: " + user.get().name();   // user kept its result
      }
    }
    // @end region="deadline"
  }

  static long remainingTime() throws InterruptedException {
    // @start region="remaining-time"
    try (var scope = Scope.open("search", c -> c.withTimeout(Duration.ofSeconds(2)))) {
      Task<Long> hits = scope.fork("hits", () -> {
        Duration left = Scope.remainingTime().orElseThrow();   // ~2 s, never negative
        return left.toMillis();              // e.g. pass it on: httpRequest.timeout(left)
      });
      scope.join();
      return hits.get();
    }
    // @end region="remaining-time"
  }

  static String taskTimeout(Services shop) throws InterruptedException {
    // @start region="task-timeout"
    try (var scope = Scope.open("page")) {
      Task<List<String>> ads = scope.fork("ads", () -> shop.ads("user-42"),   // 2 s
          o -> o.withTimeout(Duration.ofMillis(100)).withFallbackValue(List.of()));
      scope.join();                          // returns after ~100 ms
      Throwable why = ads.recoveredFrom().orElseThrow(); // TimeoutException: task 'ads' timed out after 100 ms
      return ads.get() + " (" + why.getMessage() + ")";
    }
    // @end region="task-timeout"
  }

  static long nestedDeadline() throws InterruptedException {
    // @start region="nested-deadline"
    try (var outer = Scope.open("request", c -> c.withTimeout(Duration.ofMillis(300)))) {
      Task<Long> left = outer.fork("lookup", () -> {
        try (var inner = Scope.open("lookup", c -> c.withTimeout(Duration.ofSeconds(5)))) {
          Task<Long> ms = inner.fork("read", () -> Scope.remainingTime().orElseThrow().toMillis());
          inner.join();
          return ms.get();                   // <= 300: the parent's deadline is earlier
        }
      });
      outer.join();
      return left.get();
    }
    // @end region="nested-deadline"
  }
}
