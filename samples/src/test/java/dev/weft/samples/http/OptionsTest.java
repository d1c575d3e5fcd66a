package dev.weft.samples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The service's command line. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OptionsTest {
  @Test
  void parse_nothing_defaults() {
    Options o = Options.parse(List.of());

    assertThat(o.port()).isEqualTo(8080);
    assertThat(o.host()).isEqualTo("127.0.0.1");
    assertThat(o.defaultDeadline()).isEqualTo(Duration.ofMillis(500));
    assertThat(o.maxDeadline()).isEqualTo(Duration.ofSeconds(2));
    assertThat(o.recommendationsTimeout()).isEqualTo(Duration.ofMillis(150));
    assertThat(o.debug()).isFalse();
    assertThat(o.buggyOrder()).isFalse();
  }

  @Test
  void parse_everyOption() {
    Options o =
        Options.parse(
            List.of(
                "--port",
                "0",
                "--host",
                "::1",
                "--backend-latency-ms",
                "30",
                "--backend-jitter-ms",
                "50",
                "--backend-failure-rate",
                "0.1",
                "--deadline-ms",
                "400",
                "--max-deadline-ms",
                "900",
                "--recommendations-timeout-ms",
                "80",
                "--max-concurrent-requests",
                "64",
                "--debug",
                "--buggy-order"));

    assertThat(o)
        .isEqualTo(
            new Options(
                "::1",
                0,
                Duration.ofMillis(30),
                Duration.ofMillis(50),
                0.1,
                Duration.ofMillis(400),
                Duration.ofMillis(900),
                Duration.ofMillis(80),
                64,
                true,
                true));
  }

  @Test
  void parse_badInput_namesTheOptionAndTheFix() {
    assertThatThrownBy(() -> Options.parse(List.of("--prot", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown option --prot: see --help for the options");
    assertThatThrownBy(() -> Options.parse(List.of("--port")))
        .hasMessage("--port needs a value: --port N");
    assertThatThrownBy(() -> Options.parse(List.of("--port", "http")))
        .hasMessage("--port takes a whole number from 0 to 65535, was 'http'");
    assertThatThrownBy(() -> Options.parse(List.of("--port", "70000")))
        .hasMessage("--port takes a whole number from 0 to 65535, was 70000");
    assertThatThrownBy(() -> Options.parse(List.of("--backend-failure-rate", "10")))
        .hasMessage("--backend-failure-rate takes a number from 0 to 1 (0.1 is 10 %), was 10");
    assertThatThrownBy(() -> Options.parse(List.of("--backend-failure-rate", "NaN")))
        .hasMessage("--backend-failure-rate takes a number from 0 to 1 (0.1 is 10 %), was NaN");
    assertThatThrownBy(() -> Options.parse(List.of("--deadline-ms", "3000")))
        .hasMessage(
            "--deadline-ms 3000 is above --max-deadline-ms 2000: raise --max-deadline-ms or lower"
                + " --deadline-ms");
    assertThatThrownBy(() -> Options.parse(List.of("--help")))
        .isInstanceOf(Options.HelpRequested.class);
  }
}
