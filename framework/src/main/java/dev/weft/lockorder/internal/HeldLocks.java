package dev.weft.lockorder.internal;

import java.util.Arrays;

/**
 * The checked locks one thread holds, oldest first, with the held chain after each entry.
 *
 * <p>Thread confinement: an instance belongs to one thread (a {@link ThreadLocal}, so it follows a
 * virtual thread across carriers) and only that thread reads or writes it; other threads see only
 * copies published in a wait record.
 */
public final class HeldLocks {
  private static final ThreadLocal<HeldLocks> CURRENT = ThreadLocal.withInitial(HeldLocks::new);

  private LockView[] views = new LockView[8];
  private Chain[] chains = new Chain[8];
  // true when the entry re-acquires a lock held by an entry below it (no new class in the chain)
  private boolean[] reentrant = new boolean[8];
  private int size;

  private HeldLocks() {}

  /** The current thread's held locks. */
  public static HeldLocks current() {
    return CURRENT.get();
  }

  /** How many acquisitions the thread holds (re-entrant ones counted separately). */
  public int size() {
    return size;
  }

  /** The held chain of {@code graph}: its classes held by this thread, in order. */
  public Chain top(Graph graph) {
    for (int i = size - 1; i >= 0; i--) {
      if (views[i].graph == graph) {
        return chains[i];
      }
    }
    return graph.root;
  }

  /** Records a first (non-reentrant) acquisition whose held chain becomes {@code chain}. */
  public void push(LockView view, Chain chain) {
    push(view, chain, false);
  }

  /** Records a re-entrant acquisition: the chain does not change. */
  public void pushReentrant(LockView view) {
    push(view, top(view.graph()), true);
  }

  private void push(LockView view, Chain chain, boolean isReentrant) {
    int n = size;
    if (n == views.length) {
      grow();
    }
    views[n] = view;
    chains[n] = chain;
    reentrant[n] = isReentrant;
    size = n + 1;
  }

  private void grow() {
    int len = views.length * 2;
    views = Arrays.copyOf(views, len);
    chains = Arrays.copyOf(chains, len);
    reentrant = Arrays.copyOf(reentrant, len);
  }

  /** Forgets the most recent acquisition of {@code view}; no-op if none is recorded. */
  public void pop(LockView view) {
    int n = size - 1;
    if (n >= 0 && views[n] == view) {
      views[n] = null;
      chains[n] = null;
      size = n;
      return;
    }
    for (int i = n - 1; i >= 0; i--) {
      if (views[i] == view) {
        removeAt(i);
        rebuildFrom(i);
        return;
      }
    }
  }

  private void removeAt(int i) {
    int tail = size - i - 1;
    System.arraycopy(views, i + 1, views, i, tail);
    System.arraycopy(chains, i + 1, chains, i, tail);
    System.arraycopy(reentrant, i + 1, reentrant, i, tail);
    size--;
    views[size] = null;
    chains[size] = null;
  }

  // Recomputes reentrancy and chains of entries from index i up, after an entry below them left.
  private void rebuildFrom(int i) {
    for (int j = i; j < size; j++) {
      LockView v = views[j];
      boolean again = false;
      Chain prev = v.graph().root;
      boolean prevFound = false;
      for (int k = j - 1; k >= 0; k--) {
        if (!again && views[k].identity == v.identity) {
          again = true;
        }
        if (!prevFound && views[k].graph() == v.graph()) {
          prev = chains[k];
          prevFound = true;
        }
      }
      reentrant[j] = again;
      chains[j] = again ? prev : prev.child(v.acq);
    }
  }

  /**
   * Forgets every acquisition of {@code view} (a condition wait releases the lock fully) and
   * returns their positions for {@link #restore}.
   */
  public int[] removeAll(LockView view) {
    int[] positions = new int[size];
    int count = 0;
    for (int i = 0; i < size; i++) {
      if (views[i] == view) {
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
  public void restore(LockView view, int[] positions) {
    for (int p : positions) {
      int at = Math.min(p, size);
      if (size == views.length) {
        grow();
      }
      int tail = size - at;
      System.arraycopy(views, at, views, at + 1, tail);
      System.arraycopy(chains, at, chains, at + 1, tail);
      System.arraycopy(reentrant, at, reentrant, at + 1, tail);
      views[at] = view;
      size++;
    }
    if (positions.length > 0) {
      rebuildFrom(Math.min(positions[0], size - 1));
    }
  }

  /** Views of distinct held acquisitions that are not re-entrant, oldest first, for edges. */
  LockView viewAt(int i) {
    return views[i];
  }

  boolean isReentrant(int i) {
    return reentrant[i];
  }

  /** A copy of the held views, for publication in a wait record. */
  public LockView[] snapshot() {
    return Arrays.copyOf(views, size);
  }

  /** Whether this thread holds {@code view} (by identity of the view). */
  public boolean holds(LockView view) {
    for (int i = size - 1; i >= 0; i--) {
      if (views[i] == view) {
        return true;
      }
    }
    return false;
  }
}
