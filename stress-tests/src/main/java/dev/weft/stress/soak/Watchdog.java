package dev.weft.stress.soak;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.weft.scope.Task;
import dev.weft.stress.soak.Trail.ScopeTrail;
import dev.weft.stress.soak.Trail.TaskTrail;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Check (a), no hang: a daemon platform thread that watches the tree being run. If the tree is not
 * over within its bound (10 s plus twice the time its bodies can block), it prints the seed, the
 * tree, every task's state, a dump of the platform threads (with locks) and a dump of every thread,
 * virtual ones included ({@code HotSpotDiagnosticMXBean.dumpThreads}, kept in a file), then halts
 * the JVM with status 1: a hung tree cannot be abandoned, since its threads stay.
 */
final class Watchdog {
  private static final long BASE_NANOS = TimeUnit.SECONDS.toNanos(10);

  private record Watch(Trail trail, long startNanos, long boundNanos) {}

  private final long runSeed;
  private final Path dumpDir;
  private final Consumer<Violation> onHang;
  // watched: the tree being run and its bound, set by the driver; null between trees.
  private volatile Watch watched;

  private Watchdog(long runSeed, Path dumpDir, Consumer<Violation> onHang) {
    this.runSeed = runSeed;
    this.dumpDir = dumpDir;
    this.onHang = onHang;
  }

  /**
   * Starts the watchdog thread. Dumps go to {@code dumpDir}; {@code onHang} (which prints the run's
   * summary) runs before the JVM halts.
   */
  static Watchdog start(long runSeed, Path dumpDir, Consumer<Violation> onHang) {
    Watchdog w = new Watchdog(runSeed, dumpDir, onHang);
    Thread.ofPlatform().daemon().name("soak-watchdog").start(w::loop);
    return w;
  }

  /** The bound for a tree: 10 s plus twice the time its bodies block or spin, summed. */
  static long boundNanos(TreePlan plan) {
    return BASE_NANOS + 2 * plan.root().blockingNanos() + 2_000_000L * plan.root().taskCount();
  }

  /** Starts watching {@code t}. */
  void watch(Trail t) {
    watched = new Watch(t, System.nanoTime(), boundNanos(t.plan));
  }

  /** The tree is over. */
  void done() {
    watched = null;
  }

  // --- implementation ---

  private void loop() {
    for (; ; ) {
      Watch w = watched;
      if (w == null) {
        LockSupport.parkNanos(50_000_000);
        continue;
      }
      long left = w.startNanos() + w.boundNanos() - System.nanoTime();
      if (left > 0) {
        LockSupport.parkNanos(Math.min(left, 50_000_000));
      } else if (watched == w) {
        hang(w);
      }
    }
  }

  private void hang(Watch w) {
    PrintStream out = System.out;
    TreePlan plan = w.trail().plan;
    out.println(
        "soak: VIOLATION hang: tree #"
            + plan.index()
            + " did not end within "
            + TimeUnit.NANOSECONDS.toMillis(w.boundNanos())
            + " ms (run seed "
            + TreePlan.hex(runSeed)
            + ", tree seed "
            + TreePlan.hex(plan.seed())
            + "; replay: --tree-seed "
            + TreePlan.hex(plan.seed())
            + ")");
    out.print(plan.describe());
    out.println("task states:");
    for (ScopeTrail st : w.trail().scopes()) {
      out.println(
          "  "
              + st.where()
              + (st.closed
                  ? ": closed"
                  : st.joinReturned || st.joinThrew != null
                      ? ": joined, close() has not returned"
                      : ": join() has not returned")
              + ", owner '"
              + st.owner.getName()
              + "' ("
              + st.owner.getState()
              + ")");
      String run = null; // consecutive tasks in the same state print as one line
      int first = 0;
      for (int i = 0; i <= st.tasks.size(); i++) {
        String state = i == st.tasks.size() ? null : state(st.tasks.get(i));
        if (run != null && !run.equals(state)) {
          out.println(
              "    " + (first == i - 1 ? "t" + first : "t" + first + "..t" + (i - 1)) + ": " + run);
        }
        if (run == null || !run.equals(state)) {
          run = state;
          first = i;
        }
      }
    }
    for (Violation v : w.trail().violations()) {
      out.println("soak: also seen: " + v);
    }
    dumpThreads(out);
    onHang.accept(
        new Violation(
            Violation.Kind.HANG,
            "scope '" + plan.root().name() + "'",
            "tree #"
                + plan.index()
                + " did not end within "
                + TimeUnit.NANOSECONDS.toMillis(w.boundNanos())
                + " ms"));
    out.flush();
    Runtime.getRuntime().halt(1);
  }

  private static String state(TaskTrail tt) {
    Task<Object> h = tt.handle;
    return (h == null ? "not forked" : h.state().toString())
        + (tt.inBody
            ? ", body running"
            : tt.starts.get() > 0 ? ", body ended" : ", body not started");
  }

  /**
   * Prints every platform thread with its full stack and locks, then dumps all threads to a file.
   */
  void dumpThreads(PrintStream out) {
    out.println("--- platform threads (ThreadMXBean) ---");
    for (ThreadInfo ti : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      out.println(
          "\""
              + ti.getThreadName()
              + "\" #"
              + ti.getThreadId()
              + " "
              + ti.getThreadState()
              + (ti.getLockName() == null ? "" : " on " + ti.getLockName())
              + (ti.getLockOwnerName() == null
                  ? ""
                  : " owned by \"" + ti.getLockOwnerName() + "\""));
      StackTraceElement[] stack = ti.getStackTrace();
      MonitorInfo[] monitors = ti.getLockedMonitors();
      for (int i = 0; i < stack.length; i++) {
        out.println("\tat " + stack[i]);
        for (MonitorInfo m : monitors) {
          if (m.getLockedStackDepth() == i) {
            out.println("\t- locked " + m);
          }
        }
      }
      for (LockInfo l : ti.getLockedSynchronizers()) {
        out.println("\t- holds " + l);
      }
      out.println();
    }
    Path file =
        dumpDir
            .resolve(
                "soak-threads-"
                    + ProcessHandle.current().pid()
                    + "-"
                    + System.currentTimeMillis()
                    + ".txt")
            .toAbsolutePath();
    try {
      Files.createDirectories(dumpDir);
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
      out.println(
          "--- all threads, virtual ones included (HotSpotDiagnosticMXBean.dumpThreads: "
              + file
              + ") ---");
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int limit = 1 << 20;
      out.println(
          text.length() > limit
              ? text.substring(0, limit) + "\n... (truncated; see the file)"
              : text);
    } catch (IOException | RuntimeException e) {
      out.println("soak: could not dump all threads to " + file + ": " + e);
    }
  }
}
