package dev.weft.stress.soak;

import dev.weft.stress.soak.DeliveryRule.Verdict;
import dev.weft.stress.soak.Violation.Kind;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/** What a soak run did and found, for its summary line. Written by the driver thread only. */
final class Counts {
  long trees;
  long scopes;
  long tasks;
  long injected;
  long cancels;
  long interrupts;
  long heapStartBytes = -1;
  long heapEndBytes = -1;
  final Map<Verdict, Long> verdicts = new EnumMap<>(Verdict.class);
  final Map<Kind, Long> violations = new EnumMap<>(Kind.class);

  void verdict(Verdict v) {
    verdicts.merge(v, 1L, Long::sum);
  }

  void violation(Violation v) {
    violations.merge(v.kind(), 1L, Long::sum);
  }

  long violations() {
    return violations.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The one-line summary. */
  String summary(long seed, long ranSeconds, long plannedSeconds) {
    long delivered = count(Verdict.DELIVERED) + count(Verdict.ON_HANDLE) + count(Verdict.RECOVERED);
    long exempt =
        count(Verdict.EXEMPT_ECHO) + count(Verdict.EXEMPT_RACED_ECHO) + count(Verdict.EXEMPT_LOSER);
    return "soak: seed "
        + TreePlan.hex(seed)
        + ", ran "
        + ranSeconds
        + " of "
        + plannedSeconds
        + " s: trees="
        + trees
        + " scopes="
        + scopes
        + " tasks="
        + tasks
        + " failures injected="
        + injected
        + " delivered="
        + delivered
        + " exempt="
        + exempt
        + " cancels="
        + cancels
        + " interrupts="
        + interrupts
        + " hangs="
        + kind(Kind.HANG)
        + " liveAfterClose="
        + (kind(Kind.LIVE_AFTER_CLOSE) + kind(Kind.BODY_AFTER_CLOSE))
        + " lost="
        + kind(Kind.LOST)
        + " violations="
        + violations()
        + " heap start="
        + mb(heapStartBytes)
        + " end="
        + mb(heapEndBytes);
  }

  /** Violations by kind and failures by verdict, e.g. {@code lost 3, limit 1; lost-raced 3}. */
  String details() {
    String kinds =
        violations.entrySet().stream()
            .map(e -> e.getKey().id + " " + e.getValue())
            .collect(Collectors.joining(", "));
    String lost =
        verdicts.entrySet().stream()
            .filter(e -> e.getKey().lost)
            .map(e -> e.getKey().id() + " " + e.getValue())
            .collect(Collectors.joining(", "));
    String fine =
        verdicts.entrySet().stream()
            .filter(e -> !e.getKey().lost)
            .map(e -> e.getKey().id() + " " + e.getValue())
            .collect(Collectors.joining(", "));
    return "soak: violations by kind: "
        + (kinds.isEmpty() ? "none" : kinds)
        + "; failures by verdict: "
        + (fine.isEmpty() ? "none" : fine)
        + (lost.isEmpty() ? "" : "; " + lost);
  }

  private long count(Verdict v) {
    return verdicts.getOrDefault(v, 0L);
  }

  private long kind(Kind k) {
    return violations.getOrDefault(k, 0L);
  }

  private static String mb(long bytes) {
    return bytes < 0 ? "?" : String.format(java.util.Locale.ROOT, "%.1fMB", bytes / 1048576.0);
  }
}
