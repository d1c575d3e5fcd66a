package dev.weft.samples.http;

import java.time.Duration;

/** Test options: port 0, backends of 5 ms without jitter or failures. */
final class ServiceFixture {
  private ServiceFixture() {}

  static Options options() {
    return Options.defaults()
        .withPort(0)
        .withBackendLatency(Duration.ofMillis(5))
        .withBackendJitter(Duration.ZERO)
        .withRecommendationsTimeout(Duration.ofSeconds(1));
  }

  /** Sets every backend back to {@code options()}'s setting. */
  static void resetFaults(DashboardService service) {
    for (String backend : Faults.BACKENDS) {
      service.faults().set(backend, new Faults.Fault(Duration.ofMillis(5), Duration.ZERO, 0));
    }
  }

  /** Sets {@code backend}'s latency and failure rate. */
  static void fault(DashboardService service, String backend, long latencyMs, double failureRate) {
    service
        .faults()
        .set(backend, new Faults.Fault(Duration.ofMillis(latencyMs), Duration.ZERO, failureRate));
  }
}
