package dev.weft.samples;

import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.scope.TaskFailedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The four built-in policies and a custom one (docs/scopes.md, "Policies").
 *
 * <p>What it shows: what {@code join()} returns or throws under each policy, and which tasks it
 * cancels. The simulated replicas sleep for their latency: that is their work.
 *
 * <p>How to run: {@code ./mvnw -q -pl samples -am compile exec:java
 * -Dsample.main=dev.weft.samples.PoliciesSample}
 */
public final class PoliciesSample {
  private PoliciesSample() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.println("fail-fast:     " + failFast());
    System.out.println("collect-all:   " + collectAll());
    System.out.println("first-success: " + firstSuccess());
    System.out.println("quorum(2):     " + quorum());
    System.out.println("best-effort:   " + bestEffort());
  }

  /** A replica that answers {@code value} after {@code millis}. */
  static String replica(String value, long millis) throws InterruptedException {
    Thread.sleep(millis);
    return value;
  }

  /** A replica that fails after {@code millis}. */
  static String down(String name, long millis) throws IOException, InterruptedException {
    Thread.sleep(millis);
    throw new IOException(name + " is down");
  }

  static String failFast() throws InterruptedException {
    // @start region="fail-fast"
    try (var scope = Scope.open("fail-fast")) {          // Policy.failFast() is the default
      Task<String> slow = scope.fork("slow", () -> replica("a", 5_000));
      scope.fork("broken", () -> down("broken", 10));
      try {
        scope.join();                                     // throws once 'broken' fails
      } catch (TaskFailedException e) {
        return e.getMessage() + " / slow: " + slow.state(); // ... / slow: CANCELLED
      }
      return "not reached";
    }
    // @end region="fail-fast"
  }

  static String collectAll() throws InterruptedException {
    // @start region="collect-all"
    try (var scope = Scope.open("collect-all", Policy.collectAll())) {
      scope.fork("a", () -> down("a", 10));
      scope.fork("b", () -> down("b", 20));
      scope.fork("c", () -> replica("c", 30));            // runs to its end
      scope.join();
      return "not reached";
    } catch (TaskFailedException e) {
      // cause: a's IOException; b's failure is e.getSuppressed()[0], a TaskFailedException
      return e.getMessage() + " / suppressed: " + e.getSuppressed().length;
    }
    // @end region="collect-all"
  }

  static String firstSuccess() throws InterruptedException {
    // @start region="first-success"
    try (var scope = Scope.open("mirrors", Policy.<String>firstSuccess())) {
      scope.fork("eu", () -> replica("from eu", 200));
      scope.fork("us", () -> replica("from us", 20));
      scope.fork("asia", () -> down("asia", 0));         // a failure does not stop the others
      return scope.join();                                // "from us"; 'eu' is cancelled
    }
    // @end region="first-success"
  }

  static List<String> quorum() throws InterruptedException {
    // @start region="quorum"
    try (var scope = Scope.open("replicas", Policy.<String>quorum(2))) {
      scope.fork("r1", () -> replica("v1", 10));
      scope.fork("r2", () -> replica("v2", 30));
      scope.fork("r3", () -> replica("v3", 5_000));      // cancelled once two succeeded
      return scope.join();                                // [v1, v2], in the order they ended
    }
    // @end region="quorum"
  }

  static List<String> bestEffort() throws InterruptedException {
    try (var scope = Scope.open("best-effort", new BestEffort<String>())) {
      scope.fork("a", () -> replica("a", 10));
      scope.fork("b", () -> down("b", 5));
      scope.fork("c", () -> replica("c", 20));
      return scope.join(); // [a, c]
    }
  }

  // @start region="custom-policy"
  /** Returns the values of the tasks that succeeded, in fork order; fails only if none did. */
  static final class BestEffort<T> implements Policy<List<T>> {
    private final AtomicInteger succeeded = new AtomicInteger(); // onComplete runs in many threads

    @Override
    public boolean onComplete(Task<?> task) {                  // in the thread that ended the task
      if (task.state() == Task.State.SUCCEEDED) {
        succeeded.incrementAndGet();
      }
      return false;                                            // never cancel the others
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<T> result(Scope<List<T>> scope) {              // in the owner, every task final
      if (succeeded.get() == 0) {
        throw new IllegalStateException("no task of scope '" + scope.name() + "' succeeded");
      }
      List<T> values = new ArrayList<>();
      for (Task<?> t : scope.tasks()) {
        if (t.state() == Task.State.SUCCEEDED) {
          values.add((T) t.get());
        }
      }
      return values;
    }
  }
  // @end region="custom-policy"
}
