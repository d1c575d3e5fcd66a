package dev.weft.lockorder;

import dev.weft.internal.ThreadNames;
import java.util.ArrayList;
import java.util.List;

/**
 * The words of the order graph's reports: the text of a violation (the cycle line, the acquiring
 * thread, where the earlier edges were seen, the fix), the messages of edge traces and of a
 * contradicting declared order (threads are named by {@code ThreadNames}).
 *
 * <p>Stateless. The methods that take edges read their fields, so they run while holding the graph
 * lock, as their callers in {@link Graph} do.
 */
final class ReportText {
  private ReportText() {}

  /** The report for a read-to-write upgrade of {@code wanted}, which never succeeds. */
  static Violation upgrade(LockView wanted) {
    String name = wanted.acq.node.name;
    String message =
        name
            + " -> "
            + name
            + "\n"
            + "thread '"
            + ThreadNames.of(Thread.currentThread())
            + "' acquires the write lock of '"
            + wanted.label
            + "' while holding its read lock: a read lock cannot be upgraded, so"
            + " this waits forever\n"
            + "fix: release the read lock before taking the write lock, or take the write lock"
            + " from the start";
    return new Violation(List.of(name), message, List.of());
  }

  /**
   * The report for the current thread acquiring {@code wantedView} while holding {@code heldView},
   * which closes a cycle through the earlier edges {@code path} (ending at the held class; empty
   * for two locks of one class), first seen where {@code traces} say.
   */
  static Violation cycle(
      LockView heldView, LockView wantedView, List<Edge> path, List<EdgeTrace> traces) {
    String from = heldView.acq.node.name;
    String to = wantedView.acq.node.name;
    StringBuilder text = new StringBuilder(from).append(" -> ").append(to);
    boolean anyDeclared = false;
    for (Edge e : path) {
      text.append(", ").append(e.from.name).append(" -> ").append(e.to.name);
      anyDeclared |= e.declared;
    }
    text.append('\n');
    text.append("thread '")
        .append(ThreadNames.of(Thread.currentThread()))
        .append("' acquires '")
        .append(wantedView.describe())
        .append("' while holding '")
        .append(heldView.describe())
        .append('\'');
    if (path.isEmpty()) {
      text.append(", another lock of the same class '").append(from).append('\'');
    }
    text.append('\n');
    if (!traces.isEmpty()) {
      text.append("seen before: ");
      for (int i = 0; i < traces.size(); i++) {
        text.append(i == 0 ? "" : "; ").append(traces.get(i).getMessage());
      }
      text.append(" (stacks in the causes)\n");
    }
    if (path.isEmpty()) {
      text.append("fix: do not nest locks of class '")
          .append(from)
          .append("', or give the instances separate classes and one declared order");
    } else if (anyDeclared) {
      text.append("fix: take these locks in the declared order");
    } else {
      List<String> order = new ArrayList<>();
      for (Edge e : path) {
        order.add('"' + e.from.name + '"');
      }
      order.add('"' + from + '"');
      text.append("fix: take these locks in one global order everywhere; declareOrder(")
          .append(String.join(", ", order))
          .append(") has it checked on every acquisition");
    }
    // cycle = from, to, then the classes the path passes through (the path ends at from)
    List<String> names = new ArrayList<>();
    names.add(from);
    for (Edge e : path) {
      names.add(e.from.name);
    }
    return new Violation(names, text.toString(), traces);
  }

  /** The message of the trace of {@code from -> to}, first seen now in the current thread. */
  static String firstSeen(Acq from, Acq to, LockView heldView, LockView wantedView) {
    return from
        + " -> "
        + to
        + " first seen in thread '"
        + ThreadNames.of(Thread.currentThread())
        + "' (acquiring '"
        + wantedView.describe()
        + "' while holding '"
        + heldView.describe()
        + "')";
  }

  /** The message of the trace of the declared order {@code a -> b}. */
  static String declared(LockNode a, LockNode b) {
    return a.name + " -> " + b.name + " declared by declareOrder";
  }

  /**
   * The message for the declared order {@code names}, whose step {@code a -> b} closes a cycle with
   * the earlier edges {@code back} (from b back to a).
   */
  static String contradiction(List<String> names, LockNode a, LockNode b, List<Edge> back) {
    StringBuilder cycle = new StringBuilder(a.name + " -> " + b.name);
    for (Edge e : back) {
      cycle.append(", ").append(e.from.name).append(" -> ").append(e.to.name);
    }
    return "declared order "
        + names
        + " contradicts an order seen or declared before: "
        + cycle
        + ": take these locks in one order everywhere, then declare that order";
  }
}
