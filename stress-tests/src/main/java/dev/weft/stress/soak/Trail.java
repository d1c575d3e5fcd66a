package dev.weft.stress.soak;

import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.stress.soak.TreePlan.ScopePlan;
import dev.weft.stress.soak.TreePlan.TaskPlan;
import dev.weft.stress.soak.Violation.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What happened in one tree: per scope, its handle, owner, threads and what join() and close()
 * gave; per task, its handle, the threads its body ran in, when the body started and ended, and
 * what it threw. Task bodies write it from their own threads, so every field is volatile or atomic.
 * The checks that need the moment itself run here, as events happen: a dependent's body start
 * (dependencies succeeded), the count of running bodies (the limit), and the owner's view right
 * after join() and close() return (final states, live threads).
 */
final class Trail {
  final TreePlan plan;
  // clock: orders body starts and ends; incremented by task threads.
  private final AtomicLong clock = new AtomicLong();
  private final ConcurrentLinkedQueue<Violation> violations = new ConcurrentLinkedQueue<>();
  // scopes: by plan id, added by the thread that opens the scope (the driver, or a task body).
  private final ConcurrentHashMap<Integer, ScopeTrail> scopes = new ConcurrentHashMap<>();
  // reportedAlive: threads already reported alive after a close, so each is reported once.
  private final Set<Thread> reportedAlive = ConcurrentHashMap.newKeySet();
  final AtomicInteger forked = new AtomicInteger();

  Trail(TreePlan plan) {
    this.plan = plan;
  }

  /** Records that the current thread opens the scope of {@code plan}. */
  ScopeTrail open(ScopePlan plan) {
    ScopeTrail st = new ScopeTrail(this, plan);
    if (scopes.putIfAbsent(plan.id(), st) != null) {
      violation(Kind.OUTCOME, st.where(), "opened a second time: the body that opens it ran twice");
    }
    return st;
  }

  /** The scope with plan id {@code id}, if it was opened. */
  ScopeTrail scope(int id) {
    return scopes.get(id);
  }

  /** Every scope that was opened, root first. */
  List<ScopeTrail> scopes() {
    List<ScopeTrail> all = new ArrayList<>(scopes.values());
    all.sort(Comparator.comparingInt(s -> s.plan.id()));
    return all;
  }

  void violation(Kind kind, String where, String detail) {
    violations.add(new Violation(kind, where, detail));
  }

  List<Violation> violations() {
    return List.copyOf(violations);
  }

  /** After the root's close(): no thread of any scope of the tree may be alive. */
  void afterRootClose() {
    for (ScopeTrail st : scopes()) {
      st.checkThreadsDead("the root scope's close()");
    }
  }

  /** Every thread any task of the tree ran in (or that a recording factory created). */
  List<Thread> threads() {
    List<Thread> all = new ArrayList<>();
    for (ScopeTrail st : scopes()) {
      all.addAll(st.threads);
    }
    return all;
  }

  /** One opened scope. */
  static final class ScopeTrail {
    final Trail trail;
    final ScopePlan plan;
    final Thread owner = Thread.currentThread();
    final List<TaskTrail> tasks;
    // threads: added by task bodies (their own thread) and by recording factories.
    final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    // running: bodies of this scope running now (in at body start, out at body end).
    final AtomicInteger running = new AtomicInteger();
    // Written by the owner: the scope once open; closed once close() returned.
    volatile Scope<?> scope;
    volatile boolean closed;
    volatile TallyPolicy tally;
    // What join() and close() gave the owner.
    volatile boolean joinReturned;
    volatile Object joinValue;
    volatile Throwable joinThrew;
    volatile Throwable closeThrew;

    ScopeTrail(Trail trail, ScopePlan plan) {
      this.trail = trail;
      this.plan = plan;
      List<TaskTrail> ts = new ArrayList<>(plan.tasks().size());
      for (TaskPlan tp : plan.tasks()) {
        ts.add(new TaskTrail(this, tp));
      }
      this.tasks = List.copyOf(ts);
    }

    String where() {
      return "scope '" + plan.name() + "'";
    }

    /** A thread factory that records each thread it makes, so close() can be checked on it. */
    ThreadFactory recording(ThreadFactory base) {
      return r -> {
        Thread t = base.newThread(r);
        threads.add(t);
        return t;
      };
    }

    /** Owner, right after join() returned or threw: every forked task is final. */
    void afterJoin() {
      for (TaskTrail tt : tasks) {
        Task<Object> h = tt.handle;
        if (h != null && !h.state().isFinal()) {
          trail.violation(
              Kind.NOT_FINAL,
              tt.where(),
              "is "
                  + h.state()
                  + " after join() "
                  + (joinReturned ? "returned" : "threw " + joinThrew));
        }
      }
    }

    /** Owner, right after close() returned: no thread alive, no body running, every task final. */
    void afterClose() {
      closed = true;
      checkThreadsDead("close()");
      for (TaskTrail tt : tasks) {
        if (tt.inBody) {
          trail.violation(
              Kind.BODY_AFTER_CLOSE, tt.where(), "its body still ran when close() returned");
        }
        Task<Object> h = tt.handle;
        if (h != null && !h.state().isFinal()) {
          trail.violation(
              Kind.NOT_FINAL, tt.where(), "is " + h.state() + " after close() returned");
        }
      }
    }

