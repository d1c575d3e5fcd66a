package dev.weft.stress.scope;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.micrometer.DefaultTaskObservationConvention;
import dev.weft.micrometer.TaskObservationContext;
import dev.weft.micrometer.WeftObservations;
import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.stress.shared.Joined;
import dev.weft.stress.shared.Published;
import dev.weft.stress.shared.Threads;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/*
 * Property: with WeftObservations on, when tasks of one scope end at the same moment in different
 * threads with different outcomes, each task's stopped observation carries its own outcome in its
 * "outcome" key, the same as its context's outcome and its task's final state.
 *
 * Why it matters: a scope's tasks whose names fork(body) generated share one set of key values of
 * the default convention, made once per outcome by whichever thread needs it first (a fan-out would
 * otherwise build the same keys twice per task). A span or timer tagged with another task's outcome
 * is a silent lie in a dashboard: a failed task counted as succeeded.
 *
 * Which bug fails it: keeping one cached key set for all outcomes instead of one per outcome, or
 * filling a cache slot for one outcome with another's keys.
 *
 * How: the owner opens a scope named uniquely per state and forks two tasks with generated names:
 * the first returns, the second throws; the canceller cancels as soon as the scope is open. So the
 * tasks end succeeded or failed in their own threads, or cancelled in the canceller's, at once.
 * The first word pair is the tasks' final states; the second says whether every stopped
 * observation's keys agree.
 *
 * How to run:
 *   stress-tests/run -t TaskObservationKeysOwnOutcome
 */
@Outcome(id = "succeeded failed, keys ok", expect = ACCEPTABLE, desc = "both ended in their own threads")
@Outcome(id = "cancelled failed, keys ok", expect = ACCEPTABLE, desc = "the cancel reached the first task only")
@Outcome(id = "succeeded cancelled, keys ok", expect = ACCEPTABLE, desc = "the cancel reached the second task only")
@Outcome(id = "cancelled cancelled, keys ok", expect = ACCEPTABLE, desc = "the cancel reached both")
@Outcome(                                     expect = FORBIDDEN,  desc = "an observation with another task's outcome, or missing (r2)")
@State
public class TaskObservationKeysOwnOutcome {
  static final ObservationRegistry REGISTRY = ObservationRegistry.create();
  // STOPPED: for each scope name, what each stopped task observation carried.
  static final Map<String, List<String>> STOPPED = new ConcurrentHashMap<>();
  private static final AtomicLong IDS = new AtomicLong();

  static {
    REGISTRY.observationConfig().observationHandler(new Keys());
    WeftObservations.install(REGISTRY); // for the whole fork: every scope of this test
  }

  final String name = "obs-keys-" + IDS.incrementAndGet();
  final Published<Scope<Void>> scope = new Published<>();
  volatile Task<Integer> a;
  volatile Task<Integer> b;

  String owner(Threads threads) {
    try (Scope<Void> s = Scope.open(name, Policy.collectAll(), threads.config())) {
      scope.set(s);
      a = s.fork(() -> 1);
      b =
          s.fork(
              () -> {
                throw new IllegalStateException("b fails");
              });
      if (Joined.join(s).hung()) {
        return "hung";
      }
    }
    return state(a) + " " + state(b);
  }

  void cancel() {
    Scope<Void> s = scope.await();
    if (s != null) {
      s.cancel();
    }
  }

  String after() {
    List<String> seen = STOPPED.remove(name);
    if (seen == null || seen.size() != 2) {
      return "stopped " + seen;
    }
    for (String k : seen) {
      if (!k.equals("ok")) {
        return String.join("; ", seen);
      }
    }
    return "keys ok";
  }

  private static String state(Task<?> t) {
    return t.state().toString().toLowerCase();
  }

  /** At each task observation's stop: whether its outcome key is its context's outcome. */
  static final class Keys implements ObservationHandler<TaskObservationContext> {
    @Override
    public void onStop(TaskObservationContext c) {
      KeyValue k = c.getLowCardinalityKeyValue(DefaultTaskObservationConvention.OUTCOME);
      String outcome = c.outcome();
      String seen =
          k != null && outcome != null && k.getValue().equals(outcome)
              ? "ok"
              : "key " + (k == null ? null : k.getValue()) + " for outcome " + outcome;
      STOPPED.computeIfAbsent(c.scopeName(), n -> new CopyOnWriteArrayList<>()).add(seen);
    }

    @Override
    public boolean supportsContext(Observation.Context c) {
      return c instanceof TaskObservationContext;
    }
  }

  @JCStressTest
  @JCStressMeta(TaskObservationKeysOwnOutcome.class)
  public static class Virtual {
    @Actor
    public void owner(TaskObservationKeysOwnOutcome run, LL_Result r) {
      r.r1 = run.owner(Threads.VIRTUAL);
    }

    @Actor
    public void canceller(TaskObservationKeysOwnOutcome run) {
      run.cancel();
    }

    @Arbiter
    public void after(TaskObservationKeysOwnOutcome run, LL_Result r) {
      r.r2 = run.after();
    }
  }

  @JCStressTest
  @JCStressMeta(TaskObservationKeysOwnOutcome.class)
  public static class Platform {
    @Actor
    public void owner(TaskObservationKeysOwnOutcome run, LL_Result r) {
      r.r1 = run.owner(Threads.PLATFORM);
    }

    @Actor
    public void canceller(TaskObservationKeysOwnOutcome run) {
      run.cancel();
    }

    @Arbiter
    public void after(TaskObservationKeysOwnOutcome run, LL_Result r) {
      r.r2 = run.after();
    }
  }
}
