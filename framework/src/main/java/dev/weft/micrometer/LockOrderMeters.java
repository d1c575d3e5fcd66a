package dev.weft.micrometer;

import dev.weft.lockorder.DeadlockException;
import dev.weft.lockorder.LockOrderPolicy;
import dev.weft.lockorder.LockOrderViolationException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.function.Consumer;

/**
 * The lock-order report listener of one registry: counts violations by policy and deadlocks. Its
 * counters are registered at once, so a scrape shows them at 0 before anything is reported.
 */
final class LockOrderMeters implements Consumer<RuntimeException> {
  private final Counter thrown;
  private final Counter warned;
  private final Counter deadlocks;

  LockOrderMeters(MeterRegistry registry, Tags tags) {
    this.thrown = violations(registry, tags, "throw");
    this.warned = violations(registry, tags, "warn");
    this.deadlocks =
        Counter.builder(WeftMetrics.DEADLOCKS_FOUND)
            .description(
                "Actual deadlocks among checked locks, broken at an acquisition or found by a"
                    + " deadlock detector's watchdog")
            .tags(tags)
            .register(registry);
  }

  @Override
  public void accept(RuntimeException report) {
    if (report instanceof LockOrderViolationException v) {
      (v.policy() == LockOrderPolicy.WARN ? warned : thrown).increment();
    } else if (report instanceof DeadlockException) {
      deadlocks.increment();
    }
  }

  private static Counter violations(MeterRegistry registry, Tags tags, String policy) {
    return Counter.builder(WeftMetrics.LOCK_ORDER_VIOLATIONS)
        .description(
            "Lock-order violations reported: under THROW each violating acquisition, under WARN"
                + " each distinct cycle once")
        .tags(tags)
        .tag("policy", policy)
        .register(registry);
  }
}