    void checkThreadsDead(String after) {
      for (Thread t : threads) {
        if (t.isAlive() && trail.reportedAlive.add(t)) {
          Thread.State state = t.getState();
          StackTraceElement[] stack = t.getStackTrace();
          StringBuilder where = new StringBuilder();
          for (int i = 0; i < Math.min(4, stack.length); i++) {
            where.append(i == 0 ? " at " : " < ").append(stack[i]);
          }
          trail.violation(
              Kind.LIVE_AFTER_CLOSE,
              where(),
              "thread '"
                  + t.getName()
                  + "' ("
                  + (t.isVirtual() ? "virtual" : "platform")
                  + ") is alive, "
                  + state
                  + ", right after "
                  + after
                  + " returned"
                  + where);
        }
      }
    }
  }

  /** One task of an opened scope. */
  static final class TaskTrail {
    final ScopeTrail scope;
    final TaskPlan plan;
    final String path;
    // handle: set by the owner right after fork returned (a body may start before that).
    volatile Task<Object> handle;
    volatile boolean inBody;
    volatile boolean returned;
    volatile long startSeq;
    volatile long endSeq;
    final AtomicInteger starts = new AtomicInteger();
    // thrown: what the body threw; endedBeforeThrow: the task was already final (cancelled or
    // timed out) when the body threw it, as its handle showed (see threw()).
    volatile Throwable thrown;
    volatile boolean endedBeforeThrow;
    // What a RECOVER fallback was given, and what a RECOVER_THROWS fallback threw.
    volatile Throwable fallbackSaw;
    volatile Throwable fallbackThrew;

    TaskTrail(ScopeTrail scope, TaskPlan plan) {
      this.scope = scope;
      this.plan = plan;
      this.path = scope.plan.name() + "/" + plan.name();
    }

    String where() {
      return scope.where() + " task '" + plan.name() + "'";
    }

    /**
     * Body start, in the task's thread: records the thread, and checks the limit and that every
     * dependency succeeded (its body returned, unless a fallback supplied its value) and passed the
     * value the body got. {@code args} are the values of the argument overloads, or null.
     */
    void enter(List<Object> args) {
      Trail trail = scope.trail;
      scope.threads.add(Thread.currentThread());
      inBody = true;
      long now = trail.clock.incrementAndGet();
      startSeq = now;
      if (starts.incrementAndGet() > 1) {
        trail.violation(Kind.OUTCOME, where(), "its body started a second time");
      }
      if (scope.closed) {
        trail.violation(Kind.BODY_AFTER_CLOSE, where(), "its body started after close() returned");
      }
      int running = scope.running.incrementAndGet();
      int max = scope.plan.maxConcurrency();
      if (max > 0 && running > max) {
        trail.violation(
            Kind.LIMIT, where(), running + " bodies of the scope run at once, limit " + max);
      }
      List<Integer> deps = plan.deps();
      for (int k = 0; k < deps.size(); k++) {
        checkDependency(scope.tasks.get(deps.get(k)), args == null ? null : args.get(k), now);
      }
    }

    private void checkDependency(TaskTrail dep, Object arg, long now) {
      Trail trail = scope.trail;
      Task<Object> h = dep.handle;
      Task.State s = h.state();
      if (s != Task.State.SUCCEEDED) {
        trail.violation(
            Kind.DEPENDENCY,
            where(),
            "body started while dependency '" + dep.plan.name() + "' was " + s);
        return;
      }
      Optional<Throwable> recovered = h.recoveredFrom();
      boolean bodyMustHaveEnded = recovered.isEmpty() || recovered.get() == dep.thrown;
      long depEnd = dep.endSeq;
      if (bodyMustHaveEnded && (depEnd == 0 || depEnd > now)) {
        trail.violation(
            Kind.DEPENDENCY,
            where(),
            "body started before the body of dependency '"
                + dep.plan.name()
                + "' ended ("
                + (recovered.isEmpty()
                    ? "it succeeded by itself"
                    : "its fallback replaced its failure")
                + ")");
      } else if (recovered.isEmpty() && !dep.returned) {
        trail.violation(
            Kind.DEPENDENCY,
            where(),
            "dependency '"
                + dep.plan.name()
                + "' is SUCCEEDED without a fallback, but its body threw "
                + dep.thrown);
      }
      Object value;
      try {
        value = h.get();
      } catch (RuntimeException e) {
        trail.violation(
            Kind.DEPENDENCY,
            where(),
            "reading succeeded dependency '" + dep.plan.name() + "' from its body threw " + e);
        return;
      }
      if (arg != null && !arg.equals(value)) {
        trail.violation(
            Kind.DEPENDENCY,
            where(),
            "body got "
                + arg
                + " for dependency '"
                + dep.plan.name()
                + "', whose result is "
                + value);
      }
    }

    /** The body throws {@code t}: note whether its task had already ended. */
    void threw(Throwable t) {
      Task<Object> h = handle;
      // A body can end before the owner's fork() returned and set the handle (a 3 ms timeout
      // while the owner still forks): wait for it, briefly, rather than guess from the scope's
      // cancelled flag (that guess took a timed-out task for one still running). The state only
      // moves forward, so a late read can only find "ended" where it was: lenient for that case.
      for (long until = System.nanoTime() + 2_000_000_000L;
          h == null && System.nanoTime() - until < 0;
          h = handle) {
        java.util.concurrent.locks.LockSupport.parkNanos(50_000);
      }
      endedBeforeThrow = h != null ? h.state().isFinal() : scope.scope.isCancelled();
      thrown = t;
    }

    /** Body end, in the task's thread. */
    void exit() {
      scope.running.decrementAndGet();
      endSeq = scope.trail.clock.incrementAndGet();
      inBody = false;
    }
  }
}
