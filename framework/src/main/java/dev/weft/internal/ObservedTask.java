package dev.weft.internal;

import java.util.List;

/** What an observer may read about a task (names only: never its result or arguments). */
public interface ObservedTask {
  /** The task's name, unique in its scope. */
  String name();

  /** The scope the task belongs to. */
  ObservedScope observedScope();

  /** The tasks this one waits for, in the order given to {@code fork}. */
  List<? extends ObservedTask> observedDependencies();
}
