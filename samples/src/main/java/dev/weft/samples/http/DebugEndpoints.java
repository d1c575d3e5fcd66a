package dev.weft.samples.http;

import org.eclipse.jetty.server.Request;

/**
 * {@code GET /debug/scopes} (the live tree of open scopes and their tasks) and {@code GET
 * /debug/trace/{requestId}} (the Chrome trace JSON of a recent request, for chrome://tracing or
 * Perfetto).
 *
 * <p>Off unless the service is started with {@code --debug} (404 until then), and answered only to
 * loopback clients ({@link LoopbackGate}, 403 for others): they show what every request does. In
 * this build neither view is available yet: both answer 501 with a JSON body that says so.
 */
final class DebugEndpoints {
  private final boolean enabled;

  DebugEndpoints(boolean enabled) {
    this.enabled = enabled;
  }

  /** Adds both routes to {@code router}, behind the switch and the loopback gate. */
  void addTo(Router router) {
    router.get("/debug/scopes", gated(this::scopes));
    router.get("/debug/trace/*", gated(this::trace));
  }

  // --- implementation ---

  /** The live scope tree. */
  private Reply scopes(Request request, String requestId) {
    return notAvailable("/debug/scopes", "the live scope dump");
  }

  /** The Chrome trace of the request whose id ends the path. */
  private Reply trace(Request request, String requestId) {
    String traced = Request.getPathInContext(request).substring("/debug/trace/".length());
    return notAvailable("/debug/trace/" + traced, "per-scope execution traces");
  }

  private static Reply notAvailable(String path, String what) {
    return Reply.error(
        501,
        "not available in this build: " + what + " is not wired into the sample yet",
        "path",
        path);
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
