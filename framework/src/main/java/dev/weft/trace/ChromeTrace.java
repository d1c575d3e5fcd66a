package dev.weft.trace;

import dev.weft.internal.JsonText;
import dev.weft.scope.ScopeTrace;
import dev.weft.scope.ScopeTrace.TracedScope;
import dev.weft.scope.ScopeTrace.TracedTask;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A trace as Chrome trace-event JSON, which <a href="https://ui.perfetto.dev">Perfetto</a> and
 * Chromium's DevTools (Performance panel) open: one process (the root scope) with a track per scope
 * (its owner: open to join to close) and per task (waiting for dependencies, waiting for a slot,
 * its body), an arrow from each dependency's body to its dependent's body, and on top a {@code
 * critical path} track that repeats the spans of the tasks on the {@link CriticalPath}. Every
 * span's arguments hold the task's path, outcome and exception class; times are microseconds from
 * the root's open.
 *
 * {@snippet class=dev.weft.samples.TraceSample region=chrome lang=java}
 */
public final class ChromeTrace {
  private static final int PID = 1;
  private static final int CRITICAL_TID = 1;

  private final StringBuilder b = new StringBuilder(4096);
  private final Set<TracedTask> critical;
  private final Map<Object, Integer> tids = new IdentityHashMap<>();
  private boolean first = true;
  private int flows;

  private ChromeTrace(Set<TracedTask> critical) {
    this.critical = critical;
  }

  /** {@code trace} as one JSON object: {@code {"traceEvents":[...], ...}}. */
  public static String toJson(ScopeTrace trace) {
    CriticalPath path = CriticalPath.of(TraceTimes.require(trace));
    ChromeTrace out = new ChromeTrace(path.taskSet());
    return out.write(trace, path);
  }

  // --- implementation ---

  private String write(ScopeTrace trace, CriticalPath path) {
    b.append("{\"displayTimeUnit\":\"ms\",\"otherData\":{\"scope\":");
    JsonText.string(b, trace.root().path()).append(",\"openedAt\":");
    JsonText.string(b, trace.openedAt().toString()).append(",\"criticalPath\":");
    JsonText.string(b, path.toString()).append("},\"traceEvents\":[");
    name("process_name", 0, "weft scope " + trace.root().path());
    track(CRITICAL_TID, "critical path");
    int tid = CRITICAL_TID;
    for (TracedScope s : trace.scopes()) {
      tids.put(s, ++tid);
      for (TracedTask t : s.tasks()) {
        tids.put(t, ++tid);
      }
    }
    for (TracedScope s : trace.scopes()) {
      scope(s);
    }
    criticalTrack(path);
    return b.append("]}").toString();
  }

  private void scope(TracedScope s) {
    int tid = tid(s);
    track(tid, "scope " + s.path() + " (" + s.owner() + ")");
    long joined = TraceTimes.joinedOrClosed(s);
    span(tid, "scope " + s.name(), "scope", s.openedNanos(), joined).append(",\"args\":{\"path\":");
    JsonText.string(b, s.path()).append(",\"policy\":");
    JsonText.string(b, s.policy());
    if (s.joinFailure() != null) {
      b.append(",\"joinFailure\":");
      JsonText.string(b, s.joinFailure());
    }
    b.append("}}");
    if (s.closedNanos() > joined) {
      span(tid, "close", "scope", joined, s.closedNanos()).append('}');
    }
    for (TracedTask t : s.tasks()) {
      task(s, t);
    }
  }

  private void task(TracedScope s, TracedTask t) {
    int tid = tid(t);
    track(tid, t.path());
    long ready = TraceTimes.readyOrEnd(t);
    if (!t.dependencies().isEmpty() && ready > t.forkedNanos()) {
      span(
              tid,
              "waiting for " + String.join(", ", t.dependencies()),
              "wait",
              t.forkedNanos(),
              ready)
          .append('}');
    }
    if (t.slotWaitNanos() > 0) {
      span(tid, "waiting for a slot", "wait", ready, ready + t.slotWaitNanos()).append('}');
    }
    if (t.started()) {
      taskArgs(span(tid, t.name(), "task", t.startedNanos(), TraceTimes.bodyEnd(t)), t).append('}');
    } else {
      event().append("\"ph\":\"i\",\"s\":\"t\",\"name\":");
      JsonText.string(b, t.name() + " " + t.outcome().tag());
      ids(tid).append(",\"cat\":\"task\",\"ts\":").append(us(t.endedNanos()));
      taskArgs(b, t).append('}');
    }
    for (String name : t.dependencies()) {
      TracedTask d = s.task(name);
      if (d != null && t.readyNanos() != ScopeTrace.NEVER) {
        flow(d, t);
      }
    }
  }

