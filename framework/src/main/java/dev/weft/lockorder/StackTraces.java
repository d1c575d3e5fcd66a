package dev.weft.lockorder;

import java.util.Arrays;
import java.util.Set;

/** Removes the checker's own frames from the top of stack traces, so they start at user code. */
final class StackTraces {
  private StackTraces() {}

  /** Trims the leading checker frames of {@code t} and returns it. */
  static <T extends Throwable> T trim(T t) {
    StackTraceElement[] stack = t.getStackTrace();
    int i = 0;
    while (i < stack.length - 1 && isChecker(stack[i].getClassName())) {
      i++;
    }
    if (i > 0) {
      t.setStackTrace(Arrays.copyOfRange(stack, i, stack.length));
    }
    return t;
  }

  /**
   * Whether frames of {@code className} are the checker's implementation (its package-private
   * classes, nested ones included), so neither user code nor API.
   */
  static boolean isImplementation(String className) {
    if (!className.startsWith(PACKAGE)) {
      return false;
    }
    String name = className.substring(PACKAGE.length());
    int nested = name.indexOf('$');
    return IMPLEMENTATION.contains(nested < 0 ? name : name.substring(0, nested));
  }

  // --- implementation ---

  private static final String PACKAGE = "dev.weft.lockorder.";

  // The package-private top-level classes of this package. StackTracesTest fails when a class is
  // added without being listed here (or made public while listed).
  private static final Set<String> IMPLEMENTATION =
      Set.of(
          "Acq",
          "Chain",
          "CheckedCondition",
          "CheckedLock",
          "CheckedReadWriteLock",
          "CheckedView",
          "DotExport",
          "Edge",
          "EdgeTrace",
          "Graph",
          "HeldLocks",
          "LockNode",
          "LockView",
          "ReportText",
          "Reports",
          "StackTraces",
          "Violation",
          "Waits");

  // Frames trim() removes: the implementation, and the constructors of the reports themselves.
  private static boolean isChecker(String className) {
    return isImplementation(className)
        || className.startsWith("dev.weft.lockorder.LockOrderViolationException")
        || className.startsWith("dev.weft.lockorder.DeadlockException");
  }
}
