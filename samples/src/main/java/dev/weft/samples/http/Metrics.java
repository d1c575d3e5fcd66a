package dev.weft.samples.http;

import dev.weft.micrometer.WeftMetrics;
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
 * <p>Four sources: the JVM's (memory, GC, threads, classes, CPU, uptime: {@code jvm_...}, {@code
 * process_...}, {@code system_...}); Jetty's ({@code jetty_server_requests_seconds} from the {@code
 * TimedHandler} that wraps the router, {@code jetty_threads_...}, {@code jetty_connections_...});
 * Weft's ({@link WeftMetrics}: {@code weft_scopes_opened_total{scope}}, {@code
 * weft_scope_duration_seconds{scope,policy,outcome}}, {@code
 * weft_task_duration_seconds{scope,task,outcome}}, {@code weft_task_queue_wait_seconds}, ...); and
 * the sample's own ({@code dashboard_requests_seconds{outcome}}, {@code
 * backend_calls_seconds{backend,outcome}}, {@code transfer_lock_order_violations_total}), which the
 * handlers register on the same registry.
 *
 * <p>Weft's meters measure every scope the JVM opens while the service runs, from the moment this
 * object is created until {@link #close()}: with the dashboard's scope named {@code dashboard} and
 * its tasks {@code profile}, {@code orders}, {@code pricing} and {@code recommendations}, the
 * series are few and fixed.
 */
final class Metrics implements AutoCloseable {
  /** What {@code /metrics} answers with: the Prometheus text format. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final WeftMetrics weft = new WeftMetrics();

  /** A registry with the JVM's and Weft's meters bound. */
  Metrics() {
    weft.bindTo(registry);
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

  /** Stops measuring scopes, stops the GC listeners and closes the registry. */
  @Override
  public void close() {
    weft.close();
    gc.close();
    registry.close();
  }
}
