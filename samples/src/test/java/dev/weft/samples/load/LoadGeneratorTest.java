package dev.weft.samples.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.samples.http.DashboardService;
import dev.weft.samples.http.Options;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.w3c.dom.Document;

/** The load generator: loopback only, bounded, and its figures and chart of a short real run. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadGeneratorTest {
  @Test
  void target_notLoopback_refused() {
    for (String url : List.of("http://203.0.113.9:8080/", "http://[2001:db8::1]/")) {
      assertThatThrownBy(() -> LoadGenerator.requireLoopback(URI.create(url)))
          .as(url)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "--url "
                  + url
                  + ": the load generator sends to loopback addresses only (127.0.0.1, localhost,"
                  + " [::1])");
    }
    assertThatThrownBy(() -> LoadGenerator.parse(List.of("--url", "http://203.0.113.9/")))
        .isInstanceOf(IllegalArgumentException.class);
    LoadGenerator.requireLoopback(URI.create("http://127.0.0.1:8080/"));
    LoadGenerator.requireLoopback(URI.create("http://localhost:8080/"));
    LoadGenerator.requireLoopback(URI.create("http://[::1]:8080/"));
  }

  @Test
  void parse_capsTheRun() {
    assertThatThrownBy(() -> LoadGenerator.parse(List.of("--seconds", "601")))
        .hasMessage("--seconds takes a whole number from 1 to 600, was '601'");
    assertThatThrownBy(() -> LoadGenerator.parse(List.of("--requests", "0")))
        .hasMessage("--requests takes a whole number from 1 to 1000000, was '0'");
    assertThat(LoadGenerator.parse(List.of("--clients", "3")).clients()).isEqualTo(3);
  }

  @Test
  void run_stopsAfterNRequests_andEveryOneIsAnswered() throws Exception {
    Options options =
        Options.defaults()
            .withPort(0)
            .withBackendLatency(Duration.ofMillis(5))
            .withBackendJitter(Duration.ZERO);
    try (DashboardService service = DashboardService.start(options)) {
      LoadGenerator.Settings settings =
          new LoadGenerator.Settings(
              service.uri(),
              4,
              40,
              Duration.ofSeconds(30),
              Duration.ofMillis(2_000),
              Duration.ofMillis(50),
              10,
              Path.of("unused.svg"));

      LoadReport report = LoadGenerator.run(settings);

      assertThat(report.samples).hasSize(40);
      assertThat(report.ok + report.degraded).isEqualTo(40);
      assertThat(report.lost + report.hung + report.other5xx).isZero();
      assertThat(report.took).isLessThan(Duration.ofSeconds(30)); // stopped by the count
      assertThat(report.passed()).isTrue();

      Document svg = parse(SvgChart.draw(report));
      assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
      // one dot per request, plus the six of the legend
      assertThat(svg.getElementsByTagName("circle").getLength()).isEqualTo(40 + 6);
    }
  }

  @Test
  void run_stopsAfterTSeconds() throws Exception {
    Options options = Options.defaults().withPort(0).withBackendLatency(Duration.ofMillis(50));
    try (DashboardService service = DashboardService.start(options)) {
      LoadGenerator.Settings settings =
          new LoadGenerator.Settings(
              service.uri(),
              2,
              1_000_000,
              Duration.ofSeconds(1),
              Duration.ofMillis(500),
              Duration.ofMillis(50),
              10,
              Path.of("unused.svg"));

      LoadReport report = LoadGenerator.run(settings);

      assertThat(report.samples).isNotEmpty().hasSizeLessThan(1_000);
      assertThat(report.took).isLessThan(Duration.ofSeconds(1).plus(Duration.ofMillis(2_500)));
    }
  }

  @Test
  void niceCeiling_roundsUpTo125() {
    assertThat(SvgChart.niceCeiling(430)).isEqualTo(500);
    assertThat(SvgChart.niceCeiling(600)).isEqualTo(1000);
    assertThat(SvgChart.niceCeiling(120)).isEqualTo(200);
    assertThat(SvgChart.niceCeiling(100)).isEqualTo(100);
  }

  private static Document parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }
}
