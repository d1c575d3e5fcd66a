package dev.weft.scope;

import dev.weft.scope.DumpCapture.Activity;
import dev.weft.scope.DumpCapture.Body;
import dev.weft.scope.DumpCapture.Dependencies;
import dev.weft.scope.DumpCapture.ScopeEntry;
import dev.weft.scope.DumpCapture.Slot;
import dev.weft.scope.DumpCapture.Starting;
import dev.weft.scope.DumpCapture.TaskEntry;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@link ScopeDump#toText()}: one line per scope and per task, indented by depth. */
final class DumpText {
  private DumpText() {}

  static String of(List<ScopeEntry> roots) {
    StringBuilder b = new StringBuilder();
    b.append("Weft scope dump: ");
    if (roots.isEmpty()) {
      return b.append("no open scopes\n").toString();
    }
    b.append(roots.size()).append(roots.size() == 1 ? " open root scope\n" : " open root scopes\n");
    for (ScopeEntry s : roots) {
      scope(b, s, 1);
    }
    return b.toString();
  }

  private static void scope(StringBuilder b, ScopeEntry s, int depth) {
    indent(b, depth)
        .append("scope '")
        .append(s.name())
        .append("' (")
        .append(s.policy())
        .append(", ")
        .append(s.phase());
    if (s.cancelled() != null) {
      b.append(", cancelled: ").append(s.cancelled());
    }
    if (s.hasDeadline()) {
      b.append(", deadline in ").append(duration(s.deadlineLeftNanos()));
    }
    b.append(") open for ")
        .append(duration(s.ageNanos()))
        .append(", owner '")
        .append(s.owner())
        .append('\'');
    if (s.ownerBlockedIn() != null) {
      b.append(" blocked in ").append(s.ownerBlockedIn());
    } else {
      b.append(" (").append(s.ownerState()).append(')');
    }
    b.append('\n');
    for (TaskEntry t : s.tasks()) {
      task(b, t, depth + 1);
    }
    for (ScopeEntry n : s.nested()) {
      scope(b, n, depth + 1);
    }
  }

  private static void task(StringBuilder b, TaskEntry t, int depth) {
    indent(b, depth).append("task '").append(t.name()).append("' ").append(t.state());
    if (t.ageNanos() >= 0) {
      b.append(" for ").append(duration(t.ageNanos()));
    }
    String ended = ended(t);
    if (!ended.isEmpty()) {
      b.append(": ").append(ended);
    }
    Activity a = t.activity();
    if (a != null) {
      b.append(ended.isEmpty() ? ": " : "; ").append(t.state().isFinal() ? "its body still " : "");
      b.append(activity(a, t.state().isFinal()));
    }
    b.append('\n');
    for (ScopeEntry n : t.nested()) {
      scope(b, n, depth + 1);
    }
  }

  /** How a final task ended, or "". */
  private static String ended(TaskEntry t) {
    if (t.timedOut()) {
      return "timed out (" + t.exception() + ")";
    }
    if (t.exception() != null) {
      return t.exception();
    }
    if (t.recoveredFrom() != null) {
      return "fallback replaced " + t.recoveredFrom();
    }
    if (t.skippedBecause() != null) {
      return "dependency '" + t.skippedBecause() + "' did not succeed";
    }
    return "";
  }

  private static String activity(Activity a, boolean stillRuns) {
    return switch (a) {
      case Dependencies d ->
          (d.unfinished().size() == 1 ? "waits for dependency " : "waits for dependencies ")
              + d.unfinished().stream()
                  .map(x -> "'" + x.name() + "' (" + x.state() + ")")
                  .collect(Collectors.joining(", "));
      case Slot s ->
          "waits for a slot (maxConcurrency " + s.maxConcurrency() + ", queued " + s.queued() + ")";
      case Body r ->
          (stillRuns ? "runs in thread '" : "runs its body in thread '")
              + r.thread()
              + "' ("
              + r.threadState()
              + ")";
      case Starting s -> "starting";
    };
  }

  private static StringBuilder indent(StringBuilder b, int depth) {
    return b.append("  ".repeat(depth));
  }

  /** 350 ms, 1.52 s, 95.0 s: milliseconds under a second, then seconds. */
  static String duration(long nanos) {
    long ms = nanos / 1_000_000;
    if (ms < 1000) {
      return ms + " ms";
    }
    return String.format(Locale.ROOT, ms < 10_000 ? "%.2f s" : "%.1f s", ms / 1000.0);
  }
}
