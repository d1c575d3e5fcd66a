package dev.weft.scope;

import dev.weft.internal.ForkContext;
import dev.weft.internal.ObservedTask;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One task of a scope: its state machine, its outcome and the list of dependents waiting for it.
 *
 * <p>State moves PENDING -> RUNNING -> (COMPLETING) -> final, or PENDING -> (COMPLETING) -> final.
 * Whoever wins the CAS into COMPLETING alone writes {@code outcome}, then publishes the final state
 * with a release write: a reader that sees a final state sees the outcome. A task ends in exactly
 * one final state; a cancelled task's result is never published.
 *
 * <p>Two more facts are tracked for the owner's waits, in {@code done}: SETTLED (the task is final
 * and the policy has seen it: {@code join()} waits for this) and RELEASED (no thread runs or will
 * run for the task: {@code close()} waits for this). Each task has its own flags, so ending a task
 * writes nothing that other tasks' threads share: a counter shared by every task of a scope costs a
 * cache-line transfer between cores per task (see docs/performance.md).
 *
 * <p>How a task is cancelled, and its thread interrupted, is in {@link TaskCancel}.
 */
final class TaskNode<T> extends TaskHandle<T> implements ObservedTask {
  static final int PENDING = 0;
  static final int RUNNING = 1;
  static final int COMPLETING = 2;
  static final int SUCCEEDED = 3;
  static final int FAILED = 4;
  static final int CANCELLED = 5;
  static final int SKIPPED = 6;

  static final int SETTLED = 1;
  static final int RELEASED = 2;
  static final int SETTLED_AND_RELEASED = SETTLED | RELEASED;

