package dev.weft.scope;

import dev.weft.internal.JsonText;
import dev.weft.scope.DumpCapture.Activity;
import dev.weft.scope.DumpCapture.Body;
import dev.weft.scope.DumpCapture.Dependencies;
import dev.weft.scope.DumpCapture.Dependency;
import dev.weft.scope.DumpCapture.ScopeEntry;
import dev.weft.scope.DumpCapture.Slot;
import dev.weft.scope.DumpCapture.Starting;
import dev.weft.scope.DumpCapture.TaskEntry;
import java.util.List;

/**
 * {@link ScopeDump#toJson()}: one JSON object, written by hand (the framework has no JSON
 * dependency). Fields that do not apply are left out rather than null. Every character outside
 * printable ASCII is escaped, so the text is valid JSON in any encoding and safe in a log line.
 */
final class DumpJson {
  private DumpJson() {}

  static String of(List<ScopeEntry> roots) {
    StringBuilder b = new StringBuilder("{\"scopes\":");
    scopes(b, roots);
    return b.append('}').toString();
  }

  private static void scopes(StringBuilder b, List<ScopeEntry> scopes) {
    b.append('[');
    for (int i = 0; i < scopes.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      scope(b, scopes.get(i));
    }
    b.append(']');
  }

  private static void scope(StringBuilder b, ScopeEntry s) {
    b.append('{');
    field(b, "name", s.name()).append(',');
    field(b, "policy", s.policy()).append(',');
    field(b, "phase", s.phase()).append(',');
    if (s.cancelled() != null) {
      field(b, "cancelled", s.cancelled()).append(',');
    }
    field(b, "ageMillis", s.ageNanos() / 1_000_000).append(',');
    if (s.hasDeadline()) {
      field(b, "deadlineInMillis", s.deadlineLeftNanos() / 1_000_000).append(',');
    }
    b.append("\"owner\":{");
    field(b, "thread", s.owner()).append(',');
    field(b, "threadState", s.ownerState().name());
    if (s.ownerBlockedIn() != null) {
      b.append(',');
      field(b, "blockedIn", s.ownerBlockedIn());
    }
    b.append("},\"tasks\":[");
    for (int i = 0; i < s.tasks().size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      task(b, s.tasks().get(i));
    }
    b.append("],\"scopes\":");
    scopes(b, s.nested());
    b.append('}');
  }

  private static void task(StringBuilder b, TaskEntry t) {
    b.append('{');
    field(b, "name", t.name()).append(',');
    field(b, "state", t.state().name()).append(',');
    if (t.ageNanos() >= 0) {
      field(b, "ageMillis", t.ageNanos() / 1_000_000).append(',');
    }
    if (t.exception() != null) {
      field(b, "exception", t.exception()).append(',');
    }
    if (t.timedOut()) {
      b.append("\"timedOut\":true,");
    }
    if (t.recoveredFrom() != null) {
      field(b, "recoveredFrom", t.recoveredFrom()).append(',');
    }
    if (t.skippedBecause() != null) {
      field(b, "skippedBecause", t.skippedBecause()).append(',');
    }
    Activity a = t.activity();
    if (a != null) {
      b.append(t.state().isFinal() ? "\"stillRuns\":" : "\"waitsFor\":");
      activity(b, a);
      b.append(',');
    }
    b.append("\"scopes\":");
    scopes(b, t.nested());
    b.append('}');
  }

  private static void activity(StringBuilder b, Activity a) {
    b.append('{');
    switch (a) {
      case Dependencies d -> {
        field(b, "kind", "dependency").append(",\"dependencies\":[");
        for (int i = 0; i < d.unfinished().size(); i++) {
          Dependency x = d.unfinished().get(i);
          b.append(i > 0 ? ",{" : "{");
          field(b, "name", x.name()).append(',');
          field(b, "state", x.state().name()).append('}');
        }
        b.append(']');
      }
      case Slot s -> {
        field(b, "kind", "slot").append(',');
        field(b, "maxConcurrency", s.maxConcurrency()).append(',');
        field(b, "queued", s.queued());
      }
      case Body r -> {
        field(b, "kind", "body").append(',');
        field(b, "thread", r.thread()).append(',');
        field(b, "threadState", r.threadState().name());
      }
      case Starting s -> field(b, "kind", "start");
    }
    b.append('}');
  }

  private static StringBuilder field(StringBuilder b, String name, long value) {
    return b.append('"').append(name).append("\":").append(value);
  }

  private static StringBuilder field(StringBuilder b, String name, String value) {
    b.append('"').append(name).append("\":");
    return JsonText.string(b, value);
  }
}
