package dev.weft.trace;

import static dev.weft.trace.Traces.failed;
import static dev.weft.trace.Traces.opening;
import static dev.weft.trace.Traces.ran;
import static dev.weft.trace.Traces.scope;
import static dev.weft.trace.Traces.skipped;
import static dev.weft.trace.Traces.trace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.scope.ScopeTrace;
import dev.weft.scope.ScopeTrace.TracedScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Chrome trace JSON, Mermaid, DOT and SVG of known traces: structure, marks and escaping. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TraceExportTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<JsonNode> events(String json) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    JSON.readTree(json).get("traceEvents").forEach(out::add);
    return out;
  }

  /** Track names by tid, from the thread_name metadata. */
  private static Map<Integer, String> tracks(List<JsonNode> events) {
    Map<Integer, String> names = new HashMap<>();
    for (JsonNode e : events) {
      if (e.get("ph").asText().equals("M") && e.get("name").asText().equals("thread_name")) {
        names.put(e.get("tid").asInt(), e.get("args").get("name").asText());
      }
    }
    return names;
  }

  @Test
  void chrome_spansFlowsAndCriticalTrack() throws Exception {
    String json = ChromeTrace.toJson(Traces.knownGraph());
    List<JsonNode> events = events(json);
    Map<Integer, String> tracks = tracks(events);

    assertThat(JSON.readTree(json).get("otherData").get("criticalPath").asText())
        .isEqualTo("req/b (29.0 ms) -> req/c (waited 30.0 ms, 10.0 ms)");
    assertThat(tracks).containsValues("critical path", "req/a", "req/b", "req/c", "req/d");
    // One body span per task on its own track, microseconds from the open.
    JsonNode c = span(events, tracks, "req/c", "c");
    assertThat(c.get("ts").asDouble()).isEqualTo(31_000.0);
    assertThat(c.get("dur").asDouble()).isEqualTo(10_000.0);
    assertThat(c.get("args").get("outcome").asText()).isEqualTo("succeeded");
    assertThat(c.get("args").get("critical").asBoolean()).isTrue();
    assertThat(span(events, tracks, "req/a", "a").get("args").get("critical").asBoolean())
        .isFalse();
    // c waited for its dependencies from its fork to 30 ms.
    JsonNode wait = span(events, tracks, "req/c", "waiting for a, b");
    assertThat(wait.get("dur").asDouble()).isEqualTo(30_000.0);
    // A flow arrow from each dependency's body to c's: starts on a and b, ends on c. Viewers bind
    // each end to the span of the task's category that starts on its track at its time (DevTools
    // needs exactly that; Perfetto takes the span open then): a's and b's bodies, and c's.
    List<String> flowStarts = new ArrayList<>();
    for (JsonNode e : events) {
      String ph = e.get("ph").asText();
      if (ph.equals("s") || ph.equals("f")) {
        JsonNode bound = boundSpan(events, e);
        String track = tracks.get(e.get("tid").asInt());
        assertThat(bound.get("name").asText()).isEqualTo(track.substring("req/".length()));
        if (ph.equals("s")) {
          flowStarts.add(track);
        } else {
          assertThat(track).isEqualTo("req/c");
          assertThat(e.get("bp").asText()).isEqualTo("e");
        }
      }
    }
    assertThat(flowStarts).containsExactly("req/a", "req/b");
    // The critical path track repeats b's and c's spans, in order.
    List<String> critical = new ArrayList<>();
    for (JsonNode e : events) {
      if (e.get("ph").asText().equals("X")
          && tracks.get(e.get("tid").asInt()).equals("critical path")) {
        critical.add(e.get("name").asText());
      }
    }
    assertThat(critical).containsExactly("req/b", "req/c");
  }

  /** The one span or instant that flow event {@code flow} binds to: same track, time, category. */
  private static JsonNode boundSpan(List<JsonNode> events, JsonNode flow) {
    return only(
        events,
        "spans that flow " + flow + " binds to",
        e ->
            (e.get("ph").asText().equals("X") || e.get("ph").asText().equals("i"))
                && e.get("pid").asInt() == flow.get("pid").asInt()
                && e.get("tid").asInt() == flow.get("tid").asInt()
                && e.get("ts").asText().equals(flow.get("ts").asText())
                && e.get("cat").asText().equals(flow.get("cat").asText()));
  }

  private static JsonNode span(
      List<JsonNode> events, Map<Integer, String> tracks, String track, String name) {
    return only(
        events,
        "spans named '" + name + "' on track '" + track + "'",
        e ->
            e.get("ph").asText().equals("X")
                && track.equals(tracks.get(e.get("tid").asInt()))
                && e.get("name").asText().equals(name));
  }

  /** The one event of {@code events} that {@code match} accepts ({@code what} names them). */
  private static JsonNode only(List<JsonNode> events, String what, Predicate<JsonNode> match) {
    List<JsonNode> found = events.stream().filter(match).toList();
    assertThat(found).as(what).hasSize(1);
    return found.get(0);
  }

  /** A task that never started is an instant event; a failure's class name is in its args. */
  @Test
  void chrome_skippedTaskIsAnInstant_failureClassInArgs() throws Exception {
    ScopeTrace t =
        trace(scope("ff", "ff", 0, 5, 6, failed("ff", "a", 5), skipped("ff", "c", 5, "a")));
    List<JsonNode> events = events(ChromeTrace.toJson(t));

    assertThat(events)
        .filteredOn(e -> e.get("ph").asText().equals("i"))
        .singleElement()
        .satisfies(e -> assertThat(e.get("name").asText()).isEqualTo("c skipped"));
    assertThat(events)
        .filteredOn(e -> e.get("name").asText().equals("a") && e.get("ph").asText().equals("X"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.get("args").get("failure").asText()).isEqualTo("java.io.IOException"));
    assertThat(events).noneMatch(e -> e.get("ph").asText().equals("f")); // c never became ready
  }

  /** Names with quotes, backslashes, markup and non-ASCII survive every format. */
  @Test
  void everyFormat_escapesNames() throws Exception {
    String name = "q\"1\\<b>&é#";
    ScopeTrace t = trace(scope("s", "s", 0, 2, 2, ran("s", name, 0, 0, 1, 2)));

    String json = ChromeTrace.toJson(t);
    assertThat(json.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)).isTrue();
    assertThat(tracks(events(json))).containsValue("s/" + name);
    assertThat(TraceGraph.toMermaid(t)).contains("[\"q#quot;1\\#lt;b#gt;&é#35;<br/>");
    assertThat(TraceGraph.toDot(t)).contains("label=\"q\\\"1\\\\<b>&é#\\nsucceeded 1.0 ms\"");
    assertThat(TraceSvg.toSvg(t)).contains(">q&quot;1\\&lt;b&gt;&amp;é#  succeeded</text>");
  }

  @Test
  void mermaid_subgraphsEdgesAndCriticalMarks() {
    String m = TraceGraph.toMermaid(Traces.knownGraph());

    assertThat(m)
        .startsWith("flowchart LR\n  subgraph s0[\"req (fail-fast)\"]\n")
        .contains("    t2[\"c<br/>succeeded 10.0 ms\"]\n")
        .contains("  t0 --> t2\n  t1 --> t2\n")
        .contains("  class t1,t2 critical\n")
        .contains("  linkStyle 1 stroke:#c62828"); // b --> c is the second link, a --> c is not
  }

  /** A task that opens two scopes of the same name: distinct ids, the later one on the path. */
  @Test
  void graphs_nestedScopesWithTheSamePath_distinctIds() {
    TracedScope first = scope("db", "r/load/db", 1, 2, 2, ran("r/load/db", "q", 1, 1, 1, 2));
    TracedScope second = scope("db", "r/load/db", 2, 9, 9, ran("r/load/db", "q", 2, 2, 2, 9));
    ScopeTrace t = trace(scope("r", "r", 0, 10, 10, opening("r", "load", 10, first, second)));

    String m = TraceGraph.toMermaid(t);
    assertThat(m).contains("  subgraph s1[").contains("  subgraph s2[");
    assertThat(m).contains("  t0 -.-> s1\n  t0 -.-> s2\n").contains("  class t0,t2 critical\n");
    assertThat(m).contains("  linkStyle 1 stroke");
    String dot = TraceGraph.toDot(t);
    assertThat(dot).contains("subgraph cluster_s1 {").contains("subgraph cluster_s2 {");
    assertThat(dot).contains("  t0 -> s2 [style=dashed, lhead=cluster_s2, color=\"#c62828\"");
    assertThat(dot).contains("  t0 -> s1 [style=dashed, lhead=cluster_s1];");
    // Chrome: a track for each of the three scopes and three tasks (tids 2 to 7), none shared.
    assertThat(ChromeTrace.toJson(t)).contains("\"tid\":7");
  }

  @Test
  void dot_clustersAndCriticalNodes() {
    String d = TraceGraph.toDot(Traces.knownGraph());

    assertThat(d)
        .startsWith("digraph weft {\n  rankdir=LR;\n")
        .contains("  subgraph cluster_s0 {\n    label=\"req (fail-fast)\";\n")
        .contains("    t1 [label=\"b\\nsucceeded 29.0 ms\", color=\"#c62828\", penwidth=3];\n")
        .contains("    t0 [label=\"a\\nsucceeded 9.0 ms\"];\n")
        .contains("  t0 -> t2;\n")
        .contains("  t1 -> t2 [color=\"#c62828\", penwidth=3];\n")
        .endsWith("}\n");
  }

  /** One body bar per started task; exactly the path's bars outlined; rows stay inside the SVG. */
  @Test
  void svg_barsAndCriticalOutlines() {
    String svg = TraceSvg.toSvg(Traces.knownGraph());

    assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>\n");
    assertThat(count(svg, "stroke=\"#b71c1c\" stroke-width=\"2.5\"/>")).isEqualTo(2 + 1); // + key
    assertThat(count(svg, "fill=\"#66bb6a\"")).isEqualTo(4 + 1); // four bodies + the legend
    assertThat(svg).contains("font-weight=\"bold\">b  succeeded</text>");
    assertThat(svg).contains("<text x=\"24\" y=\"").contains(">a  succeeded</text>");
    Matcher height = Pattern.compile("height=\"(\\d+)\" viewBox").matcher(svg);
    assertThat(height.find()).isTrue();
    int h = Integer.parseInt(height.group(1));
    Matcher ys = Pattern.compile(" y=\"(\\d+)\"").matcher(svg);
    while (ys.find()) {
      assertThat(Integer.parseInt(ys.group(1))).isLessThan(h);
    }
  }

  @Test
  void null_throwsNpeNamingTheArgument() {
    for (Runnable r :
        List.<Runnable>of(
            () -> ChromeTrace.toJson(null),
            () -> TraceGraph.toMermaid(null),
            () -> TraceGraph.toDot(null),
            () -> TraceSvg.toSvg(null))) {
      assertThatThrownBy(r::run)
          .isInstanceOf(NullPointerException.class)
          .hasMessage("trace must not be null: pass the ScopeTrace given to the sink");
    }
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
