package dev.weft.trace;

import dev.weft.scope.ScopeTrace;
import dev.weft.scope.ScopeTrace.TracedScope;
import dev.weft.scope.ScopeTrace.TracedTask;
import java.util.Locale;
import java.util.Set;

/**
 * A trace as an SVG timeline: a row per scope (open to join, then close) and per task (waiting for
 * dependencies in grey, waiting for a slot in yellow, a thin line while its thread starts, its body
 * coloured by outcome; a diamond where a task that never started ended), nested scopes indented
 * under the task that opened them, and the {@link CriticalPath} outlined in red with its task names
 * in bold. Self-contained (no script, no external font), for docs and bug reports.
 */
public final class TraceSvg {
  private static final int WIDTH = 960;
  private static final int LABEL = 300;
  private static final int ROW = 22;
  private static final int TOP = 56;
  private static final int PLOT = WIDTH - LABEL - 20;

  private final StringBuilder b = new StringBuilder(8192);
  private final CriticalPath path;
  private final Set<TracedTask> critical;
  private final double scale;
  private int row;

  private TraceSvg(ScopeTrace trace) {
    path = CriticalPath.of(trace);
    critical = path.taskSet();
    scale = PLOT / (double) Math.max(1, trace.durationNanos());
  }

  /** {@code trace} as an SVG document. */
  public static String toSvg(ScopeTrace trace) {
    return new TraceSvg(TraceTimes.require(trace)).write(trace);
  }

  // --- implementation ---

  private String write(ScopeTrace trace) {
    int rows = trace.scopes().size() + trace.tasks().size();
    int height = TOP + rows * ROW + 50;
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH);
    b.append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ');
    b.append(height).append("\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n");
    b.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    String title = "scope " + trace.root().path() + ": " + TraceTimes.ms(trace.durationNanos());
    text(10, 18, "bold", title);
    String line = "critical path: " + path;
    text(10, 34, "normal", line.length() > 150 ? line.substring(0, 149) + "\u2026" : line);
    axis(trace.durationNanos(), TOP + rows * ROW);
    scope(trace.root(), 0);
    legend(TOP + rows * ROW + 30);
    return b.append("</svg>\n").toString();
  }

  private void scope(TracedScope s, int depth) {
    int y = TOP + row++ * ROW;
    text(10 + depth * 14, y + 15, "bold", "scope " + s.name() + " (" + s.policy() + ")");
    long joined = TraceTimes.joinedOrClosed(s);
    bar(s.openedNanos(), joined, y + 8, 6, "#90a4ae", false);
    bar(joined, s.closedNanos(), y + 8, 6, "#cfd8dc", false);
    for (TracedTask t : s.tasks()) {
      task(t, depth + 1);
    }
    for (TracedScope inner : s.scopes()) {
      scope(inner, depth + 1);
    }
  }

  private void task(TracedTask t, int depth) {
    int y = TOP + row++ * ROW;
    boolean onPath = critical.contains(t);
    text(10 + depth * 14, y + 15, onPath ? "bold" : "normal", t.name() + "  " + t.outcome().tag());
    long ready = TraceTimes.readyOrEnd(t);
    bar(t.forkedNanos(), ready, y + 6, 10, "#e0e0e0", false);
    if (t.slotWaitNanos() > 0) {
      bar(ready, ready + t.slotWaitNanos(), y + 6, 10, "#fff176", false);
    }
    if (t.started()) { // ready, slot given: its thread starting, then its body
      bar(ready + t.slotWaitNanos(), t.startedNanos(), y + 10, 2, "#9e9e9e", false);
      bar(t.startedNanos(), TraceTimes.bodyEnd(t), y + 3, 16, colour(t.outcome()), onPath);
    } else {
      int x = x(t.endedNanos());
      b.append("<path d=\"M").append(x).append(' ').append(y + 4).append(" l5 7 l-5 7 l-5 -7 z\"");
      b.append(" fill=\"").append(colour(t.outcome())).append("\"/>\n");
    }
    for (TracedScope inner : t.scopes()) {
      scope(inner, depth + 1);
    }
  }

  private static String colour(ScopeTrace.Outcome o) {
    return switch (o) {
      case SUCCEEDED -> "#66bb6a";
      case FAILED -> "#ef5350";
      case TIMED_OUT -> "#ffa726";
      case RECOVERED -> "#42a5f5";
      case CANCELLED -> "#9e9e9e";
      case SKIPPED -> "#bdbdbd";
    };
  }

  private void bar(long from, long to, int y, int h, String fill, boolean critical) {
    if (to <= from) {
      return;
    }
    int x = x(from);
    int w = Math.max(1, x(to) - x);
    b.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(w);
    b.append("\" height=\"").append(h).append("\" fill=\"").append(fill).append('"');
    if (critical) {
      b.append(" stroke=\"#b71c1c\" stroke-width=\"2.5\"");
    }
    b.append("/>\n");
  }

  private void axis(long duration, int bottom) {
    double step = tick(duration / 1e6);
    for (double t = 0; t <= duration / 1e6 + 1e-9; t += step) {
      int x = x((long) (t * 1e6));
      b.append("<line x1=\"").append(x).append("\" y1=\"").append(TOP - 4).append("\" x2=\"");
      b.append(x).append("\" y2=\"").append(bottom).append("\" stroke=\"#eeeeee\"/>\n");
      text(x - 8, bottom + 14, "normal", fmt(t) + " ms");
    }
  }

  /** A round tick interval giving about 5 to 10 ticks. */
  private static double tick(double ms) {
    double raw = Math.max(ms, 1e-3) / 8;
    double pow = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / pow;
    return (f < 2 ? 2 : f < 5 ? 5 : 10) * pow;
  }

  private void legend(int y) {
    String[][] keys = {
      {"#e0e0e0", "waiting for dependencies"},
      {"#fff176", "waiting for a slot"},
      {"#9e9e9e", "thread starting"},
      {"#66bb6a", "succeeded"},
      {"#ef5350", "failed"},
      {"#ffa726", "timed out"},
      {"#42a5f5", "recovered"},
      {"#9e9e9e", "cancelled / skipped"}
    };
    int x = 10;
    for (String[] k : keys) {
      b.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"12\"");
      b.append(" height=\"12\" fill=\"").append(k[0]).append("\"/>\n");
      text(x + 16, y + 11, "normal", k[1]);
      x += 22 + k[1].length() * 6;
    }
    b.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"12\"");
    b.append(" height=\"12\" fill=\"none\" stroke=\"#b71c1c\" stroke-width=\"2.5\"/>\n");
    text(x + 16, y + 11, "normal", "critical path");
  }

  private int x(long nanos) {
    return LABEL + (int) Math.round(Math.max(0, nanos) * scale);
  }

  private void text(int x, int y, String weight, String s) {
    b.append("<text x=\"").append(x).append("\" y=\"").append(y).append('"');
    if (!weight.equals("normal")) {
      b.append(" font-weight=\"").append(weight).append('"');
    }
    b.append('>');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        default -> b.append(c < 0x20 ? ' ' : c);
      }
    }
    b.append("</text>\n");
  }

  private static String fmt(double ms) {
    return ms == Math.rint(ms) ? Long.toString((long) ms) : String.format(Locale.ROOT, "%.2f", ms);
  }
}
