package dev.weft.stress.soak;

/**
 * A broken promise the soak observed.
 *
 * @param kind which promise
 * @param where the scope and task, as {@code scope 'tree7/t2' task 't0'}
 * @param detail what was seen, in words
 */
record Violation(Kind kind, String where, String detail) {

  /** The promises the soak checks; {@link #id} is the word reports use. */
  enum Kind {
    /** join() and close() of a tree did not return within its bound. */
    HANG("hang"),
    /** A thread a task ran in was alive right after close() returned. */
    LIVE_AFTER_CLOSE("live-after-close"),
    /** A task body was running, or started, after close() returned. */
    BODY_AFTER_CLOSE("body-after-close"),
    /** A task was not in a final state after join() or close() returned. */
    NOT_FINAL("not-final"),
    /** An injected failure did not reach the owner (see {@link DeliveryRule}). */
    LOST("lost"),
    /** A dependent body started before its dependencies succeeded, or got other values. */
    DEPENDENCY("dependency"),
    /** More bodies of a scope ran at once than its maxConcurrency. */
    LIMIT("limit"),
    /** join() returned or threw something its policy does not allow, or a body ran twice. */
    OUTCOME("outcome"),
    /** Used heap after GC grew by more than the bound. */
    HEAP("heap"),
    /** The soak's own calls threw where they must not (a fork, a close). */
    UNEXPECTED("unexpected");

    final String id;

    Kind(String id) {
      this.id = id;
    }
  }

  @Override
  public String toString() {
    return kind.id + ": " + where + ": " + detail;
  }
}
