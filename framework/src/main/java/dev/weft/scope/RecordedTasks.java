package dev.weft.scope;

import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Tasks that any thread records and the owner reads once every record happened-before (the built-in
 * policies' failures, skips and quorum winners): a lock-free stack of immutable nodes in a field of
 * the holder, pushed with a CAS. An empty record is a null field, so a scope whose tasks all
 * succeed allocates nothing for it (two {@code ConcurrentLinkedQueue}s cost 96 bytes a scope).
 */
final class RecordedTasks {
  private RecordedTasks() {}

  /**
   * One recorded task, the ones recorded before it, and how many there are with it. A class, not a
   * record: a record's equals and hashCode would walk the whole chain, recursively.
   */
  static final class Node {
    final Task<?> task;
    final @Nullable Node next;
    final int size;

    Node(Task<?> task, @Nullable Node next, int size) {
      this.task = task;
      this.next = next;
      this.size = size;
    }
  }

  /** Records {@code task} in the field {@code head} of {@code holder} (any thread). */
  static void push(VarHandle head, Object holder, Task<?> task) {
    Node h;
    do {
      h = (Node) head.getVolatile(holder);
    } while (!head.compareAndSet(holder, h, new Node(task, h, size(h) + 1)));
  }

  /** How many tasks {@code head} holds. */
  static int size(@Nullable Node head) {
    return head == null ? 0 : head.size;
  }

  /** The tasks of {@code head} in the order they were recorded. */
  static List<Task<?>> inOrder(@Nullable Node head) {
    Task<?>[] out = new Task<?>[size(head)];
    int i = out.length;
    for (Node n = head; n != null; n = n.next) {
      out[--i] = n.task;
    }
    return new ArrayList<>(Arrays.asList(out));
  }
}
