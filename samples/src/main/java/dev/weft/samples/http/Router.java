package dev.weft.samples.http;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The service's one Jetty handler: picks the route of a request by method and path, and writes what
 * the route replies.
 *
 * <p>Around every route it gives the request its id ({@link RequestIds}): in the {@code
 * X-Request-Id} response header and in the MDC of the request's thread for as long as the route
 * runs. A route that throws gets a 500 with a JSON body that names the request id, and one ERROR
 * log line with the stack trace, never a dropped connection. An unknown path gets a 404, a known
 * path with another method a 405 with {@code Allow}.
 *
 * <p>Jetty calls {@link #handle} in a new virtual thread per request ({@link VirtualThreadServer}),
 * so routes block freely: on {@code scope.join()}, on HTTP calls, on locks.
 */
final class Router extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(Router.class);

  /** What answers one method and path. */
  @FunctionalInterface
  interface Route {
    /** The reply to {@code request}, whose id is {@code requestId}. */
    Reply handle(Request request, String requestId) throws Exception;
  }

  private record Entry(String method, String path, Route route) {
    /** An exact path, or "/prefix/*", which matches longer paths ("/dashboard/u42"). */
    boolean matches(String requested) {
      if (path.endsWith("/*")) {
        String prefix = path.substring(0, path.length() - 1);
        return requested.startsWith(prefix) && requested.length() > prefix.length();
      }
      return requested.equals(path);
    }
  }

  private final List<Entry> routes = new ArrayList<>();

  /** Adds {@code route} for GET on {@code path} (a prefix if it ends in "/*"). */
  Router get(String path, Route route) {
    routes.add(new Entry("GET", path, route));
    return this;
  }

  /** Adds {@code route} for POST on {@code path} (a prefix if it ends in "/*"). */
  Router post(String path, Route route) {
    routes.add(new Entry("POST", path, route));
    return this;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String requestId = RequestIds.choose(request.getHeaders().get(RequestIds.HEADER));
    response.getHeaders().put(RequestIds.HEADER, requestId);
    String method = request.getMethod();
    String path = request.getHttpURI().getDecodedPath();
    long start = System.nanoTime();
    MDC.put(RequestIds.MDC_KEY, requestId);
    try {
      Reply reply = dispatch(request, requestId, method, path);
      write(reply, response, callback);
      log.debug(
          "{} {} -> {} in {} ms",
          method,
          path,
          reply.status(),
          (System.nanoTime() - start) / 1_000_000);
    } finally {
      MDC.remove(RequestIds.MDC_KEY);
    }
    return true;
  }

  // --- implementation ---

  private Reply dispatch(Request request, String requestId, String method, String path) {
    Set<String> allowed = new LinkedHashSet<>();
    for (Entry e : routes) {
      if (e.matches(path)) {
        if (e.method.equals(method)) {
          return run(e.route, request, requestId, method, path);
        }
        allowed.add(e.method);
      }
    }
    if (!allowed.isEmpty()) {
      return Reply.error(405, method + " is not allowed on " + path, "allow", List.copyOf(allowed))
          .withHeader("Allow", String.join(", ", allowed));
    }
    return Reply.error(404, "no such endpoint: " + method + " " + path, "requestId", requestId);
  }

  private static Reply run(
      Route route, Request request, String requestId, String method, String path) {
    try {
      return route.handle(request, requestId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("{} {} interrupted: the service is stopping", method, path);
      return Reply.error(503, "the service is stopping", "requestId", requestId);
    } catch (Exception e) {
      log.error("{} {} failed: {}", method, path, e.toString(), e);
      return Reply.error(
          500, "internal error", "requestId", requestId, "exception", e.getClass().getName());
    }
  }

  private static void write(Reply reply, Response response, Callback callback) {
    response.setStatus(reply.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
    reply.headers().forEach(response.getHeaders()::put);
    Content.Sink.write(response, true, reply.body(), callback);
  }
}
