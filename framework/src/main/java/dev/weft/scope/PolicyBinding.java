package dev.weft.scope;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which policy instances serve a scope already: a policy keeps one scope's state (counts, the
 * winner, the failures), so a second scope that shares it would get silently wrong results. {@code
 * Scope.open} rejects a policy that was bound before.
 *
 * <p>The built-in policies carry their own flag (one CAS). Users' policies are remembered by
 * identity in a set of weak references, so a bound policy can still be collected.
 */
final class PolicyBinding {
  private PolicyBinding() {}

  private static final ReferenceQueue<Object> COLLECTED = new ReferenceQueue<>();
  private static final Set<Key> BOUND = ConcurrentHashMap.newKeySet();

  /** Binds {@code policy} to a scope; false if it was bound before. */
  static boolean bind(Policy<?> policy) {
    if (policy instanceof Policies.Recording<?> builtIn) {
      return builtIn.bind();
    }
    for (Object gone; (gone = COLLECTED.poll()) != null; ) {
      BOUND.remove(gone);
    }
    return BOUND.add(new Key(policy));
  }

  /** A weak reference equal to another for the same referent (identity, not {@code equals}). */
  private static final class Key extends WeakReference<Object> {
    private final int hash;

    Key(Object referent) {
      super(referent, COLLECTED);
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      if (this == o) {
        return true;
      }
      Object mine = get();
      return mine != null && o instanceof Key k && k.get() == mine;
    }
  }
}
