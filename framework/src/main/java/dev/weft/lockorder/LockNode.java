package dev.weft.lockorder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A lock class: a node of one checker's order graph. Many lock instances may share one. */
final class LockNode {
  /** The graph this class belongs to; never changes. */
  final Graph graph;

  /** The class name, as it appears in reports. */
  final String name;

  /** Shared (read) access to this class. */
  final Acq read = new Acq(this, false);

  /** Exclusive or write access to this class. */
  final Acq write = new Acq(this, true);

  // Out-edges: this -> target. Written and read only while holding graph.lock.
  final Map<LockNode, Edge> out = new LinkedHashMap<>();
  // Numbers instances for their labels; incremented by any thread creating a lock.
  private final AtomicInteger instances = new AtomicInteger();

  LockNode(Graph graph, String name) {
    this.graph = graph;
    this.name = name;
  }

  /** Returns the label for a new instance: the class name, then {@code name#2}, {@code name#3}. */
  String nextInstanceLabel() {
    int n = instances.incrementAndGet();
    return n == 1 ? name : name + "#" + n;
  }

  @Override
  public String toString() {
    return name;
  }
}
