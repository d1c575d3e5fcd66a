package dev.weft.stress.soak;

import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.ScopeConfig;
import dev.weft.scope.Task;
import dev.weft.scope.TaskOptions;
import dev.weft.stress.soak.Trail.ScopeTrail;
import dev.weft.stress.soak.Trail.TaskTrail;
import dev.weft.stress.soak.TreePlan.ScopePlan;
import dev.weft.stress.soak.TreePlan.TaskPlan;
import dev.weft.stress.soak.Violation.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.UnaryOperator;

/**
 * Runs one {@link TreePlan} through Weft's public API only, recording into a {@link Trail}: the
 * driver thread opens the root scope, forks its tasks, joins and closes it; task bodies that the
 * plan nests open, join and close their scopes the same way, in their own threads.
 */
final class TreeRun {
  private static final ThreadFactory PLATFORM =
      Thread.ofPlatform().daemon().name("soak-platform-", 0).factory();
  private static final ThreadFactory VIRTUAL =
      Thread.ofVirtual().name("soak-virtual-", 0).factory();

  private final Trail trail;

  private TreeRun(Trail trail) {
    this.trail = trail;
  }

  /** Runs the tree of {@code trail}'s plan in the current thread, which owns the root scope. */
  static void run(Trail trail) {
    try {
      new TreeRun(trail).scope(trail.plan.root(), false);
    } catch (Throwable unexpected) {
      trail.violation(
          Kind.UNEXPECTED,
          "scope '" + trail.plan.root().name() + "'",
          "the soak's driver threw " + unexpected);
    }
  }

  // --- implementation ---

  /**
   * Opens, forks, joins and closes the scope of {@code plan}, in the current thread. Returns what
   * join() returned; if join() threw, rethrows it when {@code rethrow}, else returns a value.
   */
  private Object scope(ScopePlan plan, boolean rethrow) throws Exception {
    ScopeTrail st = trail.open(plan);
    Scope<?> scope = open(plan, policy(plan, st), config(plan, st));
    st.scope = scope;
    Throwable joinThrew = null;
    Object value = null;
    try {
      try {
        for (TaskTrail tt : st.tasks) {
          tt.handle = fork(scope, st, tt);
          trail.forked.incrementAndGet();
        }
      } catch (RuntimeException e) {
        trail.violation(Kind.UNEXPECTED, st.where(), "fork threw " + e);
      }
      try {
        value = scope.join();
        st.joinValue = value;
        st.joinReturned = true;
      } catch (Throwable t) {
        joinThrew = t;
        st.joinThrew = t;
      }
      st.afterJoin();
    } finally {
      try {
        scope.close();
      } catch (Throwable t) {
        st.closeThrew = t;
        trail.violation(Kind.UNEXPECTED, st.where(), "close() after join() threw " + t);
      }
      st.afterClose();
    }
    if (joinThrew != null && rethrow) {
      if (joinThrew instanceof Exception e) {
        throw e;
      }
      throw (Error) joinThrew;
    }
    return value != null ? value : "v:" + plan.name();
  }

  private static <R> Scope<R> open(
      ScopePlan plan, Policy<R> policy, UnaryOperator<ScopeConfig> config) {
    return Scope.open(plan.name(), policy, config);
  }

  private static Policy<?> policy(ScopePlan plan, ScopeTrail st) {
    return switch (plan.policy()) {
      case FAIL_FAST -> Policy.failFast();
      case COLLECT_ALL -> Policy.collectAll();
      case FIRST_SUCCESS -> Policy.<Object>firstSuccess();
      case QUORUM -> Policy.<Object>quorum(plan.quorum());
      case TALLY -> {
        TallyPolicy p = new TallyPolicy(plan.tally(), plan.name());
        st.tally = p;
        yield p;
      }
    };
  }

  private static UnaryOperator<ScopeConfig> config(ScopePlan plan, ScopeTrail st) {
    return c -> {
      ScopeConfig r = c;
      switch (plan.deadline()) {
        case TIMEOUT -> r = r.withTimeout(Duration.ofMillis(plan.deadlineMillis()));
        case INSTANT -> r = r.withDeadline(Instant.now().plusMillis(plan.deadlineMillis()));
        case NONE -> {}
      }
      if (plan.maxConcurrency() > 0) {
        r = r.withMaxConcurrency(plan.maxConcurrency());
      }
      return switch (plan.threads()) {
        case DEFAULT -> r;
        case VIRTUAL_FACTORY -> r.withThreadFactory(st.recording(VIRTUAL));
        case PLATFORM_FACTORY -> r.withThreadFactory(st.recording(PLATFORM));
      };
    };
  }

  /**
   * Forks {@code tt} with the overload its plan names: no dependencies, 1-3 arguments, or a list.
   */
  private Task<Object> fork(Scope<?> scope, ScopeTrail st, TaskTrail tt) {
    TaskPlan p = tt.plan;
    UnaryOperator<TaskOptions<Object>> options = options(tt);
    List<Task<Object>> deps = new ArrayList<>(p.deps().size());
    for (int d : p.deps()) {
      deps.add(st.tasks.get(d).handle);
    }
    if (deps.isEmpty()) {
      return scope.fork(p.name(), () -> body(tt, List.of()), options);
    }
    if (p.depStyle() == TreePlan.DepStyle.LIST) {
      return scope.fork(p.name(), deps, () -> body(tt, null), options);
    }
    return switch (deps.size()) {
      case 1 ->
          scope.<Object, Object>fork(p.name(), deps.get(0), a -> body(tt, List.of(a)), options);
      case 2 ->
          scope.<Object, Object, Object>fork(
              p.name(), deps.get(0), deps.get(1), (a, b) -> body(tt, List.of(a, b)), options);
      default ->
          scope.<Object, Object, Object, Object>fork(
              p.name(),
              deps.get(0),
              deps.get(1),
              deps.get(2),
              (a, b, c) -> body(tt, List.of(a, b, c)),
              options);
    };
  }

  private static UnaryOperator<TaskOptions<Object>> options(TaskTrail tt) {
    TaskPlan p = tt.plan;
    return o -> {
      TaskOptions<Object> r =
          p.timeoutMillis() > 0 ? o.withTimeout(Duration.ofMillis(p.timeoutMillis())) : o;
      return switch (p.fallback()) {
        case NONE -> r;
        case OR_ELSE -> r.withFallbackValue("fb:" + tt.path);
        case RECOVER ->
            r.withFallback(
                failure -> {
                  tt.fallbackSaw = failure;
                  return "fb:" + tt.path;
                });
        case RECOVER_THROWS ->
            r.withFallback(
                failure -> {
                  tt.fallbackSaw = failure;
                  RuntimeException e =
                      new Injected.UncheckedFailure(tt.path + ": injected fallback failure");
                  tt.fallbackThrew = e;
                  throw e;
                });
      };
    };
  }

  /** A task body: records its start, end and failure around what the plan says it does. */
  private Object body(TaskTrail tt, List<Object> args) throws Exception {
    tt.enter(args);
    try {
      Object v =
          Bodies.run(tt.plan, tt.path, nested -> scope(nested.nested(), nested.rethrowNested()));
      tt.returned = true;
      return v;
    } catch (Throwable t) {
      tt.threw(t);
      throw t;
    } finally {
      tt.exit();
    }
  }
}
