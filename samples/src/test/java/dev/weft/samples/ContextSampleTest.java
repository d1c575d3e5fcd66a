package dev.weft.samples;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** ContextSample does what docs/observability.md, "Context in tasks" says. */
class ContextSampleTest {

  /** Every log line of the tasks, the nested task and the fallback carries the forker's MDC. */
  @Test
  void mdc_tasksNestedTaskAndFallback_logWithRequestId() throws InterruptedException {
    Logger log = (Logger) LoggerFactory.getLogger("dev.weft.samples.context");
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    log.addAppender(events);
    try {
      assertThat(ContextSample.mdc()).isEqualTo("req-7, assumed");
    } finally {
      log.detachAppender(events);
    }
    assertThat(events.list)
        .extracting(e -> e.getThreadName() + " " + e.getMDCPropertyMap().get("requestId"))
        .containsExactlyInAnyOrder(
            "checkout/user req-7", "details/avatar req-7", "weft-timer req-7")
        .hasSize(3);
    assertThat(MDC.get("requestId")).isNull();
  }

  /** The registered ThreadLocal propagator carries the tenant. */
  @Test
  void ownPropagator_threadLocal_reachesTask() throws InterruptedException {
    assertThat(ContextSample.ownPropagator()).isEqualTo("acme");
    assertThat(ContextSample.TENANT.get()).isNull();
  }
}
