package dev.weft.stress.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What one soak tree does, decided from its seed before it runs: the root scope, every task (with
 * nested scopes inside task bodies), and the cancels and interrupts another thread injects. A plan
 * holds no state of a run; {@link PlanGenerator} makes the same plan from the same seed.
 *
 * @param seed the tree seed ({@code --tree-seed} replays this plan)
 * @param index the tree's number in the run
 * @param root the top-level scope
 * @param injections cancels and interrupts, by delay from the tree's start
 */
record TreePlan(long seed, int index, ScopePlan root, List<Injection> injections) {

  /** The policy a scope is opened with. */
  enum PolicyKind {
    FAIL_FAST,
    COLLECT_ALL,
    FIRST_SUCCESS,
    QUORUM,
    TALLY
  }

  /** Where a scope's task threads come from. */
  enum Threads {
    DEFAULT,
    VIRTUAL_FACTORY,
    PLATFORM_FACTORY
  }

  /** How a scope's deadline is given, if it has one. */
  enum DeadlineKind {
    NONE,
    TIMEOUT,
    INSTANT
  }

  /** What a body does before it ends. */
  enum Action {
    RETURN,
    THROW,
    BLOCK,
    IGNORE_INTERRUPTS,
    NESTED
  }

  /** How a body ends when it does not return: an injected failure of one of three kinds. */
  enum Failure {
    NONE,
    CHECKED,
    UNCHECKED,
    ERROR
  }

  /** The interruptible wait of a blocking body. */
  enum Wait {
    SLEEP,
    LATCH,
    PARK,
    QUEUE,
    PIPE
  }

  /** What a blocking body does when its wait is interrupted. */
  enum OnInterrupt {
    PROPAGATE,
    WRAP,
    CONTINUE
  }

  /** How a body ignores interrupts for a short, bounded time. */
  enum Spin {
    BUSY,
    PARK_SWALLOW
  }

  /** The fallback a task declares. */
  enum Fallback {
    NONE,
    OR_ELSE,
    RECOVER,
    RECOVER_THROWS
  }

  /** How a dependent names its dependencies: the 1-3 argument overloads, or a list. */
  enum DepStyle {
    ARGS,
    LIST
  }

  /** What an injection does. */
  enum InjectionKind {
    CANCEL,
    INTERRUPT_OWNER
  }

  /**
   * One scope of the tree.
   *
   * @param id unique in the tree; 0 is the root
   * @param quorum k, for {@link PolicyKind#QUORUM}
   * @param tally the custom policy's plan, for {@link PolicyKind#TALLY}
   * @param deadlineMillis for {@link DeadlineKind#INSTANT} an offset from the opening, which may be
   *     negative (already passed)
   * @param maxConcurrency 0 for no limit
   */
  record ScopePlan(
      int id,
      String name,
      PolicyKind policy,
      int quorum,
      TallyPlan tally,
      DeadlineKind deadline,
      long deadlineMillis,
      int maxConcurrency,
      Threads threads,
      List<TaskPlan> tasks) {

    /** An upper bound of the time the scope's bodies block or spin, nested scopes included. */
    long blockingNanos() {
      long sum = 0;
      for (TaskPlan t : tasks) {
        sum += t.blockingNanos();
      }
      return sum;
    }

    /** Every task of this scope and of the scopes nested in it. */
    int taskCount() {
      int n = tasks.size();
      for (TaskPlan t : tasks) {
        n += t.nested() == null ? 0 : t.nested().taskCount();
      }
      return n;
    }

    /** The policy as descriptions show it, e.g. {@code quorum(2)}. */
    String policyText() {
      return switch (policy) {
        case FAIL_FAST -> "failFast";
        case COLLECT_ALL -> "collectAll";
        case FIRST_SUCCESS -> "firstSuccess";
        case QUORUM -> "quorum(" + quorum + ")";
        case TALLY -> "tally(" + tally + ")";
      };
    }

    void describe(StringBuilder sb, String indent) {
      sb.append(indent)
          .append("scope '")
          .append(name)
          .append("' #")
          .append(id)
          .append(": ")
          .append(policyText());
      switch (deadline) {
        case TIMEOUT -> sb.append(", withTimeout ").append(deadlineMillis).append(" ms");
        case INSTANT ->
            sb.append(", withDeadline now")
                .append(deadlineMillis < 0 ? "" : "+")
                .append(deadlineMillis)
                .append(" ms");
        case NONE -> {}
      }
      if (maxConcurrency > 0) {
        sb.append(", maxConcurrency ").append(maxConcurrency);
      }
      sb.append(", ")
          .append(threads.name().toLowerCase(Locale.ROOT).replace('_', ' '))
          .append(" threads, ")
          .append(tasks.size())
          .append(tasks.size() == 1 ? " task\n" : " tasks\n");
      int n = tasks.size();
      for (int i = 0; i < n; i++) {
        if (n > 40 && i == 5) {
          sb.append(indent)
              .append("  ... ")
              .append(n - 7)
              .append(" more tasks like the ones around them\n");
          i = n - 3;
          continue;
        }
        tasks.get(i).describe(sb, indent + "  ");
      }
    }
  }

