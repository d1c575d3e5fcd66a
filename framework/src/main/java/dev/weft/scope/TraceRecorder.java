package dev.weft.scope;

import dev.weft.internal.ObservedScope;
import dev.weft.internal.ObservedTask;
import dev.weft.internal.ScopeObserver;
import dev.weft.internal.TaskOutcome;
import dev.weft.internal.ThreadNames;
import dev.weft.scope.ScopeTrace.TracedScope;
import dev.weft.scope.ScopeTrace.TracedTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The recorder of one execution trace ({@link ScopeConfig#withTrace}): an observer of the traced
 * scope (its root) and of every scope opened inside it, which keeps one record per scope and per
 * task (its states for the observer SPI) and builds the {@link ScopeTrace} when the root closes.
 *
 * <p>A scope's trace recorders are those of its parent plus its own, if it has a sink ({@link
 * #forScope}); with none, the scope's listener is what it would be without tracing. A traced
 * scope's listener is an {@link Observed} over the installed observers and its recorders.
 *
 * <p>Memory: each record field is written by one thread, the thread of that event. Every event of a
 * task happens-before the owner's {@code close()} sees the task finished (its {@code done} flags;
 * see {@code ScopeImpl}, edge 2), every event of a nested scope happens-before the termination of
 * the task thread that owns it, and the root's owner reads the records only in {@link #deliver},
 * after {@code close()} waited for all of that.
 */
final class TraceRecorder implements ScopeObserver {
  /** The recorders of a scope that is not traced (shared: no allocation). */
  static final TraceRecorder[] NONE = {};

  // root: the scope whose trace this is; set at construction, in its owner.
  final ScopeImpl<?> root;
  private final Consumer<? super ScopeTrace> sink;
  // origin, openedAt, rootRecord: written by the root's owner when it opens, read by it at close.
  private long origin;
  private @Nullable Instant openedAt;
  private @Nullable ScopeRecord rootRecord;

  private TraceRecorder(ScopeImpl<?> root, Consumer<? super ScopeTrace> sink) {
    this.root = root;
    this.sink = sink;
  }

  /**
   * The recorders of {@code scope}, which is opening: its parent's, plus a new one if it has a
   * {@code sink}. The parent's array itself when there is no new one (without any: {@link #NONE}).
   */
  static TraceRecorder[] forScope(
      ScopeImpl<?> scope,
      @Nullable Consumer<? super ScopeTrace> sink,
      @Nullable ScopeImpl<?> parent) {
    TraceRecorder[] inherited = parent == null ? NONE : parent.traces;
    if (sink == null) {
      return inherited;
    }
    TraceRecorder[] all = Arrays.copyOf(inherited, inherited.length + 1);
    all[inherited.length] = new TraceRecorder(scope, sink);
    return all;
  }

  /**
   * Called by {@code scope}'s owner once it closed: builds the trace if {@code scope} is the root
   * of one and hands it to the sink. Returns what the sink threw, or null.
   */
  static @Nullable Throwable deliver(ScopeImpl<?> scope) {
    TraceRecorder[] t = scope.traces;
    if (t.length == 0 || t[t.length - 1].root != scope) {
      return null;
    }
    TraceRecorder r = t[t.length - 1];
    ScopeTrace trace = r.build();
    try {
      r.sink.accept(trace);
      return null;
    } catch (Throwable e) {
      return e;
    }
  }

  // --- events (ScopeObserver) ---

  @Override
  public @Nullable Object scopeOpened(ObservedScope s, long nanoTime) {
    ScopeImpl<?> scope = (ScopeImpl<?>) s;
    if (scope == root) {
      origin = nanoTime;
      openedAt = Instant.now();
      ScopeRecord r = new ScopeRecord(scope, scope.name, this, nanoTime);
      rootRecord = r;
      return r;
    }
    ScopeImpl<?> parent = scope.parentScope();
    if (parent == null) {
      return null; // not inside the root: never (only the root's subtree has this recorder)
    }
    TaskNode<?> task = scope.parentTask();
    if (task != null && Observed.stateOf(this, task) instanceof TaskRecord tr) {
      ScopeRecord r = new ScopeRecord(scope, tr.path + "/" + scope.name, this, nanoTime);
      tr.scopes.add(r); // in the task's thread, the only one that opens scopes in its body
      return r;
    }
    if (Observed.stateOf(this, parent) instanceof ScopeRecord pr) {
      ScopeRecord r = new ScopeRecord(scope, pr.path + "/" + scope.name, this, nanoTime);
      pr.scopes.add(r); // in the owner of both
      return r;
    }
    return null;
  }

  @Override
  public @Nullable Object taskForked(ObservedTask t, @Nullable Object scopeState, long nanoTime) {
    if (!(scopeState instanceof ScopeRecord sr)) {
      return null;
    }
    TaskRecord r = new TaskRecord((TaskNode<?>) t, sr.path + "/" + t.name(), nanoTime);
    sr.tasks.add(r); // in the scope's owner
    return r;
  }

  @Override
  public void slotWaitBegun(ObservedTask task, @Nullable Object taskState, long nanoTime) {
    if (taskState instanceof TaskRecord r) {
      r.queued = nanoTime;
    }
  }

  @Override
  public void slotWaitEnded(ObservedTask task, @Nullable Object taskState, long nanoTime) {
    if (taskState instanceof TaskRecord r) {
      r.slot = nanoTime;
      TaskNode<?> giver = CurrentTask.get(); // the task whose thread hands out the slot, if any
      if (giver != null && giver != task && giver.scope == task.observedScope()) {
        r.slotFrom = giver.name();
      }
    }
  }

  @Override
  public void taskStarted(ObservedTask task, @Nullable Object taskState, long nanoTime) {
    if (taskState instanceof TaskRecord r) {
      r.started = nanoTime;
      r.thread = ThreadNames.of(Thread.currentThread());
    }
  }

  @Override
  public void bodyEnded(ObservedTask task, @Nullable Object taskState, long nanoTime) {
    if (taskState instanceof TaskRecord r) {
      r.bodyEnded = nanoTime;
    }
  }

  @Override
  public void taskEnded(
      ObservedTask task,
      @Nullable Object taskState,
      TaskOutcome outcome,
      @Nullable Throwable failure,
      long nanoTime) {
    if (taskState instanceof TaskRecord r) {
      r.ended = nanoTime;
      r.failure = failure == null ? null : failure.getClass().getName();
      r.outcome = outcome; // last: a record with an outcome has its end
    }
  }

  @Override
  public void scopeJoined(
      ObservedScope scope, @Nullable Object scopeState, @Nullable Throwable thrown, long nanoTime) {
    if (scopeState instanceof ScopeRecord r) {
      r.joined = nanoTime;
      r.joinFailure = thrown == null ? null : thrown.getClass().getName();
    }
  }

  @Override
  public void scopeClosed(ObservedScope scope, @Nullable Object scopeState, long nanoTime) {
    if (scopeState instanceof ScopeRecord r) {
      r.closed = nanoTime;
    }
  }

  // --- building the trace (root owner, after close waited for every thread) ---

  private ScopeTrace build() {
    ScopeRecord r = rootRecord;
    Instant at = openedAt;
    if (r == null || at == null) {
      throw new IllegalStateException(
          "trace of scope '" + root.name + "' has no record of its open: a bug in Weft");
    }
    return ScopeTrace.of(at, r.build());
  }

  private long rel(long nanoTime) {
    return nanoTime == ScopeTrace.NEVER ? ScopeTrace.NEVER : nanoTime - origin;
  }

  /** One scope: written by its owner (and its open and close by the observer events). */
  private static final class ScopeRecord {
    final ScopeImpl<?> scope;
    final String path;
    final TraceRecorder recorder;
    final long opened;
    long joined = ScopeTrace.NEVER;
    @Nullable String joinFailure;
    long closed = ScopeTrace.NEVER;
    final List<TaskRecord> tasks = new ArrayList<>();
    final List<ScopeRecord> scopes = new ArrayList<>(0);

    ScopeRecord(ScopeImpl<?> scope, String path, TraceRecorder recorder, long opened) {
      this.scope = scope;
      this.path = path;
      this.recorder = recorder;
      this.opened = opened;
    }

    TracedScope build() {
      List<TracedTask> built = new ArrayList<>(tasks.size());
      for (TaskRecord t : tasks) {
        built.add(t.build(this));
      }
      List<TracedScope> nested = new ArrayList<>(scopes.size());
      for (ScopeRecord s : scopes) {
        nested.add(s.build());
      }
      return new TracedScope(
          scope.name,
          path,
          scope.policyName(),
          ThreadNames.of(scope.owner),
          recorder.rel(opened),
          recorder.rel(joined),
          joinFailure,
          recorder.rel(closed),
          built,
          nested);
    }

    /** The record of {@code node}, a task of this scope. */
    @Nullable TaskRecord record(TaskNode<?> node) {
      TaskRecord r = node.seq < tasks.size() ? tasks.get(node.seq) : null;
      return r != null && r.node == node ? r : null;
    }
  }

  /** One task: each field is written by the thread of its event (see the class comment). */
  private static final class TaskRecord {
    final TaskNode<?> node;
    final String path;
    final long forked;
    long queued = ScopeTrace.NEVER;
    long slot = ScopeTrace.NEVER;
    @Nullable String slotFrom;
    long started = ScopeTrace.NEVER;
    @Nullable String thread;
    long bodyEnded = ScopeTrace.NEVER;
    long ended = ScopeTrace.NEVER;
    @Nullable String failure;
    @Nullable TaskOutcome outcome;
    final List<ScopeRecord> scopes = new ArrayList<>(0);

    TaskRecord(TaskNode<?> node, String path, long forked) {
      this.node = node;
      this.path = path;
      this.forked = forked;
    }

    TracedTask build(ScopeRecord in) {
      TaskOutcome o = outcome;
      if (o == null) {
        throw new IllegalStateException(
            "task '" + path + "' has no end in its trace at close(): a bug in Weft");
      }
      long ready = ready(in);
      long got = slot != ScopeTrace.NEVER || !in.scope.limit.unlimited() ? slot : ready;
      List<String> deps = new ArrayList<>(node.dependencies.length);
      for (TaskNode<?> d : node.dependencies) {
        deps.add(d.name());
      }
      List<TracedScope> nested = new ArrayList<>(scopes.size());
      for (ScopeRecord s : scopes) {
        nested.add(s.build());
      }
      TraceRecorder rec = in.recorder;
      return new TracedTask(
          node.name(),
          path,
          deps,
          rec.rel(forked),
          rec.rel(ready),
          rec.rel(got),
          rec.rel(started),
          rec.rel(bodyEnded),
          rec.rel(ended),
          ScopeTrace.Outcome.valueOf(o.name()),
          failure,
          thread,
          slotFrom,
          nested);
    }

    /**
     * When the task became ready: when it joined the queue of the concurrency limit; without one,
     * the end of its last dependency (its fork, if later). NEVER if a dependency did not succeed,
     * or if the task ended before it would have been ready.
     */
    private long ready(ScopeRecord in) {
      if (queued != ScopeTrace.NEVER) {
        return queued;
      }
      long ready = forked;
      for (TaskNode<?> d : node.dependencies) {
        TaskRecord dr = in.record(d);
        TaskOutcome o = dr == null ? null : dr.outcome;
        if (dr == null || (o != TaskOutcome.SUCCEEDED && o != TaskOutcome.RECOVERED)) {
          return ScopeTrace.NEVER;
        }
        ready = Math.max(ready, dr.ended);
      }
      return started == ScopeTrace.NEVER && ready > ended ? ScopeTrace.NEVER : ready;
    }
  }
}
