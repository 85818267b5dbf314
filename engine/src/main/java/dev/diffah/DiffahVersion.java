package dev.diffah;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this build, as Maven stamped it. */
public final class DiffahVersion {
  public static final String TOOL = "diffah";
  private static final String VERSION = load();

  private DiffahVersion() {}

  public static String version() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = DiffahVersion.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
