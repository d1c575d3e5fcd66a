package dev.weft.internal;

/** How every Weft message names a thread: one helper for the scope and lock-order packages. */
public final class ThreadNames {
  private ThreadNames() {}

  /** The thread's name, or {@code virtual#id} / {@code thread#id} if it has none. */
  public static String of(Thread t) {
    String n = t.getName();
    if (n.isEmpty()) {
      return (t.isVirtual() ? "virtual#" : "thread#") + t.threadId();
    }
    return n;
  }

  /** The thread as messages quote it: {@code 'name'}. */
  public static String quoted(Thread t) {
    return "'" + of(t) + "'";
  }
}
