package dev.weft.lockorder;

import java.util.Arrays;

/**
 * The checked locks one thread holds, oldest first, with the held chain after each entry.
 *
 * <p>Thread confinement: an instance belongs to one thread (a {@link ThreadLocal}, so it follows a
 * virtual thread across carriers) and only that thread reads or writes it; other threads see only
 * copies published in a wait record.
 *
 * <p>Entries are interleaved in one array, {@code [view0, chain0, view1, chain1, ...]}, so a push
 * or pop touches one array. A re-entrant entry (its lock is held by an entry below it) carries the
 * chain of the entry below it: re-acquiring adds no class to the chain.
 *
 * <p>{@link #pop} only lowers {@link #size}: the slots above it keep the view and chain last held
 * at that depth, and {@link #push} stores only what differs. A thread that takes the same locks in
 * the same order again (the common case) then writes nothing but the size, which matters because
 * the JDK lock's locked instruction next to it waits for earlier stores to drain: on an AMD EPYC
 * (Zen 5) this took the checker from 1.25-1.37x {@code ReentrantLock} to 1.15-1.28x
 * (docs/performance.md). The price is bounded retention: a thread keeps a reference to the last
 * lock it held at each depth (its view and chain, no user data) until it holds another lock at that
 * depth or ends, so a program's dropped lock stays reachable from at most those threads.
 */
final class HeldLocks {
  private static final ThreadLocal<HeldLocks> CURRENT = ThreadLocal.withInitial(HeldLocks::new);

  /**
   * The id of the thread these are the held locks of: final, so a thread that reads another's
   * instance through a racy field (a lock's last owner) sees the right id and ignores it.
   */
  final long threadId = Thread.currentThread().threadId();

  private Object[] entries = new Object[16];
  private int size; // number of entries (each takes two slots)

  private HeldLocks() {}

  /** The current thread's held locks. */
  static HeldLocks current() {
    return CURRENT.get();
  }

  /** How many acquisitions the thread holds (re-entrant ones counted separately). */
  int size() {
    return size;
  }

  /** The held chain of {@code graph}: its classes held by this thread, in order. */
  Chain top(Graph graph) {
    Object[] e = entries;
    for (int i = 2 * size - 2; i >= 0; i -= 2) {
      if (((LockView) e[i]).graph == graph) {
        return (Chain) e[i + 1];
      }
    }
    return graph.root;
  }

  /** Records a first (non-reentrant) acquisition whose held chain becomes {@code chain}. */
  void push(LockView view, Chain chain) {
    int at = 2 * size;
    Object[] e = entries;
    if (at == e.length) {
      e = entries = Arrays.copyOf(e, at * 2);
    }
    if (e[at] != view) {
      e[at] = view;
    }
    if (e[at + 1] != chain) {
      e[at + 1] = chain;
    }
    size++;
  }

  /** Records a re-entrant acquisition: the chain does not change. */
  void pushReentrant(LockView view) {
    push(view, top(view.graph));
  }

  /**
   * Forgets the most recent acquisition of {@code view}; no-op if none is recorded. The top entry's
   * slots are left as they are (see the class comment).
   */
  void pop(LockView view) {
    Object[] e = entries;
    int top = 2 * size - 2;
    if (top >= 0 && e[top] == view) {
      size--;
      return;
    }
    for (int i = size - 2; i >= 0; i--) {
      if (e[2 * i] == view) {
        removeAt(i);
        rebuildFrom(i);
        return;
      }
    }
  }

  private LockView view(int i) {
    return (LockView) entries[2 * i];
  }

  private void removeAt(int i) {
    System.arraycopy(entries, 2 * i + 2, entries, 2 * i, 2 * (size - i - 1));
    size--;
    entries[2 * size] = null;
    entries[2 * size + 1] = null;
  }

  // Recomputes the chains of entries from index i up, after an entry below them left or came back.
  private void rebuildFrom(int i) {
    for (int j = i; j < size; j++) {
      LockView v = view(j);
      entries[2 * j + 1] =
          isReentrant(j) ? chainBelow(j, v.graph) : chainBelow(j, v.graph).child(v.acq);
    }
  }

  private Chain chainBelow(int j, Graph graph) {
    for (int k = j - 1; k >= 0; k--) {
      if (view(k).graph == graph) {
        return (Chain) entries[2 * k + 1];
      }
    }
    return graph.root;
  }

  /**
   * Forgets every acquisition of {@code view} (a condition wait releases the lock fully) and
   * returns their positions for {@link #restore}.
   */
  int[] removeAll(LockView view) {
    int[] positions = new int[size];
    int count = 0;
    for (int i = 0; i < size; i++) {
      if (view(i) == view) {
        positions[count++] = i;
      }
    }
    for (int c = count - 1; c >= 0; c--) {
      removeAt(positions[c]);
    }
    if (count > 0) {
      rebuildFrom(positions[0]);
    }
    return Arrays.copyOf(positions, count);
  }

  /** Puts back acquisitions removed by {@link #removeAll} at their old positions. */
  void restore(LockView view, int[] positions) {
    for (int p : positions) {
      int at = Math.min(p, size);
      if (2 * size + 2 > entries.length) {
        entries = Arrays.copyOf(entries, entries.length * 2);
      }
      System.arraycopy(entries, 2 * at, entries, 2 * at + 2, 2 * (size - at));
      entries[2 * at] = view;
      entries[2 * at + 1] = null;
      size++;
    }
    if (positions.length > 0) {
      rebuildFrom(Math.min(positions[0], size - 1));
    }
  }

  /** The view of entry {@code i}, oldest first. */
  LockView viewAt(int i) {
    return view(i);
  }

  /** Whether entry {@code i} re-acquires a lock that an entry below it holds. */
  boolean isReentrant(int i) {
    Object identity = view(i).identity;
    for (int k = i - 1; k >= 0; k--) {
      if (view(k).identity == identity) {
        return true;
      }
    }
    return false;
  }

  /** A copy of the held views, for publication in a wait record. */
  LockView[] snapshot() {
    LockView[] out = new LockView[size];
    for (int i = 0; i < size; i++) {
      out[i] = view(i);
    }
    return out;
  }
}
