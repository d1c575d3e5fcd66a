package dev.weft.internal;

import org.jspecify.annotations.Nullable;

/**
 * The one hook between Weft's two API packages: what the lock-ordering checker ({@code
 * dev.weft.lockorder}) may ask about scopes ({@code dev.weft.scope}), without either package
 * depending on the other. Not API: the module does not export this package.
 *
 * <ul>
 *   <li>The scope package installs a {@link Structure} when its first scope opens: whether a thread
 *       that holds a lock is waiting (in {@code join()} or {@code close()}) for a scope in which
 *       another thread runs a task. Until then no scope exists, and the answer is none.
 *   <li>The checker installs a {@link BlockingListener} when its first checker is created, to
 *       publish the locks a scope owner holds while it blocks for its tasks (a thread cannot read
 *       another thread's held locks).
 * </ul>
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

  /** The scopes' answer to "can this wait never end because of structure?". */
  public interface Structure {
    /**
     * Describes why {@code waiter} blocking on something held by {@code holder} can never end
     * because of structure, or returns {@code null}: non-null exactly when {@code holder} is
     * blocked in {@code join()} or {@code close()} of a scope S and {@code waiter} runs the body of
     * a task of S, or of a task of a scope nested (transitively) inside a task of S. The text names
     * the scope, its owner and the task, e.g. {@code "thread 'main' is joining scope 'checkout',
     * which waits for task 'pay' of scope 'checkout' (thread checkout/pay)"}.
     */
    @Nullable String blockingJoin(Thread holder, Thread waiter);
  }

  // Each set once (by the lock-ordering checker, by the scope package); read by any thread.
  private static volatile @Nullable BlockingListener listener;
  private static volatile @Nullable Structure structure;

  /** Installs the listener; the lock-ordering checker calls this once. */
  public static void setBlockingListener(BlockingListener l) {
    listener = l;
  }

  /** The listener, or {@code null} while no lock-ordering checker exists. */
  public static @Nullable BlockingListener blockingListener() {
    return listener;
  }

  /** Installs the scopes' answer; the scope package calls this once. */
  public static void setStructure(Structure s) {
    structure = s;
  }

  /** {@link Structure#blockingJoin}, or {@code null} while no scope was ever opened. */
  public static @Nullable String blockingJoin(Thread holder, Thread waiter) {
    Structure s = structure;
    return s == null ? null : s.blockingJoin(holder, waiter);
  }
}
