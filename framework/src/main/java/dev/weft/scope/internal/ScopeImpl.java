package dev.weft.scope.internal;

import dev.weft.scope.DeadlineExceededException;
import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.ScopeConfig;
import dev.weft.scope.Task;
import dev.weft.scope.TaskFailedException;
import dev.weft.scope.TaskOptions;
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
public final class ScopeImpl<R> implements Scope<R> {
  /** The logger, created on first use so that opening the first scope does not set up logging. */
  static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(Scope.class);
  }

  // Per thread: the innermost open scope this thread owns (scopes link to the one they hide).
  // (The task whose body a thread runs is in CurrentTask.)
  private static final ThreadLocal<ScopeImpl<?>> INNERMOST = new ThreadLocal<>();
  // Owners blocked in join() or close(), for ScopeWaits. Written by each owner for itself.
  static final ConcurrentHashMap<Thread, ScopeImpl<?>> WAITING = new ConcurrentHashMap<>();

  // How far ahead of the first unsettled task join() waits (see join).
  private static final int WAKE_BATCH = 32;

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
  // policyFailure: the first exception a policy callback threw; join rethrows it.
  private volatile RuntimeException policyFailure;
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
      if (parent.isCancelled()) {
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
  public static <R> Scope<R> open(String name, Policy<R> policy, ScopeConfig config) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(config, "config");
    if (name.isBlank()) {
      throw new IllegalArgumentException("scope name must not be blank: name scopes after what "
          + "they do, e.g. Scope.open(\"checkout\")");
    }
    return new ScopeImpl<>(name, policy, config);
  }

  public static Optional<Duration> remainingTime() {
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
    Objects.requireNonNull(body, "body");
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
    Objects.requireNonNull(body, "body");
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
    Objects.requireNonNull(body, "body");
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
    Objects.requireNonNull(body, "body");
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
    Objects.requireNonNull(dependencies, "dependencies");
    Objects.requireNonNull(body, "body");
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
    try {
      if (policy.onJoin()) {
        stop(BY_POLICY, "policy " + policy + " stopped the scope at join()");
      }
    } catch (RuntimeException e) {
      policyFailed(e);
    }
    int n = tasks.size(true);
    boolean registered = false;
    try {
      for (int i = 0; i < n; i++) {
        TaskNode<?> t = tasks.get(i);
        if (t.isSettled()) {
          continue;
        }
        if (!registered) {
          ScopeWaits.ownerBlocks(this); // only while tasks can still block us
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
            stop(BY_INTERRUPT, "owner of scope '" + name + "' was interrupted in join()");
            InterruptedException e = new InterruptedException("interrupted while joining scope '"
                + name + "': its tasks were cancelled");
            awaitSettled(); // brief: the stop made every task final but those completing
            attachFailures(e);
            throw e;
          }
          if (hasDeadline) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
              deadlineSource.deadlineExpired(); // backstop for a late timer
            } else {
              LockSupport.parkNanos(this, left);
            }
          } else {
            LockSupport.park(this);
          }
        }
      }
    } finally {
      awaited = null;
      if (registered) {
        ScopeWaits.ownerUnblocks(this);
      }
    }
    allSettled = true;
    return outcome();
  }

  @Override
  public void cancel() {
    stop(BY_CANCEL, "scope '" + name + "' was cancelled by cancel() in thread "
        + describe(Thread.currentThread()));
  }

  @Override
  public boolean isCancelled() {
    return stopped.get() != null;
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
    List<String> leftOpen = new ArrayList<>();
    for (ScopeImpl<?> inner = INNERMOST.get(); inner != null && inner != this; inner = INNERMOST.get()) {
      leftOpen.add(inner.name);
      inner.closeNow();
    }
    int forked = tasks.size(true);
    boolean neverJoined = phase == OPEN && forked != 0;
    closeNow();
    if (!leftOpen.isEmpty()) {
      throw new IllegalStateException("scope '" + name + "' was closed while nested "
          + (leftOpen.size() == 1 ? "scope " + quote(leftOpen) + " was still open; it was"
              : "scopes " + quote(leftOpen) + " were still open; they were")
          + " closed first: close scopes in reverse order of opening (use try-with-resources)");
    }
    if (neverJoined) {
      IllegalStateException e = new IllegalStateException("scope '" + name + "' was closed without "
          + "join(): call scope.join() before the end of the block to wait for its " + forked
          + (forked == 1 ? " task" : " tasks") + " and see their failures");
      attachFailures(e);
      throw e;
    }
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
      throw new NullPointerException("dependency dependencies[" + index + "]");
    }
    return dependency(task, (String) null);
  }

  @SuppressWarnings("unchecked")
  private <A> TaskNode<A> dependency(Task<A> task, String argument) {
    if (task == null) {
      throw new NullPointerException("dependency " + argument);
    }
    if (!(task instanceof TaskNode<A> node) || node.scope != this) {
      String owning = task instanceof TaskNode<?> n ? "scope '" + n.scope.name + "'" : "no Weft scope";
      throw new IllegalArgumentException("dependency '" + task.name() + "' belongs to " + owning + ", not to scope '" + name + "': a task can only depend on "
          + "tasks of its own scope; pass the value instead, or fork both tasks in one scope");
    }
    return node;
  }

  private <T> Task<T> doFork(
      String taskName, Callable<? extends T> body, UnaryOperator<TaskOptions<T>> options, TaskNode<?>[] deps) {
    ensureOwner();
    ensureForkable();
    Objects.requireNonNull(taskName, "name");
    Objects.requireNonNull(options, "options");
    if (taskName.isBlank()) {
      throw new IllegalArgumentException("task name must not be blank: it names the task's thread "
          + "and appears in every error; use fork(body) for a generated name");
    }
    TaskOptions<T> opts = Objects.requireNonNull(
        options.apply(TaskOptions.defaults()), "options function returned null");
    if (!tasks.addName(taskName)) {
      throw new IllegalArgumentException("task name '" + taskName + "' is already used in scope '"
          + name + "': give each task of a scope a unique name");
    }
    TaskNode<T> node = new TaskNode<>(this, taskName, tasks.size(true), body, opts, deps);
    try {
      policy.onFork(node);
    } catch (RuntimeException e) {
      policyFailed(e);
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
        "thread factory returned null for task '" + node.name + "'");
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
        stop(BY_POLICY, "policy " + policy + " stopped the scope after task '" + node.name + "' "
            + node.state().name().toLowerCase());
      }
    } catch (RuntimeException e) {
      policyFailed(e);
    } finally {
      if (inOwner) {
        ownerInPolicy = false;
      }
    }
  }

  private void policyFailed(RuntimeException e) {
    if (policyFailure == null) {
      policyFailure = e;
    }
    stop(BY_POLICY, "policy " + policy + " threw " + e);
  }

  /** Cancels every unfinished task and nested scope; the first reason wins. */
  private boolean stop(int reason, String detail) {
    if (stopped.get() != null || !stopped.compareAndSet(null, new Stop(reason, detail, System.nanoTime()))) {
      return false;
    }
    // The walk covers the tasks published before tasks.stop(); a fork published after it is
    // cancelled by the fork itself (TaskList.append). After a join that saw every task settled
    // there is nothing to cancel.
    int published = tasks.stop();
    if (!allSettled) {
      for (int i = 0; i < published; i++) {
        tasks.get(i).cancel(detail);
      }
    }
    for (ScopeImpl<?> child : children) {
      child.stopFromParent(this);
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
    if (policyFailure != null) {
      RuntimeException e = stopping != null ? stopping : policyFailure;
      if (stopping != null) {
        stopping.addSuppressed(policyFailure);
      }
      attachFailures(e); // the broken policy cannot report them
      throw e;
    }
    if (stopping != null) {
      try {
        policy.result(this);
      } catch (RuntimeException failures) {
        stopping.addSuppressed(failures); // nothing is lost
      }
      throw stopping;
    }
    return policy.result(this);
  }

  /** Adds every failed task to {@code e} as a suppressed {@link TaskFailedException}. */
  private void attachFailures(Throwable e) {
    for (int i = 0, n = tasks.size(true); i < n; i++) {
      TaskNode<?> t = tasks.get(i);
      if (t.state() == Task.State.FAILED) {
        e.addSuppressed(new TaskFailedException(name, null, List.of(t), List.of()));
      }
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

  /** Cancels, waits for every thread, and unlinks the scope. Owner only. */
  private void closeNow() {
    stop(BY_CLOSE, "scope '" + name + "' was closed");
    awaitThreads();
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

  /**
   * Waits, without giving in to interrupts, until every task is finished: settled (a cancel() in
   * another thread may still be publishing the states it claimed), and its thread, if one was
   * started, has run its last action.
   */
  private void awaitThreads() {
    boolean interrupted = false;
    long start = System.nanoTime();
    long step = gracePeriod.toNanos();
    long nextWarning = start + step;
    boolean registered = false;
    try {
      for (int i = 0, n = tasks.size(true); i < n; i++) {
        TaskNode<?> t = tasks.get(i);
        if (t.isFinished()) {
          continue;
        }
        if (!registered) {
          ScopeWaits.ownerBlocks(this); // only while task threads can still block us
          registered = true;
        }
        awaited = t;
        while (!t.isFinished()) {
          long now = System.nanoTime();
          if (now - nextWarning >= 0) {
            warnStuck(Duration.ofNanos(now - stopped.get().nanos));
            step = Math.min(step * 2, Duration.ofMinutes(10).toNanos());
            nextWarning = now + step;
          }
          LockSupport.parkNanos(this, nextWarning - now);
          interrupted |= Thread.interrupted();
        }
      }
    } finally {
      awaited = null;
      if (registered) {
        ScopeWaits.ownerUnblocks(this);
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
      if (t.threadRunning()) {
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
    List<String> leftOpen = new ArrayList<>();
    for (; inner != null; inner = INNERMOST.get()) {
      leftOpen.add(inner.name);
      inner.closeNow();
    }
    IllegalStateException e = new IllegalStateException("task '" + task.name + "' ended with "
        + (leftOpen.size() == 1 ? "scope " + quote(leftOpen) + " still open; it was"
            : "scopes " + quote(leftOpen) + " still open; they were")
        + " cancelled and closed: open nested scopes with try-with-resources");
    if (failure == null) {
      return e;
    }
    failure.addSuppressed(e);
    return failure;
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
  private record Stop(int reason, String detail, long nanos) {}

  /** A thread as messages show it: its name in quotes, or its id if it has no name. */
  static String describe(Thread t) {
    String n = t.getName();
    return n.isEmpty() ? "#" + t.threadId() + (t.isVirtual() ? " (unnamed virtual thread)" : "") : "'" + n + "'";
  }

  private static String quote(List<String> names) {
    return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
  }
}
