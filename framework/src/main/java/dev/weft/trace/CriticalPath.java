package dev.weft.trace;

import dev.weft.scope.ScopeTrace;
import dev.weft.scope.ScopeTrace.TracedScope;
import dev.weft.scope.ScopeTrace.TracedTask;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The chain of tasks that decided how long a traced scope took: what held the scope up.
 *
 * <p>It is found backwards from the end. The last step is the task whose end {@code join()} waited
 * for: of the tasks that had ended when {@code join()} returned (all of them if it never did), the
 * one that ended last. Each step's predecessor is what that task waited for before its body could
 * start: the task whose end gave it its concurrency slot, if the slot came after its dependencies;
 * otherwise, of its dependencies, the one that ended last (for a skipped task, the dependency whose
 * failure skipped it). A task that waited for neither was started by its fork, and the chain begins
 * there. A step whose body opened scopes carries the critical path of the one that closed last
 * ({@link Step#inner()}), so a path reads {@code req/load -> db/q1} down to the task that held the
 * request up.
 *
 * {@snippet class=dev.weft.samples.TraceSample region=critical-path lang=java}
 */
public final class CriticalPath {
  /** What a step's task waited for before its body could start. */
  public enum Wait {
    /** Nothing in its scope: its body started when it was forked (or it never started). */
    FORK,
    /** The previous step, one of its dependencies (for a skipped task: the one that failed). */
    DEPENDENCY,
    /** A slot of the concurrency limit, which the previous step's end gave it. */
    SLOT
  }

  /**
   * A step of the path.
   *
   * @param task the task
   * @param waitedFor what held its start back: the previous step of the same scope, unless {@link
   *     Wait#FORK}
   * @param waitNanos how long it waited for that: for its dependencies from its fork (to its end,
   *     if they never all succeeded), for a slot from its readiness, and after its fork until its
   *     thread started (or it ended) for {@link Wait#FORK}
   * @param inner the critical path of the scope its body opened that closed last, or null
   */
  public record Step(
      TracedTask task, Wait waitedFor, long waitNanos, @Nullable CriticalPath inner) {
    /** Checks that nothing required is null. */
    public Step {
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(waitedFor, "waitedFor");
    }
  }

  private final TracedScope scope;
  private final List<Step> steps;

  private CriticalPath(TracedScope scope, List<Step> steps) {
    this.scope = scope;
    this.steps = List.copyOf(steps);
  }

  /** The critical path of the trace's root scope. */
  public static CriticalPath of(ScopeTrace trace) {
    return of(TraceTimes.require(trace).root());
  }

  /** The critical path of {@code scope}, one scope of a trace. */
  public static CriticalPath of(TracedScope scope) {
    Objects.requireNonNull(scope, "scope must not be null: pass a scope of a ScopeTrace");
    List<Step> reversed = new ArrayList<>();
    TracedTask t = last(scope);
    // The chain only goes back in time (each predecessor ended before its successor started), so
    // it visits a task at most once; the bound guards against a hand-built trace that loops.
    for (int n = 0; t != null && n <= scope.tasks().size(); n++) {
      TracedTask before = slotGiver(scope, t);
      Wait wait = Wait.SLOT;
      if (before == null) {
        before = lastDependency(scope, t);
        wait = before == null ? Wait.FORK : Wait.DEPENDENCY;
      }
      long waited =
          switch (wait) {
            case SLOT -> t.slotWaitNanos();
            case DEPENDENCY -> t.dependencyWaitNanos();
            case FORK -> (t.started() ? t.startedNanos() : t.endedNanos()) - t.forkedNanos();
          };
      reversed.add(new Step(t, wait, waited, inner(t)));
      t = before;
    }
    Collections.reverse(reversed);
    return new CriticalPath(scope, reversed);
  }

  /** The scope whose path this is. */
  public TracedScope scope() {
    return scope;
  }

  /** The steps in the order they happened; empty for a scope without tasks. */
  public List<Step> steps() {
    return steps;
  }

  /**
   * The paths of every task on the critical path, this scope's and its steps' inner paths, in the
   * order they happened: a step, then its inner path's tasks.
   */
  public List<String> taskPaths() {
    List<String> out = new ArrayList<>();
    for (TracedTask t : tasks()) {
      out.add(t.path());
    }
    return out;
  }

  /**
   * The tasks on the critical path, this scope's and its steps' inner paths, in the order they
   * happened: a step's task, then its inner path's tasks.
   */
  public List<TracedTask> tasks() {
    List<TracedTask> out = new ArrayList<>();
    collect(out);
    return out;
  }

  /**
   * Whether {@code task} (this very task of the trace) is on the path, here or in a nested scope.
   */
  public boolean contains(TracedTask task) {
    for (TracedTask t : tasks()) {
      if (t == task) {
        return true;
      }
    }
    return false;
  }

  /** The tasks on the path as a set by identity, for exports that mark them. */
  Set<TracedTask> taskSet() {
    Set<TracedTask> set = Collections.newSetFromMap(new IdentityHashMap<>());
    set.addAll(tasks());
    return set;
  }

  /**
   * The path as text: each step's task path, its wait and its body time, and a step's inner path in
   * braces, as in {@code req/orders (60.2 ms) { req/orders/db/q1 (50.1 ms) } -> req/pricing (waited
   * 60.5 ms, 10.1 ms)}.
   */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    text(b);
    return b.isEmpty() ? scope.path() + ": no tasks" : b.toString();
  }

  // --- implementation ---

  private void collect(List<TracedTask> out) {
    for (Step s : steps) {
      out.add(s.task());
      if (s.inner() != null) {
        s.inner().collect(out);
      }
    }
  }

  private void text(StringBuilder b) {
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      if (i > 0) {
        b.append(" -> ");
      }
      TracedTask t = s.task();
      b.append(t.path()).append(" (");
      if (s.waitedFor() != Wait.FORK) {
        b.append(s.waitedFor() == Wait.SLOT ? "waited for a slot " : "waited ")
            .append(TraceTimes.ms(s.waitNanos()))
            .append(", ");
      }
      b.append(t.started() ? TraceTimes.ms(t.bodyNanos()) : t.outcome().tag()).append(')');
      if (s.inner() != null) {
        b.append(" { ");
        s.inner().text(b);
        b.append(" }");
      }
    }
  }

  /** The task whose end join() waited for. */
  private static @Nullable TracedTask last(TracedScope scope) {
    long joined = scope.joinedNanos();
    TracedTask last = null; // of the tasks ended by the join
    TracedTask any = null; // of all: if join returned before any ended (a policy decided alone)
    for (TracedTask t : scope.tasks()) {
      if (any == null || t.endedNanos() >= any.endedNanos()) {
        any = t;
      }
      boolean beforeJoin = joined == ScopeTrace.NEVER || t.endedNanos() <= joined;
      if (beforeJoin && (last == null || t.endedNanos() >= last.endedNanos())) {
        last = t;
      }
    }
    return last != null ? last : any;
  }

  /**
   * The task whose end gave {@code t} its slot after {@code t} had queued for it; null if the slot
   * came with its readiness (no limit, a free slot, or given by the dependency whose end made it
   * ready: then it waited for that dependency, not for a slot).
   */
  private static @Nullable TracedTask slotGiver(TracedScope scope, TracedTask t) {
    String from = t.slotFrom();
    if (from == null
        || t.slotNanos() == ScopeTrace.NEVER
        || t.slotWaitNanos() <= 0
        || t.dependencies().contains(from)) {
      return null;
    }
    TracedTask giver = scope.task(from);
    return giver != null && giver.endedNanos() <= t.slotNanos() ? giver : null;
  }

  /**
   * Of {@code t}'s dependencies that had ended by the time it became ready (or ended), the one that
   * ended last; for a task that was skipped, the failed one that ended first.
   */
  private static @Nullable TracedTask lastDependency(TracedScope scope, TracedTask t) {
    long by = TraceTimes.readyOrEnd(t);
    boolean skipped = t.outcome() == ScopeTrace.Outcome.SKIPPED;
    TracedTask found = null;
    for (String name : t.dependencies()) {
      TracedTask d = scope.task(name);
      if (d == null || d.endedNanos() > by || (skipped && d.outcome().gaveValue())) {
        continue;
      }
      if (found == null
          || (skipped
              ? d.endedNanos() < found.endedNanos()
              : d.endedNanos() > found.endedNanos())) {
        found = d;
      }
    }
    return found;
  }

  private static @Nullable CriticalPath inner(TracedTask t) {
    TracedScope latest = null;
    for (TracedScope s : t.scopes()) {
      if (latest == null || s.closedNanos() >= latest.closedNanos()) {
        latest = s;
      }
    }
    return latest == null || latest.tasks().isEmpty() ? null : of(latest);
  }
}
