package dev.weft.samples.http;

import java.time.Duration;
import java.util.List;

/**
 * The command line of the dashboard service, parsed and checked.
 *
 * @param host the address the service listens on; loopback unless you pass another
 * @param port the port; 0 picks a free one
 * @param backendLatency how long each backend takes to answer, before jitter
 * @param backendJitter up to how much longer, drawn uniformly per call
 * @param backendFailureRate the share of backend calls that answer 503, from 0 to 1
 * @param defaultDeadline the deadline of a dashboard request without {@code X-Deadline-Ms}
 * @param maxDeadline the most a client may ask for with {@code X-Deadline-Ms}
 * @param recommendationsTimeout how long recommendations may take before a dashboard goes without
 * @param maxConcurrentRequests how many requests the service handles at once (more wait)
 * @param debug whether {@code /debug/...} answers (loopback clients only)
 * @param buggyOrder whether {@code POST /transfer} takes its locks in the buggy order
 */
public record Options(
    String host,
    int port,
    Duration backendLatency,
    Duration backendJitter,
    double backendFailureRate,
    Duration defaultDeadline,
    Duration maxDeadline,
    Duration recommendationsTimeout,
    int maxConcurrentRequests,
    boolean debug,
    boolean buggyOrder) {

  /** What {@code --help} prints. */
  public static final String USAGE =
      """
      usage: java -jar samples/target/weft-samples.jar [options]
        --port N                    port to listen on (default 8080; 0 picks a free one)
        --host ADDRESS              address to listen on (default 127.0.0.1)
        --backend-latency-ms L      latency of every backend call (default 20)
        --backend-jitter-ms J       up to J ms more, at random (default 10)
        --backend-failure-rate R    share of backend calls that fail, 0 to 1 (default 0)
        --deadline-ms D             deadline of a dashboard without X-Deadline-Ms (default 500)
        --max-deadline-ms M         cap on X-Deadline-Ms (default 2000)
        --recommendations-timeout-ms T  recommendations wait at most T ms (default 150)
        --max-concurrent-requests C requests handled at once (default 256)
        --debug                     answer /debug/scopes and /debug/trace/{id} (loopback only)
        --buggy-order               POST /transfer takes its locks in the order of the request
        --help                      print this and exit
      """;

  /** The defaults: port 8080 on loopback, 20 ms backends with 10 ms jitter, no failures. */
  public static Options defaults() {
    return new Options(
        "127.0.0.1",
        8080,
        Duration.ofMillis(20),
        Duration.ofMillis(10),
        0.0,
        Duration.ofMillis(500),
        Duration.ofMillis(2000),
        Duration.ofMillis(150),
        256,
        false,
        false);
  }

  /**
   * Parses {@code args} over the defaults.
   *
   * @throws IllegalArgumentException naming the option and the values it takes, for an unknown
   *     option, a missing or malformed value, or a value out of range
   */
  public static Options parse(List<String> args) {
    Options o = defaults();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--debug" -> o = o.withDebug(true);
        case "--buggy-order" -> o = o.withBuggyOrder(true);
        case "--help", "-h" -> throw new HelpRequested();
        default -> {
          if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(
                known(arg) ? arg + " needs a value: " + arg + " N" : unknown(arg));
          }
          String value = args.get(++i);
          o =
              switch (arg) {
                case "--port" -> o.withPort((int) number(arg, value, 0, 65_535));
                case "--host" -> o.withHost(value);
                case "--backend-latency-ms" ->
                    o.withBackendLatency(Duration.ofMillis(number(arg, value, 0, 10_000)));
                case "--backend-jitter-ms" ->
                    o.withBackendJitter(Duration.ofMillis(number(arg, value, 0, 10_000)));
                case "--backend-failure-rate" -> o.withBackendFailureRate(rate(arg, value));
                case "--deadline-ms" ->
                    o.withDefaultDeadline(Duration.ofMillis(number(arg, value, 1, 60_000)));
                case "--max-deadline-ms" ->
                    o.withMaxDeadline(Duration.ofMillis(number(arg, value, 1, 60_000)));
                case "--recommendations-timeout-ms" ->
                    o.withRecommendationsTimeout(Duration.ofMillis(number(arg, value, 1, 60_000)));
                case "--max-concurrent-requests" ->
                    o.withMaxConcurrentRequests((int) number(arg, value, 1, 100_000));
                default -> throw new IllegalArgumentException(unknown(arg));
              };
        }
      }
    }
    if (o.defaultDeadline.compareTo(o.maxDeadline) > 0) {
      throw new IllegalArgumentException(
          "--deadline-ms "
              + o.defaultDeadline.toMillis()
              + " is above --max-deadline-ms "
              + o.maxDeadline.toMillis()
              + ": raise --max-deadline-ms or lower --deadline-ms");
    }
    return o;
  }

  /** Thrown by {@link #parse} for {@code --help}: the caller prints {@link #USAGE}. */
  public static final class HelpRequested extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HelpRequested() {
      super("--help", null, false, false);
    }
  }

  // --- withers (the tests build options with them) ---

  public Options withHost(String host) {
    return new Options(
        host,
        port,
        backendLatency,
        backendJitter,
        backendFailureRate,
        defaultDeadline,
        maxDeadline,
        recommendationsTimeout,
        maxConcurrentRequests,
        debug,
        buggyOrder);
  }

  public Options withPort(int port) {
    return new Options(
        host,
        port,
        backendLatency,
        backendJitter,
        backendFailureRate,
        defaultDeadline,
        maxDeadline,
        recommendationsTimeout,
        maxConcurrentRequests,
        debug,
        buggyOrder);
  }

  public Options withBackendLatency(Duration backendLatency) {
    return new Options(
        host,
        port,
        backendLatency,
        backendJitter,
        backendFailureRate,
        defaultDeadline,
        maxDeadline,
        recommendationsTimeout,
        maxConcurrentRequests,
        debug,
        buggyOrder);
  }

  public Options withBackendJitter(Duration backendJitter) {
    return new Options(
        host,
        port,
        backendLatency,
        backendJitter,
        backendFailureRate,
        defaultDeadline,
        maxDeadline,
        recommendationsTimeout,
        maxConcurrentRequests,
        debug,
        buggyOrder);
  }

  public Options withBackendFailureRate(double backendFailureRate) {
    return new Options(
        host,
        port,
        backendLatency,
        backendJitter,
        backendFailureRate,
        defaultDeadline,
        maxDeadline,
        recommendationsTimeout,
        maxConcurrentRequests,
        debug,
        buggyOrder);
  }

  public Options withDefaultDeadline(Duration defaultDeadline) {
    return new Options(
        host,
        port,
        backendLatency,
        backendJitter,
        backendFailureRate,
        defaultDeadline,
        maxDeadline,
        recommendationsTimeout,
        maxConcurrentRequests,
        debug,
        buggyOrder);
  }

  public Options withMaxDeadline(Duration maxDeadline) {
    return new Options(
        host,
        port,
        backendLatency,
        backendJitter,
        backendFailureRate,
        defaultDeadline,
        maxDeadline,
        recommendationsTimeout,
        maxConcurrentRequests,
        debug,
        buggyOrder);
  }

  public Options withRecommendationsTimeout(Duration recommendationsTimeout) {
    return new Options(
        host,
        port,
        backendLatency,
        backendJitter,
        backendFailureRate,
        defaultDeadline,
        maxDeadline,
        recommendationsTimeout,
        maxConcurrentRequests,
        debug,
        buggyOrder);
  }

  public Options withMaxConcurrentRequests(int maxConcurrentRequests) {
    return new Options(
        host,
        port,
        backendLatency,
        backendJitter,
        backendFailureRate,
        defaultDeadline,
        maxDeadline,
        recommendationsTimeout,
        maxConcurrentRequests,
        debug,
        buggyOrder);
  }

  public Options withDebug(boolean debug) {
    return new Options(
        host,
        port,
        backendLatency,
        backendJitter,
        backendFailureRate,
        defaultDeadline,
        maxDeadline,
        recommendationsTimeout,
        maxConcurrentRequests,
        debug,
        buggyOrder);
  }

  public Options withBuggyOrder(boolean buggyOrder) {
    return new Options(
        host,
        port,
        backendLatency,
        backendJitter,
        backendFailureRate,
        defaultDeadline,
        maxDeadline,
        recommendationsTimeout,
        maxConcurrentRequests,
        debug,
        buggyOrder);
  }

  // --- implementation ---

  private static boolean known(String arg) {
    return USAGE.contains(" " + arg + " ");
  }

  private static String unknown(String arg) {
    return "unknown option " + arg + ": see --help for the options";
  }

  private static long number(String option, String value, long min, long max) {
    long n;
    try {
      n = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option + " takes a whole number from " + min + " to " + max + ", was '" + value + "'");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(
          option + " takes a whole number from " + min + " to " + max + ", was " + n);
    }
    return n;
  }

  static double rate(String option, String value) {
    double r;
    try {
      r = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option + " takes a number from 0 to 1 (0.1 is 10 %), was '" + value + "'");
    }
    if (!(r >= 0 && r <= 1)) {
      throw new IllegalArgumentException(
          option + " takes a number from 0 to 1 (0.1 is 10 %), was " + value);
    }
    return r;
  }
}
