package dev.weft.stress.soak;

import dev.weft.stress.soak.TreePlan.Failure;

/**
 * The failures the soak injects: a checked exception, an unchecked one and an {@link Error}, thrown
 * by task bodies, plus the one its custom policy throws from a callback. Each instance is unique
 * (the checks look for the very object), names where it was thrown, and keeps suppression enabled:
 * Weft attaches the original failure to a fallback's failure with {@code addSuppressed}.
 */
final class Injected {
  private Injected() {}

  /** A checked failure a body throws on purpose. */
  static final class CheckedFailure extends Exception {
    private static final long serialVersionUID = 1L;

    CheckedFailure(String message) {
      super(message);
    }
  }

  /**
   * An unchecked failure a body (or a fallback) throws on purpose, possibly wrapping an interrupt.
   */
  static final class UncheckedFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UncheckedFailure(String message) {
      super(message);
    }

    UncheckedFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** An {@link Error} a body throws on purpose. */
  static final class ErrorFailure extends Error {
    private static final long serialVersionUID = 1L;

    ErrorFailure(String message) {
      super(message);
    }
  }

  /** What the custom policy throws from {@code onComplete} or {@code onJoin}. */
  static final class PolicyFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PolicyFailure(String message) {
      super(message);
    }
  }

  /** Throws a new failure of {@code kind}, thrown at {@code where} (a task path). */
  static void raise(Failure kind, String where) throws CheckedFailure {
    String message =
        where + ": injected " + kind.name().toLowerCase(java.util.Locale.ROOT) + " failure";
    switch (kind) {
      case CHECKED -> throw new CheckedFailure(message);
      case UNCHECKED -> throw new UncheckedFailure(message);
      case ERROR -> throw new ErrorFailure(message);
      case NONE -> throw new IllegalArgumentException("no failure to raise at " + where);
    }
  }
}
