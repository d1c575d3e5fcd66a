package dev.weft.samples.http;

import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;

/**
 * The service's meters, served as Prometheus text by {@code GET /metrics}.
 *
 * <p>Three sources: the JVM's (memory, GC, threads, classes, CPU, uptime: {@code jvm_...}, {@code
 * process_...}, {@code system_...}); Jetty's ({@code jetty_server_requests_seconds} from the {@code
 * TimedHandler} that wraps the router, {@code jetty_threads_...}, {@code jetty_connections_...});
 * and the sample's own ({@code dashboard_requests_seconds{outcome}}, {@code
 * backend_calls_seconds{backend,outcome}}, {@code transfer_lock_order_violations_total}), which the
 * handlers register on the same registry.
 */
final class Metrics implements AutoCloseable {
  /** What {@code /metrics} answers with: the Prometheus text format. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  /** A registry with the JVM's meters bound. */
  Metrics() {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** The registry every meter of the service is registered on. */
  PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Binds the meters of {@code server}'s thread pool and connections (before it starts). */
  void bindJetty(Server server) {
    new JettyServerThreadPoolMetrics(server.getThreadPool(), List.of()).bindTo(registry);
    JettyConnectionMetrics.addToAllConnectors(server, registry);
  }

  /** The route of {@code GET /metrics}. */
  Reply scrape(Request request, String requestId) {
    return new Reply(200, CONTENT_TYPE, registry.scrape(), Map.of());
  }

  /** Stops the GC listeners and closes the registry. */
  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
