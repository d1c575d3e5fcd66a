package dev.weft.stress.soak;

import dev.weft.stress.soak.TreePlan.Action;
import dev.weft.stress.soak.TreePlan.DeadlineKind;
import dev.weft.stress.soak.TreePlan.DepStyle;
import dev.weft.stress.soak.TreePlan.Failure;
import dev.weft.stress.soak.TreePlan.Fallback;
import dev.weft.stress.soak.TreePlan.Injection;
import dev.weft.stress.soak.TreePlan.InjectionKind;
import dev.weft.stress.soak.TreePlan.OnInterrupt;
import dev.weft.stress.soak.TreePlan.PolicyKind;
import dev.weft.stress.soak.TreePlan.ScopePlan;
import dev.weft.stress.soak.TreePlan.Spin;
import dev.weft.stress.soak.TreePlan.TallyPlan;
import dev.weft.stress.soak.TreePlan.TaskPlan;
import dev.weft.stress.soak.TreePlan.Threads;
import dev.weft.stress.soak.TreePlan.Wait;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Makes a random {@link TreePlan} from a seed: the same seed gives the same plan, whatever the
 * timing of the run. Every choice a tree makes (shapes, policies, how long a body blocks, when a
 * cancel comes) is drawn here, before the tree runs.
 *
 * <p>Shapes: flat scopes, random DAGs (1-3 dependencies through the argument overloads, or more
 * through a list), chains, diamonds, nested scopes up to two levels deep inside task bodies, and
 * now and then a long chain of up to {@code maxChain} cheap tasks.
 */
final class PlanGenerator {
  private static final int MAX_TASKS = 40; // per tree, long chains aside
  private static final int MAX_DEPTH = 2; // nested scope levels below the root

  private final SplittableRandom random;
  private final int maxChain;
  private int budget = MAX_TASKS;
  private int nextScopeId;

  private PlanGenerator(long treeSeed, int maxChain) {
    this.random = new SplittableRandom(treeSeed);
    this.maxChain = maxChain;
  }

  /** The seed of tree {@code index} of a run with seed {@code runSeed}. */
  static long treeSeed(long runSeed, int index) {
    return new SplittableRandom(runSeed + 0x9E3779B97F4A7C15L * (index + 1L)).nextLong();
  }

  /** The plan of tree {@code index}, from its seed; {@code maxChain} 0 disables long chains. */
  static TreePlan generate(long treeSeed, int index, int maxChain) {
    PlanGenerator g = new PlanGenerator(treeSeed, maxChain);
    ScopePlan root =
        maxChain > 1 && g.chance(0.02) ? g.longChain("tree" + index) : g.scope("tree" + index, 0);
    return new TreePlan(treeSeed, index, root, g.injections(root));
  }

  // --- implementation ---

