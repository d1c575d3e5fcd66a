package dev.weft.lockorder.internal;

import java.util.Arrays;

/** Removes the checker's own frames from the top of stack traces, so they start at user code. */
public final class StackTraces {
  private StackTraces() {}

  /** Trims the leading checker frames of {@code t} and returns it. */
  public static <T extends Throwable> T trim(T t) {
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

  private static boolean isChecker(String className) {
    return className.startsWith("dev.weft.lockorder.internal.")
        || className.startsWith("dev.weft.lockorder.Checked")
        || className.startsWith("dev.weft.lockorder.Reports")
        || className.startsWith("dev.weft.lockorder.LockOrderViolationException")
        || className.startsWith("dev.weft.lockorder.DeadlockException");
  }
}
