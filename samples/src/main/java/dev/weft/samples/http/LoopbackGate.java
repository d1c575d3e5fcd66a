package dev.weft.samples.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.Callable;
import org.eclipse.jetty.server.Request;

/**
 * Lets only clients on this machine reach a route: the operator endpoints ({@code /admin/...}, and
 * {@code /debug/...} when it is on) answer a client whose address is not loopback with a 403. The
 * service listens on loopback by default; this still holds when it is started with {@code --host
 * 0.0.0.0}. The address is the TCP peer's: no header (such as {@code X-Forwarded-For}) changes it.
 */
final class LoopbackGate {
  private LoopbackGate() {}

  /** Whether {@code remote} is a loopback address (127.0.0.0/8 or ::1). */
  static boolean allows(SocketAddress remote) {
    return remote instanceof InetSocketAddress inet
        && inet.getAddress() != null
        && inet.getAddress().isLoopbackAddress();
  }

  /** {@code route}, answered only to loopback clients; others get a 403. */
  static Router.Route loopbackOnly(Router.Route route) {
    return (request, requestId) ->
        guarded(
            request.getConnectionMetaData().getRemoteSocketAddress(),
            Request.getPathInContext(request),
            () -> route.handle(request, requestId));
  }

  /** What {@code route} answers if {@code remote} is loopback, else a 403 naming {@code path}. */
  static Reply guarded(SocketAddress remote, String path, Callable<Reply> route) throws Exception {
    if (!allows(remote)) {
      return Reply.error(403, "this endpoint answers loopback clients only", "path", path);
    }
    return route.call();
  }
}
