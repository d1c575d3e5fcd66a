package dev.weft.scope;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/** The built-in policies. Each instance serves one scope. */
final class Policies {
  private Policies() {}

  /**
   * Records failures and skips in the order tasks ended. Shared by the built-in policies.
   *
   * <p>{@code failed} and {@code skipped} are written by task threads in {@code onComplete} and
   * read by the owner in {@code result}, which runs after every {@code onComplete} returned (a task
   * is marked settled after the call, and join() waits until every task is settled: that is the
   * happens-before edge).
   */
  abstract static class Recording<R> implements Policy<R> {
    private static final VarHandle BOUND;
    private static final VarHandle FAILED;
    private static final VarHandle SKIPPED;

    static {
      try {
        MethodHandles.Lookup l = MethodHandles.lookup();
        BOUND = l.findVarHandle(Recording.class, "bound", boolean.class);
        FAILED = l.findVarHandle(Recording.class, "failed", RecordedTasks.Node.class);
        SKIPPED = l.findVarHandle(Recording.class, "skipped", RecordedTasks.Node.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    // failed, skipped: the tasks recorded so far (RecordedTasks), null while none.
    private volatile RecordedTasks.@Nullable Node failed;
    private volatile RecordedTasks.@Nullable Node skipped;
    // bound: set once by the Scope.open that takes this policy (see PolicyBinding).
    private volatile boolean bound;

    /** Binds this policy to a scope; false if it serves one already. */
    boolean bind() {
      return BOUND.compareAndSet(this, false, true);
    }

    /** Records {@code task}; returns whether it failed. */
    boolean record(Task<?> task) {
      switch (task.state()) {
        case FAILED -> {
          RecordedTasks.push(FAILED, this, task);
          return true;
        }
        case SKIPPED -> RecordedTasks.push(SKIPPED, this, task);
        default -> {}
      }
      return false;
    }

    /** Whether a task failed (and was recorded). */
    boolean anyFailed() {
      return failed != null;
    }

    /** How many tasks failed or were skipped. */
    int notSucceeded() {
      return RecordedTasks.size(failed) + RecordedTasks.size(skipped);
    }

    void throwIfFailed(Scope<?> scope, @Nullable String headline) {
      if (failed != null) {
        // Skips are recorded depth-first (a dependent ends before the dependency that skipped it
        // returns); list them in fork order, which is how users read their code.
        List<Task<?>> all = scope.tasks();
        java.util.IdentityHashMap<Task<?>, Integer> forkIndex = new java.util.IdentityHashMap<>();
        for (int i = 0; i < all.size(); i++) {
          forkIndex.put(all.get(i), i);
        }
        List<Task<?>> skips = RecordedTasks.inOrder(skipped);
        skips.sort(java.util.Comparator.comparingInt(forkIndex::get));
        // The first failure is the task that failed first, not the first to reach onComplete.
        List<Task<?>> failures = RecordedTasks.inOrder(failed);
        failures.sort(java.util.Comparator.comparingInt(t -> ((TaskNode<?>) t).failureOrder));
        throw new TaskFailedException(scope.name(), headline, failures, skips);
      }
    }
  }

  /** The first failure cancels the scope. */
  static final class FailFast extends Recording<Void> {
    @Override
    public boolean onComplete(Task<?> task) {
      return record(task);
    }

    @Override
    public Void result(Scope<Void> scope) {
      throwIfFailed(scope, null);
      return null;
    }

    @Override
    public String toString() {
      return "fail-fast";
    }
  }

  /** Every task runs to its end. */
  static final class CollectAll extends Recording<Void> {
    @Override
    public boolean onComplete(Task<?> task) {
      record(task);
      return false;
    }

    @Override
    public Void result(Scope<Void> scope) {
      throwIfFailed(scope, null);
      return null;
    }

    @Override
    public String toString() {
      return "collect-all";
    }
  }

  /** The first success wins; exactly one winner, chosen by a CAS. */
  static final class FirstSuccess<T> extends Recording<T> {
    // winner: set once by the first task thread whose successful onComplete wins the CAS; read by
    // the owner in result() (after every onComplete returned).
    private final AtomicReference<@Nullable Task<?>> winner = new AtomicReference<>();

    @Override
    public boolean onComplete(Task<?> task) {
      if (task.state() == Task.State.SUCCEEDED) {
        return winner.compareAndSet(null, task);
      }
      record(task);
      return false;
    }

    @Override
    @SuppressWarnings({"unchecked", "NullAway"}) // NullAway: see the "not reached" null below
    public T result(Scope<T> scope) {
      Task<?> won = winner.get();
      if (won != null) {
        return (T) won.get();
      }
      if (!anyFailed()) {
        throw new IllegalStateException(
            "first-success scope '"
                + scope.name()
                + "' had no task that succeeded or failed ("
                + scope.tasks().size()
                + " forked): fork at least one task before join()");
      }
      throwIfFailed(
          scope,
          "no task succeeded in scope '" + scope.name() + "': all " + notSucceeded() + " failed");
      return null; // not reached
    }

    @Override
    public String toString() {
      return "first-success";
    }
  }

  /** Returns once k tasks succeeded; fails once k can no longer be reached. */
  static final class Quorum<T> extends Recording<List<T>> {
    private static final VarHandle WINNERS;

    static {
      try {
        WINNERS =
            MethodHandles.lookup().findVarHandle(Quorum.class, "winners", RecordedTasks.Node.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final int k;
    // forked: written by the owner only (onFork), read by task threads after joined is set
    // (the volatile write of joined publishes it).
    private int forked;
    private volatile boolean joined;
    // winners: the successes (RecordedTasks), written by task threads, read by the owner in
    // result().
    private volatile RecordedTasks.@Nullable Node winners;
    private final AtomicInteger succeeded = new AtomicInteger();
    private final AtomicInteger notSucceeded = new AtomicInteger();

    Quorum(int k) {
      this.k = k;
    }

    @Override
    public void onFork(Task<?> task) {
      forked++;
    }

    @Override
    public boolean onComplete(Task<?> task) {
      if (task.state() == Task.State.SUCCEEDED) {
        RecordedTasks.push(WINNERS, this, task);
        return succeeded.incrementAndGet() >= k;
      }
      if (task.state() == Task.State.CANCELLED) {
        return false; // only happens once the scope is stopping
      }
      record(task);
      notSucceeded.incrementAndGet();
      // Sequentially consistent: either this thread sees joined, or onJoin sees the count.
      return joined && unreachable();
    }

    @Override
    public boolean onJoin() {
      joined = true;
      return unreachable();
    }

    private boolean unreachable() {
      return forked - notSucceeded.get() < k;
    }

    @Override
    // NullAway: the null below is returned only when the scope was cancelled (close() and join()
    // call result() then too, to collect failures) and then the cancellation is thrown instead.
    @SuppressWarnings({"unchecked", "NullAway"})
    public List<T> result(Scope<List<T>> scope) {
      if (succeeded.get() >= k) {
        List<Task<?>> won = RecordedTasks.inOrder(winners);
        List<T> out = new ArrayList<>(won.size());
        for (Task<?> t : won) {
          out.add((T) t.get()); // a task may return null, so no List.copyOf
        }
        return Collections.unmodifiableList(out);
      }
      if (forked < k) {
        throw new IllegalStateException(
            "quorum of "
                + k
                + " cannot be reached in scope '"
                + scope.name()
                + "': only "
                + forked
                + (forked == 1 ? " task was" : " tasks were")
                + " forked: fork at least "
                + k
                + " tasks before join()");
      }
      String headline =
          "quorum of "
              + k
              + " not reached in scope '"
              + scope.name()
              + "': "
              + succeeded.get()
              + " of "
              + forked
              + " tasks succeeded";
      throwIfFailed(scope, headline);
      return null; // only in a cancelled scope, whose cancellation join() throws instead
    }

    @Override
    public String toString() {
      return "quorum(" + k + ")";
    }
  }
}
