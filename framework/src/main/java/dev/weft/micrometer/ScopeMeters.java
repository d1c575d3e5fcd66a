package dev.weft.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The meters of one scope name, with those of its policies and task names (looked up once). */
final class ScopeMeters {
  static final String OTHER = "other";
  private static final Logger LOG = LoggerFactory.getLogger("dev.weft.observe");

  private final MeterRegistry registry;
  private final Tags tags; // common tags + scope
  final Counter opened;
  final LongTaskTimer active;
  // byPolicy: the duration timers of each policy, then outcome; tasks: TaskMeters by task tag.
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Timer>> byPolicy =
      new ConcurrentHashMap<>(4);
  private final ConcurrentHashMap<String, TaskMeters> tasks = new ConcurrentHashMap<>();
  private final Function<String, TaskMeters> newTask;

  ScopeMeters(MeterRegistry registry, Tags commonTags, String scope) {
    this.registry = registry;
    this.tags = commonTags.and("scope", scope);
    this.opened =
        Counter.builder(WeftMetrics.SCOPES_OPENED)
            .description("Scopes opened")
            .tags(tags)
            .register(registry);
    this.active =
        LongTaskTimer.builder(WeftMetrics.SCOPES_ACTIVE)
            .description("Scopes open now, and how long they have been open")
            .tags(tags)
            .register(registry);
    this.newTask = t -> new TaskMeters(registry, tags, t);
  }

  /** The meters of task name {@code task} ({@link #OTHER} past {@link WeftMetrics#MAX_NAMES}). */
  TaskMeters task(String task) {
    TaskMeters m = tasks.get(task);
    return m != null ? m : capped(tasks, task, newTask, "task names of scope " + tags);
  }

  /** The duration timer of a scope with {@code policy} that ended with {@code outcome}. */
  Timer duration(String policy, String outcome) {
    ConcurrentHashMap<String, Timer> outcomes = byPolicy.get(policy);
    if (outcomes == null) {
      outcomes = byPolicy.computeIfAbsent(policy, p -> new ConcurrentHashMap<>(4));
    }
    Timer t = outcomes.get(outcome);
    if (t == null) {
      t =
          outcomes.computeIfAbsent(
              outcome,
              o ->
                  Timer.builder(WeftMetrics.SCOPE_DURATION)
                      .description("Time from a scope's open to its close")
                      .tags(tags)
                      .tag("policy", policy)
                      .tag("outcome", o)
                      .register(registry));
    }
    return t;
  }

  /**
   * {@code map}'s value for {@code key}, made by {@code make}; once the map holds {@link
   * WeftMetrics#MAX_NAMES} keys, the value for {@link #OTHER} instead (a warning is logged once).
   */
  static <V> V capped(
      ConcurrentHashMap<String, V> map, String key, Function<String, V> make, String what) {
    if (map.size() >= WeftMetrics.MAX_NAMES) {
      @Nullable V other = map.get(OTHER);
      if (other == null) {
        LOG.warn(
            "more than {} {}: further ones are measured as '{}'; give scopes and tasks fixed"
                + " names (fork(body) names are measured as one)",
            WeftMetrics.MAX_NAMES,
            what,
            OTHER);
        other = map.computeIfAbsent(OTHER, make);
      }
      return other;
    }
    return map.computeIfAbsent(key, make);
  }
}
