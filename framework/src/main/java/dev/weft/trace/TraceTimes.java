package dev.weft.trace;

import dev.weft.scope.ScopeTrace;
import dev.weft.scope.ScopeTrace.TracedScope;
import dev.weft.scope.ScopeTrace.TracedTask;
import java.util.Locale;
import java.util.Objects;

/** What every export reads the same way from a trace: its argument check, span ends, times. */
final class TraceTimes {
  private TraceTimes() {}

  /** {@code trace}, checked: the one message every export gives for null. */
  static ScopeTrace require(ScopeTrace trace) {
    return Objects.requireNonNull(
        trace, "trace must not be null: pass the ScopeTrace given to the sink");
  }

  /** When {@code t} became ready, or its end if its dependencies never all succeeded. */
  static long readyOrEnd(TracedTask t) {
    return t.readyNanos() != ScopeTrace.NEVER ? t.readyNanos() : t.endedNanos();
  }

  /** When the body of a started task ended, or the task's end if the body's end is not known. */
  static long bodyEnd(TracedTask t) {
    return t.bodyEndedNanos() != ScopeTrace.NEVER ? t.bodyEndedNanos() : t.endedNanos();
  }

  /** When {@code join()} of {@code s} returned, or its close if it was never joined. */
  static long joinedOrClosed(TracedScope s) {
    return s.joinedNanos() != ScopeTrace.NEVER ? s.joinedNanos() : s.closedNanos();
  }

  /** {@code nanos} in milliseconds with one decimal, as in {@code 12.3 ms}. */
  static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }
}
