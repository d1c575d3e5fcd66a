package dev.weft.lockorder;

import org.jspecify.annotations.Nullable;

/**
 * Where an edge of the order graph was first seen (or declared): its stack trace is that of the
 * acquisition that first took the two locks in this order. Appears in the cause chain of a
 * lock-order report; never thrown on its own.
 */
final class EdgeTrace extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  EdgeTrace(String message) {
    super(message);
    StackTraces.trim(this);
  }

  private EdgeTrace(@Nullable String message, StackTraceElement[] stack) {
    super(message);
    setStackTrace(stack);
  }

  /** Returns a fresh copy (same message and stack) that can take a cause of its own. */
  EdgeTrace copy() {
    return new EdgeTrace(getMessage(), getStackTrace());
  }
}
