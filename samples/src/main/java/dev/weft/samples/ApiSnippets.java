package dev.weft.samples;

import dev.weft.lockorder.DeadlockDetector;
import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.LockOrderViolationException;
import dev.weft.micrometer.WeftMetrics;
import dev.weft.micrometer.WeftObservations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.concurrent.locks.Lock;

/**
 * The examples at the top of the framework's javadoc for the lock-order checker, the deadlock
 * detector and the Micrometer bindings, read by the framework's javadoc through {@code
 * --snippet-path} (a renamed or removed region fails the framework's build). {@code
 * ApiSnippetsTest} runs each method and checks what the example's comments say.
 */
public final class ApiSnippets {
  private ApiSnippets() {}

  /**
   * Takes two locks in one order, then in the other: the second order throws {@link
   * LockOrderViolationException}, with {@code audit} still held by the calling thread (run it in a
   * thread of its own).
   */
  static void lockOrder() {
    // @start region="lock-order"
    LockOrderChecker checker = LockOrderChecker.create();
    Lock accounts = checker.newLock("accounts");
    Lock audit = checker.newLock("audit");

    accounts.lock(); // learns accounts -> audit
    audit.lock();
    audit.unlock();
    accounts.unlock();

    audit.lock();
    accounts.lock(); // throws LockOrderViolationException: "audit -> accounts, accounts -> audit"
    // @end region="lock-order"
    throw new AssertionError("the checker let audit -> accounts through");
  }

  /** Runs {@code runServer} with a deadlock watchdog that looks every {@code period}. */
  static void watchdog(Duration period, Runnable runServer) {
    // @start region="deadlock-watchdog"
    // @replace substring="period" replacement="Duration.ofSeconds(10)" :
    try (DeadlockDetector detector = DeadlockDetector.create().startWatchdog(period)) {
      // @replace substring="runServer.run()" replacement="runServer()" :
      runServer.run(); // a deadlock is logged (SLF4J, error) and counted
    }
    // @end region="deadlock-watchdog"
  }

  /**
   * Binds Weft's meters to {@code registry}, runs {@code measured}, unbinds, runs {@code after}.
   */
  static void metrics(MeterRegistry registry, Runnable measured, Runnable after) {
    // @start region="metrics"
    WeftMetrics metrics = new WeftMetrics();
    metrics.bindTo(registry); // the scopes opened from now on are measured
    // @replace substring="measured.run();" replacement="// ..." :
    measured.run();
    metrics.close(); // scopes opened afterwards are not
    // @end region="metrics"
    after.run();
  }

  /** Observes every scope that {@code runServer} opens, through {@code observationRegistry}. */
  static void observations(ObservationRegistry observationRegistry, Runnable runServer) {
    // @start region="observations"
    try (WeftObservations observations = WeftObservations.install(observationRegistry)) {
      // @replace substring="runServer.run()" replacement="runServer()" :
      runServer.run(); // every scope opened meanwhile is observed
    }
    // @end region="observations"
  }
}
