package dev.diffah.model;

/** The manifest, config and layer media types diffah understands. */
public final class MediaTypes {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";
  public static final String DOCKER_LAYER_GZIP =
      "application/vnd.docker.image.rootfs.diff.tar.gzip";
  public static final String DOCKER_LAYER_ZSTD =
      "application/vnd.docker.image.rootfs.diff.tar.zstd";

  private MediaTypes() {}

  public static boolean isIndex(String mediaType) {
    return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
  }

  public static boolean isImageManifest(String mediaType) {
    return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
  }

  /** The Docker schema 2 media type that carries the same bytes as an OCI type. */
  public static String toDocker(String mediaType) {
    return switch (mediaType) {
      case OCI_MANIFEST -> DOCKER_MANIFEST;
      case OCI_INDEX -> DOCKER_MANIFEST_LIST;
      case OCI_CONFIG -> DOCKER_CONFIG;
      case OCI_LAYER -> DOCKER_LAYER;
      case OCI_LAYER_GZIP -> DOCKER_LAYER_GZIP;
      case OCI_LAYER_ZSTD -> DOCKER_LAYER_ZSTD;
      default -> mediaType;
    };
  }

  /** The OCI media type that carries the same bytes as a Docker schema 2 type. */
  public static String toOci(String mediaType) {
    return switch (mediaType) {
      case DOCKER_MANIFEST -> OCI_MANIFEST;
      case DOCKER_MANIFEST_LIST -> OCI_INDEX;
      case DOCKER_CONFIG -> OCI_CONFIG;
      case DOCKER_LAYER -> OCI_LAYER;
      case DOCKER_LAYER_GZIP -> OCI_LAYER_GZIP;
      case DOCKER_LAYER_ZSTD -> OCI_LAYER_ZSTD;
      default -> mediaType;
    };
  }
}
