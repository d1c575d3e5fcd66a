package dev.weft.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.samples.Shop.Latencies;
import dev.weft.samples.Shop.Services;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Runs the code the docs show, and checks that it does what the docs say it does. */
class SnippetsTest {
  private final Services shop = Shop.services(Latencies.normal());

  @Test
  void firstScope_twoTasks_combinesBoth() throws InterruptedException {
    assertThat(Snippets.firstScope()).isEqualTo("Hello Ann, you have 3 new messages");
  }

  @Test
  void dependencyJoin_allSucceed_returnsPrice() throws InterruptedException {
    assertThat(DependencyJoinSample.price("user-42", shop).totalCents()).isEqualTo(5220);
    assertThat(DependencyJoinSample.summary("user-42", shop)).isEqualTo("Ann has 3 items");
  }

  @Test
  void dependencyFailed_namesFailureAndSkippedDependent() throws InterruptedException {
    assertThat(DependencyJoinSample.failedDependency())
        .isEqualTo(
            "task 'user' failed in scope "
                + "'profile': java.io.IOException: user service down; 1 dependent skipped: 'greeting'");
  }

  @Test
  void policies_eachBuiltIn_returnsOrThrowsAsDocumented() throws InterruptedException {
    assertThat(PoliciesSample.failFast())
        .isEqualTo(
            "task 'broken' failed in scope 'fail-fast': "
                + "java.io.IOException: broken is down / slow: CANCELLED");
    assertThat(PoliciesSample.collectAll())
        .isEqualTo(
            "task 'a' failed in scope 'collect-all': "
                + "java.io.IOException: a is down; 1 more failed: 'b' / suppressed: 1");
    assertThat(PoliciesSample.firstSuccess()).isEqualTo("from us");
    assertThat(PoliciesSample.quorum()).containsExactly("v1", "v2");
    assertThat(PoliciesSample.bestEffort()).containsExactly("a", "c");
  }

  @Test
  void deadline_slowTask_cancelledAndNamed() throws InterruptedException {
    assertThat(DeadlineSample.deadline(shop))
        .isEqualTo(
            "scope 'page' missed its deadline (200 ms "
                + "after it opened): 1 task did not finish and was cancelled: 'ads' / user: Ann");
  }

  @Test
  void remainingTime_inTask_isPositiveAndWithinTimeout() throws InterruptedException {
    assertThat(DeadlineSample.remainingTime()).isBetween(1L, 2_000L);
    assertThat(DeadlineSample.nestedDeadline()).isBetween(1L, 300L);
  }

  @Test
  void taskTimeout_withFallback_succeedsWithFallback() throws InterruptedException {
    assertThat(DeadlineSample.taskTimeout(shop))
        .isEqualTo("[] (task 'ads' timed out after 100 ms)");
  }

  @Test
  void limits_maxConcurrency4_neverRunsMoreThan4() throws InterruptedException {
    List<String> urls = IntStream.range(0, 12).mapToObj(i -> "https://example.org/" + i).toList();
    Snippets.maxRunning.set(0);

    List<Integer> sizes = Snippets.limits(urls);

    assertThat(sizes).hasSize(12);
    assertThat(Snippets.maxRunning.get()).isBetween(1, 4);
  }

  @Test
  void cancellation_cancelFromOtherThread_joinThrowsNamingThread() throws InterruptedException {
    String message = Snippets.cancellation(cancel -> Thread.ofPlatform().name("ui").start(cancel));

    assertThat(message).isEqualTo("scope 'export' was cancelled by cancel() in thread 'ui'");
  }

  @Test
  void fallbacks_failureAndTimeout_bothRecovered() throws InterruptedException {
    assertThat(Snippets.fallbacks("user-42", shop))
        .isEqualTo("[bestsellers] [], because: recommendation service unavailable (HTTP 503)");
  }

  @Test
  void comingFrom_completableFutureAndWeft_samePrice() throws InterruptedException {
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      assertThat(Snippets.withCompletableFuture("user-42", shop, executor).totalCents())
          .isEqualTo(5220);
    }
    assertThat(Snippets.withWeft("user-42", shop).totalCents()).isEqualTo(5220);
  }

  @Test
  void comingFrom_completableFutureSlowPrice_timesOutWrapped() {
    Services slow = Shop.services(Latencies.normal().withPrice(Duration.ofSeconds(1)));
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> Snippets.withCompletableFuture("user-42", slow, executor))
          .isInstanceOf(CompletionException.class);
    }
  }
}
