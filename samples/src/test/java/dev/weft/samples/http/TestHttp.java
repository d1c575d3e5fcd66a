package dev.weft.samples.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** An HTTP client for the tests: one call, its status, headers, body and how long it took. */
final class TestHttp implements AutoCloseable {
  /** One answer. */
  record Answer(int status, HttpResponse<String> response, Duration took) {
    String body() {
      return response.body();
    }

    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    Map<String, Object> json() {
      return JsonReader.parseObject(response.body());
    }
  }

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  TestHttp(URI base) {
    this.base = base;
  }

  Answer get(String path, String... headers) throws IOException, InterruptedException {
    return send(builder(path, headers).GET());
  }

  Answer post(String path, String... headers) throws IOException, InterruptedException {
    return send(builder(path, headers).POST(HttpRequest.BodyPublishers.noBody()));
  }

  @Override
  public void close() {
    http.close();
  }

  private HttpRequest.Builder builder(String path, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
    long start = System.nanoTime();
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response, Duration.ofNanos(System.nanoTime() - start));
  }
}
