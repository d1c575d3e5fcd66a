package dev.weft.stress.scope;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.scope.TaskFailedException;
import dev.weft.stress.shared.Gate;
import dev.weft.stress.shared.Joined;
import dev.weft.stress.shared.Threads;
import java.util.stream.Collectors;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/*
 * Property: collect-all lists every failed task in TaskFailedException.failedTasks(), also when
 * the tasks fail at the same moment in different threads.
 *
 * Why it matters: the built-in policies record failures (and skips, and quorum's successes) from
 * the task threads in onComplete, in a lock-free list that the owner reads after join: a CAS on
 * the policy's field pushes each. A record lost to a race leaves a failed task out of the list
 * users read (the failure itself would still arrive, as a suppressed exception, through the
 * scope's own walk: that is why RacingFailuresBothDelivered cannot see this).
 *
 * Which bug fails it: pushing with a read and a write instead of the CAS (two tasks that read the
 * same head both write it, and the first push is lost).
 *
 * How: the owner forks three tasks that wait (bounded) at one gate and throw; actor "release"
 * opens the gate, so the three throw at once. The owner joins (under a watchdog) and reports the
 * names in failedTasks(), in fork order.
 *
 * How to run:
 *   stress-tests/run -t CollectAllListsEveryFailure
 */
@Outcome(id = "a, b, c", expect = ACCEPTABLE, desc = "every failed task is listed")
@Outcome(                expect = FORBIDDEN,  desc = "a failed task is missing from failedTasks()")
@State
public class CollectAllListsEveryFailure {

  static final class Boom extends Exception {
    private static final long serialVersionUID = 1L;

    Boom(String name) {
      super(name, null, false, false); // no stack trace: keep the body tiny
    }
  }

  final Gate go = new Gate();

  String owner(Threads threads) {
    try (Scope<Void> s = Scope.open("collect", Policy.collectAll(), threads.config())) {
      s.fork("a", () -> failWhenReleased("a"));
      s.fork("b", () -> failWhenReleased("b"));
      s.fork("c", () -> failWhenReleased("c"));
      Joined<Void> j = Joined.join(s);
      if (j.hung()) {
        return "hung";
      }
      if (j.failure() instanceof TaskFailedException e) {
        return e.failedTasks().stream().map(Task::name).sorted().collect(Collectors.joining(", "));
      }
      return j.describe();
    }
  }

  private Void failWhenReleased(String name) throws Boom {
    if (!go.awaitIgnoringInterrupts()) {
      return null; // the gate stayed shut (not expected): the outcome lacks this task
    }
    throw new Boom(name);
  }

  @JCStressTest
  @JCStressMeta(CollectAllListsEveryFailure.class)
  public static class Virtual {
    @Actor
    public void owner(CollectAllListsEveryFailure run, L_Result r) {
      r.r1 = run.owner(Threads.VIRTUAL);
    }

    @Actor
    public void release(CollectAllListsEveryFailure run) {
      run.go.open();
    }
  }

  @JCStressTest
  @JCStressMeta(CollectAllListsEveryFailure.class)
  public static class Platform {
    @Actor
    public void owner(CollectAllListsEveryFailure run, L_Result r) {
      r.r1 = run.owner(Threads.PLATFORM);
    }

    @Actor
    public void release(CollectAllListsEveryFailure run) {
      run.go.open();
    }
  }
}