  /**
   * The plan of the custom policy ({@link TallyPolicy}).
   *
   * @param cancelAfter stop the scope when this many tasks have ended (0: never)
   * @param throwAt throw from {@code onComplete} at this task end (0: never)
   * @param throwInJoin throw from {@code onJoin}
   */
  record TallyPlan(int cancelAfter, int throwAt, boolean throwInJoin) {
    @Override
    public String toString() {
      List<String> parts = new ArrayList<>();
      if (cancelAfter > 0) {
        parts.add("cancel after " + cancelAfter);
      }
      if (throwAt > 0) {
        parts.add("throw at end " + throwAt);
      }
      if (throwInJoin) {
        parts.add("throw in onJoin");
      }
      return String.join(", ", parts);
    }
  }

  /**
   * One task.
   *
   * @param deps indices of earlier tasks of the same scope
   * @param blockNanos how long a BLOCK body waits or an IGNORE_INTERRUPTS body spins
   * @param restoreInterrupt whether an IGNORE_INTERRUPTS body sets the interrupt flag again
   * @param ending how the body ends after its action (NONE: it returns a value)
   * @param timeoutMillis the task timeout (0: none)
   * @param nested the scope a NESTED body opens
   * @param rethrowNested whether a NESTED body rethrows what the nested join threw (else returns)
   */
  record TaskPlan(
      String name,
      List<Integer> deps,
      DepStyle depStyle,
      Action action,
      Wait waitKind,
      OnInterrupt onInterrupt,
      Spin spin,
      boolean restoreInterrupt,
      long blockNanos,
      Failure ending,
      long timeoutMillis,
      Fallback fallback,
      ScopePlan nested,
      boolean rethrowNested) {

    long blockingNanos() {
      long own =
          switch (action) {
            case BLOCK, IGNORE_INTERRUPTS -> blockNanos;
            default -> 0;
          };
      return own + 1_000_000 + (nested == null ? 0 : nested.blockingNanos());
    }

    void describe(StringBuilder sb, String indent) {
      sb.append(indent).append(name);
      if (!deps.isEmpty()) {
        sb.append(" <- ")
            .append(deps.stream().map(d -> "t" + d).collect(Collectors.joining(",")))
            .append(depStyle == DepStyle.LIST ? " (list)" : " (args)");
      }
      sb.append(": ");
      switch (action) {
        case RETURN -> sb.append("run");
        case THROW -> sb.append("throw");
        case BLOCK ->
            sb.append("block ")
                .append(waitKind.name().toLowerCase(Locale.ROOT))
                .append(' ')
                .append(millis(blockNanos))
                .append(", on interrupt ")
                .append(onInterrupt.name().toLowerCase(Locale.ROOT));
        case IGNORE_INTERRUPTS ->
            sb.append("ignore interrupts (")
                .append(spin.name().toLowerCase(Locale.ROOT).replace('_', ' '))
                .append(") ")
                .append(millis(blockNanos))
                .append(restoreInterrupt ? ", restore flag" : "");
        case NESTED ->
            sb.append("nested scope, ")
                .append(rethrowNested ? "rethrow" : "return")
                .append(" what its join threw");
      }
      if (action != Action.NESTED) {
        sb.append(
            ending == Failure.NONE
                ? ", then return"
                : (action == Action.THROW ? " " : ", then throw ")
                    + ending.name().toLowerCase(Locale.ROOT));
      }
      if (timeoutMillis > 0) {
        sb.append("; timeout ").append(timeoutMillis).append(" ms");
      }
      if (fallback != Fallback.NONE) {
        sb.append("; fallback ").append(fallback.name().toLowerCase(Locale.ROOT).replace('_', ' '));
      }
      sb.append('\n');
      if (nested != null) {
        nested.describe(sb, indent + "  ");
      }
    }
  }

  /**
   * A cancel of a scope, or an interrupt of its owner thread, from the injector thread.
   *
   * @param scopeId the target scope (a nested scope is hit only while it is open)
   * @param delayNanos from the tree's start
   */
  record Injection(InjectionKind kind, int scopeId, long delayNanos) {}

  /** A readable description of the whole tree, for violation reports. */
  String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append("tree #")
        .append(index)
        .append(" (tree seed ")
        .append(hex(seed))
        .append("), ")
        .append(root.taskCount())
        .append(" tasks\n");
    root.describe(sb, "  ");
    for (Injection in : injections) {
      sb.append("  inject: ")
          .append(
              in.kind() == InjectionKind.CANCEL
                  ? "cancel scope #"
                  : "interrupt the owner of scope #")
          .append(in.scopeId())
          .append(" at +")
          .append(millis(in.delayNanos()))
          .append('\n');
    }
    return sb.toString();
  }

  static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }

  static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }
}
