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
    long number = generatedNumber(name);
    if (number > 0 && isGenerated(number)) {
      return false;
    }
    String[] t = names;
    if (2 * (nameCount + 1) > t.length) {
      t = rehash(t);
    }
    int i = probe(t, name);
    if (t[i] != null) {
      return false;
    }
    t[i] = name;
    nameCount++;
    if (number > 0 && number <= Integer.MAX_VALUE) {
      givenNumbers = set(givenNumbers, (int) number); // a generated name must skip it
    }
    return true;
  }

  /**
   * Takes the first free generated number N, for the name {@code task-N}: from the number of tasks
   * forked so far, above every generated one, skipping the N of given names {@code task-N}. It is
   * unique by construction, so it costs a bit, not an entry in the name set, and no string: a
   * fan-out of generated names neither grows a hash table nor builds a name per task (the task
   * builds its name when something reads it). Owner only.
   */
  int takeGeneratedNumber() {
    long n = Math.max(size + 1L, lastGenerated + 1L);
    while (n <= Integer.MAX_VALUE && givenNumbers != null && givenNumbers.get((int) n)) {
      n++; // a task was given this name
    }
    int number = Math.toIntExact(n);
    generated = set(generated, number);
    lastGenerated = number;
    return number;
  }

  /** Whether a task's generated name has the number {@code n}. */
  private boolean isGenerated(long n) {
    BitSet g = generated;
    return g != null && n <= lastGenerated && g.get((int) n);
  }

  /** The N of a name {@code task-N} as generated names spell it (no leading zero), else -1. */
  private static long generatedNumber(String name) {
    int len = name.length();
    int digits = len - GENERATED_PREFIX.length();
    if (digits < 1 || digits > 10 || !name.startsWith(GENERATED_PREFIX)) {
      return -1;
    }
    long n = 0;
    for (int i = GENERATED_PREFIX.length(); i < len; i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9' || (n == 0 && c == '0')) {
        return -1; // not a number, or a leading zero: never generated
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  /** {@code bits} (created if null) with bit {@code i} set. */
  private static BitSet set(@Nullable BitSet bits, int i) {
    BitSet b = bits == null ? new BitSet() : bits;
    b.set(i);
    return b;
  }

  /** The name of the task with generated number {@code n}. */
  static String generatedName(int n) {
    return GENERATED_PREFIX + n;
  }

  /** The thread name of that task in scope {@code scopeName}: one string, built once. */
  static String generatedThreadName(String scopeName, int n) {
    return scopeName + "/" + GENERATED_PREFIX + n;
  }

  /** Whether {@code name} is a given task name (generated names are not in the set). Owner only. */
  boolean containsName(String name) {
    String[] t = names;
    return t[probe(t, name)] != null;
  }

  /** The slot of {@code name} in {@code t}, or the free slot where it would go (linear probing). */
  private static int probe(String[] t, String name) {
    int mask = t.length - 1;
    int i = slot(name, mask);
    for (String s; (s = t[i]) != null && !s.equals(name); ) {
      i = (i + 1) & mask;
    }
    return i;
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
  // generated, lastGenerated, givenNumbers: owner only. The N of every generated name task-N
  // (null until the first), the largest of them (0: none), and the N of given names task-N (null
  // until one is given: generated numbers skip them).
  @Nullable BitSet generated;
  int lastGenerated;
  @Nullable BitSet givenNumbers;
}
