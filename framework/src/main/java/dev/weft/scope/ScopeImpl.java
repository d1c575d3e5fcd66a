package dev.weft.scope;

import dev.weft.internal.ForkContext;
import dev.weft.internal.JfrHook;
import dev.weft.internal.ObservedScope;
import dev.weft.internal.ThreadNames;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The scope core: its state machine (open, joined, closed; cancelled), the one fork, join and
 * close. The rest lives next to it, one concept per file: {@link ForkOverloads} (the typed forks),
 * {@link ScopeCancel} (the stop record and the cancel walk), {@link Deadline}, {@link
 * ConcurrencyLimit}, {@link TaskThreads} (thread start), {@link Nesting} (the tree of scopes),
 * {@link OwnerWait} (the owner's waits), {@link Outcome} (what join returns or throws), {@link
 * Failures} (how failures reach the caller), and per task {@link TaskNode} (with {@link
 * TaskCancel}, how a task is cancelled). See docs/architecture.md.
 */
/*
 * Implementation overview
 *
 * A scope is written by its owner (fork, join, close) and by every thread that ends one of its
 * tasks or cancels it. There are no locks; the happens-before edges the core relies on are these,
 * each made in one place:
 *
 * 1. Fork vs cancel, on TaskList's control word (ctl). A fork appends its task with getAndAdd on
 *    ctl; a cancel sets the stop bit with getAndBitwiseOr. Both are full fences on one variable, so
 *    either the cancel's walk sees the task (it was published before the stop bit) or the fork sees
 *    the stop bit (append returns true) and cancels the task itself. No task escapes a cancel.
 * 2. The owner/task wake-up handshake (OwnerWait). The owner writes `awaited`, then re-reads the
 *    task's `done`; a task writes `done` (getAndBitwiseOr, or a volatile write), then reads
 *    `awaited` and unparks the owner if it is the one. Each side writes before it reads, so at
 *    least one sees the other: no lost wake-up, and no task writes anything shared with other tasks.
 * 3. The release write of a task's final state (TaskNode.publish). The thread that won the CAS
 *    into COMPLETING writes `outcome` (and `recoveredFrom`), then the final state with setRelease;
 *    whoever reads a final state sees the outcome. The getAndSet of `dependents` that follows is
 *    the full fence that orders the state before the dependents hand-off and the `done` mark.
 * 4. The dependents hand-off. A dependency swaps its dependents list to ENDED (getAndSet) as it
 *    ends; the owner pushes a dependent with a CAS that fails on ENDED. A dependent is thus told by
 *    exactly one side: the dependency (which releases it, or skips it), or the fork (which finds the
 *    dependency ended). Its `remaining` count is decremented atomically by each dependency that
 *    succeeded and once by the fork; whoever reaches zero starts it, after every dependency's
 *    outcome (each decrement is a full fence following that dependency's publish). A fork that
 *    reads every dependency SUCCEEDED (volatile reads of the released states) starts it at once.
 * 5. The stop record (`stopped`; ScopeCancel), CAS from null once: the first cause wins, and only
 *    its winner cancels. It ends every unfinished task first, then cancels nested scopes, then
 *    interrupts the cancelled tasks' threads (so a nested scope is cancelled before its owner sees
 *    the interrupt), and never interrupts the thread that made the stop.
 *
 * Why the core looks the way it does (measured: MechanismBenchmark, docs/performance.md):
 * - No counter shared by the tasks of a scope: a counter every task writes as it ends moves one
 *   cache line between cores per task (1.33x raw threads at n = 1000; 1.64x when the owner writes
 *   it too). Each TaskNode has its own `done` flags, and the owner waits for one task at a time.
 * - One ordered operation per fork (1. above) instead of a queue node, a CAS and two counters.
 * - The owner starts a task's thread before it publishes the task, so the start needs no CAS.
 * - Task threads are named by the builder (free) rather than by setName in the thread (1.11x).
 * - The current task is bound with a ScopedValue on JDK 25+ (a ThreadLocal costs 1.07x: the
 *   first set creates the thread's map); see CurrentTask and ADR 0002.
 * - close() waits for each started thread to terminate (Thread.isAlive() false), as the JDK's
 *   scopes and the raw-thread baseline do (ADR 0006).
 */
