package dev.weft.samples.http;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The id of a request: the client's {@code X-Request-Id} when it sent a usable one, else a new one.
 * Every response carries it back, every log line of the request has it in the MDC (key {@value
 * #MDC_KEY}), and the dashboard passes it on to the backends.
 */
final class RequestIds {
  /** The header that carries the id, both ways. */
  static final String HEADER = "X-Request-Id";

  /** The MDC key of the id in log lines. */
  static final String MDC_KEY = "requestId";

  /** What a client's id may look like: short, and safe in logs, headers and JSON. */
  private static final Pattern USABLE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private RequestIds() {}

  /**
   * {@code fromClient} (null if the client sent none) if it is usable, else a new random id such as
   * {@code 5f0c2a9e1b7d4c33}.
   */
  static String choose(String fromClient) {
    if (fromClient != null && USABLE.matcher(fromClient).matches()) {
      return fromClient;
    }
    return String.format("%016x", ThreadLocalRandom.current().nextLong());
  }
}
