package dev.weft.stress.soak;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A randomized soak test of Weft's promises in their strong form, through the public API only. For
 * a given time it builds random scope trees from a seed (policies, deadlines, task timeouts and
 * fallbacks, limits, dependency chains and diamonds, nested scopes, bodies that succeed, throw,
 * block or ignore interrupts, platform and virtual threads, cancels and owner interrupts from
 * another thread), runs each one, and checks after it:
 *
 * <ol type="a">
 *   <li>no hang: join() and close() of a tree end within a bound ({@link Watchdog});
 *   <li>no live task thread after close() ({@link Trail.ScopeTrail#afterClose});
 *   <li>every injected failure delivered ({@link DeliveryRule});
 *   <li>no dependent body before its dependencies succeeded ({@link Trail.TaskTrail#enter});
 *   <li>never more bodies at once than maxConcurrency (same place);
 *   <li>used heap after GC flat ({@link HeapMonitor});
 * </ol>
 *
 * plus final states after join() and close(), and join()'s result against the policy.
 *
 * <p>The plan of tree {@code i} depends only on the run seed and {@code i}; thread timing does not.
 * On a violation it prints the seeds, the tree, and what was violated, and exits 1 ({@code
 * --keep-going}: counts every violation and exits 1 at the end). It ends with a one-line summary,
 * also written to {@code --report}.
 *
 * <pre>
 * java -cp stress-tests/target/jcstress.jar dev.weft.stress.soak.Soak --seconds 60 --seed 42
 * </pre>
 *
 * {@code --help} lists the arguments. Or {@code stress-tests/run --soak [SECONDS]}.
 */
public final class Soak {
  private final long seconds;
  private final long seed;
  private final Long treeSeed;
  private final Path report;
  private final boolean keepGoing;
  private final int maxChain;
  private final long heapEvery;
  private final long heapGrowthMb;
  private final int examples; // printed in full per kind (lost: per verdict) with --keep-going
  private final Counts counts = new Counts();
  private final Map<String, Integer> printed =
      new HashMap<>(); // examples printed, by kind and verdict
  private final PrintStream out = System.out;
  private final long startNanos = System.nanoTime();
  private HeapMonitor heap;

  private Soak(Map<String, String> args) {
    seconds = Long.parseLong(args.getOrDefault("--seconds", "60"));
    seed =
        args.containsKey("--seed")
            ? parseLong(args.get("--seed"))
            : System.nanoTime() ^ System.currentTimeMillis();
    treeSeed = args.containsKey("--tree-seed") ? parseLong(args.get("--tree-seed")) : null;
    report = args.containsKey("--report") ? Path.of(args.get("--report")) : null;
    keepGoing = args.containsKey("--keep-going");
    maxChain = Integer.parseInt(args.getOrDefault("--max-chain", "3000"));
    heapEvery = Long.parseLong(args.getOrDefault("--heap-every", "10"));
    heapGrowthMb = Long.parseLong(args.getOrDefault("--heap-growth-mb", "16"));
    examples = Integer.parseInt(args.getOrDefault("--examples", "2"));
  }

  private static final String USAGE =
      """
      usage: Soak [--seconds N] [--seed S] [--report FILE] [--tree-seed S] [--keep-going]
                  [--max-chain N] [--heap-every S] [--heap-growth-mb M] [--examples N]
        --seconds N        how long to run (default 60)
        --seed S           run seed, decimal or 0x-hex (default: from the clock, printed)
        --report FILE      also write the summary there
        --tree-seed S      run only the tree with this seed, again and again (a replay)
        --keep-going       report every violation and go on; exit 1 at the end
        --max-chain N      longest "long chain" tree (default 3000; 0: none)
        --heap-every S     seconds between heap samples (default 10)
        --heap-growth-mb M allowed growth of used heap after GC (default 16)
        --examples N       with --keep-going, violations printed in full per kind (default 2)
      exit status: 0 no violation, 1 a violation or a hang, 2 bad arguments
      """;

  /** Runs the soak; see the class comment for the arguments. */
  public static void main(String[] args) {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.print(USAGE);
      return;
    }
    Map<String, String> parsed;
    try {
      parsed = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("soak: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    System.exit(new Soak(parsed).run());
  }

  // --- implementation ---

  private int run() {
    heap = new HeapMonitor(heapEvery, heapGrowthMb << 20, seconds);
    Path dumpDir =
        report != null && report.toAbsolutePath().getParent() != null
            ? report.toAbsolutePath().getParent()
            : Path.of("").toAbsolutePath();
    Watchdog watchdog =
        Watchdog.start(
            seed,
            dumpDir,
            hang -> {
              counts.violation(hang);
              finish();
            });
    Injector injector = Injector.start();
    out.println(
        "soak: run seed "
            + TreePlan.hex(seed)
            + (treeSeed == null ? "" : ", replaying tree seed " + TreePlan.hex(treeSeed))
            + ", "
            + seconds
            + " s, JDK "
            + Runtime.version().feature()
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " CPUs, max heap "
            + (Runtime.getRuntime().maxMemory() >> 20)
            + " MB");
    heap.maybeSample();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (int index = 0; System.nanoTime() - end < 0; index++) {
      long ts = treeSeed != null ? treeSeed : PlanGenerator.treeSeed(seed, index);
      TreePlan plan = PlanGenerator.generate(ts, index, maxChain);
      Trail trail = new Trail(plan);
      watchdog.watch(trail);
      injector.arm(trail);
      TreeRun.run(trail);
      injector.disarm();
      Thread.interrupted(); // an injected interrupt of the root's owner may outlive the scope
      trail.afterRootClose();
      Checks.afterTree(trail, counts);
      counts.trees++;
      watchdog.done();
      List<Violation> found = trail.violations();
      if (!found.isEmpty()) {
        settle(trail);
      }
      counts.cancels = injector.cancels();
      counts.interrupts = injector.interrupts();
      if (!found.isEmpty() && !report(plan, found)) {
        return finish();
      }
      if (heapGrew(heap.maybeSample()) && !keepGoing) {
        return finish();
      }
    }
    heapGrew(heap.sample());
    return finish();
  }

  /** Reports a heap growth, if {@code grew} describes one; returns whether it did. */
  private boolean heapGrew(String grew) {
    if (grew == null) {
      return false;
    }
    counts.violation(new Violation(Violation.Kind.HEAP, "the run", grew));
    out.println("soak: VIOLATION heap (run seed " + TreePlan.hex(seed) + "): " + grew);
    return true;
  }

  /** Prints the violations of one tree; returns whether to go on. */
  private boolean report(TreePlan plan, List<Violation> found) {
    boolean describe = false;
    for (Violation v : found) {
      counts.violation(v);
      int n =
          printed.merge(
              v.kind() == Violation.Kind.LOST ? v.detail().split(":", 2)[0] : v.kind().id,
              1,
              Integer::sum);
      if (!keepGoing || n <= examples) {
        out.println(
            "soak: VIOLATION "
                + v.kind().id
                + " in tree #"
                + plan.index()
                + " (run seed "
                + TreePlan.hex(seed)
                + ", tree seed "
                + TreePlan.hex(plan.seed())
                + "; replay: --tree-seed "
                + TreePlan.hex(plan.seed())
                + ")");
        out.println("  " + v.where() + ": " + v.detail());
        describe = true;
      }
    }
    if (describe) {
      out.print(plan.describe());
    }
    return keepGoing;
  }

  /** With live threads left by a violation, waits (bounded) until they end before the next tree. */
  private static void settle(Trail trail) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (Thread t : trail.threads()) {
      if (t.getState() == Thread.State.NEW) {
        continue; // made by a recording factory, never started
      }
      try {
        t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Prints the summary (and writes the report); returns the exit status. */
  private synchronized int finish() {
    if (heap.baseline() < 0) {
      heap.sample(); // stopped before the first sample: a start figure for the summary
    }
    counts.heapStartBytes = heap.baseline();
    counts.heapEndBytes = heap.last();
    long ran = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
    String summary = counts.summary(seed, ran, seconds);
    String details = counts.details();
    out.println(summary);
    out.println(details);
    out.flush();
    if (report != null) {
      try {
        Path parent = report.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(report, summary + "\n" + details + "\n", StandardCharsets.UTF_8);
      } catch (IOException e) {
        System.err.println("soak: could not write the report " + report + ": " + e);
        return 2;
      }
    }
    return counts.violations() == 0 ? 0 : 1;
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> m = new HashMap<>();
    List<String> valued =
        List.of(
            "--seconds",
            "--seed",
            "--report",
            "--tree-seed",
            "--max-chain",
            "--heap-every",
            "--heap-growth-mb",
            "--examples");
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--keep-going")) {
        m.put(a, "true");
      } else if (valued.contains(a)) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(a + " needs a value");
        }
        m.put(a, args[++i]);
      } else {
        throw new IllegalArgumentException("unknown argument '" + a + "'");
      }
    }
    try {
      for (String k :
          List.of("--seconds", "--max-chain", "--heap-every", "--heap-growth-mb", "--examples")) {
        if (m.containsKey(k) && Long.parseLong(m.get(k)) < 0) {
          throw new IllegalArgumentException(k + " must not be negative, was " + m.get(k));
        }
      }
      for (String k : List.of("--seed", "--tree-seed")) {
        if (m.containsKey(k)) {
          parseLong(m.get(k));
        }
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: " + e.getMessage());
    }
    return m;
  }

  private static long parseLong(String s) {
    return s.startsWith("0x") || s.startsWith("0X")
        ? Long.parseUnsignedLong(s.substring(2), 16)
        : Long.parseLong(s);
  }
}
