package dev.weft.scope;

import java.util.Comparator;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The concurrency limit of a scope ({@code withMaxConcurrency(n)}): at most {@code n} task bodies
 * run at once; a ready task waits for a slot, in fork order, without a thread. An unlimited
 * instance (this class itself; {@link #of} with 0) starts every ready task at once.
 */
class ConcurrencyLimit {
  // NONE: no limit; holds nothing, so every unlimited scope shares it.
  private static final ConcurrencyLimit NONE = new ConcurrencyLimit();

  private ConcurrencyLimit() {}

  /** The limit for {@code max} slots (0: no limit) over {@code threads}. */
  static ConcurrencyLimit of(int max, TaskThreads threads) {
    return max > 0 ? new Slots(max, threads) : NONE;
  }

  /** Whether every ready task starts at once (no limit). */
  boolean unlimited() {
    return true;
  }

  /** A task whose dependencies all succeeded: start it, or queue it for a slot. */
  void ready(TaskNode<?> node) {
    node.scope.threads.start(node);
  }

  /** A task thread ended (or was lost): give back its slot and start the next task. */
  void released() {}

  /** The number of slots (0: no limit), for ScopeDump. */
  int max() {
    return 0;
  }

  /** How many ready tasks wait for a slot now (racy: for ScopeDump). */
  int queued() {
    return 0;
  }

  /** Whether {@code node} waits for a slot now (racy: for ScopeDump). */
  boolean isQueued(TaskNode<?> node) {
    return false;
  }

  /** The limited kind: free slots and the ready tasks waiting for one. */
  private static final class Slots extends ConcurrencyLimit {
    // permits: free slots; taken by whoever starts a queued task, given back by a task thread
    // as it ends (or by the owner for a lost thread).
    private final AtomicInteger permits;
    // readyQueue: ready tasks waiting for a slot, in fork order (seq).
    private final PriorityBlockingQueue<TaskNode<?>> readyQueue =
        new PriorityBlockingQueue<>(16, Comparator.comparingInt(n -> n.seq));

    private final int max;
    private final TaskThreads threads;

    Slots(int max, TaskThreads threads) {
      this.max = max;
      this.threads = threads;
      this.permits = new AtomicInteger(max);
    }

    @Override
    int max() {
      return max;
    }

    @Override
    int queued() {
      return readyQueue.size();
    }

    @Override
    boolean isQueued(TaskNode<?> node) {
      return readyQueue.contains(node);
    }

    @Override
    boolean unlimited() {
      return false;
    }

    @Override
    void ready(TaskNode<?> node) {
      node.scope.listener.slotWaitBegun(node);
      readyQueue.add(node);
      drain();
    }

    @Override
    void released() {
      permits.incrementAndGet();
      drain();
    }

    /**
     * Starts queued tasks while slots are free. Lost wake-ups cannot happen: a thread that queues
     * then finds no slot, and a thread that frees a slot then finds the queue empty, cannot both
     * happen, since each writes before it reads (sequentially consistent atomics).
     */
    private void drain() {
      while (!readyQueue.isEmpty()) {
        int p = permits.get();
        if (p == 0) {
          return;
        }
        if (!permits.compareAndSet(p, p - 1)) {
          continue;
        }
        TaskNode<?> next = readyQueue.poll();
        if (next != null) {
          next.scope.listener.slotWaitEnded(next);
        }
        if (next == null || !threads.start(next)) {
          permits.incrementAndGet();
        }
      }
    }
  }
}
