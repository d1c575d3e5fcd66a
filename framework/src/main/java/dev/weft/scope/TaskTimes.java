package dev.weft.scope;

import org.jspecify.annotations.Nullable;

/**
 * When a task was forked and when its body started, for the ages {@link ScopeDump} shows. Kept only
 * where the clock is read anyway (a scope with observers: {@link Observed} fills it from its own
 * clock reads) or where the user asked for it ({@code -Dweft.dump.taskTimes=true}: two clock reads
 * a task). Otherwise a task has none, and a fork reads no clock.
 */
final class TaskTimes {
  /** Whether every task records its times ({@code weft.dump.taskTimes}); read once. */
  static final boolean ALWAYS = Boolean.getBoolean("weft.dump.taskTimes");

  // forkedAt: System.nanoTime() at fork; final, so a racy reader (the dump) sees it.
  final long forkedAt;
  // startedAt: System.nanoTime() as the body starts, 0 until then. Written by the task's thread,
  // read by the dump (volatile: a long read racily could tear).
  volatile long startedAt;

  TaskTimes(long forkedAt) {
    this.forkedAt = forkedAt;
  }

  /** The times of a task being forked now: null unless {@link #ALWAYS} (then one clock read). */
  static @Nullable TaskTimes atFork() {
    return ALWAYS ? new TaskTimes(System.nanoTime()) : null;
  }

  /** In the task's thread, as its body starts (with {@link #ALWAYS}; Observed sets its own). */
  static void started(TaskNode<?> task) {
    if (ALWAYS) {
      TaskTimes t = task.times;
      if (t != null) {
        t.startedAt = System.nanoTime();
      }
    }
  }
}
