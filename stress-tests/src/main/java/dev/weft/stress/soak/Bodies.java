package dev.weft.stress.soak;

import dev.weft.stress.soak.TreePlan.Failure;
import dev.weft.stress.soak.TreePlan.TaskPlan;
import dev.weft.stress.soak.TreePlan.Wait;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.Pipe;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What a task body does, as its {@link TaskPlan} says: run briefly, block on an interruptible wait,
 * ignore interrupts for a few milliseconds, or open a nested scope; then return a value or throw an
 * injected failure. Every wait is bounded, so a body that nobody interrupts still ends.
 */
final class Bodies {
  private Bodies() {}

  /** Runs a nested scope in the body's thread; returns or throws as the plan says. */
  @FunctionalInterface
  interface Nested {
    Object run(TaskPlan task) throws Exception;
  }

  // Writes the byte a PIPE wait reads, once its time is up (one platform daemon thread).
  private static final ScheduledThreadPoolExecutor WAKER = waker();

  /** The body of {@code plan}, run in the task's thread; {@code path} names it in failures. */
  static Object run(TaskPlan plan, String path, Nested nested) throws Exception {
    switch (plan.action()) {
      case RETURN -> Thread.onSpinWait();
      case THROW -> {}
      case BLOCK -> {
        try {
          block(plan.waitKind(), plan.blockNanos());
        } catch (InterruptedException | ClosedByInterruptException e) {
          switch (plan.onInterrupt()) {
            case PROPAGATE -> throw e;
            case WRAP -> throw new Injected.UncheckedFailure(path + ": wait interrupted", e);
            case CONTINUE -> Thread.currentThread().interrupt(); // and end as planned
          }
        }
      }
      case IGNORE_INTERRUPTS -> ignoreInterrupts(plan);
      case NESTED -> {
        return nested.run(plan);
      }
    }
    if (plan.ending() != Failure.NONE) {
      Injected.raise(plan.ending(), path);
    }
    return "v:" + path;
  }

  /** Waits {@code nanos} in an interruptible way; throws what that wait throws on an interrupt. */
  static void block(Wait kind, long nanos) throws InterruptedException, IOException {
    switch (kind) {
      case SLEEP -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
      case LATCH -> new CountDownLatch(1).await(nanos, TimeUnit.NANOSECONDS);
      case QUEUE -> new SynchronousQueue<Object>().poll(nanos, TimeUnit.NANOSECONDS);
      case PARK -> {
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = end - System.nanoTime()) {
          LockSupport.parkNanos(left);
          if (Thread.interrupted()) {
            throw new InterruptedException("park interrupted");
          }
        }
      }
      case PIPE -> readPipe(nanos);
    }
  }

  /**
   * Reads one byte from a pipe that another thread writes after {@code nanos}: an interrupt closes
   * the channel and throws {@link ClosedByInterruptException}.
   */
  private static void readPipe(long nanos) throws IOException {
    Pipe pipe = Pipe.open();
    try (Pipe.SourceChannel source = pipe.source();
        Pipe.SinkChannel sink = pipe.sink()) {
      ScheduledFuture<?> wake =
          WAKER.schedule(
              () -> {
                try {
                  sink.write(ByteBuffer.wrap(new byte[] {1}));
                } catch (IOException closed) {
                  // the reader gave up (interrupted) and closed the pipe
                }
              },
              nanos,
              TimeUnit.NANOSECONDS);
      try {
        source.read(ByteBuffer.allocate(1));
      } finally {
        wake.cancel(false);
      }
    }
  }

  /** Spins or parks for the planned time, swallowing interrupts; may set the flag again after. */
  private static void ignoreInterrupts(TaskPlan plan) {
    long end = System.nanoTime() + plan.blockNanos();
    boolean interrupted = false;
    switch (plan.spin()) {
      case BUSY -> {
        while (System.nanoTime() - end < 0) {
          Thread.onSpinWait();
        }
        interrupted = Thread.interrupted();
      }
      case PARK_SWALLOW -> {
        for (long left = plan.blockNanos(); left > 0; left = end - System.nanoTime()) {
          LockSupport.parkNanos(left);
          interrupted |= Thread.interrupted();
        }
      }
    }
    if (interrupted && plan.restoreInterrupt()) {
      Thread.currentThread().interrupt();
    }
  }

  private static ScheduledThreadPoolExecutor waker() {
    ScheduledThreadPoolExecutor e =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().daemon().name("soak-pipe-waker").factory());
    e.setRemoveOnCancelPolicy(true);
    return e;
  }
}
