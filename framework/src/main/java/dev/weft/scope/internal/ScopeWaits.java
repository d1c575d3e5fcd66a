package dev.weft.scope.internal;

/**
 * What the lock-ordering checker may ask about scopes: whether a thread that holds a lock is
 * waiting for the scope in which another thread runs a task. The checker may also listen to
 * owners blocking in {@code join()} or {@code close()}, to publish the locks they hold meanwhile
 * (it cannot read another thread's held locks).
 */
public final class ScopeWaits {
  private ScopeWaits() {}

  /** Told by each owner thread, on that thread, when it starts and stops blocking for its tasks. */
  public interface BlockingListener {
    /** The current thread, a scope owner, is about to block until its scope's tasks end. */
    void ownerBlocks();

    /** The current thread no longer blocks (called once after each {@link #ownerBlocks()}). */
    void ownerUnblocks();
  }

  // Set once by the lock-ordering checker when its first checker is created; read by owners.
  private static volatile BlockingListener listener;

  /** Installs the listener; the lock-ordering checker calls this once. */
  public static void setBlockingListener(BlockingListener l) {
    listener = l;
  }

  // The owner of `scope` (the current thread) starts blocking: listener first, so that whoever
  // sees the owner in WAITING also sees what the listener published.
  static void ownerBlocks(ScopeImpl<?> scope) {
    BlockingListener l = listener;
    if (l != null) {
      l.ownerBlocks();
    }
    ScopeImpl.WAITING.put(scope.owner, scope);
  }

  // The owner of `scope` stops blocking: out of WAITING first, then the listener withdraws.
  static void ownerUnblocks(ScopeImpl<?> scope) {
    ScopeImpl.WAITING.remove(scope.owner, scope);
    BlockingListener l = listener;
    if (l != null) {
      l.ownerUnblocks();
    }
  }

  /**
   * Describes why {@code waiter} blocking on something held by {@code holder} can never end
   * because of structure, or returns {@code null}.
   *
   * <p>Non-null exactly when {@code holder} is blocked in {@code join()} or {@code close()} of a
   * scope S and {@code waiter} runs the body of a task of S, or of a task of a scope nested
   * (transitively) inside a task of S. The text names the scope, its owner and the task, e.g.
   * {@code "thread 'main' is joining scope 'checkout', which waits for task 'pay' of scope
   * 'checkout' (thread checkout/pay)"}.
   */
  public static String blockingJoin(Thread holder, Thread waiter) {
    ScopeImpl<?> scope = ScopeImpl.WAITING.get(holder);
    if (scope == null) {
      return null;
    }
    String task = scope.findTaskThread(waiter);
    if (task == null) {
      return null;
    }
    return "thread '" + holder.getName() + "' is joining scope '" + scope.name
        + "', which waits for " + task;
  }
}
