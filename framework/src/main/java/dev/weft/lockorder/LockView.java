package dev.weft.lockorder;

/**
 * A checked lock as the held-lock bookkeeping sees it: one lock instance in one access mode. The
 * read and write views of one read/write lock share {@link #identity}.
 */
abstract class LockView {
  /** The lock class and access mode. */
  final Acq acq;

  /** Identifies the underlying lock: equal for the read and write views of one lock. */
  final Object identity;

  /** The instance label used in reports, e.g. {@code account#2}. */
  final String label;

  /** The graph (checker) this lock belongs to. */
  final Graph graph;

  LockView(Acq acq, Object identity, String label) {
    this.acq = acq;
    this.identity = identity;
    this.label = label;
    this.graph = acq.node.graph;
  }

  /** The graph (checker) this lock belongs to. */
  final Graph graph() {
    return graph;
  }

  /**
   * The thread holding this lock exclusively (for a read/write lock: its write lock), or {@code
   * null}. Best effort, may be stale; used only by deadlock detection.
   */
  abstract Thread exclusiveOwner();

  /** The label with the mode for read/write locks, e.g. {@code cache (read)}. */
  abstract String describe();

  /** Whether this is one side of a read/write lock, so that reports name modes. */
  abstract boolean readWrite();

  /** The label with the mode {@code write} (or {@code read}) for read/write locks. */
  final String describe(boolean write) {
    return readWrite() ? label + (write ? " (write)" : " (read)") : label;
  }

  @Override
  public String toString() {
    return describe();
  }
}
