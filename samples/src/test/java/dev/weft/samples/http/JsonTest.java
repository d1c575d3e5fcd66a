package dev.weft.samples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The sample's JSON writer and reader. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JsonTest {
  @Test
  void write_valuesInOrderWithEscapes() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("s", "a\"b\\c\nd\u0001");
    map.put("n", 42L);
    map.put("d", 1.5);
    map.put("whole", 2.0);
    map.put("b", true);
    map.put("null", null);
    map.put("list", Arrays.asList(1, "x", null, List.of()));

    assertThat(Json.write(map))
        .isEqualTo(
            "{\"s\":\"a\\\"b\\\\c\\nd\\u0001\",\"n\":42,\"d\":1.5,\"whole\":2,\"b\":true,"
                + "\"null\":null,\"list\":[1,\"x\",null,[]]}");
  }

  @Test
  void write_unsupportedOrNonFinite_throwsNamingTheFix() {
    assertThatThrownBy(() -> Json.write(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cannot write NaN as JSON: JSON numbers are finite; pass a finite number or null");
    assertThatThrownBy(() -> Json.write(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cannot write a java.lang.Object as JSON: pass a Map, Collection, String, Number,"
                + " Boolean or null");
  }

  @Test
  void read_whatWriteWrote() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("s", "tab\there \"quoted\" \u00e9 \\ /");
    map.put("n", -7L);
    map.put("d", 0.25);
    map.put("e", 1e21);
    map.put("list", Arrays.asList(true, false, null, Map.of("k", "v")));

    assertThat(JsonReader.parse(Json.write(map))).isEqualTo(map);
  }

  @Test
  void read_escapesAndSpace() {
    assertThat(JsonReader.parse(" { \"a\" : [ 1 , 2 ] , \"u\" : \"\\u0041\\/\" } "))
        .isEqualTo(Map.of("a", List.of(1L, 2L), "u", "A/"));
  }

  @Test
  void read_malformed_throwsNamingTheOffset() {
    assertThatThrownBy(() -> JsonReader.parse("{\"a\":1,}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid JSON at offset 7: expected a string key, found '}'");
    assertThatThrownBy(() -> JsonReader.parse("[1 2]"))
        .hasMessage("invalid JSON at offset 3: expected ']', found '2]'");
    assertThatThrownBy(() -> JsonReader.parse("\"open"))
        .hasMessage(
            "invalid JSON at offset 5: expected the closing quote of a string, found the end of the input");
    assertThatThrownBy(() -> JsonReader.parse("1 2"))
        .hasMessage("invalid JSON at offset 2: expected end of input, found '2'");
    assertThatThrownBy(() -> JsonReader.parseObject("[]"))
        .hasMessage("expected a JSON object, got java.util.ArrayList");
  }

  @Test
  void read_tooDeep_refused() {
    String deep = "[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1);

    assertThatThrownBy(() -> JsonReader.parse(deep))
        .hasMessageStartingWith("JSON nested deeper than 64 levels");
    assertThat(JsonReader.parse("[".repeat(64) + "]".repeat(64))).isInstanceOf(List.class);
  }
}
