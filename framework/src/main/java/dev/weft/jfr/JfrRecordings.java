package dev.weft.jfr;

import dev.weft.internal.Observers;
import dev.weft.lockorder.DeadlockException;
import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.LockOrderViolationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import org.jspecify.annotations.Nullable;

/**
 * Installs Weft's scope observer while a recording enables {@code dev.weft.Scope} or {@code
 * dev.weft.Task}, and removes it when no running recording does, so that without such a recording
 * scopes cost nothing for JFR. Started once by {@code dev.weft.internal.JfrHook} (when the first
 * scope opens or the first lock-order checker is created), which loads this class by name.
 *
 * <p>Listening costs nothing per scope: {@link FlightRecorder#addListener} registers a callback and
 * does not start or initialise the recorder (measured: about 1 ms once, 9 classes, no thread; see
 * docs/observability.md, "JFR"). JFR calls {@link #recordingStateChanged} after a recording's
 * settings are applied and outside its own locks; each call looks at what is enabled now, under
 * {@link #LOCK}, so the last call sees the last change.
 *
 * <p>Scopes read the observers as they open: a scope opened before the recording started is not
 * recorded, nor is one opened after it stopped. A setting changed on a running recording (without a
 * start or a stop) is seen at the next start or stop of any recording.
 */
public final class JfrRecordings implements FlightRecorderListener, Runnable {
  // LOCK: orders the updates (JFR may call from several threads); guards registration.
  private static final ReentrantLock LOCK = new ReentrantLock();
  // registration: the installed observer, or null. Guarded by LOCK.
  private static Observers.@Nullable Registration registration;
  // lockReports: whether the report listener is registered (once, never removed: reports are rare,
  // and an event that is not enabled is not written).
  private static final AtomicBoolean LOCK_REPORTS = new AtomicBoolean();
  // installed: whether the FlightRecorderListener is registered.
  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  /** For {@code JfrHook}, which creates it by name. */
  public JfrRecordings() {}

  /** Registers the listener (once) and looks at the recordings that already run. */
  @Override
  public void run() {
    if (!FlightRecorder.isAvailable() || !INSTALLED.compareAndSet(false, true)) {
      return;
    }
    FlightRecorder.addListener(this);
    if (FlightRecorder.isInitialized()) {
      update(); // a recording may run already (-XX:StartFlightRecording)
    }
  }

  /** Nothing: a recording starts after the recorder is initialised, and says so. */
  @Override
  public void recorderInitialized(FlightRecorder recorder) {}

  @Override
  public void recordingStateChanged(Recording recording) {
    update();
  }

  /** Installs or removes the observer after what the running recordings enable now. */
  static void update() {
    boolean locks;
    LOCK.lock();
    try {
      EventType task = type(TaskEvent.class);
      boolean scopes = type(ScopeEvent.class).isEnabled() || task.isEnabled();
      if (scopes && registration == null) {
        registration = Observers.add(new JfrObserver(task));
      } else if (!scopes && registration != null) {
        registration.close();
        registration = null;
      }
      locks =
          type(LockOrderViolationEvent.class).isEnabled() || type(DeadlockEvent.class).isEnabled();
    } finally {
      LOCK.unlock();
    }
    // Outside LOCK: this may initialise LockOrderChecker, whose initialiser may start JfrHook.
    if (locks && LOCK_REPORTS.compareAndSet(false, true)) {
      LockOrderChecker.addReportListener(JfrRecordings::report);
    }
  }

  /** Whether the scope observer is installed now (for tests). */
  static boolean observing() {
    LOCK.lock();
    try {
      return registration != null;
    } finally {
      LOCK.unlock();
    }
  }

  private static EventType type(Class<? extends Event> c) {
    FlightRecorder.register(c); // no effect once registered
    return EventType.getEventType(c);
  }

  /** A lock-order report, in the reporting thread. */
  static void report(RuntimeException r) {
    if (r instanceof LockOrderViolationException v) {
      LockOrderViolationEvent e = new LockOrderViolationEvent();
      if (e.isEnabled()) {
        e.cycle =
            v.cycle().isEmpty() ? "" : String.join(" -> ", v.cycle()) + " -> " + v.cycle().get(0);
        e.message = firstLine(v.getMessage());
        e.commit();
      }
    } else if (r instanceof DeadlockException d) {
      DeadlockEvent e = new DeadlockEvent();
      if (e.isEnabled()) {
        e.summary = firstLine(d.report().summary());
        e.threads =
            String.join(
                ", ",
                d.report().threads().stream().map(dev.weft.internal.ThreadNames::of).toList());
        e.locks = String.join(", ", d.report().locks());
        e.commit();
      }
    }
  }

  private static String firstLine(@Nullable String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
