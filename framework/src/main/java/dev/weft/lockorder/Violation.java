package dev.weft.lockorder;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A potential deadlock found by the order graph: acquiring {@code to} while holding {@code from}
 * closes a cycle. Immutable.
 */
final class Violation {
  /**
   * Lock class names of the cycle, starting with the held class: {@code [b, a]} for b -> a -> b.
   */
  final List<String> cycle;

  /** The report text (several lines, the first one is the cycle). */
  final String message;

  /** Where each earlier edge of the cycle was first seen, in cycle order. */
  private final List<EdgeTrace> traces;

  /** Key of the cycle independent of where it starts, to report each cycle once under WARN. */
  final String key;

  Violation(List<String> cycle, String message, List<EdgeTrace> traces) {
    this.cycle = List.copyOf(cycle);
    this.message = message;
    this.traces = List.copyOf(traces);
    this.key = canonical(cycle);
  }

  /**
   * Fresh copies of the edge traces linked as a cause chain (the first edge is the head), ready to
   * be the cause of a report.
   */
  @Nullable Throwable causeChain() {
    List<EdgeTrace> copies = new ArrayList<>(traces.size());
    for (EdgeTrace t : traces) {
      copies.add(t.copy());
    }
    for (int i = 0; i < copies.size() - 1; i++) {
      copies.get(i).initCause(copies.get(i + 1));
    }
    return copies.isEmpty() ? null : copies.get(0);
  }

  private static String canonical(List<String> cycle) {
    int start = 0;
    for (int i = 1; i < cycle.size(); i++) {
      if (cycle.get(i).compareTo(cycle.get(start)) < 0) {
        start = i;
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cycle.size(); i++) {
      sb.append(cycle.get((start + i) % cycle.size())).append('\u0000');
    }
    return sb.toString();
  }
}
