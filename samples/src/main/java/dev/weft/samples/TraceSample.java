package dev.weft.samples;

import dev.weft.scope.Scope;
import dev.weft.scope.ScopeTrace;
import dev.weft.scope.Task;
import dev.weft.trace.ChromeTrace;
import dev.weft.trace.CriticalPath;
import dev.weft.trace.TraceGraph;
import dev.weft.trace.TraceSvg;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The execution trace of a request (docs/observability.md, "Traces"): a dashboard scope whose
 * {@code pricing} task waits for {@code profile} and {@code orders}, {@code orders} runs two
 * queries in a nested scope, and {@code recommendations} times out into its fallback. The slow
 * query holds the request up, and the critical path says so.
 *
 * <p>How to run: {@code ./mvnw -q -pl samples -am compile exec:java
 * -Dsample.main=dev.weft.samples.TraceSample -Dexec.args=target/trace} writes {@code trace.json}
 * (open it in ui.perfetto.dev), {@code trace.svg}, {@code trace.mmd} and {@code trace.dot} into the
 * directory given, and prints the critical path. {@code docs/render-trace} runs it to draw the
 * picture in the docs.
 */
public final class TraceSample {
  private TraceSample() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/trace");
    Files.createDirectories(dir);
    dashboard(); // once to load and compile what a running service has loaded and compiled
    ScopeTrace trace = dashboard();
    write(dir.resolve("trace.json"), chrome(trace));
    write(dir.resolve("trace.svg"), TraceSvg.toSvg(trace));
    List<String> graphs = graphs(trace);
    write(dir.resolve("trace.mmd"), graphs.get(0));
    write(dir.resolve("trace.dot"), graphs.get(1));
    System.out.println("critical path: " + criticalPath(trace));
    System.out.println("wrote trace.json, trace.svg, trace.mmd, trace.dot to " + dir);
  }

  /** Runs the dashboard scope with a trace and returns the trace. */
  static ScopeTrace dashboard() throws InterruptedException {
    AtomicReference<ScopeTrace> traced = new AtomicReference<>();
    try (var scope = Scope.open("dashboard", c -> c.withTrace(traced::set))) {
      Task<String> profile = scope.fork("profile", () -> work(20, "profile"));
      Task<List<String>> orders = scope.fork("orders", TraceSample::orders);
      scope.fork("pricing", profile, orders, (p, o) -> work(10, p + o.size()));
      scope.fork(
          "recommendations",
          () -> work(200, "recommendations"),
          o -> o.withTimeout(Duration.ofMillis(30)).withFallbackValue("none"));
      scope.join();
    }
    return traced.get();
  }

  static String criticalPath(ScopeTrace trace) {
    // @start region="critical-path"
    CriticalPath path = CriticalPath.of(trace);
    // dashboard/orders (60.4 ms) { dashboard/orders/db/q1 (50.2 ms) }
    //   -> dashboard/pricing (waited 60.6 ms, 10.1 ms)
    return path.toString();
    // @end region="critical-path"
  }

  static String chrome(ScopeTrace trace) {
    // @start region="chrome"
    String json = ChromeTrace.toJson(trace); // {"displayTimeUnit":"ms",...,"traceEvents":[...]}
    // write it to a file and open it in https://ui.perfetto.dev
    return json;
    // @end region="chrome"
  }

  /** The graph as Mermaid, then as DOT. */
  static List<String> graphs(ScopeTrace trace) {
    // @start region="graph"
    String mermaid = TraceGraph.toMermaid(trace); // flowchart LR ... critical path in red
    String dot = TraceGraph.toDot(trace); // digraph weft { ... }: dot -Tsvg
    // @end region="graph"
    return List.of(mermaid, dot);
  }

  private static List<String> orders() throws InterruptedException {
    try (var db = Scope.open("db")) {
      Task<String> q1 = db.fork("q1", () -> work(50, "order-1"));
      Task<String> q2 = db.fork("q2", () -> work(10, "order-2"));
      db.join();
      return List.of(q1.get(), q2.get());
    }
  }

  /** Stands for a call that takes {@code millis}. */
  private static <T> T work(long millis, T result) throws InterruptedException {
    Thread.sleep(millis);
    return result;
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
