package dev.weft.samples.http;

import dev.weft.samples.http.BackendClient.Order;
import dev.weft.samples.http.BackendClient.Price;
import dev.weft.samples.http.BackendClient.Profile;
import dev.weft.scope.DeadlineExceededException;
import dev.weft.scope.Scope;
import dev.weft.scope.ScopeConfig;
import dev.weft.scope.Task;
import dev.weft.scope.TaskFailedException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /dashboard/{userId}}: one Weft scope per request, with a deadline.
 *
 * <p>The scope forks {@code profile}, {@code orders} and {@code recommendations} at once; {@code
 * pricing} depends on {@code profile} and {@code orders} and starts once both succeeded, with their
 * results. {@code recommendations} is optional: on failure, or after 150 ms ({@code
 * --recommendations-timeout-ms}), it falls back to an empty list, and the answer names it under
 * {@code degraded}. The answers:
 *
 * <ul>
 *   <li>200: the dashboard, {@code "degraded": []} or the optional parts that fell back, and why;
 *   <li>502: a required part failed; the body names the task, its failure and the skipped tasks;
 *   <li>504: the deadline passed first; the body names the tasks that did not succeed: those it
 *       cancelled, and any whose backend call timed out at the same moment;
 *   <li>400: a malformed user id or {@code X-Deadline-Ms}.
 * </ul>
 *
 * <p>The deadline is 500 ms by default ({@code --deadline-ms}), or what the client asks for in
 * {@code X-Deadline-Ms}, capped at {@code --max-deadline-ms}. It counts from when Jetty received
 * the request, so time spent waiting for a thread counts too; the scope gets what is left. Every
 * request forks exactly {@value #TASKS} tasks, whatever it asks for: together with the cap on the
 * deadline and the server's cap on concurrent requests, the work one client can cause is bounded.
 *
 * <p>With {@code --debug} each request's scope records its execution trace ({@link
 * ScopeConfig#withTrace}), which it hands, as it closes, to {@link RecentTraces} under the
 * request's id, for {@code GET /debug/trace/{requestId}}. Without {@code --debug} nothing is
 * recorded: a trace costs a clock read per event of each task and a small record per task until the
 * scope closes.
 */
final class DashboardHandler implements Router.Route {
  private static final Logger log = LoggerFactory.getLogger(DashboardHandler.class);

  /** The header in which a client asks for its deadline, in milliseconds. */
  static final String DEADLINE_HEADER = "X-Deadline-Ms";

  /** How many tasks one dashboard forks. */
  static final int TASKS = 4;

  private static final String PREFIX = "/dashboard/";
  private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final BackendClient backends;
  private final Duration defaultDeadline;
  private final Duration maxDeadline;
  private final Duration recommendationsTimeout;
  private final MeterRegistry registry;
  private final boolean traced;
  private final RecentTraces traces;

  /**
   * The handler of the dashboard, which calls {@code backends}, records its outcomes in {@code
   * registry} and, if {@code options.debug()}, keeps the trace of each request in {@code traces}.
   */
  DashboardHandler(
      BackendClient backends, Options options, MeterRegistry registry, RecentTraces traces) {
    this.backends = backends;
    this.defaultDeadline = options.defaultDeadline();
    this.maxDeadline = options.maxDeadline();
    this.recommendationsTimeout = options.recommendationsTimeout();
    this.registry = registry;
    this.traced = options.debug();
    this.traces = traces;
  }

  @Override
  public Reply handle(Request request, String requestId) throws InterruptedException {
    String userId = request.getHttpURI().getDecodedPath().substring(PREFIX.length());
    if (!USER_ID.matcher(userId).matches()) {
      return count("bad_request", 0, Reply.error(400, "user id must match " + USER_ID.pattern()));
    }
    String asked = request.getHeaders().get(DEADLINE_HEADER);
    long deadlineMs;
    try {
      deadlineMs = deadlineMs(asked);
    } catch (IllegalArgumentException e) {
      return count("bad_request", 0, Reply.error(400, e.getMessage()));
    }
    Duration deadline = Duration.ofMillis(deadlineMs);
    long arrived = request.getBeginNanoTime();
    Duration left = deadline.minusNanos(System.nanoTime() - arrived);
    Answer answer =
        left.isNegative() || left.isZero()
            ? new Answer(
                "deadline",
                Reply.error(
                    504,
                    "deadline exceeded",
                    "tasks",
                    List.of(),
                    "deadlineMs",
                    deadlineMs,
                    "message",
                    "the deadline passed before the request was handled"))
            : dashboard(userId, requestId, deadline, left);
    return count(answer.outcome, System.nanoTime() - arrived, answer.reply);
  }

  // --- implementation ---

  /** A reply and its outcome in {@code dashboard_requests_seconds}. */
  private record Answer(String outcome, Reply reply) {}

  /**
   * The configuration of a request's scope: what is left of its deadline, no more task bodies at
   * once than it has tasks and, with {@code --debug}, a trace kept under the request's id.
   */
  private ScopeConfig scopeConfig(ScopeConfig defaults, Duration left, String requestId) {
    ScopeConfig config = defaults.withTimeout(left).withMaxConcurrency(TASKS);
    return traced ? config.withTrace(trace -> traces.put(requestId, trace)) : config;
  }

  /**
   * The dashboard of {@code userId}, built by one scope. {@code left} is what is left of the
   * request's {@code deadline}, which counts from when Jetty received the request: time spent
   * queued before this thread ran counts too.
   */
  private Answer dashboard(String userId, String requestId, Duration deadline, Duration left)
      throws InterruptedException {
    try (var scope = Scope.open("dashboard", c -> scopeConfig(c, left, requestId))) {
      Task<Profile> profile = scope.fork("profile", () -> backends.profile(userId, requestId));
      Task<List<Order>> orders = scope.fork("orders", () -> backends.orders(userId, requestId));
      Task<List<String>> recommendations =
          scope.fork(
              "recommendations",
              () -> backends.recommendations(userId, requestId),
              o -> o.withTimeout(recommendationsTimeout).withFallbackValue(List.of()));
      Task<Price> pricing =
          scope.fork(
              "pricing",
              profile,
              orders,
              (p, os) -> backends.pricing(userId, p.tier(), subtotal(os), requestId));
      try {
        scope.join();
      } catch (DeadlineExceededException e) {
        log.warn("dashboard of {}: {}", userId, e.getMessage());
        // Not e.unfinishedTasks(): a call whose timeout (what was left of the deadline) expired
        // just before the deadline ended its task as failed, and it did not succeed either.
        return new Answer("deadline", deadlineExceeded(notSucceeded(scope.tasks()), deadline, e));
      } catch (TaskFailedException e) {
        return failed(userId, deadline, e, scope.tasks());
      }
      Map<String, Object> degraded = new LinkedHashMap<>();
      recommendations
          .recoveredFrom()
          .ifPresent(why -> degraded.put(recommendations.name(), String.valueOf(why)));
      if (!degraded.isEmpty()) {
        log.info("dashboard of {} degraded: {}", userId, degraded);
      }
      return new Answer(
          degraded.isEmpty() ? "ok" : "degraded",
          Reply.json(
              200,
              body(
                  userId,
                  deadline,
                  profile.get(),
                  orders.get(),
                  pricing.get(),
                  recommendations.get(),
                  degraded)));
    }
  }

  /**
   * A required task failed: 502; or 504 if its backend call timed out, since a call's timeout is
   * what was left of the deadline (the call's timeout and the scope's deadline race: either may
   * come first). A 504 names every task that did not succeed.
   */
  private static Answer failed(
      String userId, Duration deadline, TaskFailedException e, List<Task<?>> tasks) {
    log.warn("dashboard of {}: {}", userId, e.getMessage());
    String task = String.valueOf(e.taskName());
    if (causedBy(e, HttpTimeoutException.class)) {
      return new Answer("deadline", deadlineExceeded(notSucceeded(tasks), deadline, e));
    }
    return new Answer(
        "failed",
        Reply.error(
            502,
            "a required part failed",
            "task",
            task,
            "skipped",
            e.skippedTasks(),
            "message",
            e.getMessage()));
  }

  /** The names of the tasks that did not succeed (nor recover), in fork order. */
  private static List<String> notSucceeded(List<Task<?>> tasks) {
    return tasks.stream().filter(t -> t.state() != Task.State.SUCCEEDED).map(Task::name).toList();
  }

  private static Reply deadlineExceeded(List<String> tasks, Duration deadline, Exception e) {
    return Reply.error(
        504,
        "deadline exceeded",
        "tasks",
        tasks,
        "deadlineMs",
        deadline.toMillis(),
        "message",
        e.getMessage());
  }

  private static Map<String, Object> body(
      String userId,
      Duration deadline,
      Profile profile,
      List<Order> orders,
      Price price,
      List<String> recommendations,
      Map<String, Object> degraded) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("userId", userId);
    json.put("deadlineMs", deadline.toMillis());
    json.put("profile", Map.of("name", profile.name(), "tier", profile.tier()));
    List<Object> orderList = new ArrayList<>();
    for (Order o : orders) {
      Map<String, Object> order = new LinkedHashMap<>();
      order.put("id", o.id());
      order.put("totalCents", o.totalCents());
      orderList.add(order);
    }
    json.put("orders", orderList);
    Map<String, Object> pricing = new LinkedHashMap<>();
    pricing.put("subtotalCents", price.subtotalCents());
    pricing.put("discountCents", price.discountCents());
    pricing.put("totalCents", price.totalCents());
    json.put("pricing", pricing);
    json.put("recommendations", recommendations);
    json.put("degraded", List.copyOf(degraded.keySet()));
    json.put("degradedBecause", degraded);
    return json;
  }

  /** The deadline in ms: the default without the header, else its value, capped. */
  private long deadlineMs(String asked) {
    if (asked == null) {
      return defaultDeadline.toMillis();
    }
    long max = maxDeadline.toMillis();
    long ms;
    try {
      ms = Long.parseLong(asked.strip());
    } catch (NumberFormatException e) {
      ms = 0;
    }
    if (ms <= 0) {
      throw new IllegalArgumentException(
          DEADLINE_HEADER
              + " must be a whole number of milliseconds from 1 to "
              + max
              + " (larger values are capped), was '"
              + asked
              + "'");
    }
    return Math.min(ms, max);
  }

  private static long subtotal(List<Order> orders) {
    return orders.stream().mapToLong(Order::totalCents).sum();
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private Reply count(String outcome, long nanos, Reply reply) {
    Timer.builder("dashboard.requests")
        .description("Dashboard requests, by outcome: ok, degraded, failed (502), deadline (504)")
        .tag("outcome", outcome)
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
    return reply;
  }
}
