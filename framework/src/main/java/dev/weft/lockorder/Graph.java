package dev.weft.lockorder;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The order graph of one checker: lock classes and the orders learned between them.
 *
 * <h2>Thread safety and the no-lost-cycle argument</h2>
 *
 * Every change to the edges and every cycle search runs while holding {@link #lock}. A thread that
 * adds {@code A -> B} first searches for a path {@code B ->* A} and, if there is none, inserts the
 * edge, in one critical section. Two threads that take A, B and B, A at the same moment both need
 * that section; whichever enters second happens-after the first one's unlock (the lock's
 * release/acquire edge), so its search sees the first one's edge and reports the cycle. The same
 * holds for longer cycles: the critical sections are totally ordered and the last thread to close
 * the cycle sees all the other edges. A thread only skips this check (the fast path) when its held
 * chain was validated earlier; validation means the edges were inserted in such a section, so they
 * take part in every later search. The {@code ConcurrentEdgeInsertNoLostCycle} jcstress test checks
 * this.
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
  @Nullable Violation validate(HeldLocks held, LockView wanted, Chain chain) {
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

  private @Nullable Violation addEdge(LockView heldView, LockView wantedView) {
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
    e.seen[combo] = new EdgeTrace(ReportText.firstSeen(from, to, heldView, wantedView));
    return null;
  }

  private record Step(Acq prev, Edge edge, int combo) {}

  /** Finds a path {@code to ->* from} that makes {@code from -> to} a deadlock, as a report. */
  private @Nullable Violation findCycle(LockView heldView, LockView wantedView) {
    Acq from = heldView.acq;
    Acq to = wantedView.acq;
    if (from.node == to.node) {
      return Acq.conflicts(to.write, from.write)
          ? ReportText.cycle(heldView, wantedView, List.of(), List.of())
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
    return ReportText.cycle(heldView, wantedView, edges, traces);
  }

  /**
   * Breadth-first search over (class, wanted mode) states for the shortest chain of earlier
   * acquisitions leading from {@code start} back to a holder of {@code goal} that would block. A
   * step through class X in wanted mode w may use an edge seen with X held in mode h only if w and
   * h conflict (read-read does not block).
   */
  private @Nullable List<Step> shortestPath(Acq start, Acq goal) {
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
        List<Edge> edges = new ArrayList<>();
        for (Step s : back) {
          edges.add(s.edge);
        }
        throw new IllegalArgumentException(ReportText.contradiction(names, a, b, edges));
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
        EdgeTrace t = new EdgeTrace(ReportText.declared(a, b));
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

  /**
   * Runs {@code reader} on the lock classes while holding the graph lock, so that it sees their
   * edges as one consistent state, and returns its result. Any thread.
   */
  <T> T read(Function<Iterable<LockNode>, T> reader) {
    lock.lock();
    try {
      return reader.apply(nodes.values());
    } finally {
      lock.unlock();
    }
  }
}
