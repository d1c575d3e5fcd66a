package dev.weft.internal;

import java.util.List;

/** What an observer may read about a task (names only: never its result or arguments). */
public interface ObservedTask {
  /** The task's name, unique in its scope. */
  String name();

  /**
   * Whether {@code fork(body)} generated the name ({@code task-N}): such names differ per task, so
   * meters must not use them as tag values.
   */
  boolean nameGenerated();

  /** The scope the task belongs to. */
  ObservedScope observedScope();

  /** The tasks this one waits for, in the order given to {@code fork}. */
  List<? extends ObservedTask> observedDependencies();
}
