package dev.weft.scope.internal;

/**
 * What the lock-ordering checker may ask about scopes: whether a thread that holds a lock is
 * waiting for the scope in which another thread runs a task.
 */
public final class ScopeWaits {
  private ScopeWaits() {}

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
