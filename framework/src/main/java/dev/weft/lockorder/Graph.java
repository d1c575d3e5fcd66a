package dev.weft.lockorder;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The order graph of one checker: lock classes and the orders learned between them.
 *
 * <h2>Thread safety and the no-lost-cycle argument</h2>
 *
 * Every change to the edges and every cycle search runs while holding {@link #lock}. A thread
 * that adds {@code A -> B} first searches for a path {@code B ->* A} and, if there is none, inserts
 * the edge, in one critical section. Two threads that take A, B and B, A at the same moment both
 * need that section; whichever enters second happens-after the first one's unlock (the lock's
 * release/acquire edge), so its search sees the first one's edge and reports the cycle. The same
 * holds for longer cycles: the critical sections are totally ordered and the last thread to close
 * the cycle sees all the other edges. A thread only skips this check (the fast path) when its
 * held chain was validated earlier; validation means the edges were inserted in such a section,
 * so they take part in every later search. The {@code ConcurrentEdgeInsertNoLostCycle} jcstress
 * test checks this.
 *
 * <p>The lock is taken only when a thread's held chain is new to the checker (or in THROW mode on
 * every violating acquisition), so it is off the fast path.
 */
final class Graph {
  /** Guards edges of all nodes, {@link #warned}, {@link #declared} and {@link #epoch} writes. */
  private final ReentrantLock lock = new ReentrantLock();

  /** The empty held chain of this graph. */
  final Chain root = new Chain(null, null);

  // Incremented by reset() under lock; read by any thread to check a cached chain validation.
  private volatile int epoch;

  private final ConcurrentHashMap<String, LockNode> nodes = new ConcurrentHashMap<>();
  // Cycles already reported under WARN (canonical keys). Guarded by lock.
  private final Set<String> warned = new HashSet<>();
  // Declared orders with the stack of their declaration, re-applied by reset(). Guarded by lock.
  private final List<Declaration> declared = new ArrayList<>();

  private record Declaration(List<String> names, StackTraceElement[] stack) {}

  /** Returns the class named {@code name}, creating it on first use. Any thread. */
  LockNode node(String name) {
    LockNode n = nodes.get(name);
    return n != null ? n : nodes.computeIfAbsent(name, k -> new LockNode(this, k));
  }

  /** The current epoch; a chain validated in an older epoch must be validated again. */
  int epoch() {
    return epoch;
  }

  /**
   * Checks the acquisition of {@code wanted} by the current thread, which holds {@code held}, and
   * whose held chain after the acquisition is {@code chain}. Adds the missing edges; returns the
   * first cycle found, or {@code null} after marking {@code chain} valid.
   */
  Violation validate(HeldLocks held, LockView wanted, Chain chain) {
    lock.lock();
    try {
      Violation first = null;
      for (int i = 0; i < held.size(); i++) {
        LockView h = held.viewAt(i);
        if (h.graph() != this || held.isReentrant(i) || h.identity == wanted.identity) {
          continue;
        }
        Violation v = addEdge(h, wanted);
        if (v != null && first == null) {
          first = v;
        }
      }
      if (first == null) {
        chain.validEpoch = epoch;
      }
      return first;
    } finally {
      lock.unlock();
    }
  }

  /** Marks {@code chain} checked (WARN: reported once, then proceeds silently). */
  void markValid(Chain chain) {
    lock.lock();
    try {
      chain.validEpoch = epoch;
    } finally {
      lock.unlock();
    }
  }

  /** Returns {@code true} the first time {@code v}'s cycle is reported in this epoch. */
  boolean firstReport(Violation v) {
    lock.lock();
    try {
      return warned.add(v.key);
    } finally {
      lock.unlock();
    }
  }

  /** Builds the report for a read-to-write upgrade of {@code wanted}, which never succeeds. */
  Violation upgrade(LockView wanted) {
    String name = wanted.acq.node.name;
    String message =
        name + " -> " + name + "\n"
            + "thread '" + threadName(Thread.currentThread()) + "' acquires the write lock of '"
            + wanted.label + "' while holding its read lock: a read lock cannot be upgraded, so"
            + " this waits forever\n"
            + "fix: release the read lock before taking the write lock, or take the write lock"
            + " from the start";
    return new Violation(List.of(name), message, List.of());
  }

