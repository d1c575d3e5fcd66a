package dev.weft.benchmarks;

/** What the raw-thread variants need: waits that a {@code Runnable} body can call. */
final class RawThreads {
  private RawThreads() {}

  /**
   * Joins {@code t}; raw-thread bodies cannot throw InterruptedException, and nothing interrupts
   * them here, so an interrupt is kept and the wait goes on.
   */
  static void joinUninterruptibly(Thread t) {
    boolean interrupted = false;
    for (; ; ) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
