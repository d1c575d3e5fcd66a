package dev.weft.lockorder;

import dev.weft.internal.ThreadNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns findings into exceptions, applies the policy and tells the listeners. */
final class Reports {
  /** The logger, created on first use so THROW never initialises SLF4J while holding a lock. */
  static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(LockOrderChecker.class);

    private Log() {}
  }

  static final CopyOnWriteArrayList<Consumer<? super RuntimeException>> LISTENERS =
      new CopyOnWriteArrayList<>();

  private static final int MAX_FRAMES = 24;

  private Reports() {}

  /**
   * Applies {@code checker}'s policy to {@code v}: THROW throws; WARN logs the first report of a
   * cycle and marks {@code chain} (if not null) checked so the same order stays silent.
   */
  static void violation(LockOrderChecker checker, Violation v, @Nullable Chain chain) {
    Graph graph = checker.graph;
    if (checker.policy() == LockOrderPolicy.THROW) {
      LockOrderViolationException ex = exception(v, LockOrderPolicy.THROW);
      notifyListeners(ex);
      throw ex;
    }
    if (graph.firstReport(v)) {
      LockOrderViolationException ex = exception(v, LockOrderPolicy.WARN);
      notifyListeners(ex);
      Log.LOG.warn(
          "potential deadlock, lock order cycle: {}", v.message.lines().findFirst().orElse(""), ex);
    }
    if (chain != null) {
      graph.markValid(chain);
    }
  }

  private static LockOrderViolationException exception(Violation v, LockOrderPolicy policy) {
    return StackTraces.trim(
        new LockOrderViolationException(v.message, v.cycle, v.causeChain(), policy));
  }

  static DeadlockException waitCycle(List<Waits.Hop> cycle) {
    DeadlockReport report = report(cycle, null);
    DeadlockException ex = StackTraces.trim(new DeadlockException(report));
    notifyListeners(ex);
    return ex;
  }

  static DeadlockException structural(Waits.Structural s) {
    DeadlockReport report = report(List.of(s.hop()), s.why());
    DeadlockException ex = StackTraces.trim(new DeadlockException(report));
    notifyListeners(ex);
    return ex;
  }

  /** Builds a report for {@code cycle}; {@code why} replaces the summary for scope deadlocks. */
  static DeadlockReport report(List<Waits.Hop> cycle, @Nullable String why) {
    List<Thread> threads = new ArrayList<>();
    List<String> locks = new ArrayList<>();
    StringBuilder summary = new StringBuilder("deadlock: ");
    for (int i = 0; i < cycle.size(); i++) {
      Waits.Hop h = cycle.get(i);
      threads.add(h.waiter());
      locks.add(h.lock().describe());
      summary
          .append(i == 0 ? "" : ", ")
          .append("thread '")
          .append(ThreadNames.of(h.waiter()))
          .append("' waits for lock '")
          .append(h.lock().describe())
          .append("' held by thread '")
          .append(ThreadNames.of(h.holder()))
          .append('\'')
          .append(h.heldMode());
    }
    if (why != null) {
      summary.setLength(0);
      summary.append("deadlock: ").append(why);
      summary.append(
          "\nfix: release the lock before joining the scope, or do not take it in the task");
    } else {
      summary.append(
          "\nfix: take these locks in one global order; the lock-order checker reports the"
              + " orders that allow this");
    }
    StringBuilder text = new StringBuilder(summary);
    List<Thread> shown = new ArrayList<>(threads);
    if (why != null && !cycle.isEmpty() && cycle.get(0).holder() != cycle.get(0).waiter()) {
      shown.add(cycle.get(0).holder());
    }
    for (int n = 0; n < shown.size(); n++) {
      Thread t = shown.get(n);
      String state;
      if (n < cycle.size()) {
        state = " waiting for lock '" + cycle.get(n).lock().describe() + "'";
        Waits.Hop before = cycle.get((n + cycle.size() - 1) % cycle.size());
        if (before.holder() == t) { // t holds what the thread before it waits for
          state += " while holding lock '" + held(before) + "'";
        }
      } else {
        state = " holding lock '" + held(cycle.get(0)) + "'";
      }
      appendThread(text, t, state);
    }
    return new DeadlockReport(
        threads, locks, summary.toString(), text.toString(), Waits.key(cycle));
  }

  /** Tells the listeners of a deadlock the watchdog found (as an exception that is not thrown). */
  static void watchdogFound(DeadlockReport report) {
    notifyListeners(StackTraces.trim(new DeadlockException(report)));
  }

  static DeadlockException abandoned(Waits.Hop hop) {
    DeadlockException ex = StackTraces.trim(new DeadlockException(abandonedReport(hop)));
    notifyListeners(ex);
    return ex;
  }

  /** Builds a report for a thread that waits for a lock whose owner terminated holding it. */
  static DeadlockReport abandonedReport(Waits.Hop h) {
    String wanted = h.lock().describe();
    String summary =
        "deadlock: thread '"
            + ThreadNames.of(h.waiter())
            + "' waits forever for lock '"
            + wanted
            + "': lock '"
            + h.lock().label
            + "' is held by thread '"
            + ThreadNames.of(h.holder())
            + "'"
            + h.heldMode()
            + ", which has terminated without unlocking it\n"
            + "fix: unlock every lock in a finally block of the thread that locked it";
    StringBuilder text = new StringBuilder(summary);
    appendThread(text, h.waiter(), " waiting for lock '" + wanted + "'");
    return new DeadlockReport(
        List.of(h.waiter()), List.of(wanted), summary, text.toString(), abandonedKey(h));
  }

  /** The key of {@link #abandonedReport}: one per wait (distinct from cycle keys). */
  static String abandonedKey(Waits.Hop h) {
    return "abandoned " + h.sequence();
  }

  // A line naming t and what it does, then its stack from the first frame of user code.
  private static void appendThread(StringBuilder text, Thread t, String state) {
    text.append("\n\"")
        .append(ThreadNames.of(t))
        .append('"')
        .append(t.isVirtual() ? " (virtual)" : "")
        .append(state);
    StackTraceElement[] stack = t.getStackTrace();
    int from = userFrames(stack);
    for (int i = from; i < stack.length && i < from + MAX_FRAMES; i++) {
      text.append("\n\tat ").append(stack[i]);
    }
    if (stack.length - from > MAX_FRAMES) {
      text.append("\n\t... ").append(stack.length - from - MAX_FRAMES).append(" more");
    }
  }

  // The lock of hop h in the mode its holder holds it, e.g. "cache (read)".
  private static String held(Waits.Hop h) {
    return h.lock().describe(h.heldWrite());
  }

  // Index of the first frame after the checker's own (and the JDK lock frames below them).
  private static int userFrames(StackTraceElement[] stack) {
    int last = -1;
    for (int i = 0; i < stack.length; i++) {
      if (StackTraces.isImplementation(stack[i].getClassName())) {
        last = i;
      }
    }
    return last + 1 < stack.length ? last + 1 : 0;
  }

  static void notifyListeners(RuntimeException report) {
    for (Consumer<? super RuntimeException> l : LISTENERS) {
      try {
        l.accept(report);
      } catch (RuntimeException e) {
        Log.LOG.warn("lock-order report listener {} failed", l, e);
      }
    }
  }
}
