package dev.weft.benchmarks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * {@code ObservabilityBenchmark}'s fan-out written by hand on raw virtual threads, with the same
 * telemetry Weft gives it: what an application pays for the libraries' own calls (SLF4J's MDC,
 * Micrometer's observations and timers), whoever makes them. Each part is done as a careful user
 * would, no more:
 *
 * <ul>
 *   <li>context: the MDC copied once per operation (Weft copies it at every fork, to see whether it
 *       changed) and the current observation read once; in each thread, {@code setContextMap}, the
 *       observation's scope opened, and both undone at the end;
 *   <li>metrics: the scope's counter and timer, and per task its queue-wait and duration timers,
 *       looked up in arrays built once (Weft looks them up by scope and task name);
 *   <li>observations: one for the operation and one per task, its parent, started and stopped
 *       around the body with its scope opened, with the keys Weft's conventions give.
 * </ul>
 */
final class ObservabilityByHand {
  private final ObservationRegistry registry;
  private final boolean context;
  private final boolean observations;
  private final boolean taskObservations;
  private final @Nullable Counter scopesOpened;
  private final @Nullable Timer scopeDuration;
  private final Timer @Nullable [] queueWait;
  private final Timer @Nullable [] taskDuration;
  private final String[] names;

  /**
   * The parts that {@code context}, {@code meters} (null: no metrics), {@code observations} (one
   * for the operation) and {@code taskObservations} (one per task too) switch on, for tasks named
   * {@code names}.
   */
  ObservabilityByHand(
      ObservationRegistry registry,
      boolean context,
      @Nullable MeterRegistry meters,
      boolean observations,
      boolean taskObservations,
      String[] names) {
    this.registry = registry;
    this.context = context;
    this.observations = observations;
    this.taskObservations = observations && taskObservations;
    this.names = names;
    if (meters == null) {
      scopesOpened = null;
      scopeDuration = null;
      queueWait = null;
      taskDuration = null;
      return;
    }
    scopesOpened = Counter.builder("weft.scopes.opened").tag("scope", "fan-out").register(meters);
    scopeDuration =
        Timer.builder("weft.scope.duration")
            .tags("scope", "fan-out", "policy", "fail-fast", "outcome", "succeeded")
            .register(meters);
    queueWait = new Timer[names.length];
    taskDuration = new Timer[names.length];
    for (int i = 0; i < names.length; i++) {
      queueWait[i] =
          Timer.builder("weft.task.queue.wait")
              .tags("scope", "fan-out", "task", names[i])
              .register(meters);
      taskDuration[i] =
          Timer.builder("weft.task.duration")
              .tags("scope", "fan-out", "task", names[i], "outcome", "succeeded")
              .register(meters);
    }
  }

  /** Forks {@code values.length} threads that each return one value, joins them, sums. */
  long fanOut(Integer[] values) throws InterruptedException {
    long opened = System.nanoTime();
    if (scopesOpened != null) {
      scopesOpened.increment();
    }
    @Nullable Observation scope =
        observations
            ? Observation.createNotStarted("weft.scope", registry)
                .contextualName("fan-out")
                .lowCardinalityKeyValue("scope", "fan-out")
                .lowCardinalityKeyValue("policy", "fail-fast")
                .start()
            : null;
    @Nullable Map<String, String> mdc = context ? MDC.getCopyOfContextMap() : null;
    @Nullable Observation current = context ? registry.getCurrentObservation() : null;
    int n = values.length;
    Thread[] threads = new Thread[n];
    Integer[] results = new Integer[n];
    for (int i = 0; i < n; i++) {
      int slot = i;
      long forked = System.nanoTime();
      threads[i] =
          Thread.ofVirtual()
              .start(() -> results[slot] = task(slot, values, forked, mdc, current, scope));
    }
    for (Thread t : threads) {
      t.join();
    }
    if (scope != null) {
      scope.lowCardinalityKeyValue("outcome", "succeeded").stop();
    }
    if (scopeDuration != null) {
      scopeDuration.record(System.nanoTime() - opened, TimeUnit.NANOSECONDS);
    }
    long sum = 0;
    for (Integer r : results) {
      sum += r;
    }
    return sum;
  }

  private Integer task(
      int slot,
      Integer[] values,
      long forked,
      @Nullable Map<String, String> mdc,
      @Nullable Observation current,
      @Nullable Observation scope) {
    if (mdc != null) {
      MDC.setContextMap(mdc);
    }
    Observation.@Nullable Scope carried = current == null ? null : current.openScope();
    try {
      long started = System.nanoTime();
      if (queueWait != null) {
        queueWait[slot].record(started - forked, TimeUnit.NANOSECONDS);
      }
      Integer result;
      if (scope == null || !taskObservations) {
        result = values[slot];
      } else {
        Observation o =
            Observation.createNotStarted("weft.task", registry)
                .parentObservation(scope)
                .contextualName(names[slot])
                .lowCardinalityKeyValue("scope", "fan-out")
                .lowCardinalityKeyValue("task", names[slot])
                .start();
        try (Observation.Scope s = o.openScope()) {
          result = values[slot];
        } finally {
          o.lowCardinalityKeyValue("outcome", "succeeded").stop();
        }
      }
      if (taskDuration != null) {
        taskDuration[slot].record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      }
      return result;
    } finally {
      if (carried != null) {
        carried.close();
      }
      if (mdc != null) {
        MDC.clear();
      }
    }
  }
}
