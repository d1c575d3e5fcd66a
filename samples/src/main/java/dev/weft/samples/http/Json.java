package dev.weft.samples.http;

import java.util.Collection;
import java.util.Map;

/**
 * Writes JSON text from plain Java values: {@code Map} (keys as strings, in the map's order), any
 * {@code Collection}, {@code String}, {@code Number}, {@code Boolean} and {@code null}.
 *
 * <p>The service builds its answers as {@code LinkedHashMap}s and lists and writes them with {@link
 * #write}; {@link JsonReader} reads the backends' answers. Small on purpose: the sample has no JSON
 * library, so that Weft, Jetty and Micrometer stay the only things it depends on.
 */
public final class Json {
  private Json() {}

  /**
   * The JSON text of {@code value}.
   *
   * @throws IllegalArgumentException if {@code value} holds a type other than those above, or a
   *     number that JSON cannot represent (NaN, infinite)
   */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  // --- implementation ---

  private static void write(Object value, StringBuilder out) {
    switch (value) {
      case null -> out.append("null");
      case String s -> string(s, out);
      case Boolean b -> out.append(b);
      case Double d -> finite(d, out);
      case Float f -> finite(f.doubleValue(), out);
      case Number n -> out.append(n);
      case Map<?, ?> map -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          string(String.valueOf(e.getKey()), out);
          out.append(':');
          write(e.getValue(), out);
        }
        out.append('}');
      }
      case Collection<?> list -> {
        out.append('[');
        boolean first = true;
        for (Object item : list) {
          if (!first) {
            out.append(',');
          }
          first = false;
          write(item, out);
        }
        out.append(']');
      }
      default ->
          throw new IllegalArgumentException(
              "cannot write a "
                  + value.getClass().getName()
                  + " as JSON: pass a Map, Collection, String, Number, Boolean or null");
    }
  }

  private static void finite(double d, StringBuilder out) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException(
          "cannot write " + d + " as JSON: JSON numbers are finite; pass a finite number or null");
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      out.append((long) d);
    } else {
      out.append(d);
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
