package dev.weft.scope;

import java.util.ArrayDeque;

/**
 * How a task that did not succeed ends its dependents: each is skipped (or falls back), or
 * cancelled if the scope is being cancelled, and so are theirs, in a loop over a queue rather than
 * by recursion: a chain of 100,000 dependents whose head fails must not need 100,000 stack frames.
 * The task that starts a cascade runs the loop (TaskNode.publish with no queue); the dependents it
 * ends queue theirs on the same queue.
 */
final class Cascade {
  private Cascade() {}

  /** Ends the dependents queued in {@code cascade} (pairs: dependency, dependent), and theirs. */
  static void run(ArrayDeque<TaskNode<?>> cascade) {
    for (TaskNode<?> dependency; (dependency = cascade.poll()) != null; ) {
      cascade.poll().skipOrCancel(dependency, cascade);
    }
  }
}
