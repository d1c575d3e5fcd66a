package dev.weft.stress.scope;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.micrometer.ScopeObservationContext;
import dev.weft.micrometer.TaskObservationContext;
import dev.weft.micrometer.WeftObservations;
import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.stress.shared.Joined;
import dev.weft.stress.shared.Published;
import dev.weft.stress.shared.Threads;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/*
 * Property: with WeftObservations on and context-propagation on the class path, when cancel()
 * races with a task's start, a body that runs sees as its current observation its task's
 * observation, or its scope's when the task had already ended as it started; never none. Each
 * task and scope observation is started once and stopped once, every scope opened on it is closed,
 * and none is opened after the stop.
 *
 * Why it matters: an HTTP client called in the body makes its span a child of the current
 * observation; with none current, a request's trace loses that call (a new root span). The task's
 * thread does not get the forking thread's current observation from context propagation when the
 * task's own observation replaces it at once (ObservationObserver.setsCurrentObservation), so the
 * task's observation, or its scope's, must be opened in every case the body runs.
 *
 * Which bug fails it: leaving the forking thread's observation out of the task's thread but not
 * opening the scope's observation where the task's was never started (cancelled in the instant it
 * started: "none"), or closing a scope of the task's observation after its stop.
 *
 * How: the owner opens a scope named uniquely per state and forks "a", whose body reads the
 * current observation; the canceller cancels as soon as the scope is open. The first word is what
 * the body saw (or that it never ran), then a's final state; the arbiter checks both observations'
 * lifecycles as a handler recorded them.
 *
 * How to run:
 *   stress-tests/run -t TaskObservationCurrentInBody
 */
@Outcome(id = "task's, succeeded, scope ok, task ok", expect = ACCEPTABLE, desc = "the body ran in its task's observation")
@Outcome(id = "task's, cancelled, scope ok, task ok", expect = ACCEPTABLE, desc = "cancelled while the body ran, in its task's observation")
@Outcome(id = "scope's, cancelled, scope ok, task ok", expect = ACCEPTABLE, desc = "cancelled as it started: the body ran in its scope's observation")
@Outcome(id = "no body, cancelled, scope ok, task ok", expect = ACCEPTABLE, desc = "cancelled before the body ran")
@Outcome(                           expect = FORBIDDEN,  desc = "a body with no or another current observation, or a broken lifecycle (r2)")
@State
public class TaskObservationCurrentInBody {
  static final ObservationRegistry REGISTRY = ObservationRegistry.create();
  // contexts: the contexts started, by scope name (each state's scope has its own name).
  static final Map<String, ScopeObservationContext> SCOPES = new ConcurrentHashMap<>();
  static final Map<String, TaskObservationContext> TASKS = new ConcurrentHashMap<>();
  private static final AtomicLong IDS = new AtomicLong();

  static {
    REGISTRY.observationConfig().observationHandler(new Lifecycle());
    WeftObservations.install(REGISTRY); // for the whole fork: every scope of this test
  }

  final String name = "obs-race-" + IDS.incrementAndGet();
  final Published<Scope<Void>> scope = new Published<>();
  volatile Observation seen; // what the body saw as current
  volatile boolean ran;
  volatile Task<Integer> a;

  String owner(Threads threads) {
    try (Scope<Void> s = Scope.open(name, Policy.collectAll(), threads.config())) {
      scope.set(s);
      a =
          s.fork(
              "a",
              () -> {
                seen = REGISTRY.getCurrentObservation();
                ran = true;
                return 42;
              });
      if (Joined.join(s).hung()) {
        return "hung";
      }
    }
    return view() + ", " + a.state().toString().toLowerCase();
  }

  void cancel() {
    Scope<Void> s = scope.await();
    if (s != null) {
      s.cancel();
    }
  }

  String after() {
    ScopeObservationContext sc = SCOPES.remove(name);
    TaskObservationContext tc = TASKS.remove(name);
    return "scope " + Lifecycle.of(sc) + ", task " + Lifecycle.of(tc);
  }

  private String view() {
    if (!ran) {
      return "no body";
    }
    Observation o = seen;
    if (o == null) {
      return "none";
    }
    Observation.Context c = o.getContext();
    if (c == TASKS.get(name)) {
      return "task's";
    }
    return c == SCOPES.get(name) ? "scope's" : "another's";
  }

  /** Counts each context's events in the context itself; notes a scope opened after the stop. */
  static final class Lifecycle implements ObservationHandler<Observation.Context> {
    private static final String KEY = "stress.lifecycle";

    static String of(Observation.Context c) {
      if (c == null) {
        return "missing";
      }
      Counts n = c.get(KEY);
      if (n == null) {
        return "no events";
      }
      if (n.starts.get() == 1
          && n.stops.get() == 1
          && n.opens.get() == n.closes.get()
          && n.openedAfterStop.get() == 0) {
        return "ok";
      }
      return "starts="
          + n.starts
          + " stops="
          + n.stops
          + " opens="
          + n.opens
          + " closes="
          + n.closes
          + " openedAfterStop="
          + n.openedAfterStop;
    }

    private static Counts counts(Observation.Context c) {
      return c.computeIfAbsent(KEY, k -> new Counts());
    }

    @Override
    public void onStart(Observation.Context c) {
      counts(c).starts.incrementAndGet();
      if (c instanceof TaskObservationContext t) {
        TASKS.put(t.scopeName(), t);
      } else if (c instanceof ScopeObservationContext s) {
        SCOPES.put(s.scopeName(), s);
      }
    }

    @Override
    public void onScopeOpened(Observation.Context c) {
      Counts n = counts(c);
      n.opens.incrementAndGet();
      if (n.stops.get() != 0) {
        n.openedAfterStop.incrementAndGet();
      }
    }

    @Override
    public void onScopeClosed(Observation.Context c) {
      counts(c).closes.incrementAndGet();
    }

    @Override
    public void onStop(Observation.Context c) {
      counts(c).stops.incrementAndGet();
    }

    @Override
    public boolean supportsContext(Observation.Context c) {
      return c instanceof TaskObservationContext || c instanceof ScopeObservationContext;
    }
  }

  static final class Counts {
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger stops = new AtomicInteger();
    final AtomicInteger opens = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    final AtomicInteger openedAfterStop = new AtomicInteger();
  }

  @JCStressTest
  @JCStressMeta(TaskObservationCurrentInBody.class)
  public static class Virtual {
    @Actor
    public void owner(TaskObservationCurrentInBody run, LL_Result r) {
      r.r1 = run.owner(Threads.VIRTUAL);
    }

    @Actor
    public void canceller(TaskObservationCurrentInBody run) {
      run.cancel();
    }

    @Arbiter
    public void after(TaskObservationCurrentInBody run, LL_Result r) {
      r.r2 = run.after();
    }
  }

  @JCStressTest
  @JCStressMeta(TaskObservationCurrentInBody.class)
  public static class Platform {
    @Actor
    public void owner(TaskObservationCurrentInBody run, LL_Result r) {
      r.r1 = run.owner(Threads.PLATFORM);
    }

    @Actor
    public void canceller(TaskObservationCurrentInBody run) {
      run.cancel();
    }

    @Arbiter
    public void after(TaskObservationCurrentInBody run, LL_Result r) {
      r.r2 = run.after();
    }
  }
}
