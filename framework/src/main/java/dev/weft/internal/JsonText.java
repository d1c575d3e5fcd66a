package dev.weft.internal;

/**
 * JSON string literals for Weft's own JSON (the scope dump, the Chrome trace): quotes, backslash
 * and everything but printable ASCII escaped, so the text is valid JSON in any encoding and safe in
 * a log line.
 */
public final class JsonText {
  private JsonText() {}

  /** Appends {@code value} to {@code b} as a JSON string literal; returns {@code b}. */
  public static StringBuilder string(StringBuilder b, String value) {
    b.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            b.append("\\u");
            String hex = Integer.toHexString(c);
            b.append("0000", hex.length(), 4).append(hex);
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"');
  }
}
