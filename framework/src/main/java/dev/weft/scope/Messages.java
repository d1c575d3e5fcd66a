package dev.weft.scope;

import org.jspecify.annotations.Nullable;

/**
 * Text of user objects for messages, safe against a {@code toString()} or {@code getMessage()} that
 * throws: an error message must never fail to be built, or the failure it reports is lost.
 */
final class Messages {
  private Messages() {}

  /** A {@code fork} overload was given a null body. */
  static final String NULL_BODY = "task body must not be null: pass the code the task runs";

  /**
   * {@code String.valueOf(o)}, or, if that throws, the class name and what it threw. For a {@code
   * Throwable} this is its {@code toString()}: class name and message.
   */
  static String describe(Object o) {
    try {
      return String.valueOf(o);
    } catch (Throwable broken) {
      String what = o instanceof Throwable ? "getMessage()" : "toString()";
      return o.getClass().getName()
          + " (its "
          + what
          + " threw "
          + broken.getClass().getName()
          + ")";
    }
  }

  // How deep a path of nested failures is followed (a cycle of causes cannot loop).
  private static final int MAX_PATH = 64;

  /**
   * The failure of the task {@code where} names ({@code scope/task}, or the task's name where the
   * scope is known from the context), for a message. If the task failed because a scope nested in
   * its body failed (its exception is that scope's {@link TaskFailedException}), the path of the
   * nested failure is shown once, down to the exception that started it: {@code req/load -> db/q1:
   * java.io.IOException: db down}, rather than each exception's text inside the next. Otherwise it
   * is {@link #describe} of the exception.
   */
  static String failure(String where, Throwable e) {
    if (!nested(e)) {
      return describe(e);
    }
    StringBuilder path = new StringBuilder(where);
    Throwable t = e;
    for (int depth = 0; depth < MAX_PATH; depth++) {
      if (!(t instanceof TaskFailedException f)
          || f.taskName() == null
          || !(f.getCause() instanceof Throwable cause)) {
        break;
      }
      path.append(" -> ").append(f.scopeName()).append('/').append(f.taskName());
      t = cause;
    }
    return path.append(": ").append(describe(t)).toString();
  }

  private static boolean nested(@Nullable Throwable e) {
    return e instanceof TaskFailedException f && f.taskName() != null && f.getCause() != null;
  }
}
