package dev.diffah.model;

import dev.diffah.error.UsageException;
import java.util.regex.Pattern;

/** Image names ({@code [registry/]repository:tag}) in the grammar docker and podman accept. */
public final class ImageNames {
  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final String DOMAIN =
      "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?";
  private static final String TAG = "[\\w][\\w.-]{0,127}";
  private static final Pattern NAME_WITH_TAG =
      Pattern.compile(DOMAIN + COMPONENT + "(?:/" + COMPONENT + ")*:" + TAG);
  private static final int MAX_NAME = 255;

  private ImageNames() {}

  /** True for {@code repository:tag} names (with an optional registry) that loaders accept. */
  public static boolean isNameWithTag(String name) {
    return name != null && name.length() <= MAX_NAME + 129 && NAME_WITH_TAG.matcher(name).matches();
  }

  private static final Pattern OCI_REF_NAME = Pattern.compile("[A-Za-z0-9]+(?:[._:@+/-]+[A-Za-z0-9]+)*");

  /** True for names an OCI layout can record as {@code org.opencontainers.image.ref.name}. */
  public static boolean isOciRefName(String name) {
    return name != null && name.length() <= MAX_NAME + 129 && OCI_REF_NAME.matcher(name).matches();
  }

  /** Checks a user-given {@code NAME:TAG}. */
  public static String requireNameWithTag(String name, String option) {
    if (!isNameWithTag(name)) {
      throw new UsageException(
          option + " '" + name + "' is not a valid image name",
          "use [registry/]repository:tag with a lowercase repository, e.g. registry.example.com/app:v2");
    }
    return name;
  }
}
