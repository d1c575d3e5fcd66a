package dev.weft.lockorder;

import java.util.List;

/**
 * An actual deadlock: threads that wait for each other's checked locks (or for a scope that waits
 * for them), with the locks and the threads' stacks.
 *
 * <p>Immutable. {@link #toString()} gives the full report; {@link #summary()} only the cycle.
 */
public final class DeadlockReport {
  private final List<Thread> threads;
  private final List<String> locks;
  private final String summary;
  private final String text;
  final String key;

  DeadlockReport(
      List<Thread> threads, List<String> locks, String summary, String text, String key) {
    this.threads = List.copyOf(threads);
    this.locks = List.copyOf(locks);
    this.summary = summary;
    this.text = text;
    this.key = key;
  }

  /**
   * The threads of the cycle; thread i waits for {@code locks().get(i)}, held by thread i+1. For a
   * scope deadlock or a lock whose owner terminated, the one waiting thread.
   */
  public List<Thread> threads() {
    return threads;
  }

  /** The labels of the locks the threads wait for, in the order of {@link #threads()}. */
  public List<String> locks() {
    return locks;
  }

  /**
   * The cycle in one line, e.g. {@code thread 't1' waits for lock 'b' held by thread 't2', ...},
   * then a line with the fix. For a read/write lock the lock names the mode waited for and the
   * holder the mode it holds: {@code waits for lock 'c (write)' held by thread 't2' in read mode}.
   */
  public String summary() {
    return summary;
  }

  /**
   * The full report: the summary, then for each thread the lock it waits for and the one it holds
   * ({@code "t1" waiting for lock 'b' while holding lock 'a'}) and its stack.
   */
  @Override
  public String toString() {
    return text;
  }
}
