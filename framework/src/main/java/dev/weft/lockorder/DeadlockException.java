package dev.weft.lockorder;

/**
 * Thrown instead of waiting forever: the current thread was blocked on a checked lock and is part
 * of an actual deadlock, either a wait cycle among threads holding checked locks, a task waiting
 * for a lock that its joining scope owner holds, or a wait for a lock whose owner terminated
 * without unlocking it. The lock was not taken.
 *
 * <p>Of the threads in a wait cycle, one (the one that started waiting last) throws; the others
 * keep waiting and get their locks once its caller releases what it holds.
 */
public final class DeadlockException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient DeadlockReport report;

  DeadlockException(DeadlockReport report) {
    super(report.summary());
    this.report = report;
  }

  /** The deadlock, with the other threads' stacks. */
  public DeadlockReport report() {
    return report;
  }
}
