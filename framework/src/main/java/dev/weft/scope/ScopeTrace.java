package dev.weft.scope;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The execution trace of a finished scope: what each task of the scope, and of every scope opened
 * inside it, did and when. Switched on per scope with {@link ScopeConfig#withTrace}; the sink gets
 * the trace when the scope has closed. Immutable, and safe to keep or hand to another thread.
 *
 * <p>Times are nanoseconds ({@link System#nanoTime()}) relative to the opening of the root scope,
 * whose wall-clock time is {@link #openedAt()}. A time of {@link #NEVER} means the event did not
 * happen (a skipped task never starts). For every task, {@code forked <= ready <= slot <= started
 * <= bodyEnded} as far as they happened, and {@code forked <= ended}; a task that succeeded or
 * failed by itself ends after its body ({@code bodyEnded <= ended}), while a task that was
 * cancelled or timed out ends when another thread ended it, which can be before its body ran to its
 * end.
 *
 * <p>A trace holds names, policies, outcomes and exception class names: never task results,
 * arguments or exception messages, which may carry request data.
 *
 * <p>Package {@code dev.weft.trace} exports a trace as Chrome trace-event JSON (for Perfetto), as a
 * Mermaid or DOT graph and as an SVG chart, and computes its critical path.
 */
public final class ScopeTrace {
  /** The time of an event that did not happen. */
  public static final long NEVER = -1;

  private final Instant openedAt;
  private final TracedScope root;

  private ScopeTrace(Instant openedAt, TracedScope root) {
    this.openedAt = openedAt;
    this.root = root;
  }

  /**
   * A trace of {@code root}, opened at {@code openedAt}. Weft builds traces itself; this factory is
   * for tools and tests that build or load one.
   */
  public static ScopeTrace of(Instant openedAt, TracedScope root) {
    Objects.requireNonNull(openedAt, "openedAt must not be null: the wall-clock time of the open");
    Objects.requireNonNull(root, "root must not be null: the traced root scope");
    return new ScopeTrace(openedAt, root);
  }

  /** The wall-clock time at which the root scope opened (time 0 of the trace). */
  public Instant openedAt() {
    return openedAt;
  }

  /** The traced scope: the one opened with {@link ScopeConfig#withTrace}. */
  public TracedScope root() {
    return root;
  }

  /** When the root scope closed, relative to its open: the length of the trace. */
  public long durationNanos() {
    return root.closedNanos();
  }

  /**
   * Every scope of the trace, depth first: a scope, then the scopes nested in it (those of each of
   * its tasks in fork order, then those its owner opened).
   */
  public List<TracedScope> scopes() {
    List<TracedScope> out = new ArrayList<>();
    root.collect(out, null);
    return out;
  }

  /** Every task of the trace, depth first: each task is followed by the scopes its body opened. */
  public List<TracedTask> tasks() {
    List<TracedTask> out = new ArrayList<>();
    root.collect(null, out);
    return out;
  }

  /** The task with this {@link TracedTask#path() path}, or null. */
  public @Nullable TracedTask task(String path) {
    for (TracedTask t : tasks()) {
      if (t.path().equals(path)) {
        return t;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "ScopeTrace["
        + root.path()
        + ", opened "
        + openedAt
        + ", "
        + tasks().size()
        + " tasks in "
        + scopes().size()
        + (scopes().size() == 1 ? " scope, " : " scopes, ")
        + String.format(Locale.ROOT, "%.3f ms", root.closedNanos() / 1e6)
        + "]";
  }

  /** How a task ended. */
  public enum Outcome {
    /** The body returned. */
    SUCCEEDED,
    /** The body threw (or could not start), and no fallback replaced the failure. */
    FAILED,
    /** The task's own timeout expired, and no fallback replaced it. */
    TIMED_OUT,
    /** The task failed or timed out, and its fallback gave its value. */
    RECOVERED,
    /** The scope was cancelled (by its policy, its deadline, {@code cancel()} or close) first. */
    CANCELLED,
    /** A dependency did not succeed, so the body never ran. */
    SKIPPED;

    /** The outcome in lower case, as in {@code timed_out}. */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the task gave a value (it succeeded, or its fallback did). */
    public boolean gaveValue() {
      return this == SUCCEEDED || this == RECOVERED;
    }
  }

  /**
   * A scope of the trace.
   *
   * @param name the scope's name
   * @param path where it sits: the root's name, or the path of the task that opened it (or of the
   *     scope on whose owner thread it was opened) and its name, as in {@code req/load/db}
   * @param policy the policy, as in {@code fail-fast} or {@code quorum(2)}
   * @param owner the name of the owner thread
   * @param openedNanos when it opened
   * @param joinedNanos when {@code join()} returned or threw, or {@link #NEVER}
   * @param joinFailure the class name of what {@code join()} threw, or null
   * @param closedNanos when {@code close()} had waited for every thread
   * @param tasks its tasks, in fork order
   * @param scopes the scopes its owner thread opened inside it (not those of its tasks)
   */
  public record TracedScope(
      String name,
      String path,
      String policy,
      String owner,
      long openedNanos,
      long joinedNanos,
      @Nullable String joinFailure,
      long closedNanos,
      List<TracedTask> tasks,
      List<TracedScope> scopes) {
    /** Copies the lists; checks that nothing required is null. */
    public TracedScope {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(owner, "owner");
      tasks = List.copyOf(tasks);
      scopes = List.copyOf(scopes);
    }

    /** The task of this scope named {@code name}, or null. */
    public @Nullable TracedTask task(String name) {
      for (TracedTask t : tasks) {
        if (t.name().equals(name)) {
          return t;
        }
      }
      return null;
    }

    private void collect(@Nullable List<TracedScope> scopesOut, @Nullable List<TracedTask> out) {
      if (scopesOut != null) {
        scopesOut.add(this);
      }
      for (TracedTask t : tasks) {
        if (out != null) {
          out.add(t);
        }
        for (TracedScope s : t.scopes()) {
          s.collect(scopesOut, out);
        }
      }
      for (TracedScope s : scopes) {
        s.collect(scopesOut, out);
      }
    }
  }

  /**
   * A task of the trace.
   *
   * @param name the task's name, unique in its scope
   * @param path its scope's path and its name, as in {@code req/load/db/q1}
   * @param dependencies the names of the tasks (of the same scope) it waited for, in fork order
   * @param forkedNanos when it was forked
   * @param readyNanos when its dependencies had all succeeded (its fork, if it has none), or {@link
   *     #NEVER} if that never happened before it ended
   * @param slotNanos when it got a slot of the concurrency limit (without a limit: {@code
   *     readyNanos}), or {@link #NEVER}
   * @param startedNanos when its body started, or {@link #NEVER}
   * @param bodyEndedNanos when its body returned or threw, or {@link #NEVER}
   * @param endedNanos when its final state was published
   * @param outcome how it ended
   * @param failure the class name of its exception (for {@link Outcome#RECOVERED}, of the failure
   *     its fallback replaced), or null if it succeeded
   * @param thread the name of the thread that ran its body, or null if it never started
   * @param slotFrom the name of the task of the same scope whose thread gave it its slot (as that
   *     task ended, or as its end made this one ready), or null (no limit, or given by the owner)
   * @param scopes the scopes its body opened, in the order they opened
   */
  public record TracedTask(
      String name,
      String path,
      List<String> dependencies,
      long forkedNanos,
      long readyNanos,
      long slotNanos,
      long startedNanos,
      long bodyEndedNanos,
      long endedNanos,
      Outcome outcome,
      @Nullable String failure,
      @Nullable String thread,
      @Nullable String slotFrom,
      List<TracedScope> scopes) {
    /** Copies the lists; checks that nothing required is null. */
    public TracedTask {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(outcome, "outcome");
      dependencies = List.copyOf(dependencies);
      scopes = List.copyOf(scopes);
    }

    /** Whether its body ran. */
    public boolean started() {
      return startedNanos != NEVER;
    }

    /** How long it waited for its dependencies (until it ended, if they never all succeeded). */
    public long dependencyWaitNanos() {
      return (readyNanos != NEVER ? readyNanos : endedNanos) - forkedNanos;
    }

    /** How long it waited, once ready, for a slot of the concurrency limit (0: none). */
    public long slotWaitNanos() {
      if (readyNanos == NEVER) {
        return 0;
      }
      return (slotNanos != NEVER ? slotNanos : endedNanos) - readyNanos;
    }

    /** How long its body ran (0 if it never started). */
    public long bodyNanos() {
      return started() && bodyEndedNanos != NEVER ? bodyEndedNanos - startedNanos : 0;
    }

    /**
     * When it stopped occupying its scope: the later of its end and its body's end (a cancelled
     * body may run on after the cancel ended its task).
     */
    public long finishedNanos() {
      return Math.max(endedNanos, bodyEndedNanos);
    }
  }
}
