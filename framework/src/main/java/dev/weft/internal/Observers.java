package dev.weft.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The observers that scopes opened from now on report to. Not API (see {@link ScopeObserver}).
 * Adding or removing one affects the scopes opened after it: a scope reads the set once, when it
 * opens, and reports to the same observers until it closes.
 */
public final class Observers {
  private static final ScopeObserver[] NONE = {};
  // all: copy-on-write, replaced by add/remove with a CAS (through ALL); read by every Scope.open.
  private static volatile ScopeObserver[] all = NONE;
  private static final VarHandle ALL;

  static {
    try {
      ALL =
          MethodHandles.lookup().findStaticVarHandle(Observers.class, "all", ScopeObserver[].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Observers() {}

  /** The observers now installed (the same array until the set changes; do not modify it). */
  public static ScopeObserver[] all() {
    return all;
  }

  /**
   * Installs {@code observer} for the scopes opened from now on; closing the result removes it
   * again (for the scopes opened after that). Installing the same observer twice has no effect.
   */
  public static Registration add(ScopeObserver observer) {
    Objects.requireNonNull(observer, "observer must not be null");
    update(
        a -> {
          if (Arrays.asList(a).contains(observer)) {
            return a;
          }
          ScopeObserver[] b = Arrays.copyOf(a, a.length + 1);
          b[a.length] = observer;
          return b;
        });
    return () -> remove(observer);
  }

  /** Removes {@code observer} (no effect if it is not installed). */
  public static void remove(ScopeObserver observer) {
    update(
        a -> {
          ScopeObserver[] b =
              Arrays.stream(a).filter(o -> o != observer).toArray(ScopeObserver[]::new);
          return b.length == a.length ? a : b.length == 0 ? NONE : b;
        });
  }

  private static void update(UnaryOperator<ScopeObserver[]> change) {
    ScopeObserver[] a;
    do {
      a = all;
    } while (!ALL.compareAndSet(a, change.apply(a)));
  }

  /** An installed observer; {@link #close()} removes it. */
  @FunctionalInterface
  public interface Registration extends AutoCloseable {
    /** Removes the observer for the scopes opened from now on (no effect the second time). */
    @Override
    void close();
  }
}
