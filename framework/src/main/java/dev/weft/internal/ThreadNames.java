package dev.weft.internal;

import org.jspecify.annotations.Nullable;

/** How every Weft message names a thread: one helper for the scope and lock-order packages. */
public final class ThreadNames {
  private ThreadNames() {}

  /**
   * The thread's name, or {@code virtual#id} / {@code thread#id} if it has none ({@code none}:
   * null).
   */
  public static String of(@Nullable Thread t) {
    if (t == null) {
      return "none";
    }
    String n = t.getName();
    if (n.isEmpty()) {
      return (t.isVirtual() ? "virtual#" : "thread#") + t.threadId();
    }
    return n;
  }

  /** The thread as messages quote it: {@code 'name'}. */
  public static String quoted(@Nullable Thread t) {
    return "'" + of(t) + "'";
  }
}
