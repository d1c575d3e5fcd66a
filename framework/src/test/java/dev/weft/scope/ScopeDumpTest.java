package dev.weft.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.internal.Observers;
import dev.weft.internal.ScopeObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ScopeDump: the tree, what each task waits for, text and JSON, and capture under churn. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ScopeDumpTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicReference<Throwable> ownerFailed = new AtomicReference<>();
  private Thread owner;

  @AfterEach
  void releaseAndJoin() throws InterruptedException {
    release.countDown();
    if (owner != null) {
      owner.join(Duration.ofSeconds(10));
      assertThat(owner.isAlive()).as("owner ended").isFalse();
    }
  }

  /** Runs {@code body} in a platform thread named {@code name}, which owns the scopes it opens. */
  private void runOwner(String name, ThrowingRunnable body) {
    owner =
        Thread.ofPlatform()
            .name(name)
            .start(
                () -> {
                  try {
                    body.run();
                  } catch (Throwable e) {
                    ownerFailed.set(e);
                  }
                });
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** The lines of the dump about scopes whose name starts with "dump-", with ages masked. */
  private static String mine(String text) {
    return text.lines()
        .filter(l -> !l.startsWith("Weft scope dump"))
        .collect(Collectors.joining("\n"))
        .replaceAll("open for [0-9.]+ m?s", "open for <age>")
        .replaceAll(" for [0-9.]+ m?s", " for <age>");
  }

  /** Only the roots named dump-*, as the JSON tree (other tests' scopes may be open). */
  private static List<JsonNode> myRoots(String json) throws IOException {
    JsonNode all = JSON.readTree(json);
    return all.get("scopes")
        .valueStream()
        .filter(s -> s.get("name").asText().startsWith("dump-"))
        .toList();
  }

  private static String myText(ScopeDump d) {
    // The roots of this test, by name: keep the blocks that start with "  scope 'dump-".
    StringBuilder b = new StringBuilder();
    boolean keep = false;
    for (String l : d.toText().lines().toList()) {
      if (l.startsWith("  scope ")) {
        keep = l.startsWith("  scope 'dump-");
      }
      if (keep) {
        b.append(l.substring(2)).append('\n'); // without the roots' indent
      }
    }
    return mine(b.toString());
  }

  private Callable0 awaitRelease() {
    return () -> {
      release.await();
      return null;
    };
  }

  interface Callable0 extends java.util.concurrent.Callable<Object> {}

  @Test
  void capture_knownTree_showsEveryTaskWithWhatItWaitsFor() throws Exception {
    runOwner(
        "dump-owner",
        () -> {
          try (var outer =
              Scope.open("dump-outer", Policy.collectAll(), c -> c.withMaxConcurrency(2))) {
            outer.fork("done", () -> 1);
            outer.fork(
                "bad",
                () -> {
                  throw new IOException("secret request data");
                });
            outer.fork(
                "nest",
                () -> {
                  try (var inner = Scope.open("dump-inner")) {
                    inner.fork("leaf", awaitRelease());
                    inner.join();
                  }
                  return null;
                });
            Task<Object> hold = outer.fork("hold", awaitRelease());
            outer.fork("queued", () -> 2);
            outer.fork("after", hold, v -> 3);
            outer.join();
          }
        });
    String expected =
        """
          scope 'dump-outer' (collect-all, joining) open for <age>, owner 'dump-owner' blocked in join()
            task 'done' SUCCEEDED
            task 'bad' FAILED: java.io.IOException
            task 'nest' RUNNING: runs its body in thread 'dump-outer/nest' (WAITING)
              scope 'dump-inner' (fail-fast, joining) open for <age>, owner 'dump-outer/nest' blocked in join()
                task 'leaf' RUNNING: runs its body in thread 'dump-inner/leaf' (WAITING)
            task 'hold' RUNNING: runs its body in thread 'dump-outer/hold' (WAITING)
            task 'queued' PENDING: waits for a slot (maxConcurrency 2, queued 1)
            task 'after' PENDING: waits for dependency 'hold' (RUNNING)"""
            .stripIndent();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(myText(ScopeDump.capture())).isEqualTo(expected));

    ScopeDump d = ScopeDump.capture();
    assertThat(d.toText()).doesNotContain("secret");
    assertThat(d.toJson()).doesNotContain("secret");
    List<JsonNode> roots = myRoots(d.toJson());
    assertThat(roots).hasSize(1);
    JsonNode outer = roots.get(0);
    assertThat(outer.get("policy").asText()).isEqualTo("collect-all");
    assertThat(outer.get("phase").asText()).isEqualTo("joining");
    assertThat(outer.get("ageMillis").asLong()).isNotNegative();
    assertThat(outer.get("owner").toString())
        .isEqualTo(
            "{\"thread\":\"dump-owner\",\"threadState\":\"WAITING\",\"blockedIn\":\"join()\"}");
    JsonNode tasks = outer.get("tasks");
    assertThat(tasks.valueStream().map(t -> t.get("name").asText()))
        .containsExactly("done", "bad", "nest", "hold", "queued", "after");
    assertThat(tasks.get(0).toString())
        .isEqualTo("{\"name\":\"done\",\"state\":\"SUCCEEDED\",\"scopes\":[]}");
    assertThat(tasks.get(1).toString())
        .isEqualTo(
            "{\"name\":\"bad\",\"state\":\"FAILED\",\"exception\":\"java.io.IOException\","
                + "\"scopes\":[]}");
    JsonNode nest = tasks.get(2);
    assertThat(nest.get("waitsFor").toString())
        .isEqualTo(
            "{\"kind\":\"body\",\"thread\":\"dump-outer/nest\",\"threadState\":\"WAITING\"}");
    JsonNode inner = nest.get("scopes").get(0);
    assertThat(inner.get("name").asText()).isEqualTo("dump-inner");
    assertThat(inner.get("owner").get("thread").asText()).isEqualTo("dump-outer/nest");
    assertThat(inner.get("tasks").get(0).get("name").asText()).isEqualTo("leaf");
    assertThat(tasks.get(4).get("waitsFor").toString())
        .isEqualTo("{\"kind\":\"slot\",\"maxConcurrency\":2,\"queued\":1}");
    assertThat(tasks.get(5).get("waitsFor").toString())
        .isEqualTo(
            "{\"kind\":\"dependency\",\"dependencies\":[{\"name\":\"hold\",\"state\":\"RUNNING\"}]}");
    assertThat(outer.get("scopes").size()).isZero();

    release.countDown();
    owner.join(Duration.ofSeconds(10));
    assertThat(ownerFailed.get()).isInstanceOf(TaskFailedException.class);
    assertThat(myText(ScopeDump.capture())).isEmpty();
  }

  @Test
  void capture_endedTasks_sayHowTheyEnded_andABodyThatStillRuns() throws Exception {
    CountDownLatch stubbornStarted = new CountDownLatch(1);
    runOwner(
        "dump-owner",
        () -> {
          try (var s =
              Scope.open(
                  "dump-ends",
                  Policy.collectAll(),
                  c -> c.withCancelGracePeriod(Duration.ofMinutes(1)))) {
            Task<Object> bad =
                s.fork(
                    "bad",
                    () -> {
                      throw new IllegalStateException("no");
                    });
            s.fork("skipped", bad, v -> v);
            s.<Object>fork(
                "recovered",
                () -> {
                  throw new IOException("down");
                },
                o -> o.withFallbackValue("x"));
            s.fork(
                "stubborn",
                () -> {
                  stubbornStarted.countDown();
                  while (true) { // ignores interrupts until released
                    try {
                      release.await();
                      return null;
                    } catch (InterruptedException e) {
                      // ignore: this body does not answer its timeout
                    }
                  }
                },
                o -> o.withTimeout(Duration.ofMillis(1)));
            s.join();
          }
        });
    String expected =
        """
          scope 'dump-ends' (collect-all, joining) open for <age>, owner 'dump-owner' blocked in join()
            task 'bad' FAILED: java.lang.IllegalStateException
            task 'skipped' SKIPPED: dependency 'bad' did not succeed
            task 'recovered' SUCCEEDED: fallback replaced java.io.IOException
            task 'stubborn' FAILED: timed out (java.util.concurrent.TimeoutException); its body still runs in thread 'dump-ends/stubborn' (WAITING)"""
            .stripIndent();
    stubbornStarted.await();
    // join() waits only until each task is settled; the owner then blocks in close() for stubborn.
    String closing = expected.replace("joining", "closing").replace("join()", "close()");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(myText(ScopeDump.capture())).isEqualTo(closing));
    JsonNode stubborn = myRoots(ScopeDump.capture().toJson()).get(0).get("tasks").get(3);
    assertThat(stubborn.get("timedOut").asBoolean()).isTrue();
    assertThat(stubborn.get("stillRuns").get("thread").asText()).isEqualTo("dump-ends/stubborn");
  }

  @Test
  void capture_closedScope_isGone_andOwnerNotBlockedShowsItsState() throws Exception {
    try (var s = Scope.open("dump-here")) {
      assertThat(myText(ScopeDump.capture()))
          .isEqualTo(
              "scope 'dump-here' (fail-fast, open) open for <age>, owner '"
                  + Thread.currentThread().getName()
                  + "' (RUNNABLE)");
      s.fork("x", () -> 1);
      s.join();
    }
    assertThat(myText(ScopeDump.capture())).isEmpty();
  }

  @Test
  void capture_withObserver_showsTaskAges() throws Exception {
    try (var reg = Observers.add(new ScopeObserver() {})) {
      runOwner(
          "dump-owner",
          () -> {
            try (var s = Scope.open("dump-aged")) {
              Task<Object> a = s.fork("a", awaitRelease());
              s.fork("b", a, v -> v);
              s.join();
            }
          });
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(myText(ScopeDump.capture()))
                      .contains(
                          "task 'a' RUNNING for <age>: runs its body in thread 'dump-aged/a'",
                          "task 'b' PENDING for <age>: waits for dependency 'a' (RUNNING)"));
      JsonNode a = myRoots(ScopeDump.capture().toJson()).get(0).get("tasks").get(0);
      assertThat(a.get("ageMillis").asLong()).isNotNegative();
    }
  }

  @Test
  void toJson_escapesNames_andParsesBack() throws Exception {
    String name = "dump-\"quoted\"\\ line\nbreak \u00e9\u4e2d\ttab \u0001";
    try (var s = Scope.open(name)) {
      String json = ScopeDump.capture().toJson();
      assertThat(json.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)).isTrue();
      List<JsonNode> mine = myRoots(json);
      assertThat(mine).hasSize(1);
      assertThat(mine.get(0).get("name").asText()).isEqualTo(name);
    }
  }

  @Test
  void capture_whileScopesOpenAndClose_neverFails_andAlwaysParses() throws Exception {
    int workers = 3;
    int maxRounds = 20_000; // a bound in case captures are slow; they stop the churn first
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    CountDownLatch done = new CountDownLatch(workers);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    for (int w = 0; w < workers; w++) {
      String name = "dump-churn-" + w;
      Thread.ofPlatform()
          .name(name)
          .start(
              () -> {
                try {
                  for (int i = 0; i < maxRounds && !stop.get(); i++) {
                    try (var s =
                        Scope.open(name, Policy.collectAll(), c -> c.withMaxConcurrency(2))) {
                      Task<Integer> a = s.fork("a", () -> 1);
                      s.fork("b", a, v -> v + 1);
                      s.fork(
                          "nest",
                          () -> {
                            try (var inner = Scope.open("dump-churn-inner")) {
                              inner.fork("x", () -> 1);
                              inner.fork(
                                  "y",
                                  () -> {
                                    throw new IOException("y");
                                  });
                              return inner.join();
                            }
                          });
                      try {
                        s.join();
                      } catch (TaskFailedException expected) {
                        // nest fails with y: the failure path is part of the churn
                      }
                    }
                  }
                } catch (Throwable e) {
                  failed.compareAndSet(null, e);
                } finally {
                  done.countDown();
                }
              });
    }
    int captures = 0;
    int sawChurn = 0;
    do {
      ScopeDump d = ScopeDump.capture();
      String text = d.toText();
      JsonNode json = JSON.readTree(d.toJson());
      assertThat(json.get("scopes").size()).isEqualTo(d.rootCount());
      assertThat(text.lines().filter(l -> l.startsWith("  scope ")).count())
          .isEqualTo(d.rootCount());
      if (text.contains("dump-churn")) {
        sawChurn++;
      }
      if (++captures == 300) {
        stop.set(true);
      }
    } while (!done.await(0, TimeUnit.MILLISECONDS));
    assertThat(failed.get()).isNull();
    assertThat(sawChurn).as("captures that saw the churn").isPositive();
    assertThat(myText(ScopeDump.capture())).isEmpty();
  }

  @Test
  void capture_noScopes_saysSo() {
    assertThat(DumpText.of(List.of())).isEqualTo("Weft scope dump: no open scopes\n");
    assertThat(DumpJson.of(List.of())).isEqualTo("{\"scopes\":[]}");
  }

  @Test
  void duration_formats() {
    assertThat(DumpText.duration(350_000_000L)).isEqualTo("350 ms");
    assertThat(DumpText.duration(1_523_000_000L)).isEqualTo("1.52 s");
    assertThat(DumpText.duration(95_040_000_000L)).isEqualTo("95.0 s");
  }
}
