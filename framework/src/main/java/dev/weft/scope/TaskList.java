package dev.weft.scope;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The tasks of one scope in fork order, and the set of their names.
 *
 * <p>Only the owner appends; any thread may read. A cancel and a fork are ordered by one atomic
 * field, {@code ctl}: it holds the number of published tasks and a CANCELLED bit. The owner
 * publishes a task by adding one to {@code ctl} (after writing the task into the array); a
 * canceller sets the bit. Both are read-modify-writes of the same field, so one comes first: either
 * the canceller's walk includes the task (the add came first), or the add returns the bit and the
 * owner cancels the task itself. Nothing else is needed per fork: no shared counter, no second
 * fence.
 *
 * <p>The owner writes this object on every fork, and task threads never read it, so it is padded to
 * keep it off the cache lines of objects that task threads read (the scope, the tasks): a line
 * shared with those would move between cores on every fork.
 */
final class TaskList extends TaskListFields {
  // Padding after the fields (see TaskListPad for the padding before them).
  @SuppressWarnings("unused")
  private long q0, q1, q2, q3, q4, q5, q6, q7;

  private static final String GENERATED_PREFIX = "task-";
  private static final VarHandle CTL;
  private static final long CANCELLED = 1L << 62;
  private static final long COUNT = CANCELLED - 1;

  static {
    try {
      CTL = MethodHandles.lookup().findVarHandle(TaskListFields.class, "ctl", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Appends {@code node}; returns true if the scope was cancelled before the append was published
   * (the canceller's walk may not include it: the caller cancels it). Owner only.
   */
  boolean append(TaskNode<?> node) {
    TaskNode<?>[] a = array;
    int n = size;
    if (n == a.length) {
      a = Arrays.copyOf(a, n * 2);
      array = a;
    }
    a[n] = node;
    size = n + 1;
    return ((long) CTL.getAndAdd(this, 1L) & CANCELLED) != 0;
  }

  /**
   * Marks the list cancelled; returns how many tasks were published before (the canceller ends
   * those).
   */
  int markCancelled() {
    return (int) ((long) CTL.getAndBitwiseOr(this, CANCELLED) & COUNT);
  }

  /** The number of tasks. Exact in the owner; in other threads, those published so far. */
  int size(boolean owner) {
    return owner ? size : (int) (ctl & COUNT);
  }

  /**
   * The {@code i}-th task. Owner: any {@code i < size(true)}; other threads: {@code i <
   * size(false)} read before (the read of {@code ctl} orders the element writes before this read).
   */
  TaskNode<?> get(int i) {
    return array[i];
  }

  /** The tasks in fork order, as an immutable list. */
  List<TaskNode<?>> snapshot(boolean owner) {
    int n = size(owner);
    return List.of(Arrays.copyOf(array, n));
  }

  /**
   * Adds a given (not generated) {@code name} to the names; false if a task already has it, given
   * or generated. Owner only.
   */
  boolean addName(String name) {
    if (isGeneratedName(name)) {
      return false;
    }
    String[] t = names;
    if (2 * (nameCount + 1) > t.length) {
      t = rehash(t);
    }
    int mask = t.length - 1;
    for (int i = slot(name, mask); ; i = (i + 1) & mask) {
      String s = t[i];
      if (s == null) {
        t[i] = name;
        nameCount++;
        return true;
      }
      if (s.equals(name)) {
        return false;
      }
    }
  }

  /**
   * The first free generated name {@code task-N}: N from the number of tasks forked so far, above
   * every generated one, skipping given names. A fork that takes it calls {@link
   * #useGeneratedName()}. Owner only.
   */
  String nextGeneratedName() {
    long n = Math.max(size + 1L, lastGenerated + 1L);
    String name = GENERATED_PREFIX + n;
    while (containsName(name)) { // a task was given this name
      name = GENERATED_PREFIX + ++n;
    }
    pendingGenerated = Math.toIntExact(n);
    return name;
  }

  /**
   * Records the name {@link #nextGeneratedName()} returned last as a task's. It is unique by
   * construction (above every generated number, not a given name), so it costs a bit, not an entry
   * in the name set: a fan-out of generated names does not grow a hash table of them. Owner only.
   */
  void useGeneratedName() {
    int n = pendingGenerated;
    BitSet g = generated;
    if (g == null) {
      g = new BitSet();
      generated = g;
    }
    g.set(n);
    lastGenerated = n;
  }

  /** Whether {@code name} is {@code task-N} for an N that a task's generated name has. */
  private boolean isGeneratedName(String name) {
    BitSet g = generated;
    int len = name.length();
    int digits = len - GENERATED_PREFIX.length();
    if (g == null || digits < 1 || digits > 10 || !name.startsWith(GENERATED_PREFIX)) {
      return false;
    }
    long n = 0;
    for (int i = GENERATED_PREFIX.length(); i < len; i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9' || (n == 0 && c == '0')) {
        return false; // not a number, or a leading zero: never generated
      }
      n = n * 10 + (c - '0');
    }
    return n <= lastGenerated && g.get((int) n);
  }

  /** Whether {@code name} is a given task name (generated names are not in the set). Owner only. */
  boolean containsName(String name) {
    String[] t = names;
    int mask = t.length - 1;
    for (int i = slot(name, mask); ; i = (i + 1) & mask) {
      String s = t[i];
      if (s == null) {
        return false;
      }
      if (s.equals(name)) {
        return true;
      }
    }
  }

  private String[] rehash(String[] old) {
    String[] t = new String[old.length * 2];
    int mask = t.length - 1;
    for (String s : old) {
      if (s != null) {
        int i = slot(s, mask);
        while (t[i] != null) {
          i = (i + 1) & mask;
        }
        t[i] = s;
      }
    }
    names = t;
    return t;
  }

  /** Fibonacci hashing: spreads similar names ("task-1", "task-2", ...) over the table. */
  private static int slot(String name, int mask) {
    int h = name.hashCode() * 0x9E3779B9;
    return (h ^ (h >>> 16)) & mask;
  }
}

/** Padding before the fields: 64 bytes, and an int to fill the gap after the object header. */
abstract class TaskListPad {
  @SuppressWarnings("unused")
  private int p;

  @SuppressWarnings("unused")
  private long p0, p1, p2, p3, p4, p5, p6, p7;
}

abstract class TaskListFields extends TaskListPad {
  // array: written by the owner (a volatile write when it grows, so that readers see the copied
  // elements); elements written by the owner before the add to ctl that publishes them.
  volatile TaskNode<?>[] array = new TaskNode<?>[8];
  // size: owner only; equals the count in ctl once the owner's add returned.
  int size;
  // ctl: published count | CANCELLED. Added to by the owner, OR-ed by a canceller, read by anyone.
  volatile long ctl;
  // names: owner only. An open-addressing set of the given task names (linear probing, at most
  // half full): a fork checks and adds its name without allocating a node per entry.
  String[] names = new String[16];
  int nameCount;
  // generated, lastGenerated, pendingGenerated: owner only. The N of every generated name task-N
  // (null until the first), the largest of them (0: none), and the N last handed out.
  @Nullable BitSet generated;
  int lastGenerated;
  int pendingGenerated;
}