  private ScopePlan scope(String name, int depth) {
    int id = nextScopeId++;
    int n = 1 + random.nextInt(Math.max(1, Math.min(budget, depth == 0 ? 10 : depth == 1 ? 6 : 4)));
    budget -= n;
    PolicyKind policy = pick(PolicyKind.values(), 30, 20, 15, 15, 20);
    int quorum = 1 + random.nextInt(n);
    TallyPlan tally =
        new TallyPlan(
            chance(0.4) ? 1 + random.nextInt(n) : 0,
            chance(0.15) ? 1 + random.nextInt(n) : 0,
            chance(0.05));
    DeadlineKind deadline = pick(DeadlineKind.values(), 70, 24, 6);
    long deadlineMillis =
        switch (deadline) {
          case NONE -> 0;
          case TIMEOUT -> 1 + random.nextInt(150);
          case INSTANT -> random.nextInt(-5, 150);
        };
    int maxConcurrency = chance(0.25) ? 1 + random.nextInt(3) : 0;
    Threads threads = pick(Threads.values(), 60, 20, 20);
    List<List<Integer>> deps = dependencies(n);
    List<TaskPlan> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      tasks.add(task(name, i, deps.get(i), depth));
    }
    return new ScopePlan(
        id,
        name,
        policy,
        quorum,
        tally,
        deadline,
        deadlineMillis,
        maxConcurrency,
        threads,
        List.copyOf(tasks));
  }

  /** Dependencies of each of {@code n} tasks: flat, a random DAG, a chain, or diamonds. */
  private List<List<Integer>> dependencies(int n) {
    int shape = random.nextInt(100);
    List<List<Integer>> deps = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<Integer> d;
      if (shape < 30 || i == 0) {
        d = List.of(); // flat
      } else if (shape < 65) { // random DAG
        d =
            chance(0.5)
                ? distinct(i, chance(0.1) ? 4 + random.nextInt(2) : 1 + random.nextInt(3))
                : List.of();
      } else if (shape < 80) { // chain
        d = List.of(i - 1);
      } else { // diamonds: top; left <- top; right <- top; next top <- left, right
        d = i % 3 == 0 ? List.of(i - 2, i - 1) : List.of(i - i % 3);
      }
      deps.add(d);
    }
    return deps;
  }

  private List<Integer> distinct(int below, int count) {
    TreeSet<Integer> s = new TreeSet<>();
    while (s.size() < Math.min(count, below)) {
      s.add(random.nextInt(below));
    }
    return List.copyOf(s);
  }

  private TaskPlan task(String scopeName, int i, List<Integer> deps, int depth) {
    boolean canNest = depth < MAX_DEPTH && budget > 0;
    Action action = pick(Action.values(), 30, 20, 25, 10, canNest ? 15 : 0);
    Failure ending =
        action == Action.THROW
            ? pick(Failure.values(), 0, 1, 1, 1)
            : pick(Failure.values(), 12, 3, 3, 2);
    long blockNanos =
        switch (action) {
          case BLOCK ->
              chance(0.8)
                  ? random.nextLong(200_000, 20_000_000)
                  : random.nextLong(20_000_000, 150_000_000);
          case IGNORE_INTERRUPTS -> random.nextLong(500_000, 5_000_000);
          default -> 0;
        };
    String name = "t" + i;
    ScopePlan nested = action == Action.NESTED ? scope(scopeName + "/" + name, depth + 1) : null;
    return new TaskPlan(
        name,
        deps,
        deps.size() > 3 || chance(0.25) ? DepStyle.LIST : DepStyle.ARGS,
        action,
        pick(Wait.values(), 1, 1, 1, 1, 1),
        pick(OnInterrupt.values(), 2, 1, 1),
        pick(Spin.values(), 1, 1),
        chance(0.5),
        blockNanos,
        action == Action.NESTED ? Failure.NONE : ending,
        chance(0.2) ? 1 + random.nextInt(40) : 0,
        chance(0.25) ? pick(Fallback.values(), 0, 40, 45, 15) : Fallback.NONE,
        nested,
        chance(0.7));
  }

  /**
   * A root scope that is one long chain of cheap tasks. Its head blocks a few milliseconds, so that
   * the whole chain is forked and waiting when the head fails (or succeeds).
   */
  private ScopePlan longChain(String name) {
    int n = 50 + random.nextInt(Math.max(1, maxChain - 49));
    boolean headFails = chance(0.6);
    long headNanos = random.nextLong(5_000_000, 30_000_000);
    List<TaskPlan> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      boolean head = i == 0;
      tasks.add(
          new TaskPlan(
              "t" + i,
              head ? List.of() : List.of(i - 1),
              DepStyle.ARGS,
              head ? Action.BLOCK : Action.RETURN,
              Wait.SLEEP,
              OnInterrupt.PROPAGATE,
              Spin.BUSY,
              false,
              head ? headNanos : 0,
              head && headFails ? Failure.UNCHECKED : Failure.NONE,
              0,
              Fallback.NONE,
              null,
              false));
    }
    return new ScopePlan(
        nextScopeId++,
        name,
        chance(0.5) ? PolicyKind.FAIL_FAST : PolicyKind.COLLECT_ALL,
        1,
        new TallyPlan(0, 0, false),
        DeadlineKind.NONE,
        0,
        0,
        Threads.DEFAULT,
        List.copyOf(tasks));
  }

  private List<Injection> injections(ScopePlan root) {
    int scopes = nextScopeId; // ids 0 .. nextScopeId-1, nested ones included
    long span = Math.max(200_000, Math.min(root.blockingNanos(), 60_000_000));
    List<Injection> out = new ArrayList<>();
    if (chance(0.35)) {
      out.add(new Injection(InjectionKind.CANCEL, random.nextInt(scopes), delay(span)));
    }
    if (chance(0.25)) {
      out.add(new Injection(InjectionKind.INTERRUPT_OWNER, random.nextInt(scopes), delay(span)));
    }
    if (chance(0.1)) {
      out.add(new Injection(InjectionKind.CANCEL, random.nextInt(scopes), delay(span)));
    }
    out.sort((a, b) -> Long.compare(a.delayNanos(), b.delayNanos()));
    return List.copyOf(out);
  }

  /** A delay in [0, span), biased towards the start, where trees are busiest. */
  private long delay(long span) {
    double u = random.nextDouble();
    return (long) (u * u * span);
  }

  private boolean chance(double p) {
    return random.nextDouble() < p;
  }

  private <E> E pick(E[] values, int... weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int r = random.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return values[i];
      }
    }
    throw new AssertionError("weights " + java.util.Arrays.toString(weights));
  }
}
