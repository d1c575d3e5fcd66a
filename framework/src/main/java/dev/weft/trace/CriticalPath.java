package dev.weft.trace;

import dev.weft.scope.ScopeTrace;
import dev.weft.scope.ScopeTrace.TracedScope;
import dev.weft.scope.ScopeTrace.TracedTask;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
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
   * @param waitNanos how long it waited for that, from its fork to its start (or its end, if it
   *     never started)
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
    Objects.requireNonNull(trace, "trace must not be null: pass the ScopeTrace given to the sink");
    return of(trace.root());
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
      long until = t.started() ? t.startedNanos() : t.endedNanos();
      reversed.add(new Step(t, wait, until - t.forkedNanos(), inner(t)));
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
            .append(ms(s.waitNanos()))
            .append(", ");
      }
      b.append(t.started() ? ms(t.bodyNanos()) : t.outcome().tag()).append(')');
      if (s.inner() != null) {
        b.append(" { ");
        s.inner().text(b);
        b.append(" }");
      }
    }
  }

  static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }

  /** The task whose end join() waited for. */
  private static @Nullable TracedTask last(TracedScope scope) {
    long joined = scope.joinedNanos();
    TracedTask last = null;
    for (TracedTask t : scope.tasks()) {
      boolean beforeJoin = joined == ScopeTrace.NEVER || t.endedNanos() <= joined;
      if (beforeJoin && (last == null || t.endedNanos() >= last.endedNanos())) {
        last = t;
      }
    }
    if (last == null) { // join returned before any task ended (a policy decided without them)
      for (TracedTask t : scope.tasks()) {
        if (last == null || t.endedNanos() >= last.endedNanos()) {
          last = t;
        }
      }
    }
    return last;
  }

  /** The task whose end gave {@code t} its slot, if the slot came after its dependencies. */
  private static @Nullable TracedTask slotGiver(TracedScope scope, TracedTask t) {
    if (t.slotFrom() == null || t.slotNanos() == ScopeTrace.NEVER || t.slotWaitNanos() <= 0) {
      return null;
    }
    TracedTask giver = scope.task(t.slotFrom());
    return giver != null && giver.endedNanos() <= t.slotNanos() ? giver : null;
  }

  /**
   * Of {@code t}'s dependencies that had ended by the time it became ready (or ended), the one that
   * ended last; for a task that was skipped, the failed one that ended first.
   */
  private static @Nullable TracedTask lastDependency(TracedScope scope, TracedTask t) {
    long by = t.readyNanos() != ScopeTrace.NEVER ? t.readyNanos() : t.endedNanos();
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
