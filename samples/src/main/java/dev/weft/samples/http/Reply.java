package dev.weft.samples.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a route answers: a status, a content type, a body and extra headers. Routes return a reply
 * instead of writing the response themselves, so that {@link Router} alone writes responses: every
 * one carries {@code X-Request-Id}, and a route that throws becomes a 500 before anything was sent.
 *
 * @param status the HTTP status
 * @param contentType the {@code Content-Type} header
 * @param body the body, sent as UTF-8
 * @param headers more headers, in order
 */
record Reply(int status, String contentType, String body, Map<String, String> headers) {
  static final String JSON = "application/json";

  /** A JSON reply of {@code value}, written by {@link Json#write}. */
  static Reply json(int status, Object value) {
    return new Reply(status, JSON, Json.write(value), Map.of());
  }

  /** A JSON error reply: {@code {"error": message, ...more}}. */
  static Reply error(int status, String message, Object... more) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    for (int i = 0; i + 1 < more.length; i += 2) {
      body.put(String.valueOf(more[i]), more[i + 1]);
    }
    return json(status, body);
  }

  /** This reply with one more header. */
  Reply withHeader(String name, String value) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put(name, value);
    return new Reply(status, contentType, body, all);
  }
}
