package dev.weft.samples.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How each simulated backend misbehaves: its latency, jitter and failure rate, changed at run time
 * by {@code POST /admin/faults} and read by {@link BackendServer} at each call.
 *
 * <p>Thread-safe: each backend's setting is one immutable {@link Fault}, replaced whole in a
 * concurrent map, so a call sees either the old setting or the new one, never a mix.
 */
final class Faults {
  /** The simulated backends, in the order the dashboard calls them. */
  static final List<String> BACKENDS = List.of("profile", "orders", "recommendations", "pricing");

  /**
   * One backend's setting.
   *
   * @param latency how long a call takes, before jitter
   * @param jitter up to how much longer, drawn uniformly per call
   * @param failureRate the share of calls that answer 503, from 0 to 1
   */
  record Fault(Duration latency, Duration jitter, double failureRate) {
    /** How long the next call takes: the latency plus a random part of the jitter. */
    Duration nextDelay() {
      long jitterNanos = jitter.toNanos();
      long extra = jitterNanos == 0 ? 0 : ThreadLocalRandom.current().nextLong(jitterNanos + 1);
      return latency.plusNanos(extra);
    }

    /** Whether the next call fails, drawn with probability {@link #failureRate}. */
    boolean nextFails() {
      return failureRate > 0 && ThreadLocalRandom.current().nextDouble() < failureRate;
    }

    Map<String, Object> toJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("latencyMs", latency.toMillis());
      json.put("jitterMs", jitter.toMillis());
      json.put("failureRate", failureRate);
      return json;
    }
  }

  private final Map<String, Fault> faults = new ConcurrentHashMap<>();

  /** Every backend with {@code fault}. */
  Faults(Fault fault) {
    BACKENDS.forEach(b -> faults.put(b, fault));
  }

  /** The setting of {@code backend}, one of {@link #BACKENDS}. */
  Fault of(String backend) {
    Fault f = faults.get(backend);
    if (f == null) {
      throw new IllegalArgumentException(unknown(backend));
    }
    return f;
  }

  /** Sets {@code backend}'s setting to {@code fault}. */
  void set(String backend, Fault fault) {
    of(backend); // checks the name
    faults.put(backend, fault);
  }

  /** Every backend's setting, as JSON: {@code {"profile": {"latencyMs": 20, ...}, ...}}. */
  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    BACKENDS.forEach(b -> json.put(b, of(b).toJson()));
    return json;
  }

  static String unknown(String backend) {
    return "unknown backend '" + backend + "': use one of " + String.join(", ", BACKENDS);
  }
}