  private StringBuilder taskArgs(StringBuilder out, TracedTask t) {
    out.append(",\"args\":{\"path\":");
    JsonText.string(out, t.path()).append(",\"outcome\":\"").append(t.outcome().tag()).append('"');
    if (t.failure() != null) {
      out.append(",\"failure\":");
      JsonText.string(out, t.failure());
    }
    if (t.thread() != null) {
      out.append(",\"thread\":");
      JsonText.string(out, t.thread());
    }
    return out.append(",\"critical\":").append(critical.contains(t)).append('}');
  }

  /**
   * An arrow from {@code from} to {@code to}. Viewers bind a flow event to a span of its track
   * rather than to a moment: DevTools to the one with the same track, time and category, Perfetto
   * to the one open at that time ({@code "bp":"e"}). So both ends sit on the start of the task's
   * span ({@link #anchor}), and viewers draw the arrow from the end of the dependency's body to the
   * start of its dependent's.
   */
  private void flow(TracedTask from, TracedTask to) {
    int id = ++flows;
    event().append("\"ph\":\"s\",\"name\":\"dependency\",\"cat\":\"task\",\"id\":").append(id);
    ids(tid(from)).append(",\"ts\":").append(us(anchor(from))).append('}');
    event().append("\"ph\":\"f\",\"bp\":\"e\",\"name\":\"dependency\",\"cat\":\"task\",\"id\":");
    b.append(id);
    ids(tid(to)).append(",\"ts\":").append(us(anchor(to))).append('}');
  }

  /** Where the task's own event starts: its body's span, or the instant of a task never started. */
  private static long anchor(TracedTask t) {
    return t.started() ? t.startedNanos() : t.endedNanos();
  }

  private void criticalTrack(CriticalPath path) {
    for (CriticalPath.Step step : path.steps()) {
      TracedTask t = step.task();
      long from = t.started() ? t.startedNanos() : t.endedNanos();
      long to = t.started() && t.bodyEndedNanos() != ScopeTrace.NEVER ? t.bodyEndedNanos() : from;
      taskArgs(span(CRITICAL_TID, t.path(), "critical", from, to), t).append('}');
      if (step.inner() != null) {
        criticalTrack(step.inner());
      }
    }
  }

  private StringBuilder span(int tid, String name, String cat, long from, long to) {
    event().append("\"ph\":\"X\",\"name\":");
    JsonText.string(b, name);
    ids(tid).append(",\"cat\":\"").append(cat).append("\",\"ts\":").append(us(from));
    return b.append(",\"dur\":").append(us(Math.max(0, to - from)));
  }

  /** A track named {@code name}, sorted by its tid: tracks in trace order, critical path first. */
  private void track(int tid, String name) {
    name("thread_name", tid, name);
    event().append("\"ph\":\"M\",\"name\":\"thread_sort_index\"");
    ids(tid).append(",\"args\":{\"sort_index\":").append(tid).append("}}");
  }

  /** A metadata event {@code what} (process_name, thread_name) giving {@code tid} its name. */
  private void name(String what, int tid, String name) {
    event().append("\"ph\":\"M\",\"name\":\"").append(what).append('"');
    ids(tid).append(",\"args\":{\"name\":");
    JsonText.string(b, name).append("}}");
  }

  /** The track of a scope or task of the trace (numbered once, by identity: paths may repeat). */
  private int tid(Object scopeOrTask) {
    Integer tid = tids.get(scopeOrTask);
    if (tid == null) {
      throw new IllegalStateException("not a scope or task of this trace: " + scopeOrTask);
    }
    return tid;
  }

  private StringBuilder ids(int tid) {
    return b.append(",\"pid\":").append(PID).append(",\"tid\":").append(tid);
  }

  private StringBuilder event() {
    if (!first) {
      b.append(',');
    }
    first = false;
    return b.append('{');
  }

  private static String us(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1000.0);
  }
}
