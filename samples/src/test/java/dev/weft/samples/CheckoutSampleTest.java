package dev.weft.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.samples.CheckoutSample.Outcome;
import dev.weft.samples.CheckoutSample.Part;
import dev.weft.samples.Shop.Latencies;
import dev.weft.scope.DeadlineExceededException;
import dev.weft.scope.Task;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the checkout sample's logic and checks what it reports. */
class CheckoutSampleTest {

  /** Every service in time: the page is built, the optional parts through their fallbacks. */
  @Test
  void checkout_servicesInTime_buildsPageWithFallbacks() throws InterruptedException {
    Outcome outcome = CheckoutSample.checkout("user-42", Shop.services(Latencies.normal()));

    assertThat(outcome.failure()).isEmpty();
    CheckoutSample.Page page = outcome.page().orElseThrow();
    assertThat(page.price().totalCents()).isEqualTo(5220);
    assertThat(page.recommendations()).containsExactly("bestsellers");
    assertThat(page.ads()).isEmpty();
    assertThat(outcome.parts()).extracting(Part::state).containsOnly(Task.State.SUCCEEDED);
    assertThat(outcome.part("recommendations").outcome())
        .contains("fallback for java.io.IOException: recommendation service unavailable");
    assertThat(outcome.part("ads").outcome())
        .contains(
            "fallback for java.util.concurrent.TimeoutException: task 'ads' timed out after 100 ms");
  }

  /** The dependency join: price's body starts only after user's and cart's bodies ended. */
  @Test
  void checkout_price_startsAfterUserAndCartEnded() throws InterruptedException {
    Outcome outcome = CheckoutSample.checkout("user-42", Shop.services(Latencies.normal()));

    Duration priceStart = outcome.part("price").startedAt().orElseThrow();
    for (String dependency : List.of("user", "cart")) {
      Part p = outcome.part(dependency);
      Duration end = p.startedAt().orElseThrow().plus(p.ran().orElseThrow());
      assertThat(priceStart)
          .as("price starts after %s ended", dependency)
          .isGreaterThanOrEqualTo(end);
    }
  }

  /** Pricing slower than the deadline: join() throws, naming price, which was cancelled. */
  @Test
  void checkout_pricingSlowerThanDeadline_cancelsPriceAndNamesIt() throws InterruptedException {
    Outcome outcome =
        CheckoutSample.checkout(
            "user-7", Shop.services(Latencies.normal().withPrice(Duration.ofSeconds(10))));

    assertThat(outcome.page()).isEmpty();
    assertThat(outcome.failure().orElseThrow())
        .isInstanceOfSatisfying(
            DeadlineExceededException.class,
            e -> {
              assertThat(e.unfinishedTasks()).containsExactly("price");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "scope 'checkout' missed its deadline (500 ms after it "
                          + "opened): 1 task did not finish and was cancelled: 'price'");
            });
    assertThat(outcome.part("price").state()).isEqualTo(Task.State.CANCELLED);
    assertThat(outcome.part("user").state()).isEqualTo(Task.State.SUCCEEDED);
    assertThat(outcome.part("cart").state()).isEqualTo(Task.State.SUCCEEDED);
    // The deadline, not pricing's 10 s, ended the checkout (the bound is loose for slow machines).
    assertThat(outcome.took()).isLessThan(Duration.ofSeconds(5));
  }

  /** The runnable main completes (both requests, including the one that misses its deadline). */
  @Test
  void main_runs() throws InterruptedException {
    CheckoutSample.main(new String[0]);
  }
}
