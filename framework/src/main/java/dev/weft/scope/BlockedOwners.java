package dev.weft.scope;

import dev.weft.internal.ScopeWaits;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The scope side of {@link ScopeWaits}: which owners are blocked in {@code join()} or {@code
 * close()}, and whether a thread that holds a lock is waiting for the scope in which another thread
 * runs a task. The lock-ordering checker asks through {@code ScopeWaits}, so that neither package
 * depends on the other.
 */
final class BlockedOwners {
  private BlockedOwners() {}

  // Owners blocked in join() or close(). Written by each owner for itself; read by any thread.
  private static final ConcurrentHashMap<Thread, ScopeImpl<?>> WAITING = new ConcurrentHashMap<>();

  static {
    ScopeWaits.setStructure(BlockedOwners::blockingJoin);
  }

  /** Installs the probe: called when the first scope opens (this class then loads). */
  static void install() {}

  // The owner of `scope` (the current thread) starts blocking: listener first, so that whoever
  // sees the owner in WAITING also sees what the listener published.
  static void ownerBlocks(ScopeImpl<?> scope) {
    ScopeWaits.BlockingListener l = ScopeWaits.blockingListener();
    if (l != null) {
      l.ownerBlocks();
    }
    WAITING.put(scope.owner, scope);
  }

  // The owner of `scope` stops blocking: out of WAITING first, then the listener withdraws.
  static void ownerUnblocks(ScopeImpl<?> scope) {
    WAITING.remove(scope.owner, scope);
    ScopeWaits.BlockingListener l = ScopeWaits.blockingListener();
    if (l != null) {
      l.ownerUnblocks();
    }
  }

  /** Whether the owner of {@code scope} is blocked in its {@code join()} or {@code close()} now. */
  static boolean isBlocked(ScopeImpl<?> scope) {
    return WAITING.get(scope.owner) == scope;
  }

  /** See {@link ScopeWaits.Structure#blockingJoin}. */
  private static @Nullable String blockingJoin(Thread holder, Thread waiter) {
    ScopeImpl<?> scope = WAITING.get(holder);
    if (scope == null) {
      return null;
    }
    String task = scope.findTaskThread(waiter);
    if (task == null) {
      return null;
    }
    return "thread '"
        + holder.getName()
        + "' is joining scope '"
        + scope.name
        + "', which waits for "
        + task;
  }
}
