package dev.weft.scope;

import dev.weft.internal.ThreadNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Reads the live tree of scopes into {@link ScopeDump}'s immutable entries: what a scope's owner,
 * its tasks and their threads are doing now. Runs in any thread, without locks and without stopping
 * anyone: each field is read once, racily, so an entry may mix moments a few microseconds apart (a
 * task seen PENDING whose dependency is already seen SUCCEEDED, say), but each is a state the task
 * really had. Names only: no result, argument or exception message is read.
 */
final class DumpCapture {
  private DumpCapture() {}

  /** An open scope: {@code nested} are the scopes its owner opened inside it. */
  record ScopeEntry(
      String name,
      String policy,
      String phase,
      @Nullable String cancelled,
      long ageNanos,
      long deadlineLeftNanos,
      boolean hasDeadline,
      String owner,
      Thread.State ownerState,
      @Nullable String ownerBlockedIn,
      List<TaskEntry> tasks,
      List<ScopeEntry> nested) {}

  /**
   * A task: {@code ageNanos} is how long it has waited (PENDING) or run (RUNNING), -1 if unknown or
   * final; {@code activity} what it waits for or runs (for a final task, a body that still runs);
   * the rest says how a final task ended; {@code nested} are the scopes its body opened.
   */
  record TaskEntry(
      String name,
      Task.State state,
      long ageNanos,
      @Nullable Activity activity,
      @Nullable String exception,
      boolean timedOut,
      @Nullable String recoveredFrom,
      @Nullable String skippedBecause,
      List<ScopeEntry> nested) {}

  /** What a task waits for or runs. */
  sealed interface Activity {}

  /** Waits for the dependencies that have not ended yet. */
  record Dependencies(List<Dependency> unfinished) implements Activity {}

  /** A dependency and its state. */
  record Dependency(String name, Task.State state) {}

  /** Ready, and queued for a slot of the concurrency limit. */
  record Slot(int maxConcurrency, int queued) implements Activity {}

  /** Its body runs in {@code thread}, which is in {@code threadState}. */
  record Body(String thread, Thread.State threadState) implements Activity {}

  /** Ready and being started (its thread is not known yet). */
  record Starting() implements Activity {}

  /** Every open root scope and its tree, oldest first. */
  static List<ScopeEntry> roots() {
    long now = System.nanoTime();
    List<ScopeEntry> out = new ArrayList<>();
    for (ScopeImpl<?> s : OpenRoots.snapshot()) {
      out.add(scope(s, now));
    }
    return List.copyOf(out);
  }

  private static ScopeEntry scope(ScopeImpl<?> s, long now) {
    List<ScopeImpl<?>> children = new ArrayList<>(s.nesting.children());
    children.sort(OpenRoots.OLDEST_FIRST);
    List<TaskNode<?>> tasks = s.tasks.snapshot(Thread.currentThread() == s.owner);
    List<TaskEntry> taskEntries = new ArrayList<>(tasks.size());
    for (TaskNode<?> t : tasks) {
      List<ScopeEntry> inTask = new ArrayList<>();
      children.removeIf(
          c -> {
            if (c.nesting.ownerTask() != t) {
              return false;
            }
            inTask.add(scope(c, now));
            return true;
          });
      taskEntries.add(task(t, now, inTask));
    }
    // Left: scopes the owner opened inside this one, and scopes of a task not yet published.
    List<ScopeEntry> nested = new ArrayList<>();
    for (ScopeImpl<?> c : children) {
      nested.add(scope(c, now));
    }
    Stop stop = ScopeCancel.of(s);
    boolean blocked = BlockedOwners.isBlocked(s);
    Deadline d = s.deadline;
    return new ScopeEntry(
        s.name,
        s.policyName(),
        phase(s, blocked),
        stop == null || stop.reason() == StopReason.CLOSE
            ? null
            : stop.reason().name().toLowerCase(Locale.ROOT),
        now - s.openedAt,
        d.isSet() ? Math.max(0, d.nanosLeft()) : 0,
        d.isSet(),
        ThreadNames.of(s.owner),
        s.owner.getState(),
        blocked ? (s.closing ? "close()" : "join()") : null,
        List.copyOf(taskEntries),
        List.copyOf(nested));
  }

  /** open, joining (blocked in join()), joined, closing (in close()). */
  private static String phase(ScopeImpl<?> s, boolean blocked) {
    if (s.closing) {
      return "closing";
    }
    String p = s.phaseName();
    return blocked && p.equals("joined") ? "joining" : p;
  }

  private static TaskEntry task(TaskNode<?> t, long now, List<ScopeEntry> nested) {
    Task.State state = t.state(); // read first: what follows is at least as recent
    TaskTimes times = t.times;
    long age = -1;
    Activity activity = null;
    String exception = null;
    String recoveredFrom = null;
    String skippedBecause = null;
    switch (state) {
      case PENDING -> {
        activity = pendingActivity(t);
        age = times == null ? -1 : now - times.forkedAt;
      }
      case RUNNING -> {
        activity = body(t);
        long started = times == null ? 0 : times.startedAt;
        age = started == 0 ? -1 : now - started;
      }
      case SUCCEEDED -> recoveredFrom = className(t.rawRecoveredFrom());
      case FAILED -> exception = className(t.rawOutcome());
      case SKIPPED -> skippedBecause = firstUnsuccessful(t);
      case CANCELLED -> {}
    }
    if (state.isFinal() && t.threadRunning()) {
      activity = body(t); // ended by another thread, but its body has not returned yet
    }
    return new TaskEntry(
        t.name(),
        state,
        age,
        activity,
        exception,
        state == Task.State.FAILED && t.timedOut,
        recoveredFrom,
        skippedBecause,
        List.copyOf(nested));
  }

  private static Activity pendingActivity(TaskNode<?> t) {
    List<Dependency> unfinished = new ArrayList<>();
    for (TaskNode<?> d : t.dependencies) {
      Task.State ds = d.state();
      if (!ds.isFinal()) {
        unfinished.add(new Dependency(d.name(), ds));
      }
    }
    if (!unfinished.isEmpty()) {
      return new Dependencies(List.copyOf(unfinished));
    }
    ConcurrencyLimit limit = t.scope.limit;
    if (limit.isQueued(t)) {
      return new Slot(limit.max(), limit.queued());
    }
    return new Starting();
  }

  private static Activity body(TaskNode<?> t) {
    Thread th = t.thread;
    return th == null ? new Starting() : new Body(ThreadNames.of(th), th.getState());
  }

  private static @Nullable String firstUnsuccessful(TaskNode<?> t) {
    for (TaskNode<?> d : t.dependencies) {
      if (d.state() != Task.State.SUCCEEDED) {
        return d.name();
      }
    }
    return null;
  }

  private static @Nullable String className(@Nullable Object o) {
    return o == null ? null : o.getClass().getName();
  }
}
