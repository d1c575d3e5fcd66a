package dev.weft.lockorder;

import dev.weft.internal.ScopeWaits;
import dev.weft.internal.ThreadNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * Which threads wait for which checked locks, and the wait cycles among them.
 *
 * <p>A thread publishes a {@link Record} only on the slow path, when an acquisition found the lock
 * taken and is about to block, and removes it when it stops waiting. The record holds a copy of the
 * thread's held locks: a thread can only be part of a wait cycle while it waits, and while it waits
 * its held locks do not change, so the copy is exact for as long as the record is published.
 * Publication goes through a {@link ConcurrentHashMap}, whose put happens-before a get that sees
 * the record, so readers see the copy complete.
 *
 * <p>{@code ThreadMXBean.findDeadlockedThreads} does not see virtual threads; this registry sees
 * platform and virtual threads alike, because it is keyed by the {@link Thread} object.
 */
final class Waits {
  private static final ConcurrentHashMap<Thread, Record> WAITING = new ConcurrentHashMap<>();
  private static final AtomicLong SEQUENCE = new AtomicLong();

  // Which holder/waiter pairs are deadlocked by scope structure. Written only by tests.
  private static volatile BiFunction<Thread, Thread, String> structure = ScopeWaits::blockingJoin;

  private Waits() {}

  /** A thread waiting for a checked lock. Immutable. */
  static final class Record {
    /** The waiting thread. */
    final Thread thread;

    /** The lock (and mode) it waits for. */
    final LockView lock;

    final LockView[] held;
    final long sequence;
    final boolean mayThrow;

    Record(Thread thread, LockView lock, LockView[] held, boolean mayThrow) {
      this.thread = thread;
      this.lock = lock;
      this.held = held;
      this.sequence = SEQUENCE.incrementAndGet();
      this.mayThrow = mayThrow;
    }
  }

  /**
   * One step of a wait cycle: {@code waiter} waits for {@code lock}, held by {@code holder} in
   * write (or exclusive) mode if {@code heldWrite}, else in read mode.
   */
  record Hop(Thread waiter, LockView lock, Thread holder, boolean heldWrite, long sequence) {
    /** {@code " in read mode"} or {@code " in write mode"} for a read/write lock, else empty. */
    String heldMode() {
      return lock.readWrite() ? (heldWrite ? " in write mode" : " in read mode") : "";
    }
  }

  /** A scope deadlock: {@code hop} leads to a scope owner that joins the waiter's scope. */
  record Structural(Hop hop, String why) {}

  // Scope owners blocked in join() or close() while holding checked locks, with a copy of those
  // locks (the only way to see another thread's read locks). Written by each owner for itself
  // through the scope hook, before it shows as joining and after it stops; read by blocked
  // acquisitions. The put happens-before a get that sees the copy, so the copy is complete.
  private static final ConcurrentHashMap<Thread, LockView[]> JOINING = new ConcurrentHashMap<>();

  static {
    ScopeWaits.setBlockingListener(
        new ScopeWaits.BlockingListener() {
          @Override
          public void ownerBlocks() {
            HeldLocks held = HeldLocks.current();
            if (held.size() > 0) {
              JOINING.put(Thread.currentThread(), held.snapshot()); // a new copy for each join
            }
          }

          @Override
          public void ownerUnblocks() {
            if (!JOINING.isEmpty()) {
              JOINING.remove(Thread.currentThread());
            }
          }
        });
  }

  /** Has scope owners publish their checked locks while they block; the first checker calls it. */
  static void listenToScopes() {
    // the static initializer installs the listener
  }

  /**
   * Publishes that the current thread starts waiting for {@code lock}. {@code mayThrow}: the thread
   * breaks a wait cycle it is chosen for.
   */
  static Record begin(LockView lock, HeldLocks held, boolean mayThrow) {
    Record r = new Record(Thread.currentThread(), lock, held.snapshot(), mayThrow);
    WAITING.put(r.thread, r);
    return r;
  }

  /** Withdraws {@code r}; the thread no longer waits. */
  static void end(Record r) {
    WAITING.remove(r.thread, r);
  }

  /** Whether {@code t} is waiting for a checked lock now. */
  static boolean isWaiting(Thread t) {
    return WAITING.containsKey(t);
  }

  /**
   * Test hook, package-private for {@code ScopeDeadlockTest}: replaces the scope-structure probe;
   * {@code null} restores the real one.
   */
  static void setStructureProbe(BiFunction<Thread, Thread, String> probe) {
    structure = probe != null ? probe : ScopeWaits::blockingJoin;
  }

  /**
   * Returns why {@code r} can never get its lock because a holder joins a scope that waits for
   * {@code r}'s thread, or {@code null}. The holder is the lock's owner, or a joining owner that
   * published a conflicting hold of the lock (a read lock, when {@code r} wants to write).
   */
  static @Nullable Structural structuralDeadlock(Record r) {
    Thread owner = r.lock.exclusiveOwner();
    if (owner != null && owner != r.thread) {
      Structural s = structural(new Hop(r.thread, r.lock, owner, true, r.sequence));
      if (s != null) {
        return s;
      }
    }
    if (JOINING.isEmpty()) {
      return null;
    }
    for (Map.Entry<Thread, LockView[]> e : JOINING.entrySet()) {
      Thread holder = e.getKey();
      LockView held = holder == r.thread || holder == owner ? null : conflicting(e.getValue(), r);
      if (held == null) {
        continue;
      }
      Structural s = structural(new Hop(r.thread, r.lock, holder, held.acq.write, r.sequence));
      // The same copy after the probe means the probe saw the join during which the owner held
      // it: a later join would have published a new copy before showing as joining.
      if (s != null && JOINING.get(holder) == e.getValue()) {
        return s;
      }
    }
    return null;
  }

