package dev.weft.scope;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scope: fork bookkeeping, the start of ready tasks (with the concurrency limit), the policy,
 * cancellation, deadlines and the owner's waits in {@code join()} and {@code close()}.
 *
 * <p>Join walks the tasks in fork order and waits for each to be <em>settled</em> (final, its
 * dependents told, the policy has seen it). Cancellation makes every unfinished task final at
 * once, so join returns promptly even if a cancelled body ignores the interrupt. Close walks them
 * again and waits for each to be <em>finished</em> (settled, and its thread, if one was started,
 * has run its last action). The owner waits for one task at a time: it names that task in
 * {@code awaited}, and the task wakes it. So ending a task writes nothing shared with other tasks
 * (a scope-wide counter would move a cache line between cores for every task).
 */
final class ScopeImpl<R> implements Scope<R> {
  /** The logger, created on first use so that opening the first scope does not set up logging. */
  static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(Scope.class);
  }

  // Per thread: the innermost open scope this thread owns (scopes link to the one they hide).
  // (The task whose body a thread runs is in CurrentTask.)
  private static final ThreadLocal<ScopeImpl<?>> INNERMOST = new ThreadLocal<>();

  // How far ahead of the first unsettled task join() waits (see join).
  private static final int WAKE_BATCH = 32;
  // How often an owner waiting on threads from a user's thread factory checks for a thread that
  // ended without running its task (threads Weft creates itself always run it).
  private static final long LOST_THREAD_CHECK_NANOS = 20_000_000;

  private static final VarHandle POLICY_FAILURE;
  private static final VarHandle FAILURES;

  static {
    OwnerWaits.install(); // the lock-ordering checker can now ask about blocked owners
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      POLICY_FAILURE = l.findVarHandle(ScopeImpl.class, "policyFailure", Throwable.class);
      FAILURES = l.findVarHandle(ScopeImpl.class, "failures", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final int OPEN = 0;
  private static final int JOINED = 1;
  private static final int CLOSED = 2;

  private static final int BY_POLICY = 1;
  private static final int BY_CANCEL = 2;
  private static final int BY_DEADLINE = 3;
  private static final int BY_INTERRUPT = 4;
  private static final int BY_CLOSE = 5;

  final String name;
  final Thread owner;
  private final Policy<R> policy;
  private final ScopeImpl<?> parent;
  private final ScopeImpl<?> hiddenOnThread;
  private final boolean hasDeadline;
  private final long deadlineNanos;
  // deadlineSource: the scope whose own deadline this one has (this, or an ancestor). Only the
  // source runs a timer; its stop reaches nested scopes, so the outermost scope that owns the
  // deadline reports it.
  private final ScopeImpl<?> deadlineSource;
  private final Duration budget;
  private final ThreadFactory threadFactory;
  private final Duration gracePeriod;
  private final ScheduledFuture<?> deadlineTimer;

  // phase: written by the owner, read by any thread (Task.get, ScopeWaits).
  private volatile int phase = OPEN;
  // tasks: appended by the owner in fork order (with the unique-name set); read by any thread
  // that stops the scope. TaskList orders a fork racing with a stop.
  private final TaskList tasks = new TaskList();
  // threadNamePrefix: "scope/", the start of every task thread's name.
  private final String threadNamePrefix;
  // ownerBuilder: owner only (a builder is not thread-safe); creates the threads the owner starts.
  private Thread.Builder.OfVirtual ownerBuilder;
  // ownerInPolicy: owner only; true while the owner runs a policy callback (which may read results
  // before join, e.g. for a dependent completed at fork).
  private boolean ownerInPolicy;
  // awaited: the task the owner waits for in join() or close(), or null; written by the owner
  // before it re-checks the task and parks, read by a task after it marked itself done.
  private volatile TaskNode<?> awaited;
  // allSettled: set by the owner once join() saw every task settled; a stop then has nothing to
  // cancel (and close() skips the walk that would read every task again).
  private volatile boolean allSettled;
  // stopped: why and how the scope was stopped; CAS from null once, by any thread, before the
  // winner cancels anything. Read by any thread.
  private final AtomicReference<Stop> stopped = new AtomicReference<>();
  // policyFailure: the first exception (or Error) a policy callback threw, CAS from null once by
  // whichever thread ran the callback; join rethrows it. Read by the owner.
  private volatile Throwable policyFailure;
  // failures: how many tasks have failed so far; each failing thread takes its rank with an atomic
  // increment (TaskNode.failureOrder), so "the first failure" is the task that failed first.
  private volatile int failures;
  // thrownByJoin: what join() threw, or null; owner only. close() adds to it the failures of
  // cancelled tasks that arrived after join() threw.
  private Throwable thrownByJoin;
  // children: scopes opened inside this scope's tasks (or nested on the owner); each adds and
  // removes itself.
  private final Set<ScopeImpl<?>> children = ConcurrentHashMap.newKeySet();
  // Concurrency limit: free slots and the ready tasks waiting for one, in fork order.
  private final AtomicInteger permits;
  private final PriorityBlockingQueue<TaskNode<?>> readyQueue;

  private ScopeImpl(String name, Policy<R> policy, ScopeConfig config) {
    this.name = name;
    this.threadNamePrefix = name + "/";
    this.policy = policy;
    this.owner = Thread.currentThread();
    this.hiddenOnThread = INNERMOST.get();
    TaskNode<?> task = CurrentTask.get();
    if (task != null) {
      task.openedScope = true;
    }
    this.parent = hiddenOnThread != null ? hiddenOnThread : task != null ? task.scope : null;
    this.threadFactory = config.threadFactory().orElse(null);
    int maxConcurrency = config.maxConcurrency();
    this.gracePeriod = config.cancelGracePeriod();
    this.permits = maxConcurrency > 0 ? new AtomicInteger(maxConcurrency) : null;
    this.readyQueue = maxConcurrency > 0
        ? new PriorityBlockingQueue<>(16, Comparator.comparingInt(n -> n.seq)) : null;

    long now = System.nanoTime();
    Long own = null;
    if (config.timeout().isPresent()) {
      own = now + Timer.saturatedNanos(config.timeout().get());
    } else if (config.deadline().isPresent()) {
      own = now + Timer.saturatedNanos(Duration.between(Instant.now(), config.deadline().get()));
    }
    ScopeImpl<?> source = own == null ? null : this;
    if (parent != null && parent.hasDeadline && (own == null || parent.deadlineNanos - own <= 0)) {
      own = parent.deadlineNanos;
      source = parent.deadlineSource;
    }
    this.deadlineSource = source;
    this.hasDeadline = own != null;
    this.deadlineNanos = own == null ? 0 : own;
    this.budget = own == null ? null : Duration.ofNanos(Math.max(0, own - now));

    INNERMOST.set(this);
    if (parent != null) {
      parent.children.add(this);
      if (parent.stopped.get() != null) {
        stopFromParent(parent); // parent.stop() may have missed us: re-check after the add
      }
    }
    if (deadlineSource == this) {
      long delay = deadlineNanos - System.nanoTime();
      if (delay <= 0) {
        deadlineExpired();
        this.deadlineTimer = null;
      } else {
        this.deadlineTimer = Timer.scheduleNanos(this::deadlineExpired, delay);
      }
    } else {
      this.deadlineTimer = null;
    }
  }

  /** Opens a scope owned by the current thread. */
  static <R> Scope<R> open(String name, Policy<R> policy, ScopeConfig config) {
    Objects.requireNonNull(name, "scope name must not be null: name scopes after what they do, "
        + "e.g. Scope.open(\"checkout\")");
    Objects.requireNonNull(policy, "scope policy must not be null: pass a new policy, e.g. "
        + "Policy.collectAll(), or omit it for fail-fast");
    Objects.requireNonNull(config, "scope config must not be null: pass ScopeConfig.defaults()");
    if (name.isBlank()) {
      throw new IllegalArgumentException("scope name must not be blank: name scopes after what "
          + "they do, e.g. Scope.open(\"checkout\")");
    }
    if (!PolicyBinding.bind(policy)) {
      throw new IllegalArgumentException("policy " + Messages.describe(policy) + " is already used "
          + "by another scope: a policy instance keeps the state of one scope; create a new policy "
          + "for each scope, e.g. Scope.open(\"" + name + "\", Policy.firstSuccess())");
    }
    return new ScopeImpl<>(name, policy, config);
  }

  static Optional<Duration> remainingTime() {
    ScopeImpl<?> s = INNERMOST.get();
    if (s == null) {
      TaskNode<?> t = CurrentTask.get();
      s = t == null ? null : t.scope;
    }
    if (s == null || !s.hasDeadline) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(Math.max(0, s.deadlineNanos - System.nanoTime())));
  }

  // --- Scope ---

  @Override
  public String name() {
    return name;
  }

  @Override
  public <T> Task<T> fork(String name, Callable<? extends T> body) {
    return fork(name, body, UnaryOperator.identity());
  }

  @Override
  public <T> Task<T> fork(String name, Callable<? extends T> body, UnaryOperator<TaskOptions<T>> options) {
    Objects.requireNonNull(body, Messages.NULL_BODY);
    return doFork(name, body, options, TaskNode.NO_DEPENDENCIES);
  }

  @Override
  public <T> Task<T> fork(Callable<? extends T> body) {
    ensureOwner();
    long n = tasks.size(true) + 1;
    String generated = "task-" + n;
    while (tasks.containsName(generated)) { // a task was given this name explicitly
      generated = "task-" + ++n;
    }
    return fork(generated, body);
  }

  @Override
  public <A, T> Task<T> fork(String name, Task<A> a, Body1<? super A, ? extends T> body) {
    return fork(name, a, body, UnaryOperator.identity());
  }

  @Override
  public <A, T> Task<T> fork(
      String name, Task<A> a, Body1<? super A, ? extends T> body, UnaryOperator<TaskOptions<T>> options) {
    Objects.requireNonNull(body, Messages.NULL_BODY);
    TaskNode<A> na = dependency(a, "a");
    return doFork(name, () -> body.apply(na.value()), options, new TaskNode<?>[] {na});
  }

  @Override
  public <A, B, T> Task<T> fork(
      String name, Task<A> a, Task<B> b, Body2<? super A, ? super B, ? extends T> body) {
    return fork(name, a, b, body, UnaryOperator.identity());
  }

  @Override
  public <A, B, T> Task<T> fork(
      String name,
      Task<A> a,
      Task<B> b,
      Body2<? super A, ? super B, ? extends T> body,
      UnaryOperator<TaskOptions<T>> options) {
    Objects.requireNonNull(body, Messages.NULL_BODY);
    TaskNode<A> na = dependency(a, "a");
    TaskNode<B> nb = dependency(b, "b");
    return doFork(name, () -> body.apply(na.value(), nb.value()), options, new TaskNode<?>[] {na, nb});
  }

  @Override
  public <A, B, C, T> Task<T> fork(
      String name, Task<A> a, Task<B> b, Task<C> c, Body3<? super A, ? super B, ? super C, ? extends T> body) {
    return fork(name, a, b, c, body, UnaryOperator.identity());
  }

  @Override
  public <A, B, C, T> Task<T> fork(
      String name,
      Task<A> a,
      Task<B> b,
      Task<C> c,
      Body3<? super A, ? super B, ? super C, ? extends T> body,
      UnaryOperator<TaskOptions<T>> options) {
    Objects.requireNonNull(body, Messages.NULL_BODY);
    TaskNode<A> na = dependency(a, "a");
    TaskNode<B> nb = dependency(b, "b");
    TaskNode<C> nc = dependency(c, "c");
    return doFork(name, () -> body.apply(na.value(), nb.value(), nc.value()), options,
        new TaskNode<?>[] {na, nb, nc});
  }

  @Override
  public <T> Task<T> fork(String name, List<? extends Task<?>> dependencies, Callable<? extends T> body) {
    return fork(name, dependencies, body, UnaryOperator.identity());
  }

  @Override
  public <T> Task<T> fork(
      String name,
      List<? extends Task<?>> dependencies,
      Callable<? extends T> body,
      UnaryOperator<TaskOptions<T>> options) {
    Objects.requireNonNull(dependencies, "dependency list must not be null: pass the tasks this "
        + "task waits for, or use fork(name, body) for none");
    Objects.requireNonNull(body, Messages.NULL_BODY);
    TaskNode<?>[] deps = new TaskNode<?>[dependencies.size()];
    for (int i = 0; i < deps.length; i++) {
      deps[i] = dependency(dependencies.get(i), i);
    }
    return doFork(name, body, options, deps);
  }

  @Override
  public R join() throws InterruptedException {
    ensureOwner();
    if (phase == CLOSED) {
      throw new IllegalStateException("scope '" + name + "' is closed: call join() inside its "
          + "try-with-resources block, before it ends");
    }
    if (phase == JOINED) {
      throw new IllegalStateException("join() was already called on scope '" + name + "': call it "
          + "once, or open a new scope for another round of tasks");
    }
    phase = JOINED;
    ownerInPolicy = true;
    try {
      if (policy.onJoin()) {
        stop(BY_POLICY, "policy " + Messages.describe(policy) + " stopped the scope at join()");
      }
    } catch (Throwable e) {
      policyFailed(e);
    } finally {
      ownerInPolicy = false;
    }
    try {
      awaitAllSettled();
    } catch (Throwable e) {
      thrownByJoin = e;
      throw e;
    }
    allSettled = true;
    try {
      return outcome();
    } catch (Throwable e) {
      thrownByJoin = e;
      throw e;
    }
  }

  /** join()'s wait: until every task is settled, or the owner is interrupted. */
  private void awaitAllSettled() throws InterruptedException {
    int n = tasks.size(true);
    boolean registered = false;
    boolean stopInterrupted = false; // the owner was interrupted after the scope was cancelled
    long nextLostCheck = System.nanoTime() + LOST_THREAD_CHECK_NANOS;
    try {
      for (int i = 0; i < n; i++) {
        TaskNode<?> t = tasks.get(i);
        if (t.isSettled()) {
          continue;
        }
        if (!registered) {
          OwnerWaits.ownerBlocks(this); // only while tasks can still block us
          registered = true;
        }
        // Wait for a task a batch further on, then come back: tasks tend to end in fork order,
        // so this wakes the owner about once per batch rather than once per task (each wake-up
        // costs the waking task a system call).
        TaskNode<?> ahead = tasks.get(Math.min(i + WAKE_BATCH, n - 1));
        if (!ahead.isSettled()) {
          t = ahead;
          i--;
        }
        awaited = t; // then re-check: a task reads `awaited` after it marks itself settled
        while (!t.isSettled()) {
          if (Thread.interrupted()) {
            if (stop(BY_INTERRUPT, "owner of scope '" + name + "' was interrupted in join()")) {
              InterruptedException e = new InterruptedException("interrupted while joining scope '"
                  + name + "': its tasks were cancelled");
              awaitSettled(); // brief: the stop made every task final but those completing
              Throwable pf = policyFailure;
              if (pf != null) {
                e.addSuppressed(pf);
              }
              Failures.attachMissing(e, this);
              throw e;
            }
            // Already cancelled (by its parent, say, whose cancel interrupts the task thread that
            // owns this scope): the interrupt is the cancel's echo. Report the cancel; keep the flag.
            stopInterrupted = true;
            awaitSettled();
            return;
          }
          long now = System.nanoTime();
          long park = Long.MAX_VALUE;
          if (hasDeadline) {
            park = deadlineNanos - now;
            if (park <= 0) {
              deadlineSource.deadlineExpired(); // backstop for a late timer
              continue;
            }
          }
          if (threadFactory != null) {
            if (now - nextLostCheck >= 0) {
              failLostThreads(Math.max(i, 0), n);
              nextLostCheck = now + LOST_THREAD_CHECK_NANOS;
            }
            park = Math.min(park, nextLostCheck - now);
          }
          if (park == Long.MAX_VALUE) {
            LockSupport.park(this);
          } else {
            LockSupport.parkNanos(this, park);
          }
        }
      }
    } finally {
      awaited = null;
      if (registered) {
        OwnerWaits.ownerUnblocks(this);
      }
      if (stopInterrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Fails the tasks {@code from} to {@code to - 1} whose thread, from the user's thread factory,
   * ended without running them (they would never settle). Owner only.
   */
  private void failLostThreads(int from, int to) {
    for (int i = from; i < to; i++) {
      TaskNode<?> t = tasks.get(i);
      Thread th = t.thread;
      if (!t.isFinished() && th != null && th.getState() == Thread.State.TERMINATED
          && !t.isFinished()) { // re-read: a thread that ran its task released it before it ended
        t.threadLost();
      }
    }
  }

  @Override
  public void cancel() {
    stop(BY_CANCEL, "scope '" + name + "' was cancelled by cancel() in thread "
        + describe(Thread.currentThread()));
  }

  @Override
  public boolean isCancelled() {
    Stop s = stopped.get();
    return s != null && s.reason != BY_CLOSE;
  }

  /**
   * Whether {@code t} stopped the scope: a task that calls {@code cancel()} is not interrupted by
   * that cancel, also when the owner cancels it later (it was forked while the cancel walked).
   */
  boolean stoppedBy(Thread t) {
    Stop s = stopped.get();
    return s != null && s.by == t;
  }

  /** The reason the scope was cancelled or closed, or null while it runs. */
  String stopDetail() {
    Stop s = stopped.get();
    return s == null ? null : s.detail;
  }

  /** The rank of a failure that is being published now (see {@code failures}). */
  int nextFailureOrder() {
    return (int) FAILURES.getAndAdd(this, 1);
  }

  /** How many tasks the owner forked (owner only, or after join). */
  int forkedCount() {
    return tasks.size(true);
  }

  /** The task forked {@code i}-th (owner only, or after join). */
  TaskNode<?> taskAt(int i) {
    return tasks.get(i);
  }

  @Override
  public List<Task<?>> tasks() {
    return List.copyOf(tasks.snapshot(Thread.currentThread() == owner));
  }

  @Override
  public void close() {
    ensureOwner();
    if (phase == CLOSED) {
      return;
    }
    List<ScopeImpl<?>> leftOpen = new ArrayList<>();
    Throwable inFlight = null; // an Error or bug while closing: still close this scope
    for (ScopeImpl<?> inner = INNERMOST.get(); inner != null && inner != this; inner = INNERMOST.get()) {
      leftOpen.add(inner);
      try {
        inner.closeNow();
      } catch (Throwable e) {
        inFlight = inFlight == null ? e : addTo(inFlight, e);
      }
    }
    int forked = tasks.size(true);
    boolean neverJoined = phase == OPEN && forked != 0;
    try {
      closeNow();
    } catch (Throwable e) {
      inFlight = inFlight == null ? e : addTo(inFlight, e);
    }
    if (thrownByJoin != null) {
      Failures.attachMissing(thrownByJoin, this); // failures of cancelled tasks that came later
    } else if (!neverJoined) {
      logLateFailures(); // join() returned normally: the losers' late failures fail nothing
    }
    if (inFlight != null) {
      throw sneaky(inFlight);
    }
    if (!leftOpen.isEmpty()) {
      List<String> names = leftOpen.stream().map(sc -> sc.name).toList();
      IllegalStateException e = new IllegalStateException("scope '" + name + "' was closed while "
          + "nested " + (names.size() == 1 ? "scope " + quote(names) + " was still open; it was"
              : "scopes " + quote(names) + " were still open; they were")
          + " closed first: close scopes in reverse order of opening (use try-with-resources)");
      for (ScopeImpl<?> inner : leftOpen) {
        Failures.attachMissing(e, inner);
      }
      if (neverJoined) {
        Failures.attachMissing(e, this);
      }
      throw e;
    }
    if (neverJoined) {
      IllegalStateException e = new IllegalStateException("scope '" + name + "' was closed without "
          + "join(): call scope.join() before the end of the block to wait for its " + forked
          + (forked == 1 ? " task" : " tasks") + " and see their failures");
      Failures.attachMissing(e, this);
      throw e;
    }
  }

  private static Throwable addTo(Throwable first, Throwable more) {
    if (first != more) {
      first.addSuppressed(more);
    }
    return first;
  }

  /** Throws {@code t} whatever its type (callers: {@code throw sneaky(t)}). */
  @SuppressWarnings("unchecked")
  static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
    throw (E) t;
  }

  @Override
  public String toString() {
    return "Scope[" + name + ", policy=" + policy + ", tasks=" + tasks.size(Thread.currentThread() == owner)
        + (isCancelled() ? ", cancelled" : "") + "]";
  }

  // --- implementation ---

  /** Whether the owner may read results now: after join, or inside a policy callback. */
  boolean resultsReadable() {
    return phase != OPEN || ownerInPolicy;
  }

  private void ensureOwner() {
    Thread current = Thread.currentThread();
    if (current != owner) {
      throw new WrongThreadException("scope '" + name + "' is owned by thread " + describe(owner)
          + ", not " + describe(current) + ": only the thread that opened a scope may fork, "
          + "join or close it");
    }
  }

  private void ensureForkable() {
    if (phase == JOINED) {
      throw new IllegalStateException("scope '" + name + "' was already joined: fork every task "
          + "before join(), or open a new scope for another round of tasks");
    }
    if (phase == CLOSED) {
      throw new IllegalStateException("scope '" + name + "' is closed: fork tasks inside its "
          + "try-with-resources block");
    }
  }

  private <A> TaskNode<A> dependency(Task<A> task, int index) {
    if (task == null) {
      throw new NullPointerException("dependency dependencies[" + index + "] must not be null: "
          + "pass tasks forked in this scope, or leave it out of the list");
    }
    return dependency(task, (String) null);
  }

  @SuppressWarnings("unchecked")
  private <A> TaskNode<A> dependency(Task<A> task, String argument) {
    if (task == null) {
      throw new NullPointerException("dependency " + argument + " must not be null: pass a task "
          + "forked in this scope, or use fork(name, body) for a task without dependencies");
    }
    if (!(task instanceof TaskNode<A> node) || node.scope != this) {
      String owning = !(task instanceof TaskNode<?> n) ? "no Weft scope"
          : "scope '" + n.scope.name + "'" + (n.scope.phase == CLOSED ? ", which is closed" : "");
      throw new IllegalArgumentException("dependency '" + task.name() + "' belongs to " + owning + ", not to scope '" + name + "': a task can only depend on "
          + "tasks of its own scope; pass the value instead, or fork both tasks in one scope");
    }
    return node;
  }

  private <T> Task<T> doFork(
      String taskName, Callable<? extends T> body, UnaryOperator<TaskOptions<T>> options, TaskNode<?>[] deps) {
    ensureOwner();
    ensureForkable();
    if (ownerInPolicy) {
      throw new IllegalStateException("fork() was called from a callback of policy "
          + Messages.describe(policy) + " in scope '" + name + "': a policy decides when the scope "
          + "is done, it does not fork; fork every task from the scope's block, before join()");
    }
    Objects.requireNonNull(taskName, "task name must not be null: name the task after what it "
        + "does, or use fork(body) for a generated name");
    Objects.requireNonNull(options, "task options function must not be null: pass one such as "
        + "o -> o.withTimeout(Duration.ofSeconds(1)), or fork without options");
    if (taskName.isBlank()) {
      throw new IllegalArgumentException("task name must not be blank: it names the task's thread "
          + "and appears in every error; use fork(body) for a generated name");
    }
    TaskOptions<T> opts;
    try {
      opts = options.apply(TaskOptions.defaults());
    } catch (IllegalArgumentException | NullPointerException e) {
      String message = "task '" + taskName + "' of scope '" + name + "': " + e.getMessage();
      RuntimeException named = e instanceof NullPointerException
          ? new NullPointerException(message) : new IllegalArgumentException(message);
      named.initCause(e);
      throw named;
    }
    Objects.requireNonNull(opts, "options function returned null for task '" + taskName + "': "
        + "return the options it is given, e.g. o -> o.withTimeout(Duration.ofSeconds(1))");
    if (!tasks.addName(taskName)) {
      throw new IllegalArgumentException("task name '" + taskName + "' is already used in scope '"
          + name + "': give each task of a scope a unique name");
    }
    TaskNode<T> node = new TaskNode<>(this, taskName, tasks.size(true), body, opts, deps);
    ownerInPolicy = true;
    try {
      policy.onFork(node);
    } catch (Throwable e) {
      policyFailed(e);
    } finally {
      ownerInPolicy = false;
    }
    // The common case, a task that can start now, is started before it is published: no other
    // thread can see it yet, so it needs no CAS to claim it.
    boolean startNow = deps.length == 0 && permits == null && stopped.get() == null;
    if (startNow) {
      startUnpublished(node);
    }
    if (tasks.append(node)) {
      node.cancel(stopped.get().detail); // stopped before the append: the stop's walk may miss it
      return node;
    }
    if (startNow) {
      return node;
    }
    if (deps.length == 0) {
      ready(node);
      return node;
    }
    for (TaskNode<?> dep : deps) {
      if (!dep.addDependent(node)) { // already ended
        if (dep.state() == Task.State.SUCCEEDED) {
          node.releaseOne();
        } else {
          node.skip(dep);
          return node;
        }
      }
    }
    if (node.releaseOne()) {
      ready(node);
    }
    return node;
  }

  /** A task whose dependencies all succeeded: start it, or queue it for a slot. */
  void ready(TaskNode<?> node) {
    if (permits == null) {
      start(node);
    } else {
      readyQueue.add(node);
      drain();
    }
  }

  /**
   * Starts queued tasks while slots are free. Lost wake-ups cannot happen: a thread that queues
   * then finds no slot, and a thread that frees a slot then finds the queue empty, cannot both
   * happen, since each writes before it reads (sequentially consistent atomics).
   */
  private void drain() {
    while (!readyQueue.isEmpty()) {
      int p = permits.get();
      if (p == 0) {
        return;
      }
      if (!permits.compareAndSet(p, p - 1)) {
        continue;
      }
      TaskNode<?> next = readyQueue.poll();
      if (next == null || !start(next)) {
        permits.incrementAndGet();
      }
    }
  }

  /** Starts a task that only the owner can see so far (see doFork). Owner only. */
  private void startUnpublished(TaskNode<?> node) {
    if (ownerBuilder == null && threadFactory == null) {
      ownerBuilder = Thread.ofVirtual();
    }
    Thread t;
    try {
      t = newThread(node, ownerBuilder);
    } catch (Throwable e) {
      node.failToStart(e);
      return;
    }
    node.claimUnpublished(t);
    try {
      t.start();
    } catch (Throwable e) {
      node.failToStart(e);
    }
  }

  /**
   * The task's thread, unstarted, named scope/task so that thread dumps show it: from the thread
   * factory if the scope has one, else from {@code builder} (used by one thread at a time).
   */
  private Thread newThread(TaskNode<?> node, Thread.Builder.OfVirtual builder) {
    String threadName = threadNamePrefix.concat(node.name);
    if (threadFactory == null) {
      return builder.name(threadName).unstarted(CurrentTask.threadBody(node));
    }
    Thread t = Objects.requireNonNull(threadFactory.newThread(CurrentTask.threadBody(node)),
        "thread factory returned null for task '" + node.name + "': the thread factory must return "
            + "a new, unstarted thread that runs the Runnable it is given");
    if (t.getState() != Thread.State.NEW) {
      throw new IllegalThreadStateException("thread factory returned thread " + describe(t) + " for "
          + "task '" + node.name + "', which is " + t.getState() + ": the thread factory must return "
          + "a new, unstarted thread that runs the Runnable it is given");
    }
    t.setName(threadName);
    return t;
  }

  /** Creates and starts the task's thread; false if the task already ended (cancelled, skipped). */
  private boolean start(TaskNode<?> node) {
    if (node.isFinal()) {
      return false;
    }
    Stop st = stopped.get();
    if (st != null) {
      // A stop in progress may not have reached this task yet: never start it.
      node.cancel(st.detail);
      return false;
    }
    Thread t;
    try {
      t = newThread(node, threadFactory == null ? Thread.ofVirtual() : null);
    } catch (Throwable e) {
      node.failToStart(e);
      return false;
    }
    if (!node.claimStart(t)) {
      return false; // ended meanwhile; whoever ended it marked it finished
    }
    try {
      t.start();
    } catch (Throwable e) {
      node.failToStart(e); // the caller returns the slot: start() reports false
      return false;
    }
    return true;
  }

  /** Called by a task thread at its end, before it marks its task finished. */
  void threadEnded() {
    if (permits != null) {
      permits.incrementAndGet();
      drain();
    }
  }

  /** Called after {@code node} marked itself settled or finished: wakes the owner if it waits for it. */
  void taskDone(TaskNode<?> node) {
    if (awaited == node) {
      LockSupport.unpark(owner);
    }
  }

  /** Called by a task once it reached a final state and told its dependents. */
  void taskEnded(TaskNode<?> node) {
    boolean inOwner = Thread.currentThread() == owner;
    try {
      if (inOwner) {
        ownerInPolicy = true; // never written by task threads: it shares a cache line with what they read
      }
      if (policy.onComplete(node)) {
        stop(BY_POLICY, "policy " + Messages.describe(policy) + " stopped the scope after task '"
            + node.name + "' " + node.state().name().toLowerCase());
      }
    } catch (Throwable e) {
      policyFailed(e); // an Error too: the task must still settle, or join() would hang
    } finally {
      if (inOwner) {
        ownerInPolicy = false;
      }
    }
  }

  private void policyFailed(Throwable e) {
    POLICY_FAILURE.compareAndSet(this, null, e); // the first one; later ones are suppressed in it
    Throwable first = policyFailure;
    if (first != e) {
      first.addSuppressed(e);
    }
    stop(BY_POLICY, "policy " + Messages.describe(policy) + " threw " + Messages.describe(e));
  }

  /** Cancels every unfinished task and nested scope; the first reason wins. */
  private boolean stop(int reason, String detail) {
    if (stopped.get() != null || !stopped.compareAndSet(null, new Stop(reason, detail, System.nanoTime(), Thread.currentThread()))) {
      return false;
    }
    // The walk covers the tasks published before tasks.stop(); a fork published after it is
    // cancelled by the fork itself (TaskList.append). After a join that saw every task settled
    // there is nothing to cancel.
    // In three steps: end every unfinished task (so that none of them can still end otherwise),
    // cancel nested scopes, then interrupt the cancelled tasks' threads. A task thread that owns a
    // nested scope thus finds that scope cancelled when the interrupt reaches it in join(), and
    // join() reports the cancel (or the deadline), not an interrupt.
    int published = tasks.stop();
    boolean walk = !allSettled;
    for (int i = 0; walk && i < published; i++) {
      tasks.get(i).cancelWithoutInterrupt(detail);
    }
    for (ScopeImpl<?> child : children) {
      child.stopFromParent(this);
    }
    for (int i = 0; walk && i < published; i++) {
      tasks.get(i).interruptIfCancelled();
    }
    LockSupport.unpark(owner);
    return true;
  }

  private void stopFromParent(ScopeImpl<?> p) {
    Stop why = p.stopped.get();
    stop(why.reason == BY_DEADLINE ? BY_DEADLINE : BY_CANCEL, "enclosing scope '" + p.name + "' was "
        + "cancelled: " + why.detail);
  }

  private void deadlineExpired() {
    stop(BY_DEADLINE, "deadline of scope '" + name + "' passed"
        + (budget == null ? "" : budget.isZero() ? " (it had already passed when the scope opened)"
            : " (" + budget.toMillis() + " ms after it opened)"));
  }

  /** What join() returns or throws, once every task is final. */
  private R outcome() {
    Stop st = stopped.get();
    int reason = st == null ? 0 : st.reason;
    RuntimeException stopping = null;
    // Every task is final now. Only the first stop cancels tasks, so under a deadline stop the
    // cancelled tasks are exactly those the deadline caught unfinished; none means every task
    // ended in time and join returns the policy's result.
    List<String> unfinishedAtDeadline = new ArrayList<>();
    for (int i = 0, n = reason == BY_DEADLINE ? tasks.size(true) : 0; i < n; i++) {
      TaskNode<?> t = tasks.get(i);
      if (t.state() == Task.State.CANCELLED) {
        unfinishedAtDeadline.add(t.name);
      }
    }
    if (!unfinishedAtDeadline.isEmpty()) {
      stopping = new DeadlineExceededException(name, budget, unfinishedAtDeadline);
    } else if (reason == BY_CANCEL) {
      stopping = new CancellationException(st.detail);
    }
    Throwable pf = policyFailure;
    if (stopping != null || pf != null) {
      Throwable e = stopping != null ? stopping : pf;
      if (stopping != null && pf != null) {
        stopping.addSuppressed(pf);
      }
      if (pf == null) {
        try {
          policy.result(this); // what the policy would have reported: nothing is lost
        } catch (Throwable failures) {
          stopping.addSuppressed(failures);
        }
      }
      Failures.attachMissing(e, this); // what the policy did not report (or could not: it broke)
      throw sneaky(e);
    }
    try {
      return policy.result(this);
    } catch (Throwable e) {
      Failures.attachMissing(e, this); // a policy that throws without every failure
      throw e;
    }
  }

  /**
   * Waits, without giving in to interrupts, until every task is settled (after a stop: brief,
   * since the stop made every task final but those completing).
   */
  private void awaitSettled() {
    boolean interrupted = false;
    for (int i = 0, n = tasks.size(true); i < n; i++) {
      TaskNode<?> t = tasks.get(i);
      awaited = t;
      while (!t.isSettled()) {
        LockSupport.parkNanos(this, 1_000_000);
        interrupted |= Thread.interrupted();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Cancels, waits for every thread, and unlinks the scope. Owner only. Whatever fails on the
   * way, the scope ends closed and unlinked: a half-closed scope left as the thread's innermost
   * would become the parent of every later scope of that (perhaps pooled) thread.
   */
  private void closeNow() {
    try {
      stop(BY_CLOSE, "scope '" + name + "' was closed");
      awaitThreads();
    } finally {
      phase = CLOSED;
      if (deadlineTimer != null) {
        deadlineTimer.cancel(false);
      }
      if (parent != null) {
        parent.children.remove(this);
      }
      if (hiddenOnThread == null) {
        INNERMOST.remove();
      } else {
        INNERMOST.set(hiddenOnThread);
      }
    }
  }

  /**
   * Waits, without giving in to interrupts, until every task is finished, and then until its
   * thread, if one was started, has terminated. Finished: settled (a cancel() in another thread may
   * still be publishing the states it claimed) and its thread has run its last action. Waiting
   * for termination as well means that when close() returns, no thread of the scope is alive
   * ({@code Thread.isAlive()} is false), as with the JDK's scopes.
   */
  private void awaitThreads() {
    boolean interrupted = false;
    long step = Timer.saturatedNanos(gracePeriod); // a grace period of years must not overflow
    long nextWarning = System.nanoTime() + step;
    long nextLostCheck = System.nanoTime() + LOST_THREAD_CHECK_NANOS;
    boolean registered = false;
    try {
      for (int i = 0, n = tasks.size(true); i < n; i++) {
        TaskNode<?> t = tasks.get(i);
        if (!t.isFinished()) {
          if (!registered) {
            OwnerWaits.ownerBlocks(this); // only while task threads can still block us
            registered = true;
          }
          awaited = t;
        }
        Thread th;
        while (!t.isFinished() || ((th = t.thread) != null && th.isAlive())) {
          long now = System.nanoTime();
          if (now - nextWarning >= 0) {
            warnStuck(Duration.ofNanos(now - stopped.get().nanos));
            step = Math.min(step, Duration.ofMinutes(5).toNanos()) * 2;
            nextWarning = now + step;
          }
          long park = nextWarning - now;
          if (threadFactory != null) {
            if (now - nextLostCheck >= 0) {
              failLostThreads(Math.max(i, 0), n);
              nextLostCheck = now + LOST_THREAD_CHECK_NANOS;
            }
            park = Math.min(park, nextLostCheck - now);
          }
          if (!t.isFinished()) {
            LockSupport.parkNanos(this, park);
            interrupted |= Thread.interrupted();
          } else {
            try {
              t.thread.join(Duration.ofNanos(park)); // its last action is done: it is ending
            } catch (InterruptedException e) {
              interrupted = true;
            }
          }
        }
      }
    } finally {
      awaited = null;
      if (registered) {
        OwnerWaits.ownerUnblocks(this);
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void warnStuck(Duration waited) {
    for (int i = 0, n = tasks.size(true); i < n; i++) {
      TaskNode<?> t = tasks.get(i);
      Thread th = t.thread;
      if (t.threadRunning() || (th != null && th.isAlive())) {
        Throwable where = new Throwable("stack of thread '" + th.getName() + "'");
        where.setStackTrace(th.getStackTrace());
        Log.LOG.warn("scope '{}': task '{}' still runs {} ms after the scope was cancelled; it does not "
            + "respond to interrupts, and close() waits for it", name, t.name, waited.toMillis(), where);
      }
    }
  }

  /** Scopes a task's body left open: close them, and turn it into a failure. */
  Throwable closeLeftoverScopes(TaskNode<?> task, Throwable failure) {
    if (!task.openedScope) {
      return failure; // saves a thread-local look-up (and map entry) in every task thread
    }
    ScopeImpl<?> inner = INNERMOST.get();
    if (inner == null) {
      return failure;
    }
    List<ScopeImpl<?>> leftOpen = new ArrayList<>();
    Throwable broken = null;
    for (; inner != null; inner = INNERMOST.get()) {
      leftOpen.add(inner);
      try {
        inner.closeNow();
      } catch (Throwable e) {
        broken = broken == null ? e : addTo(broken, e);
      }
    }
    List<String> names = leftOpen.stream().map(sc -> sc.name).toList();
    IllegalStateException e = new IllegalStateException("task '" + task.name + "' ended with "
        + (names.size() == 1 ? "scope " + quote(names) + " still open; it was"
            : "scopes " + quote(names) + " still open; they were")
        + " cancelled and closed: open nested scopes with try-with-resources");
    for (ScopeImpl<?> sc : leftOpen) {
      Failures.attachMissing(e, sc); // their failures, which no join() reported
    }
    if (broken != null) {
      e.addSuppressed(broken);
    }
    if (failure == null) {
      return e;
    }
    failure.addSuppressed(e);
    return failure;
  }

  /**
   * Logs (DEBUG) what cancelled tasks threw after a join() that returned normally, say the losers
   * of a first-success scope: nothing to attach them to, and they are not failures of the scope.
   */
  private void logLateFailures() {
    for (int i = 0, n = tasks.size(true); i < n; i++) {
      TaskNode<?> t = tasks.get(i);
      Throwable late = t.lateFailure();
      if (late != null && Log.LOG.isDebugEnabled()) {
        Log.LOG.debug("scope '{}': task '{}' threw after it was cancelled; join() had returned "
            + "normally, so this is not reported to the caller", name, t.name, late);
      }
    }
  }

  static void discarded(TaskNode<?> task, Throwable ex) {
    if (Log.LOG.isTraceEnabled()) {
      Log.LOG.trace("scope '{}': task '{}' ended after it was cancelled or timed out; its late outcome "
          + "is discarded", task.scope.name, task.name, ex);
    }
  }

  /** Describes the task (or nested task) that {@code t} runs in this scope's subtree, or null. */
  String findTaskThread(Thread t) {
    for (int i = 0, size = tasks.size(Thread.currentThread() == owner); i < size; i++) {
      TaskNode<?> n = tasks.get(i);
      if (n.thread == t && n.threadRunning()) {
        return "task '" + n.name + "' of scope '" + name + "' (thread " + t.getName() + ")";
      }
    }
    for (ScopeImpl<?> child : children) {
      String found = child.findTaskThread(t);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** Why and when the scope stopped. */
  /** Why and when the scope stopped, and the thread that stopped it (never interrupted by it). */
  private record Stop(int reason, String detail, long nanos, Thread by) {}

  /** A thread as messages show it: its name in quotes, or its id if it has no name. */
  static String describe(Thread t) {
    String n = t.getName();
    return n.isEmpty() ? "#" + t.threadId() + (t.isVirtual() ? " (unnamed virtual thread)" : "") : "'" + n + "'";
  }

  private static String quote(List<String> names) {
    return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
  }
}
