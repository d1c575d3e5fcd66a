package dev.weft.stress.scope;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.scope.Scope;
import dev.weft.stress.shared.Gate;
import dev.weft.stress.shared.Joined;
import dev.weft.stress.shared.Published;
import dev.weft.stress.shared.Threads;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/*
 * Property: when close() returns, every thread the scope started has terminated
 * (Thread.isAlive() is false), whether its task completed normally, was cancelled by another
 * thread, or ignored the interrupt for a while. (Issue 9, promise 1.)
 *
 * Why it matters: "close() waits for every thread" is the structured-concurrency promise. Code
 * after the block may count live threads, check for leaked threads in a test, or tear down what
 * a thread still uses while it exits (its thread-locals, an inherited context). A thread that is
 * still alive after close() returned outlives its block, however briefly.
 *
 * Which bug fails it: close() waiting for a flag the task's thread writes at the end of the
 * task's code (TaskNode.run()'s finally: done = SETTLED_AND_RELEASED) rather than for the
 * thread's termination. After that write the thread still wakes the owner, leaves
 * CurrentTask's binding and goes through the JVM's thread exit, while close() has returned.
 *
 * How: each body records Thread.currentThread() first thing; right after close() the owner
 * reads isAlive() of that thread. The cancel in Cancelled and IgnoresInterrupt waits (bounded)
 * until the body has started, so it always interrupts a running body ("never ran" would mean it
 * did not start within Gate.BOUND_SECONDS).
 *  - Completes (CompletesVirtual, CompletesPlatform): task "quick" returns at once; the owner
 *    joins and closes, racing the end of quick's thread.
 *  - Cancelled (CancelledVirtual, CancelledPlatform): task "blocked" waits (interruptibly,
 *    bounded) for nothing; actor "canceller" cancels the scope from another thread; the owner
 *    joins and closes.
 *  - IgnoresInterrupt (IgnoresInterruptVirtual, IgnoresInterruptPlatform): task "stubborn" spins,
 *    ignoring interrupts, until
 *    actor "release" opens its gate (bounded: Gate.BOUND_SECONDS); the owner cancels, joins and
 *    closes, so close() waits for the body, racing the release.
 *
 * How to run:
 *   stress-tests/run -t CloseTerminatesThreads
 *
 * Results on bc6215f, which has the bug (2026-12-01, JDK 25.0.3 Temurin, 2 vCPUs AMD EPYC, shared
 * with other builds): stress-tests/run --ci -t CloseTerminatesThreads, i.e. -m quick -sc false
 * -iters 1 -time 100, 4 JVM modes, summed. See docs/verification.md.
 *   CancelledPlatform [FAILED]
 *     alive                      5,553  FORBIDDEN
 *     terminated                 7,815  ACCEPTABLE
 *   CancelledVirtual [FAILED]
 *     alive                      1,891  FORBIDDEN
 *     terminated                31,914  ACCEPTABLE
 *   CompletesPlatform [FAILED]
 *     alive                     17,845  FORBIDDEN
 *     terminated                65,416  ACCEPTABLE
 *   CompletesVirtual [FAILED]
 *     alive                    170,573  FORBIDDEN
 *     terminated               401,250  ACCEPTABLE
 *   IgnoresInterruptPlatform [FAILED]
 *     alive                        753  FORBIDDEN
 *     terminated                 8,723  ACCEPTABLE
 *   IgnoresInterruptVirtual [FAILED]
 *     alive                        130  FORBIDDEN
 *     terminated               356,958  ACCEPTABLE
 */
public class CloseTerminatesThreads {

  /** Where a task body records its thread; read by the owner after close(). */
  static final class Recorded {
    // thread: written by the body before it opens `started`; read by the owner after close().
    volatile Thread thread;
    final Gate started = new Gate();

    void here() {
      thread = Thread.currentThread();
      started.open();
    }

    /** Waits (bounded) until the body has started; false if it did not within the bound. */
    boolean awaitStarted() {
      return started.awaitIgnoringInterrupts();
    }

    String seen() {
      Thread t = thread;
      return t == null ? "never ran" : t.isAlive() ? "alive" : "terminated";
    }
  }

  static String completes(Threads threads, Recorded body) {
    try (Scope<Void> s = Scope.open("close-quick", threads.config())) {
      s.fork(
          "quick",
          () -> {
            body.here();
            return 1;
          });
      Joined<Void> j = Joined.join(s);
      if (!j.returned()) {
        return j.describe();
      }
    }
    return body.seen();
  }

