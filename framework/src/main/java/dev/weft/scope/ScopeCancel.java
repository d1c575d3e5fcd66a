package dev.weft.scope;

import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * How a scope is cancelled (edge 5 of the overview in ScopeImpl): the stop record, CAS from null
 * once, so that the first cause wins and only its winner cancels; the walk that ends every
 * unfinished task, then cancels nested scopes, then interrupts the cancelled tasks' threads; the
 * causes (the parent, the deadline, the owner's interrupt, the policy; {@code cancel()} and {@code
 * close()} in ScopeImpl); and what the rest of the core reads of the stop.
 */
final class ScopeCancel {
  private ScopeCancel() {}

  /** Cancels every unfinished task and nested scope; the first reason wins (edge 5). */
  static boolean cancel(ScopeImpl<?> s, StopReason reason, String detail) {
    return s.stopped.get() == null && cancel(s, Stop.of(reason, detail));
  }

  /** The owner's close(): cancels what is left (usually nothing, after a join). */
  static void close(ScopeImpl<?> s) {
    if (s.stopped.get() == null) {
      cancel(s, Stop.ofClose(s.name));
    }
  }

  private static boolean cancel(ScopeImpl<?> s, Stop stop) {
    if (!s.stopped.compareAndSet(null, stop)) {
      return false;
    }
    // The walk covers the tasks published before tasks.markCancelled(); a fork published after it
    // is cancelled by the fork itself (edge 1). After a join that saw every task settled there is
    // nothing to end.
    TaskList tasks = s.tasks;
    int published = tasks.markCancelled();
    boolean walk = !s.allSettled;
    for (int i = 0; walk && i < published; i++) {
      TaskCancel.withoutInterrupt(tasks.get(i), stop.detail());
    }
    s.nesting.cancelChildren(s, stop);
    for (int i = 0; walk && i < published; i++) {
      TaskCancel.interruptIfCancelled(tasks.get(i));
    }
    LockSupport.unpark(s.owner);
    return true;
  }

  /** The parent {@code p} of {@code s} stops: so does {@code s}, for the same reason. */
  static void fromParent(ScopeImpl<?> s, ScopeImpl<?> p) {
    Stop why = ofStopped(p);
    cancel(
        s,
        why.reason().inChild(),
        "enclosing scope '" + p.name + "' was cancelled: " + why.detail());
  }

  /** The deadline {@code s} owns passed (see Deadline). */
  static void deadlineExpired(ScopeImpl<?> s, String detail) {
    cancel(s, StopReason.DEADLINE, detail);
  }

  /** The owner was interrupted in join(): cancels the scope; false if it was already stopped. */
  static boolean onOwnerInterrupt(ScopeImpl<?> s) {
    return cancel(
        s, StopReason.INTERRUPT, "owner of scope '" + s.name + "' was interrupted in join()");
  }

  /** The policy said so, or one of its callbacks threw (see PolicyCalls). */
  static void byPolicy(ScopeImpl<?> s, String detail) {
    cancel(s, StopReason.POLICY, detail);
  }

  // --- what others read ---

  /** The stop, or null while the scope runs. */
  static @Nullable Stop of(ScopeImpl<?> s) {
    return s.stopped.get();
  }

  /** The stop of a scope known to have stopped (a closing one, say). */
  static Stop ofStopped(ScopeImpl<?> s) {
    return Objects.requireNonNull(s.stopped.get(), "stop of a stopped scope");
  }

  /** The reason the scope was cancelled or closed, or null while it runs. */
  static @Nullable String detail(ScopeImpl<?> s) {
    Stop st = s.stopped.get();
    return st == null ? null : st.detail();
  }

  /**
   * Whether {@code t} stopped the scope: a task that calls {@code cancel()} is not interrupted by
   * that cancel, also when the owner cancels it later (it was forked while the cancel walked).
   */
  static boolean madeBy(ScopeImpl<?> s, Thread t) {
    Stop st = s.stopped.get();
    return st != null && st.by() == t;
  }
}
