package dev.weft.jfr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.internal.JfrHook;
import dev.weft.internal.Observers;
import dev.weft.lockorder.LockOrderChecker;
import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Weft's JFR events, recorded and read back with jdk.jfr.consumer; the observer's lifetime. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JfrEventsTest {
  @TempDir Path dir;

  @BeforeAll
  static void install() {
    JfrHook.install(); // what the first Scope.open does
  }

  private static boolean observerInstalled() {
    return Arrays.stream(Observers.all()).anyMatch(o -> o instanceof JfrObserver);
  }

  private List<RecordedEvent> stopAndRead(Recording r, String prefix) throws IOException {
    r.stop();
    Path file = dir.resolve("weft.jfr");
    r.dump(file);
    r.close();
    return RecordingFile.readAllEvents(file).stream()
        .filter(e -> e.getEventType().getName().startsWith(prefix))
        .toList();
  }

  @Test
  void noRecording_noObserver_andARecordingWithoutWeftEventsInstallsNone() throws Exception {
    assertThat(JfrRecordings.observing()).isFalse();
    assertThat(observerInstalled()).isFalse();
    try (Recording plain = new Recording()) { // the JDK's events only: Weft's are off by default
      plain.enable("jdk.ThreadPark");
      plain.start();
      assertThat(observerInstalled()).isFalse();
      try (Recording weft = new Recording()) {
        weft.enable("dev.weft.Task");
        weft.start();
        assertThat(observerInstalled()).isTrue();
        weft.stop();
        assertThat(observerInstalled()).as("removed when the recording stops").isFalse();
      }
      plain.stop();
    }
    assertThat(JfrRecordings.observing()).isFalse();
  }

  @Test
  void recording_scopeAndTaskEvents_carryNamesOutcomesAndWaits() throws Exception {
    Recording r = new Recording();
    r.enable("dev.weft.Scope");
    r.enable("dev.weft.Task");
    r.start();
    CountDownLatch gate = new CountDownLatch(1);
    Throwable thrown;
    try (var scope = Scope.open("jfr-outer", Policy.collectAll(), c -> c.withMaxConcurrency(1))) {
      scope.fork(
          "first",
          () -> {
            gate.await();
            try (var inner = Scope.open("jfr-inner")) {
              inner.fork("leaf", () -> 1);
              return inner.join();
            }
          });
      scope.fork("queued", () -> 2); // waits for first's slot until the gate opens
      Task<Object> bad =
          scope.fork(
              "bad",
              () -> {
                throw new IOException("secret");
              });
      scope.fork("skipped", bad, v -> v);
      scope.<String>fork(
          "recovered",
          () -> {
            throw new IllegalStateException("x");
          },
          o -> o.withFallbackValue("y"));
      gate.countDown();
      thrown = catchThrowable(scope::join);
    }
    List<RecordedEvent> events = stopAndRead(r, "dev.weft.");

    Map<String, RecordedEvent> tasks =
        events.stream()
            .filter(e -> e.getEventType().getName().equals("dev.weft.Task"))
            .filter(e -> e.getString("scope").startsWith("jfr-"))
            .collect(Collectors.toMap(e -> e.getString("task"), Function.identity()));
    assertThat(tasks).containsOnlyKeys("first", "queued", "bad", "skipped", "recovered", "leaf");
    assertThat(tasks.get("first").getString("outcome")).isEqualTo("succeeded");
    assertThat(tasks.get("first").getString("exception")).isNull();
    assertThat(tasks.get("first").getThread().getJavaName()).isEqualTo("jfr-outer/first");
    assertThat(tasks.get("first").getDuration()).isPositive(); // its body waited for the gate
    RecordedEvent queued = tasks.get("queued");
    assertThat(queued.getString("outcome")).isEqualTo("succeeded");
    assertThat(queued.getDuration("slotWait")).isPositive();
    assertThat(queued.getDuration("queueWait"))
        .isGreaterThanOrEqualTo(queued.getDuration("slotWait"));
    assertThat(tasks.get("bad").getString("outcome")).isEqualTo("failed");
    assertThat(tasks.get("bad").getString("exception")).isEqualTo("java.io.IOException");
    assertThat(tasks.get("skipped").getString("outcome")).isEqualTo("skipped");
    assertThat(tasks.get("skipped").getDuration()).isZero(); // its body never ran
    assertThat(tasks.get("recovered").getString("outcome")).isEqualTo("recovered");
    assertThat(tasks.get("recovered").getString("exception"))
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(tasks.get("leaf").getString("scope")).isEqualTo("jfr-inner");
    assertThat(events).noneMatch(e -> e.toString().contains("secret"));

    Map<String, RecordedEvent> scopes =
        events.stream()
            .filter(e -> e.getEventType().getName().equals("dev.weft.Scope"))
            .filter(e -> e.getString("scope").startsWith("jfr-"))
            .collect(Collectors.toMap(e -> e.getString("scope"), Function.identity()));
    assertThat(scopes).containsOnlyKeys("jfr-outer", "jfr-inner");
    RecordedEvent outer = scopes.get("jfr-outer");
    assertThat(outer.getString("policy")).isEqualTo("collect-all");
    assertThat(outer.getString("outcome")).isEqualTo("failed");
    assertThat(outer.getString("exception")).isEqualTo(thrown.getClass().getName());
    assertThat(outer.getInt("tasks")).isEqualTo(5);
    assertThat(outer.getString("parentScope")).isNull();
    assertThat(outer.getThread().getJavaName()).isEqualTo(Thread.currentThread().getName());
    RecordedEvent inner = scopes.get("jfr-inner");
    assertThat(inner.getString("outcome")).isEqualTo("succeeded");
    assertThat(inner.getString("parentScope")).isEqualTo("jfr-outer");
    assertThat(inner.getString("parentTask")).isEqualTo("first");
    assertThat(inner.getStartTime()).isAfterOrEqualTo(outer.getStartTime());
    assertThat(inner.getEndTime()).isBeforeOrEqualTo(outer.getEndTime());
    assertThat(observerInstalled()).isFalse();
  }

  @Test
  void recording_cancelledTasks_areCommittedOnce_withTheirOutcome() throws Exception {
    Recording r = new Recording();
    r.enable("dev.weft.Task").withThreshold(Duration.ZERO);
    r.start();
    CountDownLatch started = new CountDownLatch(1);
    try (var scope = Scope.open("jfr-cancel")) {
      Task<Object> running =
          scope.fork(
              "running",
              () -> {
                started.countDown();
                new CountDownLatch(1).await(); // until the cancel interrupts it
                return null;
              });
      scope.fork("pending", running, v -> v);
      started.await();
      scope.cancel();
      catchThrowable(scope::join);
    }
    List<RecordedEvent> tasks =
        stopAndRead(r, "dev.weft.Task").stream()
            .filter(e -> e.getString("scope").equals("jfr-cancel"))
            .toList();
    assertThat(tasks)
        .extracting(e -> e.getString("task") + " " + e.getString("outcome"))
        .containsExactlyInAnyOrder("running cancelled", "pending cancelled");
  }

  @Test
  void recording_scopeOnly_recordsNoTaskEvents() throws Exception {
    Recording r = new Recording();
    r.enable("dev.weft.Scope");
    r.start();
    try (var scope = Scope.open("jfr-only")) {
      scope.fork("t", () -> 1);
      scope.join();
    }
    List<RecordedEvent> events = stopAndRead(r, "dev.weft.");
    assertThat(events)
        .extracting(e -> e.getEventType().getName())
        .contains("dev.weft.Scope")
        .doesNotContain("dev.weft.Task");
  }

  @Test
  void recording_lockOrderViolationAndDeadlock_areEvents() throws Exception {
    Recording r = new Recording(); // with the defaults: Weft's lock events are on
    r.enable("dev.weft.LockOrderViolation");
    r.enable("dev.weft.Deadlock");
    r.start();
    LockOrderChecker checker = LockOrderChecker.create();
    Lock a = checker.newLock("jfr-a");
    Lock b = checker.newLock("jfr-b");
    a.lock();
    b.lock();
    b.unlock();
    a.unlock();
    b.lock();
    try {
      assertThat(catchThrowable(a::lock)).isNotNull(); // b -> a after a -> b: reported, thrown
    } finally {
      b.unlock();
    }
    Lock accounts = checker.newLock("jfr-accounts");
    accounts.lock();
    try (var scope = Scope.open("jfr-deadlock")) {
      scope.fork(
          "pay",
          () -> {
            accounts.lock(); // held by the owner, which joins: a deadlock, reported
            accounts.unlock();
            return null;
          });
      catchThrowable(scope::join);
    } finally {
      accounts.unlock();
    }
    List<RecordedEvent> events = stopAndRead(r, "dev.weft.");
    RecordedEvent v =
        events.stream()
            .filter(e -> e.getEventType().getName().equals("dev.weft.LockOrderViolation"))
            .findFirst()
            .orElseThrow();
    assertThat(v.getString("cycle")).isEqualTo("jfr-b -> jfr-a -> jfr-b");
    assertThat(v.getString("message")).contains("jfr-a").contains("jfr-b");
    assertThat(v.getStackTrace()).isNotNull();
    RecordedEvent d =
        events.stream()
            .filter(e -> e.getEventType().getName().equals("dev.weft.Deadlock"))
            .findFirst()
            .orElseThrow();
    assertThat(d.getString("threads")).isEqualTo("jfr-deadlock/pay");
    assertThat(d.getString("locks")).contains("jfr-accounts");
    assertThat(d.getString("summary")).contains("jfr-deadlock");
  }

  @Test
  void startFlightRecordingStyle_recordingFile_isWritten() throws Exception {
    // The same events through a recording that writes its file as it stops (as
    // -XX:StartFlightRecording:filename=... does).
    Path file = dir.resolve("direct.jfr");
    try (Recording r = new Recording()) {
      r.enable("dev.weft.Scope");
      r.setDestination(file);
      r.start();
      try (var scope = Scope.open("jfr-direct")) {
        scope.fork("t", () -> 1);
        scope.join();
      }
      r.stop();
    }
    assertThat(Files.size(file)).isPositive();
    assertThat(RecordingFile.readAllEvents(file))
        .anyMatch(
            e ->
                e.getEventType().getName().equals("dev.weft.Scope")
                    && e.getString("scope").equals("jfr-direct"));
  }
}
