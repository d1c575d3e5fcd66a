package dev.weft.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.weft.scope.ScopeTrace;
import dev.weft.scope.ScopeTrace.Outcome;
import dev.weft.scope.ScopeTrace.TracedScope;
import dev.weft.scope.ScopeTrace.TracedTask;
import dev.weft.trace.CriticalPath;
import dev.weft.trace.CriticalPath.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TraceSample traces what docs/observability.md shows, and its critical path follows the times. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TraceSampleTest {

  /**
   * The path ends at pricing, which waited for whichever of profile and orders ended last (orders,
   * unless the machine stalled it); through orders it goes into the query that ended last.
   */
  @Test
  void dashboard_criticalPathFollowsTheLaterDependency() throws Exception {
    ScopeTrace trace = TraceSample.dashboard();
    TracedScope root = trace.root();
    assertThat(root.tasks())
        .extracting(TracedTask::name, TracedTask::outcome)
        .containsExactly(
            tuple("profile", Outcome.SUCCEEDED),
            tuple("orders", Outcome.SUCCEEDED),
            tuple("pricing", Outcome.SUCCEEDED),
            tuple("recommendations", Outcome.RECOVERED));
    TracedTask profile = root.task("profile");
    TracedTask orders = root.task("orders");
    TracedTask later = orders.endedNanos() >= profile.endedNanos() ? orders : profile;

    List<Step> steps = CriticalPath.of(trace).steps();

    assertThat(steps).extracting(s -> s.task().name()).containsExactly(later.name(), "pricing");
    assertThat(steps.get(1).waitedFor()).isEqualTo(CriticalPath.Wait.DEPENDENCY);
    if (later == orders) {
      TracedScope db = orders.scopes().get(0);
      TracedTask q =
          db.task("q1").endedNanos() >= db.task("q2").endedNanos() ? db.task("q1") : db.task("q2");
      assertThat(steps.get(0).inner().taskPaths()).containsExactly(q.path());
    }
  }

  /** main writes the four files the docs link to. */
  @Test
  void main_writesEveryExport(@TempDir Path dir) throws Exception {
    TraceSample.main(new String[] {dir.toString()});

    assertThat(Files.readString(dir.resolve("trace.json"))).startsWith("{\"displayTimeUnit\"");
    assertThat(Files.readString(dir.resolve("trace.svg"))).startsWith("<svg ");
    assertThat(Files.readString(dir.resolve("trace.mmd"))).startsWith("flowchart LR\n");
    assertThat(Files.readString(dir.resolve("trace.dot"))).startsWith("digraph weft {");
  }
}
