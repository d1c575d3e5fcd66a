package dev.weft.lockorder;

import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A held-lock chain of one checker: the sequence of lock classes (with modes) a thread holds, as a
 * node of a trie shared by all threads. Like lockdep's chain cache, a chain remembers that
 * acquiring its last class while holding its parent chain has been checked, so taking locks again
 * in a known order does no graph work.
 *
 * <p>Chains are immutable apart from {@link #validEpoch} and the child cache.
 */
final class Chain {
  /** The chain without its last class, or {@code null} for the empty chain. */
  final @Nullable Chain parent;

  /** The last class of this chain, or {@code null} for the empty chain. */
  final @Nullable Acq acq;

  // The graph epoch in which parent -> acq was found to close no cycle (all edges from the
  // parent's classes to acq are in the graph). Written by the validating thread after it inserted
  // the edges under the graph lock; read by any thread on the fast path. Volatile so a reader
  // that sees the epoch also sees the finished chain (the edges themselves are only ever read
  // under the graph lock).
  volatile int validEpoch = -1;

  // Single-entry cache of the most recently used child. Benign data race: Chain's identifying
  // fields are final, so a racing reader sees either null, an older child or this one, each
  // fully constructed; a miss falls back to the map.
  private @Nullable Chain hot;
  private final ConcurrentHashMap<Acq, Chain> children = new ConcurrentHashMap<>(2);

  Chain(@Nullable Chain parent, @Nullable Acq acq) {
    this.parent = parent;
    this.acq = acq;
  }

  /** Returns this chain extended by {@code next}, creating it on first use. Any thread. */
  Chain child(Acq next) {
    Chain h = hot;
    if (h != null && h.acq == next) {
      return h;
    }
    Chain c = children.get(next);
    if (c == null) {
      c = children.computeIfAbsent(next, a -> new Chain(this, a));
    }
    hot = c;
    return c;
  }

  /**
   * Whether acquiring this chain's last class while holding its parent was checked in {@code
   * epoch}.
   */
  boolean isValid(int epoch) {
    return validEpoch == epoch;
  }

  @Override
  public String toString() {
    return parent == null
        ? "[]"
        : parent.parent == null
            ? "[" + acq + "]"
            : parent.toString().replace("]", ", " + acq + "]");
  }
}
