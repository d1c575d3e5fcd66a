package dev.weft.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The context sources that forks capture from now on: the SLF4J MDC always, Micrometer's
 * context-propagation when it is on the class path (or module path), then the sources users
 * registered, in the order of their registration. Not API (users register through {@code
 * dev.weft.context.WeftContext}).
 */
public final class ContextSources {
  private static final Logger LOG = LoggerFactory.getLogger("dev.weft.context");
  private static final String MICROMETER_PROBE = "io.micrometer.context.ContextSnapshotFactory";

  // builtIn: how many sources at the start of `all` are Weft's own (never removed).
  private static final int BUILT_IN;
  // all: copy-on-write, replaced by add/remove with a CAS (through ALL); read by every fork.
  private static volatile ContextSource[] all;
  private static final VarHandle ALL;

  static {
    all = builtIns();
    BUILT_IN = all.length;
    try {
      ALL =
          MethodHandles.lookup()
              .findStaticVarHandle(ContextSources.class, "all", ContextSource[].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private ContextSources() {}

  /** The sources now in use (the same array until the set changes; do not modify it). */
  public static ContextSource[] all() {
    return all;
  }

  /** Whether Micrometer's context-propagation was found (its accessors are then propagated). */
  public static boolean contextPropagationPresent() {
    return BUILT_IN > 1;
  }

  /**
   * Adds {@code source} for the forks from now on; false (and no change) if an equal source is
   * already there.
   */
  public static boolean add(ContextSource source) {
    Objects.requireNonNull(source, "source");
    for (; ; ) {
      ContextSource[] a = all;
      if (Arrays.asList(a).contains(source)) {
        return false;
      }
      ContextSource[] b = Arrays.copyOf(a, a.length + 1);
      b[a.length] = source;
      if (ALL.compareAndSet(a, b)) {
        return true;
      }
    }
  }

  /** Removes this very {@code source} for the forks from now on (no effect if it is not there). */
  public static void remove(ContextSource source) {
    for (; ; ) {
      ContextSource[] a = all;
      int i = a.length - 1;
      while (i >= 0 && a[i] != source) { // identity: an equal source registered again stays
        i--;
      }
      if (i < BUILT_IN) {
        return; // absent, or one of Weft's own
      }
      ContextSource[] b = new ContextSource[a.length - 1];
      System.arraycopy(a, 0, b, 0, i);
      System.arraycopy(a, i + 1, b, i, a.length - i - 1);
      if (ALL.compareAndSet(a, b)) {
        return;
      }
    }
  }

  /**
   * The MDC, and Micrometer's accessors if the library is there. {@link MicrometerContext} is
   * created only after the probe class was found, so without the library it is never loaded.
   */
  private static ContextSource[] builtIns() {
    ContextSource mdc = new MdcSource();
    if (!present(MICROMETER_PROBE)) {
      return new ContextSource[] {mdc};
    }
    try {
      return new ContextSource[] {mdc, new MicrometerContext()};
    } catch (LinkageError | RuntimeException e) {
      // A version of the library without the API used here, or one that fails to start.
      LOG.warn(
          "io.micrometer:context-propagation is on the class path but cannot be used; tasks do not"
              + " get its ThreadLocalAccessors",
          e);
      return new ContextSource[] {mdc};
    }
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, ContextSources.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
