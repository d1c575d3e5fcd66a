package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.slf4j.MDC;

/**
 * The capture at fork: null (and no allocation) when the context is empty; the last fork's context
 * again when nothing changed; Micrometer's accessors set and restored as its own snapshot does.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
@DisabledIfSystemProperty(named = "weft.test.noContextLibraries", matches = "true")
class ForkContextTest {
  private static final ThreadLocal<String> EMPTY = new ThreadLocal<>();
  private static final ThreadLocal<String> FIRST = new ThreadLocal<>();
  private static final ThreadLocal<String> SECOND = new ThreadLocal<>();

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

  /**
   * A fork whose thread has the same context as at the scope's last fork gets that very context
   * (and allocates nothing for it); any change, in the MDC or in an accessor's value, is a new one.
   */
  @Test
  void capture_sameAsLast_returnsLastOrCapturesTheChange() throws Exception {
    ContextRegistry.getInstance().registerThreadLocalAccessor("weft-test-first", FIRST);
    try {
      FIRST.set("a");
      Object first = ForkContext.capture(null);
      assertThat(ForkContext.capture(first)).isSameAs(first);
      FIRST.set("b");
      Object second = ForkContext.capture(first);
      assertThat(second).isNotSameAs(first);
      assertThat(seen(second)).isEqualTo("b");
      assertThat(seen(first)).isEqualTo("a"); // a shared context is never changed
      MDC.put("requestId", "r-1");
      Object third = ForkContext.capture(second);
      assertThat(ForkContext.describe(third)).isEqualTo("[slf4j-mdc, context-propagation]");
      assertThat(ForkContext.capture(third)).isSameAs(third);
      MDC.put("requestId", "r-2");
      assertThat(ForkContext.capture(third)).isNotSameAs(third);
      MDC.clear();
      FIRST.remove();
      assertThat(ForkContext.capture(third)).isNull();
    } finally {
      MDC.clear();
      FIRST.remove();
      ContextRegistry.getInstance().removeThreadLocalAccessor("weft-test-first");
    }
  }

  /**
   * In the task's thread, each accessor with a value at fork is set in registration order and put
   * back in the reverse order: to what that thread had, or with {@code restore()} where it had
   * nothing; an accessor without a value at fork is left alone. An accessor whose {@code setValue}
   * throws fails the install, and what was set before it is put back.
   */
  @Test
  void install_setsInOrder_restoreGivesBackWhatTheThreadHad() throws Exception {
    List<String> calls = new ArrayList<>();
    ContextRegistry registry = ContextRegistry.getInstance();
    registry.registerThreadLocalAccessor(new Recording("weft-test-first", FIRST, calls, false));
    registry.registerThreadLocalAccessor(new Recording("weft-test-second", SECOND, calls, false));
    try {
      FIRST.set("f");
      SECOND.set("s");
      Object context = ForkContext.capture(null);
      FIRST.set("mine");
      SECOND.remove();
      Object[] previous = ForkContext.install(context, "t");
      assertThat(FIRST.get() + "," + SECOND.get()).isEqualTo("f,s");
      ForkContext.restore(context, previous);
      assertThat(FIRST.get() + "," + SECOND.get()).isEqualTo("mine,null");
      assertThat(calls)
          .containsExactly(
              "weft-test-first=f",
              "weft-test-second=s",
              "weft-test-second restore()",
              "weft-test-first restore(mine)");

      calls.clear();
      registry.removeThreadLocalAccessor("weft-test-second");
      registry.registerThreadLocalAccessor(new Recording("weft-test-second", SECOND, calls, true));
      FIRST.set("f");
      SECOND.set("s");
      Object failing = ForkContext.capture(null);
      FIRST.set("mine");
      SECOND.remove();
      assertThatThrownBy(() -> ForkContext.install(failing, "load"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith(
              "task 'load' did not run: context propagator 'context-propagation' threw from"
                  + " install(): java.lang.IllegalStateException: broken accessor")
          .hasCauseInstanceOf(IllegalStateException.class);
      assertThat(FIRST.get()).isEqualTo("mine");
      assertThat(calls).containsExactly("weft-test-first=f", "weft-test-first restore(mine)");
    } finally {
      FIRST.remove();
      SECOND.remove();
      registry.removeThreadLocalAccessor("weft-test-first");
      registry.removeThreadLocalAccessor("weft-test-second");
    }
  }

  /** The value of FIRST that a task would see with {@code context}, read in another thread. */
  private static String seen(Object context) throws InterruptedException {
    String[] seen = new String[1];
    Thread t =
        Thread.ofVirtual()
            .start(
                () -> {
                  Object[] previous = ForkContext.install(context, "t");
                  seen[0] = FIRST.get();
                  ForkContext.restore(context, previous);
                });
    t.join();
    return seen[0];
  }

  /** An accessor of {@code local} that records its calls; {@code broken}: setValue throws. */
  private record Recording(
      Object key, ThreadLocal<String> local, List<String> calls, boolean broken)
      implements ThreadLocalAccessor<String> {

    @Override
    public String getValue() {
      return local.get();
    }

    @Override
    public void setValue(String value) {
      if (broken) {
        throw new IllegalStateException("broken accessor");
      }
      calls.add(key + "=" + value);
      local.set(value);
    }

    @Override
    public void setValue() {
      calls.add(key + " setValue()");
      local.remove();
    }

    @Override
    public void restore(String previous) {
      calls.add(key + " restore(" + previous + ")");
      local.set(previous);
    }

    @Override
    public void restore() {
      calls.add(key + " restore()");
      local.remove();
    }
  }
}
