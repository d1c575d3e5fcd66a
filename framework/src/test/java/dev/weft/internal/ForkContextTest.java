package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.context.ContextRegistry;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.slf4j.MDC;

/** The capture at fork: null (and no allocation) when the context is empty. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
@DisabledIfSystemProperty(named = "weft.test.noContextLibraries", matches = "true")
class ForkContextTest {
  private static final ThreadLocal<String> EMPTY = new ThreadLocal<>();

  /** With nothing in any source, the capture is null; each source with a value is named. */
  @Test
  void capture_emptyOrNot_nullOrNamesSourcesWithValues() {
    ContextRegistry.getInstance().registerThreadLocalAccessor("weft-test-empty", EMPTY);
    try {
      assertThat(ForkContext.capture()).isNull();
      MDC.put("requestId", "r-1");
      assertThat(ForkContext.describe(ForkContext.capture())).isEqualTo("[slf4j-mdc]");
      EMPTY.set("x");
      assertThat(ForkContext.describe(ForkContext.capture()))
          .isEqualTo("[slf4j-mdc, context-propagation]");
      MDC.clear();
      assertThat(ForkContext.describe(ForkContext.capture())).isEqualTo("[context-propagation]");
    } finally {
      MDC.clear();
      EMPTY.remove();
      ContextRegistry.getInstance().removeThreadLocalAccessor("weft-test-empty");
    }
  }

  /**
   * An empty capture allocates nothing, also with an accessor registered (whose value is null) and
   * an MDC that had entries once: measured with the thread's allocation counter over rounds of
   * 100,000 captures. The best round counts: while the JIT moves the loop between tiers a round can
   * see a few bytes of its own (measured: up to 64 KB once, 0 in every later round), while a
   * capture that allocates even one small object costs 1.6 MB in every round.
   */
  @Test
  void capture_empty_allocatesNothing() throws ReflectiveOperationException {
    // java.management is not read by the module the tests are compiled into: reflection.
    Object threads =
        Class.forName("java.lang.management.ManagementFactory")
            .getMethod("getThreadMXBean")
            .invoke(null);
    Method allocatedBytes =
        Class.forName("com.sun.management.ThreadMXBean")
            .getMethod("getThreadAllocatedBytes", long.class);
    ContextRegistry.getInstance().registerThreadLocalAccessor("weft-test-empty", EMPTY);
    MDC.put("k", "v");
    MDC.clear();
    try {
      long id = Thread.currentThread().threadId();
      int nulls = 0;
      long best = Long.MAX_VALUE;
      for (int round = 0; round < 5; round++) {
        long before = (long) allocatedBytes.invoke(threads, id);
        for (int i = 0; i < 100_000; i++) {
          nulls += ForkContext.capture() == null ? 1 : 0;
        }
        best = Math.min(best, (long) allocatedBytes.invoke(threads, id) - before);
      }
      assertThat(nulls).isEqualTo(500_000);
      assertThat(best)
          .as("bytes allocated by 100,000 empty captures (best of 5 rounds)")
          .isLessThan(1_000);
    } finally {
      ContextRegistry.getInstance().removeThreadLocalAccessor("weft-test-empty");
    }
  }
}
