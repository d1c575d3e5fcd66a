package dev.weft.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * Starts Weft's JFR support ({@code dev.weft.jfr}) once, when the first scope opens or the first
 * lock-order checker is created. Not API. This class names no {@code jdk.jfr} type: it loads the
 * JFR side by name, so that a runtime without the {@code jdk.jfr} module (a jlinked image, or a
 * module path that does not resolve it) runs Weft without JFR events, and nothing fails.
 *
 * <p>{@code -Dweft.jfr=false} switches it off: then Weft does not even listen for recordings.
 */
public final class JfrHook {
  private JfrHook() {}

  /** The class that listens for recordings (dev.weft.jfr); a Runnable that installs it. */
  private static final String RECORDINGS = "dev.weft.jfr.JfrRecordings";

  // started: set by the first caller, which installs; later callers return at once (they never
  // wait for the install, so that no class initialisation can wait on another).
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  /** Installs the JFR support the first time (any thread; cheap after the first call). */
  public static void install() {
    if (STARTED.get() || !STARTED.compareAndSet(false, true)) {
      return;
    }
    if ("false".equalsIgnoreCase(System.getProperty("weft.jfr"))) {
      return;
    }
    try {
      Class.forName(RECORDINGS, true, JfrHook.class.getClassLoader())
          .asSubclass(Runnable.class)
          .getConstructor()
          .newInstance()
          .run();
    } catch (LinkageError e) {
      // No jdk.jfr in this runtime (NoClassDefFoundError): Weft runs without its JFR events. Not
      // logged, so that a program that never logs does not start its logging for this.
    } catch (ReflectiveOperationException | RuntimeException e) {
      LoggerFactory.getLogger("dev.weft.jfr").debug("Weft's JFR events are not available", e);
    }
  }
}