  private static final VarHandle STATE;
  private static final VarHandle DEPENDENTS;
  private static final VarHandle REMAINING;
  private static final VarHandle DONE;
  static final TaskNode<?>[] NO_DEPENDENCIES = new TaskNode<?>[0];
  private static final Object ENDED = new Object();

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      STATE = l.findVarHandle(TaskNode.class, "state", int.class);
      DEPENDENTS = l.findVarHandle(TaskNode.class, "dependents", Object.class);
      REMAINING = l.findVarHandle(TaskNode.class, "remaining", int.class);
      DONE = l.findVarHandle(TaskNode.class, "done", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // Field order: the JVM lays out the superclass's fields (TaskHandle: scope, name, thread) first,
  // then ints, then references in declaration order. The fields that the task's thread writes and
  // the owner reads after join (state, done, outcome) come early, so that they usually share one
  // cache line: the owner then moves one line per task.

  // state: CAS by the owner (start, cancel), task thread (complete), timer (timeout), any thread
  // that cancels the scope, and dependency threads (skip, start). Read by any thread.
  private volatile int state;
  // done: SETTLED and RELEASED bits (see the class comment). Set by whoever ended the task and by
  // the task's thread as its last action; read by the owner (and ScopeWaits, the stuck-task
  // warning). When the task's own thread ended it, the thread sets both bits with one write.
  private volatile int done;
  final int seq;
  // remaining: dependencies not yet succeeded, plus one released by the fork; getAndAdd by their
  // threads and the owner, and the one that reaches 0 makes the task ready (ordering the outcomes
  // before the body). Unused when the fork finds every dependency succeeded (or has none).
  private int remaining; // plain: initialised before the node is published, then only atomic ops
  // openedScope: set by the task's own thread when its body opens a scope; read by that thread.
  boolean openedScope;
  // outcome: the value or Throwable; written only by the winner of the CAS into COMPLETING (also
  // a cancel: endCancelled), before the release write of the final state; read after that state.
  private @Nullable Object outcome;
  // body: read by the task's thread; cleared by whoever marks the task RELEASED (no thread runs or
  // will run it), so what the body captured is not kept until close(). Read only before that.
  @Nullable Callable<? extends T> body;
  // dependents: null, a Link chain of waiting dependents, or ENDED once this task is final.
  // Pushed by the owner (fork of a dependent) and swapped to ENDED by the completing thread.
  private volatile @Nullable Object dependents;
  final @Nullable Duration timeout;
  private final @Nullable Function<? super Throwable, ? extends T> fallback;
  final TaskNode<?>[] dependencies;
  private @Nullable Throwable recoveredFrom; // written with outcome, under the same publication
  // lateFailure: what the body threw after another thread ended the task (cancel, timeout), unless
  // an echo (Failures.isEcho); written by the task's thread before RELEASED, read by the owner.
  private volatile @Nullable Throwable lateFailure;
  // lateReported: whether lateFailure was attached or counted as left out; owner only.
  boolean lateReported;
  // failureOrder: rank of this task's failure in its scope (0: first); written before FAILED.
  int failureOrder = Integer.MAX_VALUE;
  // timedOut: set by the timer thread that ended the task with its own timeout, before the final
  // state is published; read by observers after it.
  boolean timedOut;
  // endSeen: the owner saw the task finished and its thread terminated (OwnerWait); owner only.
  boolean endSeen;
  // observed (one state per observer of the scope, Observed, or null when none) and context (the
  // forking thread's, ForkContext, or null when empty): written by the owner at fork, before the
  // task can start, then only read.
  @Nullable Object @Nullable [] observed;
  @Nullable Object context;
  // times: when the task was forked and started, for ScopeDump's ages; null unless the scope has
  // observers (Observed) or weft.dump.taskTimes is set. Written by the owner at fork.
  @Nullable TaskTimes times = TaskTimes.atFork();

  TaskNode(
      ScopeImpl<?> scope,
      @Nullable String name,
      int generatedNumber,
      int seq,
      Callable<? extends T> body,
      TaskOptions<T> options,
      TaskNode<?>[] dependencies) {
    super(scope, name, generatedNumber);
    this.seq = seq;
    this.body = body;
    this.timeout = options.timeout().orElse(null);
    this.fallback = options.fallback().orElse(null);
    this.dependencies = dependencies;
    this.remaining = dependencies.length + 1; // +1: released by the fork itself
  }

  // --- what the Task view (TaskHandle) reads ---

  @Override
  int rawState() {
    return state;
  }

  @Override
  @Nullable Object rawOutcome() {
    return outcome;
  }

  @Override
  @Nullable Throwable rawRecoveredFrom() {
    return recoveredFrom;
  }

  // --- what observers read (ObservedTask) ---

  @Override
  public boolean nameGenerated() {
    return generatedNumber != 0;
  }

  @Override
  public ScopeImpl<?> observedScope() {
    return scope;
  }

  @Override
  public List<TaskNode<?>> observedDependencies() {
    return List.of(dependencies);
  }

  // --- implementation ---

  boolean isFinal() {
    return state >= SUCCEEDED;
  }

  /** Waits (yielding the carrier) until the thread that claimed COMPLETING has published. */
  void awaitFinal() {
    while (state < SUCCEEDED) {
      Thread.yield();
    }
  }

  /** Whether every task of {@code tasks} has succeeded (true for none); volatile reads. */
  static boolean allSucceeded(TaskNode<?>[] tasks) {
    for (TaskNode<?> t : tasks) {
      if (t.state != SUCCEEDED) {
        return false;
      }
    }
    return true;
  }

  /** Adds {@code dependent} to the waiters; returns false if this task already ended. */
  boolean addDependent(TaskNode<?> dependent) {
    for (; ; ) {
      Object cur = dependents;
      if (cur == ENDED) {
        return false;
      }
      if (DEPENDENTS.compareAndSet(this, cur, new Link(dependent, cur))) {
        return true;
      }
    }
  }

  /** The result of a dependency that succeeded (the dependent's body runs only then). */
  @SuppressWarnings({"unchecked", "NullAway"}) // NullAway: a result may be null (a nullable T)
  T value() {
    return (T) outcome;
  }

  // No thread runs or will run for this task: it fails with `e` unless another thread ended it
  // (that thread saw RUNNING and left RELEASED to the task's thread, which never comes).
  void failWithoutThread(Throwable e) {
    if (claim(PENDING) || claim(RUNNING)) {
      finishFailure(e, FAILED, null);
      mark(SETTLED_AND_RELEASED);
    } else {
      mark(RELEASED);
    }
  }

  /** The late failure (see the field), or null. */
  @Nullable Throwable lateFailure() {
    return lateFailure;
  }

  /** Called once per dependency that succeeded, and once by the fork; returns true when ready. */
  boolean releaseOne() {
    return (int) REMAINING.getAndAdd(this, -1) == 1;
  }

  /** Claims PENDING -> RUNNING with {@code t} as the task's thread; false if it already ended. */
  boolean claimStart(Thread t) {
    thread = t;
    return STATE.compareAndSet(this, PENDING, RUNNING);
  }

  /**
   * Claims PENDING -> RUNNING for a task no other thread can see yet (the owner publishes it after
   * its thread started): plain writes, which {@code Thread.start()} and the publication order
   * before every other reader.
   */
  void claimUnpublished(Thread t) {
    thread = t;
    STATE.set(this, RUNNING);
  }

  /** Called when a dependency that did not succeed ended before this task was forked. */
  void skip(TaskNode<?> dependency) {
    skipOrCancel(dependency, null);
  }

  /**
   * Called by a dependency that did not succeed (see Cascade): skip, or fall back; cancel instead
   * if the dependency was cancelled or the scope is being cancelled (a cancelled task never runs
   * its fallback). This task's own dependents go to {@code cascade}.
   */
  void skipOrCancel(TaskNode<?> dependency, @Nullable ArrayDeque<TaskNode<?>> cascade) {
    if (state != PENDING) {
      return;
    }
    String stop = ScopeCancel.detail(scope);
    if (stop != null || dependency.state == CANCELLED) {
      TaskCancel.cancel(
          this,
          stop != null ? stop : "dependency '" + dependency.name() + "' was cancelled",
          cascade,
          true);
    } else if (claim(PENDING)) {
      finishFailure(
          TaskSkippedException.of(
              name(), dependency.name(), dependency.state(), (Throwable) dependency.outcome),
          SKIPPED,
          cascade);
      mark(SETTLED_AND_RELEASED); // no thread was started, and none will be
    }
  }

  // --- for TaskRun, the body of the task's thread ---

  boolean isRunning() {
    return state == RUNNING;
  }

  /** Claims RUNNING -> COMPLETING: true if the calling thread ends the task. */
  boolean claimRunning() {
    return claim(RUNNING);
  }

  /** With COMPLETING claimed: the task failed with {@code failure} (a fallback may replace it). */
  void fail(Throwable failure) {
    finishFailure(failure, FAILED, null);
  }

  /** With COMPLETING claimed: the body returned {@code value}. */
  void succeed(@Nullable T value) {
    outcome = value;
    publish(SUCCEEDED, null);
  }

  /** Records an exception the body threw after another thread ended the task. Task thread only. */
  void lateFailure(Throwable failure) {
    lateFailure = failure;
    scope.lateFailures = true; // before RELEASED: close() reads it after every thread ended
  }

  /** The task's own thread ended it: both done bits in one write (nobody else writes them then). */
  void markEndedByOwnThread() {
    body = null; // released (see the field)
    done = SETTLED_AND_RELEASED;
    scope.wakeOwnerIfAwaited(this);
  }

  /** The task's thread ran its last action (another thread ended the task). */
  void markReleased() {
    mark(RELEASED);
  }

  /** The timeout fired: the task fails with a TimeoutException, and its thread is interrupted. */
  void timeoutExpired() {
    if (claim(RUNNING)) {
      timedOut = true;
      finishFailure(
          new TimeoutException(
              "task '"
                  + name()
                  + "' timed out after "
                  + Objects.requireNonNull(timeout, "timeout of a timed task").toMillis()
                  + " ms"),
          FAILED,
          null);
      mark(SETTLED);
      TaskCancel.interrupt(this);
    }
  }

  /** Whether join() may pass this task: it is final and the policy has seen it. */
  boolean isSettled() {
    return (done & SETTLED) != 0;
  }

  /** Whether close() may pass this task: settled, and no thread runs or will run for it. */
  boolean isFinished() {
    return done == SETTLED_AND_RELEASED;
  }

  /** Whether no thread runs or will run for this task. */
  boolean threadGone() {
    return (done & RELEASED) != 0;
  }

  /** Whether a thread was started for this task and has not ended yet (racy: for reports). */
  boolean threadRunning() {
    return thread != null && !threadGone() && state != PENDING;
  }

  /**
   * Sets {@code bits} in {@code done} (other threads may set the other bit) and tells the scope.
   */
  void mark(int bits) {
    if ((bits & RELEASED) != 0) {
      body = null; // released (see the field)
    }
    DONE.getAndBitwiseOr(this, bits);
    scope.wakeOwnerIfAwaited(this);
  }

  /** CAS {@code from} -> COMPLETING. */
  boolean claim(int from) {
    return STATE.compareAndSet(this, from, COMPLETING);
  }

  /**
   * With COMPLETING claimed: apply the fallback if any, else end in {@code finalState}. Dependents
   * to skip go to {@code cascade}, or, if it is null, are ended here.
   */
  private void finishFailure(
      Throwable failure, int finalState, @Nullable ArrayDeque<TaskNode<?>> cascade) {
    if (fallback != null) {
      try {
        Object ctx = context; // in the task's own thread it is installed already (TaskRun)
        outcome =
            ctx == null || thread == Thread.currentThread()
                ? fallback.apply(failure)
                : ForkContext.callWith(ctx, name(), fallback, failure);
        recoveredFrom = failure;
        publish(SUCCEEDED, cascade);
        return;
      } catch (Throwable fallbackFailure) {
        fallbackFailure.addSuppressed(failure);
        failure = fallbackFailure;
        finalState = FAILED;
      }
    }
    if (finalState == FAILED) {
      failureOrder = scope.nextFailureOrder();
    }
    outcome = failure;
    publish(finalState, cascade);
  }

  /**
   * With COMPLETING claimed by a cancel (TaskCancel): ends the task CANCELLED, with a {@code
   * CancellationException} that says {@code why}; dependents to skip go to {@code cascade}.
   */
  void endCancelled(String why, @Nullable ArrayDeque<TaskNode<?>> cascade) {
    outcome = new CancellationException("task '" + name() + "' cancelled: " + why);
    publish(CANCELLED, cascade);
  }

  /**
   * Publishes the final state, then tells dependents and the scope. A task that did not succeed
   * skips (or cancels) its dependents before the policy sees it, so a fail-fast stop finds them
   * already skipped. They are ended in a loop, not by recursion: {@code cascade} is null in the
   * task that starts a cascade, which runs the loop; the dependents it ends queue theirs on it.
   */
  void publish(int finalState, @Nullable ArrayDeque<TaskNode<?>> cascade) {
    // A release write publishes outcome and recoveredFrom to whoever reads the final state; the
    // getAndSet that follows is the full fence (and a reader that sees ENDED sees the state).
    long endedAt = scope.listener.now(); // before a dependent can see the end and start
    STATE.setRelease(this, finalState);
    Object waiting = DEPENDENTS.getAndSet(this, ENDED);
    scope.listener.taskEnded(
        this, state(), finalState == SUCCEEDED ? recoveredFrom : (Throwable) outcome, endedAt);
    if (waiting instanceof Link && finalState == SUCCEEDED) {
      for (Object l = waiting; l instanceof Link link; l = link.next) {
        if (link.task.releaseOne()) {
          scope.limit.ready(link.task);
        }
      }
    } else if (waiting instanceof Link) {
      boolean first = cascade == null;
      ArrayDeque<TaskNode<?>> queue = cascade == null ? new ArrayDeque<>() : cascade;
      for (Object l = waiting; l instanceof Link link; l = link.next) {
        queue.add(this);
        queue.add(link.task);
      }
      if (first) {
        Cascade.run(queue);
      }
    }
    scope.tellPolicyEnded(this);
  }

  private record Link(TaskNode<?> task, @Nullable Object next) {}
}
