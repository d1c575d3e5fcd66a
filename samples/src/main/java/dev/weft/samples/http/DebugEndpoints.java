package dev.weft.samples.http;

import dev.weft.scope.ScopeDump;
import dev.weft.scope.ScopeTrace;
import dev.weft.trace.ChromeTrace;
import java.util.Map;
import org.eclipse.jetty.server.Request;

/**
 * {@code GET /debug/scopes} (the live tree of open scopes and their tasks) and {@code GET
 * /debug/trace/{requestId}} (the Chrome trace-event JSON of a recent dashboard request, for
 * Perfetto or chrome://tracing).
 *
 * <ul>
 *   <li>{@code /debug/scopes}: {@link ScopeDump#capture()} of every scope open in the JVM at that
 *       moment, as JSON ({@link ScopeDump#toJson()}), or as text with {@code ?format=text} ({@link
 *       ScopeDump#toText()}). Names and states only: no results, arguments or exception messages.
 *   <li>{@code /debug/trace/{requestId}}: the trace the dashboard's scope recorded for that request
 *       ({@link DashboardHandler}, kept in {@link RecentTraces}), as {@link ChromeTrace#toJson}
 *       writes it; a 404 naming the id if no trace of it is kept (unknown, not a dashboard request,
 *       or evicted by newer ones).
 * </ul>
 *
 * <p>Off unless the service is started with {@code --debug} (404 until then), and answered only to
 * loopback clients ({@link LoopbackGate}, 403 for others): they show what every request does.
 */
final class DebugEndpoints {
  /** The content type of the text dump. */
  static final String TEXT = "text/plain; charset=utf-8";

  private static final String TRACE_PREFIX = "/debug/trace/";

  private final boolean enabled;
  private final RecentTraces traces;

  /** The endpoints, answering if {@code enabled}, with the traces kept in {@code traces}. */
  DebugEndpoints(boolean enabled, RecentTraces traces) {
    this.enabled = enabled;
    this.traces = traces;
  }

  /** Adds both routes to {@code router}, behind the switch and the loopback gate. */
  void addTo(Router router) {
    router.get("/debug/scopes", gated(this::scopes));
    router.get(TRACE_PREFIX + "*", gated(this::trace));
  }

  // --- implementation ---

  /** The live scope tree, as JSON or, with {@code ?format=text}, as text. */
  private Reply scopes(Request request, String requestId) {
    String format = Request.extractQueryParameters(request).getValue("format");
    if (format == null || format.equals("json")) {
      return new Reply(200, Reply.JSON, ScopeDump.capture().toJson(), Map.of());
    }
    if (format.equals("text")) {
      return new Reply(200, TEXT, ScopeDump.capture().toText(), Map.of());
    }
    return Reply.error(400, "format must be json (the default) or text, was '" + format + "'");
  }

  /** The Chrome trace of the request whose id ends the path. */
  private Reply trace(Request request, String requestId) {
    String traced = Request.getPathInContext(request).substring(TRACE_PREFIX.length());
    ScopeTrace trace = traces.get(traced);
    if (trace == null) {
      return Reply.error(
          404,
          "no trace of request '"
              + traced
              + "': unknown, not a dashboard request, or evicted (the service keeps the last "
              + traces.capacity()
              + ")",
          "requestId",
          traced);
    }
    return new Reply(200, Reply.JSON, ChromeTrace.toJson(trace), Map.of());
  }

  private Router.Route gated(Router.Route route) {
    Router.Route loopbackOnly = LoopbackGate.loopbackOnly(route);
    return (request, requestId) ->
        enabled
            ? loopbackOnly.handle(request, requestId)
            : Reply.error(
                404,
                "debug endpoints are off: start the service with --debug",
                "path",
                Request.getPathInContext(request));
  }
}