final class ScopeImpl<R> extends ForkOverloads<R> implements ObservedScope {
  private static final VarHandle FAILURES;

  static {
    BlockedOwners.install(); // the lock-ordering checker can now ask about blocked owners
    JfrHook.install(); // JFR events while a recording enables them (see dev.weft.jfr)
    try {
      FAILURES = MethodHandles.lookup().findVarHandle(ScopeImpl.class, "failures", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final int OPEN = 0;
  private static final int JOINED = 1;
  private static final int CLOSED = 2;

  final String name;
  final Thread owner;
  // openedAt: System.nanoTime() at open, for the scope's age in ScopeDump (one clock read a scope).
  final long openedAt = System.nanoTime();
  final Policy<R> policy;
  final PolicyCalls<R> calls;
  final ScopeListener listener;
  // traces: the trace recorders this scope reports to (its parent's, and its own if it has a trace
  // sink); TraceRecorder.NONE if none. Set at open, then only read.
  final TraceRecorder[] traces;
  final Nesting nesting;
  final Deadline deadline;
  final TaskThreads threads;
  final ConcurrencyLimit limit;
  final Duration gracePeriod;
  // tasks: appended by the owner in fork order (with the unique-name set); read by any thread
  // that cancels the scope. TaskList orders a fork racing with a cancel (edge 1).
  final TaskList tasks = new TaskList();

  // phase: written by the owner, read by any thread (Task.get, a dependency's message).
  private volatile int phase = OPEN;
  // awaited: the task the owner waits for in join() or close(), or null (edge 2).
  volatile @Nullable TaskNode<?> awaited;
  // allSettled: set by the owner once join() saw every task settled; a cancel then has nothing to
  // end (and close() skips the walk that would read every task again).
  volatile boolean allSettled;
  // stopped: why, when and by whom the scope stopped; CAS from null once, by any thread (edge 5).
  final AtomicReference<@Nullable Stop> stopped = new AtomicReference<>();
  // failures: how many tasks have failed so far; each failing thread takes its rank with an atomic
  // increment (TaskNode.failureOrder), so "the first failure" is the task that failed first.
  private volatile int failures;
  // lateFailures: a task threw after it was cancelled or timed out; set rarely, by task threads.
  volatile boolean lateFailures;
  // observed: one state per observer (Observed), or null when none; written by the owner as the
  // scope opens, read by the owner and by the task threads it starts afterwards.
  @Nullable Object @Nullable [] observed;
  // lastContext: what the last fork captured (ForkContext), owner only; the next fork shares it
  // when the owner's context has not changed since.
  private @Nullable Object lastContext;
  // closing: set by the owner as close() starts waiting (OwnerWait); read racily by ScopeDump,
  // after it saw the owner blocked (BlockedOwners, whose map orders the write before that read).
  boolean closing;
  // thrownByJoin: what join() threw, or null; owner only. close() adds to it the failures of
  // cancelled tasks that arrived after join() threw.
  private @Nullable Throwable thrownByJoin;

  private ScopeImpl(String name, Policy<R> policy, ScopeConfig config) {
    this.name = name;
    this.policy = policy;
    this.calls = new PolicyCalls<>(this, policy);
    this.owner = Thread.currentThread();
    this.nesting = new Nesting();
    this.traces = TraceRecorder.forScope(this, config.traceSink().orElse(null), nesting.parent);
    this.listener = traces.length == 0 ? ScopeListener.current() : ScopeListener.traced(traces);
    this.deadline = Deadline.of(this, config, nesting.parent);
    this.threads = new TaskThreads(this, config.threadFactory().orElse(null));
    this.limit = ConcurrencyLimit.of(config.maxConcurrency(), threads);
    this.gracePeriod = config.cancelGracePeriod();
    nesting.link(this);
    if (deadline.ownedBy(this)) {
      deadline.start();
    }
    listener.scopeOpened(this);
  }

  /** Opens a scope owned by the current thread. */
  static <R> Scope<R> open(String name, Policy<R> policy, ScopeConfig config) {
    Guards.open(name, policy, config);
    return new ScopeImpl<>(name, policy, config);
  }

  static Optional<Duration> remainingTime() {
    ScopeImpl<?> s = Nesting.current();
    return s == null ? Optional.empty() : s.deadline.remaining();
  }

  // --- Scope ---

  @Override
  public String name() {
    return name;
  }

  @Override
  public R join() throws InterruptedException {
    Guards.owner(this);
    Guards.joinable(this, phase == JOINED, phase == CLOSED);
    phase = JOINED;
    calls.onJoin();
    try {
      OwnerWait.untilSettled(this);
      allSettled = true;
      R result = Outcome.of(this);
      listener.scopeJoined(this, null);
      return result;
    } catch (Throwable e) {
      thrownByJoin = e;
      listener.scopeJoined(this, e);
      throw e;
    }
  }

  @Override
  public void cancel() {
    ScopeCancel.cancel(
        this,
        StopReason.CANCEL,
        "scope '"
            + name
            + "' was cancelled by cancel() in thread "
            + ThreadNames.quoted(Thread.currentThread()));
  }

  @Override
  public boolean isCancelled() {
    Stop s = stopped.get();
    return s != null && s.reason() != StopReason.CLOSE;
  }

  @Override
  public List<Task<?>> tasks() {
    return List.copyOf(tasks.snapshot(Thread.currentThread() == owner));
  }

  @Override
  public void close() {
    Guards.owner(this);
    if (phase == CLOSED) {
      return;
    }
    List<Throwable> broken = new ArrayList<>(0); // an Error or bug while closing: still close
    List<ScopeImpl<?>> leftOpen = Nesting.closeInner(this, broken);
    int forked = tasks.size(true);
    boolean neverJoined = phase == OPEN && forked != 0;
    Throwable sinkFailed = null;
    try {
      sinkFailed = closeNow();
    } catch (Throwable e) {
      broken.add(e);
    }
    Outcome.ofClose(this, thrownByJoin, broken, leftOpen, neverJoined ? forked : 0, sinkFailed);
  }

  /**
   * Cancels, waits for every thread, and unlinks the scope. Owner only. Whatever fails on the way,
   * the scope ends closed and unlinked: a half-closed scope left as the thread's innermost would
   * become the parent of every later scope of that (perhaps pooled) thread. Once closed, hands the
   * scope's execution trace, if it has one, to its sink, and returns what the sink threw.
   */
  @Nullable Throwable closeNow() {
    try {
      ScopeCancel.close(this);
      OwnerWait.untilTerminated(this);
    } finally {
      phase = CLOSED;
      deadline.cancelTimer();
      nesting.unlink(this);
      listener.scopeClosed(this);
    }
    return TraceRecorder.deliver(this);
  }

  // --- what observers read (ObservedScope) ---

  @Override
  public String policyName() {
    return calls.describe();
  }

  @Override
  public boolean policyBuiltIn() {
    return calls.policy instanceof Policies.Recording;
  }

  @Override
  public @Nullable ScopeImpl<?> parentScope() {
    return nesting.parent;
  }

  @Override
  public @Nullable TaskNode<?> parentTask() {
    return nesting.ownerTask();
  }

  @Override
  public Thread owner() {
    return owner;
  }

  @Override
  public List<TaskNode<?>> observedTasks() {
    return tasks.snapshot(Thread.currentThread() == owner);
  }

  @Override
  public String toString() {
    return "Scope["
        + name
        + ", policy="
        + calls.describe()
        + ", tasks="
        + tasks.size(Thread.currentThread() == owner)
        + (isCancelled() ? ", cancelled" : "")
        + "]";
  }

  // --- the one fork ---

  @Override
  @SuppressWarnings("unchecked")
  <A> TaskNode<A> dependency(Task<A> task, String argument) {
    if (task instanceof TaskNode<?> node && node.scope == this) {
      return (TaskNode<A>) node;
    }
    throw notADependency(this, task, argument, phaseOf(task) == CLOSED);
  }

  @Override
  <T> Task<T> forkGenerated(Callable<? extends T> body) {
    Guards.owner(this);
    Guards.forkable(this, phase == JOINED, phase == CLOSED);
    int n = tasks.takeGeneratedNumber(); // no name string: the task builds it if one is read
    return launch(
        new TaskNode<>(
            this,
            null,
            n,
            tasks.size(true),
            body,
            TaskOptions.defaults(),
            TaskNode.NO_DEPENDENCIES),
        TaskNode.NO_DEPENDENCIES);
  }

  @Override
  <T> Task<T> fork(
      String taskName,
      TaskNode<?>[] deps,
      Callable<? extends T> body,
      UnaryOperator<TaskOptions<T>> options) {
    Guards.owner(this);
    Guards.forkable(this, phase == JOINED, phase == CLOSED);
    TaskOptions<T> opts = options(taskName, name, options);
    if (!tasks.addName(taskName)) {
      throw new IllegalArgumentException(
          "task name '"
              + taskName
              + "' is already used in scope '"
              + name
              + "': give each task of a scope a unique name");
    }
    return launch(new TaskNode<>(this, taskName, 0, tasks.size(true), body, opts, deps), deps);
  }

  /** The rest of a fork: the task's context, the observers and policy, its start or its wait. */
  private <T> Task<T> launch(TaskNode<T> node, TaskNode<?>[] deps) {
    @Nullable Object context = ForkContext.capture(lastContext); // at fork: null when empty
    node.context = context;
    if (context != lastContext) {
      lastContext = context; // stored only when it changes: task threads read this object's line
    }
    listener.taskForked(node);
    calls.onFork(node);
    // The common case, a task that can start now (no dependencies, or all succeeded: edge 4), is
    // started before it is published: no other thread can see it yet, so it needs no CAS.
    boolean startNow = limit.unlimited() && stopped.get() == null && TaskNode.allSucceeded(deps);
    if (startNow) {
      threads.startUnpublished(node);
    }
    if (tasks.append(node)) {
      // Cancelled before the append: the cancel's walk may miss it.
      TaskCancel.cancel(node, ScopeCancel.ofStopped(this).detail());
      return node;
    }
    if (startNow) {
      return node;
    }
    if (deps.length == 0) {
      limit.ready(node);
      return node;
    }
    for (TaskNode<?> dep : deps) {
      if (!dep.addDependent(node)) { // already ended (edge 4)
        if (dep.state() == Task.State.SUCCEEDED) {
          node.releaseOne();
        } else {
          node.skip(dep);
          return node;
        }
      }
    }
    if (node.releaseOne()) {
      limit.ready(node);
    }
    return node;
  }

  // --- what tasks tell the scope ---

  /**
   * Called by a task thread at its end (or for a lost thread), before it marks its task released.
   */
  void releaseSlot() {
    limit.released();
  }

  /**
   * Called after {@code node} marked itself settled or finished: wakes the owner if it waits for
   * it.
   */
  void wakeOwnerIfAwaited(TaskNode<?> node) {
    if (awaited == node) {
      LockSupport.unpark(owner);
    }
  }

  /** Called by a task once it reached a final state and told its dependents. */
  void tellPolicyEnded(TaskNode<?> node) {
    calls.onComplete(node);
  }

  // --- state others read ---

  /** The first exception a policy callback threw, or null. */
  @Nullable Throwable policyFailure() {
    return calls.failure();
  }

  /** Adds the policy's failure, and every task failure not yet carried, to {@code e}. */
  void attachFailures(Throwable e) {
    Throwable pf = calls.failure();
    if (pf != null) {
      e.addSuppressed(pf);
    }
    Failures.attachMissing(e, this);
  }

  /** The rank of a failure that is being published now (see {@code failures}). */
  int nextFailureOrder() {
    return (int) FAILURES.getAndAdd(this, 1);
  }

  private static int phaseOf(Task<?> task) {
    return task instanceof TaskNode<?> n ? n.scope.phase : OPEN;
  }

  /** {@code open}, {@code joined} or {@code closed} (for ScopeDump; any thread). */
  String phaseName() {
    int p = phase;
    return p == OPEN ? "open" : p == JOINED ? "joined" : "closed";
  }

  /** Whether the owner may read results now: after join, or inside a policy callback. */
  boolean resultsReadable() {
    return phase != OPEN || calls.ownerInCallback();
  }

  /** Describes the task (or nested task) that {@code t} runs in this scope's subtree, or null. */
  @Nullable String findTaskThread(Thread t) {
    return nesting.findTaskThread(this, t);
  }
}
