package dev.weft.scope.issues;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** The exceptions an exception carries: its causes and suppressed exceptions, recursively. */
final class Causes {
  private Causes() {}

  /** {@code root} and every throwable reachable from it through causes and suppressed ones. */
  static List<Throwable> reachable(Throwable root) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> out = new ArrayList<>();
    Deque<Throwable> todo = new ArrayDeque<>();
    todo.push(root);
    while (!todo.isEmpty()) {
      Throwable t = todo.pop();
      if (!seen.add(t)) {
        continue;
      }
      out.add(t);
      if (t.getCause() != null) {
        todo.push(t.getCause());
      }
      for (Throwable s : t.getSuppressed()) {
        todo.push(s);
      }
    }
    return out;
  }

  /** Whether {@code target} (the same object) is {@code root} or reachable from it. */
  static boolean carries(Throwable root, Throwable target) {
    return reachable(root).stream().anyMatch(t -> t == target);
  }

  /** The message of {@code t}, or a placeholder if getMessage() itself throws. */
  static String messageOf(Throwable t) {
    try {
      return String.valueOf(t.getMessage());
    } catch (RuntimeException e) {
      return "<getMessage() threw " + e.getClass().getName() + ">";
    }
  }

  /** {@code t} and what it carries, one line each (class: message), for assertion messages. */
  static String describe(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable r : reachable(t)) {
      sb.append("\n  ").append(r.getClass().getName()).append(": ").append(messageOf(r));
    }
    return sb.toString();
  }
}