  private Violation addEdge(LockView heldView, LockView wantedView) {
    Acq from = heldView.acq;
    Acq to = wantedView.acq;
    int combo = Edge.combo(from.write, to.write);
    Edge e = from.node.out.get(to.node);
    if (e != null && e.seen[combo] != null) {
      return null;
    }
    Violation v = findCycle(heldView, wantedView);
    if (v != null) {
      return v;
    }
    if (e == null) {
      e = new Edge(from.node, to.node, false);
      from.node.out.put(to.node, e);
    }
    e.seen[combo] =
        new EdgeTrace(
            from + " -> " + to + " first seen in thread '" + threadName(Thread.currentThread())
                + "' (acquiring '" + wantedView.describe() + "' while holding '"
                + heldView.describe() + "')");
    return null;
  }

  private record Step(Acq prev, Edge edge, int combo) {}

  /** Finds a path {@code to ->* from} that makes {@code from -> to} a deadlock, as a report. */
  private Violation findCycle(LockView heldView, LockView wantedView) {
    Acq from = heldView.acq;
    Acq to = wantedView.acq;
    if (from.node == to.node) {
      return Acq.conflicts(to.write, from.write)
          ? report(heldView, wantedView, List.of(), List.of())
          : null;
    }
    List<Step> path = shortestPath(to, from);
    if (path == null) {
      return null;
    }
    List<Edge> edges = new ArrayList<>();
    List<EdgeTrace> traces = new ArrayList<>();
    for (Step s : path) {
      edges.add(s.edge);
      traces.add(s.edge.seen[s.combo]);
    }
    return report(heldView, wantedView, edges, traces);
  }

  /**
   * Breadth-first search over (class, wanted mode) states for the shortest chain of earlier
   * acquisitions leading from {@code start} back to a holder of {@code goal} that would block. A
   * step through class X in wanted mode w may use an edge seen with X held in mode h only if w and
   * h conflict (read-read does not block).
   */
  private List<Step> shortestPath(Acq start, Acq goal) {
    Map<Acq, Step> parent = new HashMap<>();
    ArrayDeque<Acq> queue = new ArrayDeque<>();
    parent.put(start, null);
    queue.add(start);
    while (!queue.isEmpty()) {
      Acq s = queue.poll();
      for (Edge e : s.node.out.values()) {
        for (int combo = 0; combo < 4; combo++) {
          if (e.seen[combo] == null || !Acq.conflicts(s.write, Edge.heldWrite(combo))) {
            continue;
          }
          boolean w = Edge.wantedWrite(combo);
          if (e.to == goal.node && Acq.conflicts(w, goal.write)) {
            List<Step> path = new ArrayList<>();
            path.add(new Step(s, e, combo));
            for (Step p = parent.get(s); p != null; p = parent.get(p.prev)) {
              path.add(0, p);
            }
            return path;
          }
          Acq next = w ? e.to.write : e.to.read;
          if (!parent.containsKey(next)) {
            parent.put(next, new Step(s, e, combo));
            queue.add(next);
          }
        }
      }
    }
    return null;
  }

