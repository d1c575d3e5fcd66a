package dev.weft.micrometer;

import dev.weft.internal.TaskOutcome;
import io.micrometer.observation.Observation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * One task's observation, stopped exactly once and only after its scope in the task's thread was
 * closed: by whichever of the task's end (any thread) and the end of its body (the task's thread)
 * comes second. The end can come first (a cancel or timeout while the body runs), and a stopped
 * observation must not have a scope closed afterwards.
 *
 * <p>A task that ended before its body began (skipped, cancelled while pending, a thread that could
 * not start; also one cancelled in the instant it started) is observed by an observation that the
 * ending thread starts and stops at once; its body, if it still runs, sees its scope's observation
 * as the current one, as does the body of a task whose observation a predicate refused. (The task's
 * thread does not get the observation current at fork from context propagation: {@link
 * ObservationObserver#setsCurrentObservation}.) So does the body of a task whose observation a
 * handler refused to start by throwing from {@code onStart}; that observation is still stopped.
 */
final class TaskObservation {
  static final int STARTED = 1; // the task's thread reached its start
  static final int ENDED = 2; // the task ended (outcome and error written before this bit)
  static final int BODY_DONE = 4; // the task's thread closed the observation's scope
  private static final VarHandle PHASE;

  static {
    try {
      PHASE = MethodHandles.lookup().findVarHandle(TaskObservation.class, "phase", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ObservationObserver observer;
  final ScopeObservation scope;
  final TaskObservationContext context;

  // phase: STARTED | ENDED | BODY_DONE bits, each set once by an atomic or (PHASE): the one whose
  // or sees the other bits it needs does the next step, and reads what they wrote before them.
  @SuppressWarnings("unused") // through PHASE
  private volatile int phase;

  // observation: written by the task's thread before it sets BODY_DONE; read by that thread, and
  // by the ending thread only after its or saw BODY_DONE.
  private @Nullable Observation observation;
  // opened: the observation scope open in the task's thread during the body (observation's, or the
  // scope's observation's); that thread only.
  private Observation.@Nullable Scope opened;
  // error: written by the ending thread before it sets ENDED; read by whoever stops.
  private @Nullable Throwable error;

  TaskObservation(ObservationObserver observer, ScopeObservation scope, TaskObservationContext c) {
    this.observer = observer;
    this.scope = scope;
    this.context = c;
  }

  /** In the task's thread, just before its body: starts the observation and opens its scope. */
  void bodyStarting() {
    int before = (int) PHASE.getAndBitwiseOr(this, STARTED);
    if ((before & ENDED) != 0) {
      opened = scope.observation.openScope(); // ended first: taskEnded observed it as never started
      return;
    }
    context.started(true);
    Observation o = observer.newTask(this);
    // Kept before start(): should a handler throw from onStart, the handlers called before it
    // (a tracing bridge's span) still see the stop.
    observation = o;
    try {
      o.start();
      opened = o.isNoop() ? scope.observation.openScope() : o.openScope();
    } catch (RuntimeException | Error e) {
      // A handler threw from onStart or onScopeOpened: the body still gets a current observation,
      // its scope's, and the observer's caller logs e.
      observer.closeScopeLeftOpen(o, e);
      if (opened == null) {
        try {
          opened = scope.observation.openScope();
        } catch (RuntimeException | Error again) {
          e.addSuppressed(again);
        }
      }
      throw e;
    }
  }

  /** In the task's thread, once its body returned or threw: closes the scope (and may stop). */
  void bodyEnded() {
    Observation.Scope s = opened;
    opened = null;
    if (s != null) {
      s.close();
    }
    Observation o = observation;
    if (o == null) {
      return; // not started here (see bodyStarting)
    }
    int before = (int) PHASE.getAndBitwiseOr(this, BODY_DONE);
    if ((before & ENDED) != 0) {
      stop(o);
    }
  }

  /** In the thread that ended the task: records the outcome, and stops if the body is done. */
  void ended(TaskOutcome outcome, @Nullable Throwable failure) {
    context.outcome(outcome);
    if (outcome == TaskOutcome.FAILED || outcome == TaskOutcome.TIMED_OUT) {
      error = failure;
    }
    int before = (int) PHASE.getAndBitwiseOr(this, ENDED);
    if ((before & STARTED) == 0) {
      stop(observer.newTask(this).start()); // never started: an observation of its end
    } else if ((before & BODY_DONE) != 0) {
      Observation o = observation;
      if (o != null) {
        stop(o);
      }
    }
  }

  private void stop(Observation o) {
    Throwable e = error;
    if (e != null) {
      o.error(e);
    }
    o.stop();
  }
}