  static String cancelled(Threads threads, Recorded body, Published<Scope<Void>> scope) {
    try (Scope<Void> s = Scope.open("close-cancelled", threads.config())) {
      s.fork(
          "blocked",
          () -> {
            body.here();
            new CountDownLatch(1)
                .await(Gate.BOUND_SECONDS, TimeUnit.SECONDS); // ends when interrupted
            return null;
          });
      scope.set(s);
      Joined<Void> j = Joined.join(s);
      if (!j.cancelled()) {
        return j.describe();
      }
    }
    return body.seen();
  }

  static String ignoresInterrupt(Threads threads, Recorded body, Gate gate) {
    try (Scope<Void> s = Scope.open("close-stubborn", threads.config())) {
      s.fork(
          "stubborn",
          () -> {
            body.here();
            gate.awaitIgnoringInterrupts();
            return null;
          });
      body.awaitStarted(); // so that the cancel interrupts a running body
      s.cancel();
      Joined<Void> j = Joined.join(s);
      if (!j.cancelled()) {
        return j.describe();
      }
    }
    return body.seen();
  }

  static void cancel(Recorded body, Published<Scope<Void>> scope) {
    body.awaitStarted(); // so that the cancel interrupts a running body
    Scope<Void> s = scope.await();
    if (s != null) {
      s.cancel();
    }
  }

  /** Completes: quick returns at once, racing close(). */
  @Outcome(id = "terminated", expect = ACCEPTABLE, desc = "quick's thread had terminated when close() returned")
  @Outcome(id = "alive",      expect = FORBIDDEN,  desc = "close() returned while quick's thread was alive")
  @Outcome(                   expect = FORBIDDEN,  desc = "join() did not return normally")
  @State
  public static class Completes {
    final Recorded body = new Recorded();
  }

  @JCStressTest
  @JCStressMeta(Completes.class)
  public static class CompletesVirtual {
    @Actor
    public void owner(Completes run, L_Result r) {
      r.r1 = completes(Threads.VIRTUAL, run.body);
    }
  }

  @JCStressTest
  @JCStressMeta(Completes.class)
  public static class CompletesPlatform {
    @Actor
    public void owner(Completes run, L_Result r) {
      r.r1 = completes(Threads.PLATFORM, run.body);
    }
  }

  /** Cancelled: another thread cancels the scope while blocked waits. */
  @Outcome(id = "terminated", expect = ACCEPTABLE, desc = "the cancelled task's thread had terminated when close() returned")
  @Outcome(id = "alive",      expect = FORBIDDEN,  desc = "close() returned while the cancelled task's thread was alive")
  @Outcome(                   expect = FORBIDDEN,  desc = "join() did not throw CancellationException, or the body never started")
  @State
  public static class Cancelled {
    final Recorded body = new Recorded();
    final Published<Scope<Void>> scope = new Published<>();
  }

  @JCStressTest
  @JCStressMeta(Cancelled.class)
  public static class CancelledVirtual {
    @Actor
    public void owner(Cancelled run, L_Result r) {
      r.r1 = cancelled(Threads.VIRTUAL, run.body, run.scope);
    }

    @Actor
    public void canceller(Cancelled run) {
      cancel(run.body, run.scope);
    }
  }

  @JCStressTest
  @JCStressMeta(Cancelled.class)
  public static class CancelledPlatform {
    @Actor
    public void owner(Cancelled run, L_Result r) {
      r.r1 = cancelled(Threads.PLATFORM, run.body, run.scope);
    }

    @Actor
    public void canceller(Cancelled run) {
      cancel(run.body, run.scope);
    }
  }

  /** IgnoresInterrupt: stubborn spins through the owner's cancel until the gate opens. */
  @Outcome(id = "terminated", expect = ACCEPTABLE, desc = "close() waited until the stubborn thread terminated")
  @Outcome(id = "alive",      expect = FORBIDDEN,  desc = "close() returned while the stubborn thread was alive")
  @Outcome(                   expect = FORBIDDEN,  desc = "join() did not throw CancellationException, or the body never started")
  @State
  public static class IgnoresInterrupt {
    final Recorded body = new Recorded();
    final Gate gate = new Gate();
  }

  @JCStressTest
  @JCStressMeta(IgnoresInterrupt.class)
  public static class IgnoresInterruptVirtual {
    @Actor
    public void owner(IgnoresInterrupt run, L_Result r) {
      r.r1 = ignoresInterrupt(Threads.VIRTUAL, run.body, run.gate);
    }

    @Actor
    public void release(IgnoresInterrupt run) {
      run.gate.open();
    }
  }

  @JCStressTest
  @JCStressMeta(IgnoresInterrupt.class)
  public static class IgnoresInterruptPlatform {
    @Actor
    public void owner(IgnoresInterrupt run, L_Result r) {
      r.r1 = ignoresInterrupt(Threads.PLATFORM, run.body, run.gate);
    }

    @Actor
    public void release(IgnoresInterrupt run) {
      run.gate.open();
    }
  }
}