  private Violation report(
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
    text.append("thread '").append(threadName(Thread.currentThread())).append("' acquires '")
        .append(wantedView.describe()).append("' while holding '").append(heldView.describe())
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
      text.append("fix: do not nest locks of class '").append(from)
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
          .append(String.join(", ", order)).append(") has it checked on every acquisition");
    }
    // cycle = from, to, then the classes the path passes through (the path ends at from)
    List<String> names = new ArrayList<>();
    names.add(from);
    for (Edge e : path) {
      names.add(e.from.name);
    }
    return new Violation(names, text.toString(), traces);
  }

  /**
   * Declares {@code names} to be taken in this order, checked from now on even before any thread
   * took them.
   *
   * @throws IllegalArgumentException if the order contradicts an order seen or declared before
   */
  void declareOrder(List<String> names) {
    StackTraceElement[] stack = StackTraces.trim(new Throwable()).getStackTrace();
    lock.lock();
    try {
      apply(names, stack);
      declared.add(new Declaration(List.copyOf(names), stack));
    } finally {
      lock.unlock();
    }
  }

  private void apply(List<String> names, StackTraceElement[] stack) {
    for (int i = 0; i + 1 < names.size(); i++) {
      LockNode a = node(names.get(i));
      LockNode b = node(names.get(i + 1));
      List<Step> back = shortestPath(b.write, a.write);
      if (back != null) {
        StringBuilder cycle = new StringBuilder(a.name + " -> " + b.name);
        for (Step s : back) {
          cycle.append(", ").append(s.edge.from.name).append(" -> ").append(s.edge.to.name);
        }
        throw new IllegalArgumentException(
            "declared order " + names + " contradicts an order seen or declared before: " + cycle
                + ": take these locks in one order everywhere, then declare that order");
      }
      Edge e = a.out.get(b);
      if (e == null || !e.declared) {
        Edge d = new Edge(a, b, true);
        if (e != null) {
          System.arraycopy(e.seen, 0, d.seen, 0, 4);
        }
        e = d;
        a.out.put(b, e);
      }
      for (int c = 0; c < 4; c++) {
        EdgeTrace t = new EdgeTrace(a.name + " -> " + b.name + " declared by declareOrder");
        t.setStackTrace(stack);
        e.seen[c] = t;
      }
    }
  }

  /** Forgets all learned edges and reported cycles; keeps declared orders. Any thread. */
  void reset() {
    lock.lock();
    try {
      for (LockNode n : nodes.values()) {
        n.out.clear();
      }
      warned.clear();
      epoch++;
      for (Declaration d : declared) {
        apply(d.names, d.stack);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The edges as {@code "a -> b"} strings, sorted. */
  List<String> edges() {
    List<String> out = new ArrayList<>();
    lock.lock();
    try {
      for (LockNode n : nodes.values()) {
        for (LockNode t : n.out.keySet()) {
          out.add(n.name + " -> " + t.name);
        }
      }
    } finally {
      lock.unlock();
    }
    out.sort(null);
    return out;
  }

  /** The graph in Graphviz DOT; declared edges are dashed, read modes are labelled. */
  String toDot() {
    TreeMap<String, String> lines = new TreeMap<>();
    lock.lock();
    try {
      for (LockNode n : nodes.values()) {
        lines.put(n.name, "  " + quote(n.name) + ";\n");
        for (Edge e : n.out.values()) {
          StringBuilder attrs = new StringBuilder();
          if (e.declared) {
            attrs.append("style=dashed");
          } else {
            List<String> modes = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
              if (e.seen[c] != null && c != 3) {
                modes.add((Edge.heldWrite(c) ? "W" : "R") + "->" + (Edge.wantedWrite(c) ? "W" : "R"));
              }
            }
            if (!modes.isEmpty()) {
              if (e.seen[3] != null) {
                modes.add(0, "W->W");
              }
              attrs.append("label=").append(quote(String.join(" ", modes)));
            }
          }
          lines.put(
              n.name + "\u0000" + e.to.name,
              "  " + quote(n.name) + " -> " + quote(e.to.name)
                  + (attrs.isEmpty() ? "" : " [" + attrs + "]") + ";\n");
        }
      }
    } finally {
      lock.unlock();
    }
    StringBuilder dot = new StringBuilder("digraph \"lock order\" {\n");
    lines.values().forEach(dot::append);
    return dot.append("}\n").toString();
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** A thread's name for reports: its name, or {@code virtual#id} for unnamed virtual threads. */
  static String threadName(Thread t) {
    String n = t.getName();
    if (n.isEmpty()) {
      return (t.isVirtual() ? "virtual#" : "thread#") + t.threadId();
    }
    return n;
  }
}
