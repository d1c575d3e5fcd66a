package dev.weft.samples.http;

import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/faults?failureRate=R&latencyMs=L&jitterMs=J&backend=B} changes how the
 * simulated backends misbehave, at run time; {@code GET /admin/faults} shows it. Each parameter is
 * optional and keeps its value when left out; without {@code backend} the change applies to every
 * backend. Both answer the settings of every backend, and only to loopback clients.
 */
final class FaultsEndpoint {
  private static final Logger log = LoggerFactory.getLogger(FaultsEndpoint.class);

  private final Faults faults;

  FaultsEndpoint(Faults faults) {
    this.faults = faults;
  }

  /** Adds both routes to {@code router}, behind the loopback gate. */
  void addTo(Router router) {
    router.get("/admin/faults", LoopbackGate.loopbackOnly((request, id) -> show()));
    router.post("/admin/faults", LoopbackGate.loopbackOnly((request, id) -> change(request)));
  }

  // --- implementation ---

  private Reply show() {
    return Reply.json(200, faults.toJson());
  }

  private Reply change(Request request) {
    Fields query = Request.extractQueryParameters(request);
    String backend = query.getValue("backend");
    try {
      List<String> targets = backend == null ? Faults.BACKENDS : List.of(backend);
      if (backend != null && !Faults.BACKENDS.contains(backend)) {
        throw new IllegalArgumentException(Faults.unknown(backend));
      }
      String rate = query.getValue("failureRate");
      String latency = query.getValue("latencyMs");
      String jitter = query.getValue("jitterMs");
      double newRate = rate == null ? -1 : Options.rate("failureRate", rate);
      long newLatency = latency == null ? -1 : millis("latencyMs", latency);
      long newJitter = jitter == null ? -1 : millis("jitterMs", jitter);
      for (String b : targets) {
        Faults.Fault old = faults.of(b);
        faults.set(
            b,
            new Faults.Fault(
                newLatency < 0 ? old.latency() : Duration.ofMillis(newLatency),
                newJitter < 0 ? old.jitter() : Duration.ofMillis(newJitter),
                newRate < 0 ? old.failureRate() : newRate));
      }
      log.info("faults of {} set to {}", targets, faults.toJson());
      return show();
    } catch (IllegalArgumentException e) {
      return Reply.error(400, e.getMessage());
    }
  }

  private static long millis(String name, String value) {
    long ms;
    try {
      ms = Long.parseLong(value);
    } catch (NumberFormatException e) {
      ms = -1;
    }
    if (ms < 0 || ms > 10_000) {
      throw new IllegalArgumentException(
          name + " must be a whole number of milliseconds from 0 to 10000, was '" + value + "'");
    }
    return ms;
  }
}
