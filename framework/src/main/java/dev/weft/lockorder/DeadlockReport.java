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

  DeadlockReport(List<Thread> threads, List<String> locks, String summary, String text, String key) {
    this.threads = List.copyOf(threads);
    this.locks = List.copyOf(locks);
    this.summary = summary;
    this.text = text;
    this.key = key;
  }

  /** The threads of the cycle; thread i waits for {@code locks().get(i)}, held by thread i+1. */
  public List<Thread> threads() {
    return threads;
  }

  /** The labels of the locks the threads wait for, in the order of {@link #threads()}. */
  public List<String> locks() {
    return locks;
  }

  /** The cycle in one line, e.g. {@code thread 't1' waits for lock 'b' held by thread 't2', ...}. */
  public String summary() {
    return summary;
  }

  /** The full report: the cycle, then each thread's stack. */
  @Override
  public String toString() {
    return text;
  }
}
