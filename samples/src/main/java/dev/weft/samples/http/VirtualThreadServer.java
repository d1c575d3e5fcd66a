package dev.weft.samples.http;

import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * A Jetty server that runs every request in a new virtual thread.
 *
 * <p>The shape the Jetty 12 programming guide recommends: a {@link QueuedThreadPool} of a few
 * platform threads for Jetty's own selectors and acceptors, whose virtual-threads executor is a
 * {@link VirtualThreadPool}. Jetty then calls a blocking handler (every {@code Handler.Abstract}
 * that does not declare otherwise) in a virtual thread of its own: one per request, never reused,
 * so a request handler may block on {@code scope.join()} or an HTTP call without holding a platform
 * thread. The virtual pool's {@code maxConcurrentTasks} bounds how many requests run at once; more
 * wait for a permit.
 */
final class VirtualThreadServer {
  private VirtualThreadServer() {}

  /**
   * A server, not started, listening on {@code host:port} (port 0 picks a free one), running at
   * most {@code maxConcurrentRequests} requests at once, with {@code handler} as its handler. On
   * {@code stop()} it lets requests in progress finish for up to {@code stopTimeout}.
   */
  static Server create(
      String name,
      String host,
      int port,
      int maxConcurrentRequests,
      Duration stopTimeout,
      Handler handler) {
    VirtualThreadPool virtualThreads = new VirtualThreadPool();
    virtualThreads.setName(name + "-vt-");
    virtualThreads.setMaxConcurrentTasks(maxConcurrentRequests);

    QueuedThreadPool platformThreads = new QueuedThreadPool(16, 2);
    platformThreads.setName(name + "-qtp");
    platformThreads.setVirtualThreadsExecutor(virtualThreads);

    Server server = new Server(platformThreads);
    server.addBean(virtualThreads);
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(handler);
    server.setStopTimeout(stopTimeout.toMillis()); // 0: stop at once, without waiting for requests
    return server;
  }

  /** The port {@code server} listens on, once started. */
  static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }
}
