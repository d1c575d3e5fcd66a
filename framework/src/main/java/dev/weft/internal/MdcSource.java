package dev.weft.internal;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The SLF4J MDC, through the SLF4J API only: captured as a copy of the forking thread's map,
 * installed with {@code setContextMap}, and restored to what the task's thread had (cleared when it
 * had nothing). Without an SLF4J provider the MDC is SLF4J's no-operation adapter: its copy is
 * null, so nothing is captured.
 */
final class MdcSource implements ContextSource {
  static final String NAME = "slf4j-mdc";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public @Nullable Object capture() {
    Map<String, String> map = MDC.getCopyOfContextMap();
    return map == null || map.isEmpty() ? null : map;
  }

  /** The copy, or {@code last} when it holds the same entries (forks then share one context). */
  @Override
  public @Nullable Object capture(@Nullable Object last) {
    Object now = capture();
    return now != null && now.equals(last) ? last : now;
  }

  @Override
  public @Nullable Object install(Object value) {
    Map<String, String> previous = MDC.getCopyOfContextMap();
    MDC.setContextMap(map(value));
    return previous == null || previous.isEmpty() ? null : previous;
  }

  @Override
  public void restore(@Nullable Object previous) {
    if (previous == null) {
      MDC.clear();
    } else {
      MDC.setContextMap(map(previous));
    }
  }

  @SuppressWarnings("unchecked") // only ever a map that capture or install returned
  private static Map<String, String> map(Object value) {
    return (Map<String, String>) value;
  }

  @Override
  public String toString() {
    return NAME;
  }
}
