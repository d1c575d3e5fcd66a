package dev.weft.scope;

import dev.weft.internal.ThreadNames;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * How a scope starts its task threads: virtual threads from a builder, or threads from the user's
 * thread factory; their names ({@code scope/task}, so thread dumps show them); what happens when a
 * thread cannot be created or started (the task fails); and threads from a factory that break its
 * contract (they end without running the task: the task fails too).
 */
final class TaskThreads {
  private final ScopeImpl<?> scope;
  // factory: the user's thread factory, or null for virtual threads.
  private final @Nullable ThreadFactory factory;
  // ownerBuilder: owner only (a builder is not thread-safe); creates the threads the owner starts.
  private Thread.Builder.@Nullable OfVirtual ownerBuilder;

  TaskThreads(ScopeImpl<?> scope, @Nullable ThreadFactory factory) {
    this.scope = scope;
    this.factory = factory;
  }

  /** Whether threads come from a user's factory (which may break its contract). */
  boolean fromFactory() {
    return factory != null;
  }

  /** Starts a task that only the owner can see so far (see ScopeImpl.fork). Owner only. */
  void startUnpublished(TaskNode<?> node) {
    if (ownerBuilder == null && factory == null) {
      ownerBuilder = Thread.ofVirtual();
    }
    Thread t;
    try {
      t = newThread(node, ownerBuilder);
    } catch (Throwable e) {
      failToStart(node, e);
      return;
    }
    node.claimUnpublished(t);
    try {
      t.start();
    } catch (Throwable e) {
      failToStart(node, e);
    }
  }

  /**
   * Creates and starts the task's thread; false if the task already ended (cancelled, skipped) or
   * its thread could not start. Any thread (the owner, or a dependency's thread).
   */
  boolean start(TaskNode<?> node) {
    if (node.isFinal()) {
      return false;
    }
    String stop = ScopeCancel.detail(scope);
    if (stop != null) {
      // A cancel in progress may not have reached this task yet: never start it.
      TaskCancel.cancel(node, stop);
      return false;
    }
    Thread t;
    try {
      t = newThread(node, factory == null ? Thread.ofVirtual() : null);
    } catch (Throwable e) {
      failToStart(node, e);
      return false;
    }
    if (!node.claimStart(t)) {
      return false; // ended meanwhile; whoever ended it marked it finished
    }
    try {
      t.start();
    } catch (Throwable e) {
      failToStart(node, e); // the caller returns the slot: start() reports false
      return false;
    }
    return true;
  }

  /**
   * Fails the tasks {@code from} to {@code to - 1} whose thread, from the user's thread factory,
   * ended without running them (they would never settle). Owner only.
   */
  void failLost(TaskList tasks, int from, int to) {
    for (int i = from; i < to; i++) {
      TaskNode<?> t = tasks.get(i);
      Thread th = t.thread;
      if (!t.isFinished()
          && th != null
          && th.getState() == Thread.State.TERMINATED
          && !t.isFinished()) { // re-read: a thread that ran its task released it before it ended
        threadLost(t);
      }
    }
  }

  /**
   * The task's thread, unstarted, named scope/task so that thread dumps show it: from the thread
   * factory if the scope has one, else from {@code builder} (used by one thread at a time; not null
   * when there is no factory).
   */
  private Thread newThread(TaskNode<?> node, Thread.Builder.@Nullable OfVirtual builder) {
    String threadName = node.threadName();
    if (factory == null) {
      return Objects.requireNonNull(builder, "builder")
          .name(threadName)
          .unstarted(CurrentTask.threadBody(node));
    }
    Thread t = factory.newThread(CurrentTask.threadBody(node));
    if (t == null) {
      throw new NullPointerException(
          "thread factory returned null for task '"
              + node.name()
              + "': the thread factory must return "
              + "a new, unstarted thread that runs the Runnable it is given");
    }
    if (t.getState() != Thread.State.NEW) {
      throw new IllegalThreadStateException(
          "thread factory returned thread "
              + ThreadNames.quoted(t)
              + " for "
              + "task '"
              + node.name()
              + "', which is "
              + t.getState()
              + ": the thread factory must return "
              + "a new, unstarted thread that runs the Runnable it is given");
    }
    t.setName(threadName);
    return t;
  }

  /** The thread could not be created or started: the task fails with that error. */
  static void failToStart(TaskNode<?> node, Throwable e) {
    node.thread =
        null; // not a thread of the scope: close() must not wait for it (read after RELEASED)
    node.failWithoutThread(e);
  }

  /**
   * The task's thread ended without running the task (a thread factory that broke its contract):
   * give back its slot, fail the task unless it already ended, and release it. Called by the owner
   * once it saw the thread terminated and the task still not released.
   */
  static void threadLost(TaskNode<?> node) {
    node.scope.releaseSlot(); // run() never ran, so its slot was never given back
    node.failWithoutThread(lostThreadFailure(node));
  }

  /** The failure of a task whose thread from the factory ended without running it. */
  static IllegalStateException lostThreadFailure(TaskNode<?> task) {
    return new IllegalStateException(
        "task '"
            + task.name()
            + "' never ran: its thread "
            + ThreadNames.quoted(task.thread)
            + " ended without running it; the thread factory must return a "
            + "new, unstarted thread that runs the Runnable it is given");
  }
}