  private static @Nullable Structural structural(Hop hop) {
    String why = structure.apply(hop.holder, hop.waiter);
    if (why == null) {
      return null;
    }
    return new Structural(
        hop,
        "thread '"
            + ThreadNames.of(hop.waiter)
            + "' waits for lock '"
            + hop.lock.describe()
            + "' held by thread '"
            + ThreadNames.of(hop.holder)
            + "'"
            + hop.heldMode()
            + ", and "
            + why);
  }

  // The entry of `held` that holds r's lock in a mode that blocks r, or null.
  private static @Nullable LockView conflicting(LockView[] held, Record r) {
    for (LockView h : held) {
      if (h.identity == r.lock.identity && Acq.conflicts(r.lock.acq.write, h.acq.write)) {
        return h;
      }
    }
    return null;
  }

  /**
   * Returns a wait cycle through {@code r} if there is one, it is confirmed by a second look, and
   * {@code r} is the one to break it (the latest waiter among those that may throw); else {@code
   * null}. Choosing one victim lets the other threads of the cycle proceed.
   */
  static @Nullable List<Hop> cycleToBreak(Record r) {
    List<Hop> cycle = cycleThrough(r);
    if (cycle == null) {
      return null;
    }
    long victim = -1;
    for (Hop h : cycle) {
      Record w = WAITING.get(h.waiter);
      if (w != null && w.mayThrow) {
        victim = Math.max(victim, w.sequence);
      }
    }
    return victim == r.sequence && confirmed(cycle) ? cycle : null;
  }

  /**
   * Returns the hop from {@code r} to the owner of its lock if that owner has terminated without
   * unlocking it, so {@code r} would wait forever; else {@code null}.
   */
  static @Nullable Hop deadOwner(Record r) {
    Thread owner = r.lock.exclusiveOwner();
    if (owner == null || owner == r.thread || owner.isAlive()) {
      return null;
    }
    // Seeing it terminated happens-after its last action, so had it unlocked, this would see it.
    return r.lock.exclusiveOwner() == owner
        ? new Hop(r.thread, r.lock, owner, true, r.sequence)
        : null;
  }

  /** The threads waiting now for a lock whose owner terminated without unlocking it. */
  static List<Hop> findAbandoned() {
    List<Hop> found = new ArrayList<>();
    for (Record r : WAITING.values()) {
      Hop h = deadOwner(r);
      if (h != null) {
        found.add(h);
      }
    }
    return found;
  }

  /** All wait cycles among checked locks now, each reported once. */
  static List<List<Hop>> findCycles() {
    List<List<Hop>> found = new ArrayList<>();
    Set<Set<Thread>> seen = new HashSet<>();
    for (Record r : WAITING.values()) {
      List<Hop> cycle = cycleThrough(r);
      if (cycle == null) {
        continue;
      }
      Set<Thread> members = new HashSet<>();
      cycle.forEach(h -> members.add(h.waiter));
      if (seen.add(members) && confirmed(cycle)) {
        found.add(cycle);
      }
    }
    return found;
  }

  /** A stable key for a cycle: the wait records' sequence numbers, sorted. */
  static String key(List<Hop> cycle) {
    TreeSet<Long> seqs = new TreeSet<>();
    cycle.forEach(h -> seqs.add(h.sequence));
    return seqs.toString();
  }

  // Threads that hold r.lock in a mode that blocks r.
  private static List<Hop> holders(Record r) {
    List<Hop> out = new ArrayList<>(2);
    Thread owner = r.lock.exclusiveOwner();
    if (owner != null && owner != r.thread) {
      out.add(new Hop(r.thread, r.lock, owner, true, r.sequence));
    }
    for (Record o : WAITING.values()) {
      LockView h = o.thread == owner ? null : conflicting(o.held, r);
      if (h != null) {
        out.add(new Hop(r.thread, r.lock, o.thread, h.acq.write, r.sequence));
      }
    }
    return out;
  }

  // Depth-first search from r's thread through waiting holders back to r's thread.
  private static @Nullable List<Hop> cycleThrough(Record r) {
    List<Hop> path = new ArrayList<>();
    return search(r, r.thread, path, new HashSet<>()) ? path : null;
  }

  private static boolean search(Record at, Thread target, List<Hop> path, Set<Thread> visited) {
    if (!visited.add(at.thread)) {
      return false;
    }
    for (Hop hop : holders(at)) {
      path.add(hop);
      if (hop.holder == target) {
        return true;
      }
      Record next = WAITING.get(hop.holder);
      if (next != null && search(next, target, path, visited)) {
        return true;
      }
      path.remove(path.size() - 1);
    }
    return false;
  }

  // A real deadlock does not change; a transient one (a holder just released) shows on a re-check.
  private static boolean confirmed(List<Hop> cycle) {
    for (Hop hop : cycle) {
      Record w = WAITING.get(hop.waiter);
      if (w == null || w.sequence != hop.sequence) {
        return false;
      }
      boolean still = false;
      for (Hop again : holders(w)) {
        if (again.holder == hop.holder) {
          still = true;
          break;
        }
      }
      if (!still || !Objects.equals(WAITING.get(hop.waiter), w)) {
        return false;
      }
    }
    return true;
  }
}
