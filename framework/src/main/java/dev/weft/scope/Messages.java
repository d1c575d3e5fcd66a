package dev.weft.scope;

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
}
