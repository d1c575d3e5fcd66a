package dev.weft.trace;

import dev.weft.scope.ScopeTrace;
import dev.weft.scope.ScopeTrace.Outcome;
import dev.weft.scope.ScopeTrace.TracedScope;
import dev.weft.scope.ScopeTrace.TracedTask;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Hand-built traces with known times (in milliseconds, stored as nanoseconds) for the tests. */
final class Traces {
  static final long NEVER = ScopeTrace.NEVER;

  private Traces() {}

  static long ms(long millis) {
    return millis == NEVER ? NEVER : millis * 1_000_000;
  }

  /** A task of scope {@code scopePath} that ran from {@code started} to {@code ended}. */
  static TracedTask ran(
      String scopePath,
      String name,
      long forked,
      long ready,
      long started,
      long ended,
      String... dependencies) {
    return task(
        scopePath,
        name,
        forked,
        ready,
        ready,
        started,
        ended,
        ended,
        Outcome.SUCCEEDED,
        null,
        null,
        List.of(),
        dependencies);
  }

  /** A task that started at 1 ms and failed with an IOException at {@code ended}. */
  static TracedTask failed(String scopePath, String name, long ended) {
    return task(
        scopePath,
        name,
        0,
        0,
        0,
        1,
        ended,
        ended,
        Outcome.FAILED,
        "java.io.IOException",
        null,
        List.of());
  }

  /**
   * A task that started at 1 ms, opened {@code scopes} in its body and succeeded at {@code ended}.
   */
  static TracedTask opening(String scopePath, String name, long ended, TracedScope... scopes) {
    return task(
        scopePath, name, 0, 0, 0, 1, ended, ended, Outcome.SUCCEEDED, null, null, List.of(scopes));
  }

  /** A task skipped at {@code ended} because a dependency failed. */
  static TracedTask skipped(String scopePath, String name, long ended, String... dependencies) {
    return task(
        scopePath,
        name,
        0,
        NEVER,
        NEVER,
        NEVER,
        NEVER,
        ended,
        Outcome.SKIPPED,
        null,
        null,
        List.of(),
        dependencies);
  }

  static TracedTask task(
      String scopePath,
      String name,
      long forked,
      long ready,
      long slot,
      long started,
      long bodyEnded,
      long ended,
      Outcome outcome,
      @Nullable String failure,
      @Nullable String slotFrom,
      List<TracedScope> scopes,
      String... dependencies) {
    return new TracedTask(
        name,
        scopePath + "/" + name,
        List.of(dependencies),
        ms(forked),
        ms(ready),
        ms(slot),
        ms(started),
        ms(bodyEnded),
        ms(ended),
        outcome,
        failure,
        started == NEVER ? null : scopePath + "/" + name,
        slotFrom,
        scopes);
  }

  static TracedScope scope(
      String name, String path, long opened, long joined, long closed, TracedTask... tasks) {
    return new TracedScope(
        name,
        path,
        "fail-fast",
        "owner",
        ms(opened),
        ms(joined),
        null,
        ms(closed),
        List.of(tasks),
        List.of());
  }

  static ScopeTrace trace(TracedScope root) {
    return ScopeTrace.of(Instant.parse("2026-12-02T10:00:00Z"), root);
  }

  /**
   * The known graph: {@code a} (10 ms) and {@code b} (30 ms) feed {@code c} (10 ms); {@code d} runs
   * alone for 35 ms. The path is b -> c: c waited for b, which ended after a, and d ended before c.
   */
  static ScopeTrace knownGraph() {
    return trace(
        scope(
            "req",
            "req",
            0,
            41,
            42,
            ran("req", "a", 0, 0, 1, 10),
            ran("req", "b", 0, 0, 1, 30),
            ran("req", "c", 0, 30, 31, 41, "a", "b"),
            ran("req", "d", 0, 0, 1, 35)));
  }
}
