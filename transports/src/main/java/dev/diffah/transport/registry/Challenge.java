package dev.diffah.transport.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One authentication challenge of a {@code WWW-Authenticate} header (RFC 7235): a scheme and its
 * parameters. Quoted values may hold commas and escaped quotes.
 */
public record Challenge(String scheme, Map<String, String> params) {
  public Challenge {
    scheme = scheme.toLowerCase(Locale.ROOT);
    params = Map.copyOf(params);
  }

  public boolean isBearer() {
    return scheme.equals("bearer");
  }

  public boolean isBasic() {
    return scheme.equals("basic");
  }

  public Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name));
  }

  /** Every challenge in a header value, in order; an unparsable tail is ignored. */
  public static List<Challenge> parseAll(String header) {
    List<Challenge> out = new ArrayList<>();
    if (header == null) {
      return out;
    }
    Cursor c = new Cursor(header);
    while (c.skipSeparators()) {
      String scheme = c.token();
      if (scheme.isEmpty()) {
        break;
      }
      out.add(new Challenge(scheme, params(c)));
    }
    return out;
  }

  /** Reads {@code name=value} pairs until the next scheme (a token not followed by '='). */
  private static Map<String, String> params(Cursor c) {
    Map<String, String> params = new LinkedHashMap<>();
    while (true) {
      int mark = c.pos;
      c.skipSeparators();
      String name = c.token();
      c.skipSpaces();
      if (name.isEmpty() || !c.take('=')) {
        c.pos = mark;
        return params;
      }
      c.skipSpaces();
      params.put(name.toLowerCase(Locale.ROOT), c.peek() == '"' ? c.quoted() : c.token());
    }
  }

  private static final class Cursor {
    private final String s;
    private int pos;

    Cursor(String s) {
      this.s = s;
    }

    char peek() {
      return pos < s.length() ? s.charAt(pos) : 0;
    }

    boolean take(char ch) {
      if (peek() == ch) {
        pos++;
        return true;
      }
      return false;
    }

    void skipSpaces() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    /** Skips spaces and commas; false at the end. */
    boolean skipSeparators() {
      while (pos < s.length() && (Character.isWhitespace(s.charAt(pos)) || s.charAt(pos) == ',')) {
        pos++;
      }
      return pos < s.length();
    }

    String token() {
      int start = pos;
      while (pos < s.length() && !Character.isWhitespace(s.charAt(pos)) && "=,\"".indexOf(s.charAt(pos)) < 0) {
        pos++;
      }
      return s.substring(start, pos);
    }

    String quoted() {
      StringBuilder out = new StringBuilder();
      pos++;
      while (pos < s.length() && s.charAt(pos) != '"') {
        if (s.charAt(pos) == '\\' && pos + 1 < s.length()) {
          pos++;
        }
        out.append(s.charAt(pos++));
      }
      pos++;
      return out.toString();
    }
  }
}
