package dev.weft.scope;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open root scopes of the JVM, for {@link ScopeDump}: nested scopes are reached from their
 * roots ({@link Nesting#children()}). One add as a root scope opens and one remove as it closes,
 * nothing per task.
 *
 * <p>The entries are weak, as the JDK's registry of thread containers is: a root scope that was
 * never closed (a bug in the caller) is listed while something else keeps it alive (its owner's
 * thread, its tasks' threads), and is not kept alive by the registry once nothing else does.
 */
final class OpenRoots {
  private OpenRoots() {}

  // ROOTS: added to by each root's owner as it opens, removed from as it closes; iterated by any
  // thread that captures a dump. The map orders an add before an iteration that sees it.
  private static final Set<Key> ROOTS = ConcurrentHashMap.newKeySet();
  // GONE: keys whose scope was collected without close(); polled (and removed) by add.
  private static final ReferenceQueue<ScopeImpl<?>> GONE = new ReferenceQueue<>();

  /** A root scope's entry. */
  static final class Key extends WeakReference<ScopeImpl<?>> {
    Key(ScopeImpl<?> scope) {
      super(scope, GONE);
    }
  }

  /** Registers a root scope as it opens; its owner removes the key as it closes. */
  static Key add(ScopeImpl<?> scope) {
    for (Reference<?> gone; (gone = GONE.poll()) != null; ) {
      ROOTS.remove(gone);
    }
    Key k = new Key(scope);
    ROOTS.add(k);
    return k;
  }

  /** Unregisters a root scope (before its close() returns). */
  static void remove(Key key) {
    ROOTS.remove(key);
  }

  /** The open root scopes, oldest first. */
  static List<ScopeImpl<?>> snapshot() {
    List<ScopeImpl<?>> open = new ArrayList<>();
    for (Key k : ROOTS) {
      ScopeImpl<?> s = k.get();
      if (s != null) {
        open.add(s);
      }
    }
    open.sort(OLDEST_FIRST);
    return open;
  }

  /** By opening time, then name (scopes opened in the same nanosecond). */
  static final Comparator<ScopeImpl<?>> OLDEST_FIRST =
      Comparator.<ScopeImpl<?>>comparingLong(s -> s.openedAt).thenComparing(s -> s.name);
}
