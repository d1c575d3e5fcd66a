package dev.weft.stress.soak;

import dev.weft.scope.DeadlineExceededException;
import dev.weft.scope.Task;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * Check (c), every injected failure delivered: for one exception that a task body, a fallback or
 * the custom policy threw, whether it had to reach the scope's owner, and whether it did. This is
 * the one place that states the rule, so that it can be adjusted.
 *
 * <p><b>Reached</b> means the very object is in the exception that {@code join()} threw, or in the
 * one {@code close()} threw: as that exception, in its cause chain or among its suppressed
 * exceptions, recursively (a {@code TaskFailedException}'s cause and suppressed {@code
 * TaskFailedException}s, a fallback failure's suppressed original, ...).
 *
 * <p>The rule, by the task's final state:
 *
 * <ul>
 *   <li>{@code FAILED} with it (the task's {@code exception()} holds it): it must be reached,
 *       except when the policy accepts failures ({@code firstSuccess} once a task succeeded, {@code
 *       quorum(k)} once k did): then the handle delivers it.
 *   <li>{@code SUCCEEDED} through a fallback that was given it: {@code recoveredFrom()} must hold
 *       it.
 *   <li>Otherwise the task ended before its body's failure could count (it was cancelled, or timed
 *       out). It must still be reached, unless
 *       <ul>
 *         <li>the task had ended <em>before</em> the body threw, and the exception is an interrupt
 *             echo ({@link #isEcho}), or
 *         <li>{@code join()} returned normally after the policy itself cancelled the losers ({@code
 *             firstSuccess}, {@code quorum}, or the custom policy once it stopped the scope).
 *       </ul>
 *       A body that threw before its task was cancelled (the cancel won the race to end it) is not
 *       exempt: that failure happened, and the strong promise is that it is delivered.
 *   <li>{@code SKIPPED} or not final, although the body ran: a wrong state, never acceptable.
 * </ul>
 *
 * A fallback's own failure is judged like a body failure of a FAILED task; the custom policy's
 * exception must always be reached.
 */
final class DeliveryRule {
  private DeliveryRule() {}

  /** The judgement on one failure. */
  enum Verdict {
    /** Reached the owner in join()'s (or close()'s) exception. */
    DELIVERED(false),
    /** On the handle of a task whose policy accepts failures. */
    ON_HANDLE(false),
    /** Replaced by a fallback, and {@code recoveredFrom()} holds it. */
    RECOVERED(false),
    /** An interrupt echo thrown after the task had ended. */
    EXEMPT_ECHO(false),
    /**
     * An interrupt echo thrown just as its task was cancelled or timed out: before the end was
     * visible to the body, after it was visible to the scope. Nothing outside the body can tell
     * whether the interrupt behind it was the cancel's own, so Weft drops it as an echo; counted
     * apart, so that its frequency stays visible (docs/verification.md, Soak).
     */
    EXEMPT_RACED_ECHO(false),
    /** A late failure of a loser that the policy cancelled before join() returned normally. */
    EXEMPT_LOSER(false),
    /** The task ended FAILED with it, and join() did not deliver it. */
    LOST_OWN(true),
    /** The body threw it before its task was cancelled or timed out; the other end won; dropped. */
    LOST_RACED(true),
    /** Thrown after the task was cancelled, not an interrupt echo; dropped. */
    LOST_LATE(true),
    /**
     * Thrown after the task timed out, not an interrupt echo; dropped (the timeout was delivered).
     */
    LOST_AFTER_TIMEOUT(true),
    /** A fallback replaced a failure, but {@code recoveredFrom()} does not hold it. */
    LOST_RECOVERED(true),
    /** The custom policy's exception is not in join()'s exception. */
    LOST_POLICY(true),
    /**
     * The body ran and threw, but the task is SKIPPED, not final, or SUCCEEDED with no fallback.
     */
    WRONG_STATE(true);

    final boolean lost;

    Verdict(boolean lost) {
      this.lost = lost;
    }

    String id() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * What the owner of one scope got, and what its policy allows.
   *
   * @param reached every throwable in join()'s and close()'s exceptions, by identity
   * @param policyAccepts the policy accepts failures (they stay on the handles)
   * @param losersAccepted join() returned normally after the policy cancelled the rest
   */
  record Outcome(Set<Throwable> reached, boolean policyAccepts, boolean losersAccepted) {
    static Outcome of(
        Throwable joinThrew, Throwable closeThrew, boolean policyAccepts, boolean losersAccepted) {
      Set<Throwable> all = Collections.newSetFromMap(new IdentityHashMap<>());
      collect(joinThrew, all);
      collect(closeThrew, all);
      return new Outcome(all, policyAccepts, losersAccepted);
    }
  }

  /** Judges {@code thrown}, which the body of {@code task} threw. */
  static Verdict body(Throwable thrown, boolean endedBeforeThrow, Task<?> task, Outcome o) {
    Task.State s = task.state();
    switch (s) {
      case FAILED -> {
        if (contains(task.exception(), thrown)) {
          return own(thrown, o);
        }
        return late(thrown, endedBeforeThrow, true, o); // it timed out before the body threw this
      }
      case SUCCEEDED -> {
        Optional<Throwable> recovered = task.recoveredFrom();
        if (recovered.isEmpty()) {
          return Verdict.WRONG_STATE; // the body threw, yet the task succeeded by itself
        }
        if (contains(recovered.get(), thrown)) {
          return Verdict.RECOVERED;
        }
        return late(
            thrown, endedBeforeThrow, true, o); // it timed out, and the fallback replaced that
      }
      case CANCELLED -> {
        return late(thrown, endedBeforeThrow, false, o);
      }
      default -> {
        return Verdict.WRONG_STATE;
      }
    }
  }

  /** Judges {@code thrown}, which the fallback of {@code task} threw. */
  static Verdict fallback(Throwable thrown, Task<?> task, Outcome o) {
    if (task.state() == Task.State.FAILED && contains(task.exception(), thrown)) {
      return own(thrown, o);
    }
    return Verdict.WRONG_STATE;
  }

  /** Judges {@code thrown}, which the custom policy threw from a callback. */
  static Verdict policy(Throwable thrown, Outcome o) {
    return o.reached().contains(thrown) ? Verdict.DELIVERED : Verdict.LOST_POLICY;
  }

  /**
   * Whether {@code t} is an interrupt echo: an {@link InterruptedException}, a {@link
   * ClosedByInterruptException}, a {@link CancellationException}, a nested scope's {@link
   * DeadlineExceededException} (how a nested scope reports that its parent's deadline cancelled
   * it), or an exception caused by one of these.
   */
  static boolean isEcho(Throwable t) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
      if (c instanceof InterruptedException
          || c instanceof ClosedByInterruptException
          || c instanceof CancellationException
          || c instanceof DeadlineExceededException) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code target} is {@code root}, or in its causes or suppressed, recursively. */
  static boolean contains(Throwable root, Throwable target) {
    Set<Throwable> all = Collections.newSetFromMap(new IdentityHashMap<>());
    collect(root, all);
    return all.contains(target);
  }

  // --- implementation ---

  private static Verdict own(Throwable thrown, Outcome o) {
    if (o.reached().contains(thrown)) {
      return Verdict.DELIVERED;
    }
    return o.policyAccepts() ? Verdict.ON_HANDLE : Verdict.LOST_OWN;
  }

  private static Verdict late(
      Throwable thrown, boolean endedBeforeThrow, boolean timedOut, Outcome o) {
    if (o.reached().contains(thrown)) {
      return Verdict.DELIVERED;
    }
    if (isEcho(thrown)) {
      return endedBeforeThrow ? Verdict.EXEMPT_ECHO : Verdict.EXEMPT_RACED_ECHO;
    }
    if (o.losersAccepted()) {
      return Verdict.EXEMPT_LOSER;
    }
    return !endedBeforeThrow
        ? Verdict.LOST_RACED
        : timedOut ? Verdict.LOST_AFTER_TIMEOUT : Verdict.LOST_LATE;
  }

  /** Adds {@code root} and every throwable reachable from it through causes and suppressed. */
  private static void collect(Throwable root, Set<Throwable> into) {
    if (root == null) {
      return;
    }
    Deque<Throwable> todo = new ArrayDeque<>();
    todo.push(root);
    while (!todo.isEmpty()) {
      Throwable t = todo.pop();
      if (!into.add(t)) {
        continue;
      }
      if (t.getCause() != null) {
        todo.push(t.getCause());
      }
      for (Throwable s : t.getSuppressed()) {
        todo.push(s);
      }
    }
  }
}
