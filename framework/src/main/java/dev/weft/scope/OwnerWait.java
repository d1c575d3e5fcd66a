package dev.weft.scope;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The owner's waits: {@code join()} until every task is settled, {@code close()} until every task
 * is finished and its thread has terminated.
 *
 * <p>The owner walks the tasks in fork order and waits for one at a time: it names that task in
 * {@code scope.awaited}, re-checks it, and parks; the task, after it marked itself done, reads
 * {@code awaited} and unparks the owner if it is the one (the wake-up handshake: each side writes,
 * then reads the other's field, so one of them sees the other). So ending a task writes nothing
 * that other tasks share. {@code join()} waits a batch ahead ({@link #WAKE_BATCH}) to be woken
 * about once per batch rather than once per task.
 *
 * <p>As join() passes a settled task, it also checks whether the task is finished and its thread
 * has terminated, and notes it in the task ({@code endSeen}, owner only): close() then skips the
 * threads already seen to have ended. So the owner reads most threads while the carriers still run
 * later tasks, as {@code Thread.join()} of raw threads does, rather than all of them after the last
 * task ended (fan-out n = 1000 on an Intel Xeon: 1.76x raw threads to 1.53x, medians of twelve
 * interleaved rounds in four runs, lower in 9 of the 12 paired rounds, docs/performance.md).
 * Termination is final, so a thread seen ended stays so.
 *
 * <p>Two variants were measured and are worse (fan-out n = 1000, docs/history): walking the tasks
 * last to first (1.55x raw threads against 1.18x: the owner then reads every task's cache line
 * after the last one ended, instead of while the carriers still run tasks), and spinning briefly
 * before parking (1.47x: on 2 cores a spinning owner takes CPU from the carriers).
 */
final class OwnerWait {
  private OwnerWait() {}

  private static final int[] NONE_WAITING = {};

  // How far ahead of the first unsettled task join() waits.
  private static final int WAKE_BATCH = 32;
  // How often an owner waiting on threads from a user's thread factory checks for a thread that
  // ended without running its task (threads Weft creates itself always run it).
  private static final long LOST_THREAD_CHECK_NANOS = 20_000_000;

  /**
   * join()'s wait: until every task is settled. If the owner is interrupted, the scope is cancelled
   * and this throws {@code InterruptedException} carrying the failures; an interrupt of a scope
   * that is already cancelled is that cancel's echo: the wait ends, the flag stays set.
   */
  static void untilSettled(ScopeImpl<?> s) throws InterruptedException {
    TaskList tasks = s.tasks;
    int n = tasks.size(true);
    boolean registered = false;
    boolean echo = false;
    long nextLostCheck = System.nanoTime() + LOST_THREAD_CHECK_NANOS;
    try {
      for (int i = 0; i < n; i++) {
        TaskNode<?> t = tasks.get(i);
        if (t.isSettled()) {
          if (!t.endSeen && ended(t)) {
            t.endSeen = true; // close() need not read its thread again
          }
          continue;
        }
        if (!registered) {
          BlockedOwners.ownerBlocks(s); // only while tasks can still block us
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
        s.awaited = t; // then re-check: a task reads `awaited` after it marks itself settled
        while (!t.isSettled()) {
          if (Thread.interrupted()) {
            if (ScopeCancel.onOwnerInterrupt(s)) {
              InterruptedException e =
                  new InterruptedException(
                      "interrupted while joining scope '" + s.name + "': its tasks were cancelled");
              uninterruptiblyUntilSettled(
                  s); // brief: the cancel made every task final but those completing
              s.attachFailures(e);
              throw e;
            }
            // Already cancelled (by its parent, say, whose cancel interrupts the task thread that
            // owns this scope): the interrupt is the cancel's echo. Report the cancel.
            echo = true;
            uninterruptiblyUntilSettled(s);
            return;
          }
          long now = System.nanoTime();
          long park = Long.MAX_VALUE;
          if (s.deadline.isSet()) {
            park = s.deadline.nanosLeft();
            if (park <= 0) {
              s.deadline.expireAtSource(); // backstop for a late timer
              continue;
            }
          }
          if (s.threads.fromFactory()) {
            if (now - nextLostCheck >= 0) {
              s.threads.failLost(tasks, Math.max(i, 0), n);
              nextLostCheck = now + LOST_THREAD_CHECK_NANOS;
            }
            park = Math.min(park, nextLostCheck - now);
          }
          if (park == Long.MAX_VALUE) {
            LockSupport.park(s);
          } else {
            LockSupport.parkNanos(s, park);
          }
        }
      }
    } finally {
      s.awaited = null;
      if (registered) {
        BlockedOwners.ownerUnblocks(s);
      }
      if (echo) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Waits, without giving in to interrupts, until every task is settled (after a cancel: brief,
   * since the cancel made every task final but those completing).
   */
  private static void uninterruptiblyUntilSettled(ScopeImpl<?> s) {
    boolean interrupted = false;
    for (int i = 0, n = s.tasks.size(true); i < n; i++) {
      TaskNode<?> t = s.tasks.get(i);
      s.awaited = t;
      while (!t.isSettled()) {
        LockSupport.parkNanos(s, 1_000_000);
        interrupted |= Thread.interrupted();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * close()'s wait, without giving in to interrupts: until every task is finished, and then until
   * its thread, if one was started, has terminated. Finished: settled (a cancel() in another thread
   * may still be publishing the states it claimed) and its thread has run its last action. Waiting
   * for termination as well means that when close() returns, no thread of the scope is alive
   * ({@code Thread.isAlive()} is false), as with the JDK's scopes. After the grace period it logs
   * the tasks that still run, then again after twice as long, and so on.
   */
  static void untilTerminated(ScopeImpl<?> s) {
    s.closing = true; // for ScopeDump: the owner blocks in close(), not join()
    TaskList tasks = s.tasks;
    boolean interrupted = false;
    long step = Timer.saturatedNanos(s.gracePeriod); // a grace period of years must not overflow
    long nextWarning = System.nanoTime() + step;
    long nextLostCheck = System.nanoTime() + LOST_THREAD_CHECK_NANOS;
    boolean registered = false;
    int n = tasks.size(true);
    // First a pass that only reads, skipping the tasks join() saw ended: most threads have ended
    // by the time it reaches them (after join() they are running their last few instructions).
    // Blocking only for the others saves a park and unpark of the owner per thread that would
    // have ended a moment later anyway.
    int[] waitFor = NONE_WAITING;
    int waiting = 0;
    for (int i = 0; i < n; i++) {
      TaskNode<?> t = tasks.get(i);
      if (!t.endSeen && !ended(t)) {
        if (waitFor.length == 0) {
          waitFor = new int[n - i];
        }
        waitFor[waiting++] = i;
      }
    }
    try {
      for (int k = 0; k < waiting; k++) {
        int i = waitFor[k];
        TaskNode<?> t = tasks.get(i);
        if (!t.isFinished()) {
          if (!registered) {
            BlockedOwners.ownerBlocks(s); // only while task threads can still block us
            registered = true;
          }
          s.awaited = t;
        }
        while (!ended(t)) {
          long now = System.nanoTime();
          if (now - nextWarning >= 0) {
            warnStuck(s, Duration.ofNanos(now - ScopeCancel.ofStopped(s).nanos()));
            step = Math.min(step, Duration.ofMinutes(5).toNanos()) * 2;
            nextWarning = now + step;
          }
          long park = nextWarning - now;
          if (s.threads.fromFactory()) {
            if (now - nextLostCheck >= 0) {
              s.threads.failLost(tasks, i, n);
              nextLostCheck = now + LOST_THREAD_CHECK_NANOS;
            }
            park = Math.min(park, nextLostCheck - now);
          }
          if (!t.isFinished()) {
            LockSupport.parkNanos(s, park);
            interrupted |= Thread.interrupted();
          } else {
            // Re-read: null if its thread never started (failToStart): nothing to wait for.
            Thread ending = t.thread;
            if (ending != null) {
              try {
                ending.join(Duration.ofNanos(park)); // its last action is done: it is ending
              } catch (InterruptedException e) {
                interrupted = true;
              }
            }
          }
        }
      }
    } finally {
      s.awaited = null;
      if (registered) {
        BlockedOwners.ownerUnblocks(s);
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether close() may pass {@code t}: finished, and its thread, if one started, terminated. */
  private static boolean ended(TaskNode<?> t) {
    Thread th;
    return t.isFinished() && ((th = t.thread) == null || !th.isAlive());
  }

  private static void warnStuck(ScopeImpl<?> s, Duration waited) {
    for (int i = 0, n = s.tasks.size(true); i < n; i++) {
      TaskNode<?> t = s.tasks.get(i);
      Thread th = t.thread;
      // th null: the thread was not yet set when read (the task is just starting)
      if (th != null && (t.threadRunning() || th.isAlive())) {
        Throwable where = new Throwable("stack of thread '" + th.getName() + "'");
        where.setStackTrace(th.getStackTrace());
        Failures.Log.LOG.warn(
            "scope '{}': task '{}' still runs {} ms after the scope was cancelled; "
                + "it does not respond to interrupts, and close() waits for it",
            s.name,
            t.name(),
            waited.toMillis(),
            where);
      }
    }
  }
}
