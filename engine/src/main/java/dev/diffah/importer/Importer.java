package dev.diffah.importer;

import dev.diffah.archive.DeltaArchive;
import dev.diffah.archive.Sidecar;
import dev.diffah.error.ContentException;
import dev.diffah.error.MissingBaselineBlobsException;
import dev.diffah.error.NoSuchPlatformException;
import dev.diffah.error.UsageException;
import dev.diffah.io.BlobSupply;
import dev.diffah.io.Resources;
import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import dev.diffah.model.ImageManifest;
import dev.diffah.model.ImageNames;
import dev.diffah.model.Manifests;
import dev.diffah.model.RawManifest;
import dev.diffah.resolve.ImageResolver;
import dev.diffah.resolve.ResolvedImage;
import dev.diffah.spi.DestinationOptions;
import dev.diffah.spi.FileRegion;
import dev.diffah.spi.ImageDestination;
import dev.diffah.spi.ImageReference;
import dev.diffah.spi.ImageSource;
import dev.diffah.telemetry.Telemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The import pipeline: open the delta, check the baseline holds every required blob before any
 * large I/O, then stream every blob (verified as it flows) from delta or baseline into the output.
 */
public final class Importer {
  private static final System.Logger LOG = System.getLogger(Importer.class.getName());

  private final Telemetry telemetry;

  public Importer(Telemetry telemetry) {
    this.telemetry = telemetry;
  }

  public Mono<ImportResult> importImage(ImportRequest request) {
    return DeltaArchive.with(
        request.delta(),
        delta ->
            Resources.using(
                request.baseline().openSource(),
                baseline -> run(request, delta, baseline)));
  }

  private Mono<ImportResult> run(ImportRequest request, DeltaArchive delta, ImageSource baseline) {
    return BaselineCheck.checkPlatform(delta).then(resolveAndDecide(request, delta, baseline));
  }

  private Mono<ImportResult> resolveAndDecide(ImportRequest request, DeltaArchive delta, ImageSource baseline) {
    return telemetry
        .timed("resolve-baseline", ImageResolver.resolve(baseline, BaselineCheck.platformOf(delta.sidecar())))
        .onErrorMap(
            NoSuchPlatformException.class,
            e ->
                new UsageException(
                    "baseline: " + e.getMessage(),
                    "the delta was made for platform " + delta.sidecar().platform() + "; import against a baseline that has an image for it"))
        .flatMap(
            image ->
                telemetry
                    .timed("check-baseline", BaselineCheck.reachability(delta.sidecar(), baseline, image))
                    .flatMap(report -> decide(request, delta, baseline, image, report)));
  }

  private Mono<ImportResult> decide(
      ImportRequest request, DeltaArchive delta, ImageSource baseline, ResolvedImage image, List<BlobReachability> report) {
    Sidecar sidecar = delta.sidecar();
    List<String> warnings = BaselineCheck.warnings(sidecar, image, report);
    LOG.log(
        System.Logger.Level.INFO,
        "baseline {0} holds {1} of {2} required blob(s)",
        baseline.reference(),
        report.stream().filter(BlobReachability::reachable).count(),
        report.size());
    if (request.dryRun()) {
      return Mono.just(new ImportResult(sidecar, report, true, null, null, false, delta.manifest().config().digest(), warnings));
    }
    List<Digest> missing = report.stream().filter(r -> !r.reachable()).map(BlobReachability::digest).toList();
    if (!missing.isEmpty()) {
      return Mono.error(new MissingBaselineBlobsException(baseline.reference().toString(), missing));
    }
    Map<Digest, Descriptor> substitutes =
        report.stream().filter(BlobReachability::substituted).collect(Collectors.toMap(BlobReachability::digest, BlobReachability::substitute));
    if (!substitutes.isEmpty() && request.output().transport().keepsManifestVerbatim() && !request.rewriteManifest()) {
      return Mono.error(
          new UsageException(
              "baseline " + baseline.reference() + " holds " + substitutes.size()
                  + " required layer(s) only in another compression (same DiffID, other digest), which "
                  + request.output().transport().name() + " output cannot carry without changing the manifest",
              "import into docker-archive, or pass --rewrite-manifest to write those layers as the baseline has them"));
    }
    return rebuild(request, delta, baseline, substitutes)
        .map(
            digest ->
                new ImportResult(
                    sidecar,
                    report,
                    false,
                    request.output().toString(),
                    digest,
                    request.output().transport().keepsManifestVerbatim(),
                    delta.manifest().config().digest(),
                    warnings));
  }

  private Mono<Digest> rebuild(ImportRequest request, DeltaArchive delta, ImageSource baseline, Map<Digest, Descriptor> substitutes) {
    RawManifest manifest = outputManifest(request, delta.rawManifest(), substitutes);
    ImageManifest layout = Manifests.image(manifest, "rebuilt manifest");
    Optional<String> name = imageName(request, delta.sidecar());
    ImageReference output = request.output();
    return Resources.using(
            output.openDestination(new DestinationOptions(name, request.replaceExisting())),
            dest ->
                telemetry.timed("write", writeBlobs(dest, layout, delta, baseline).then(dest.putManifest(manifest)).then(dest.commit())))
        .then(telemetry.timed("verify-output", checkOutput(output, manifest)))
        .thenReturn(manifest.digest());
  }

  /**
   * The name the image gets: --tag, else the target's recorded name where the output format can
   * carry it (a docker-archive needs repository:tag; a bare OCI ref name such as "v2" would be
   * misread there as the repository docker.io/library/v2).
   */
  private static Optional<String> imageName(ImportRequest request, Sidecar sidecar) {
    if (request.tag().isPresent()) {
      return request.tag();
    }
    Optional<String> recorded = Optional.ofNullable(sidecar.target().sourceHint());
    if (request.output().transport().keepsManifestVerbatim()) {
      return recorded.filter(ImageNames::isOciRefName);
    }
    recorded
        .filter(hint -> !ImageNames.isNameWithTag(hint))
        .ifPresent(hint -> LOG.log(System.Logger.Level.WARNING, "the target''s recorded name \"{0}\" is not repository:tag, so the image is left untagged; name it with --tag", hint));
    return recorded.filter(ImageNames::isNameWithTag);
  }

  private static RawManifest outputManifest(ImportRequest request, RawManifest target, Map<Digest, Descriptor> substitutes) {
    RawManifest manifest = substitutes.isEmpty() ? target : ManifestRewrite.substitute(target, substitutes);
    return request.convertToOci() && ManifestRewrite.isDocker(manifest) ? ManifestRewrite.toOci(manifest) : manifest;
  }

  /**
   * The config, then each distinct layer of the manifest being written, from delta or baseline.
   * Blobs the output copies in the kernel are verified there, up to one per core at once, while
   * the next ones are copied; the output is committed only after every check passed.
   */
  private Mono<Void> writeBlobs(ImageDestination dest, ImageManifest layout, DeltaArchive delta, ImageSource baseline) {
    List<Descriptor> blobs = new ArrayList<>();
    blobs.add(layout.config());
    blobs.addAll(layout.distinctLayers());
    BlobSupply fromDelta = new BlobSupply(delta::blob, delta::region, "delta " + delta.file(), "delta", telemetry);
    BlobSupply fromBaseline =
        new BlobSupply(baseline::blob, baseline::blobRegion, "baseline " + baseline.reference(), "baseline", telemetry);
    return Mono.fromRunnable(() -> telemetry.planned(blobs))
        .thenMany(Flux.fromIterable(blobs))
        .concatMap(d -> put(dest, d, delta.ships(d) ? fromDelta : fromBaseline), 0)
        .flatMap(BlobSupply.Copy::verify, BlobSupply.VERIFIERS)
        .then();
  }

  private static Flux<BlobSupply.Copy> put(ImageDestination dest, Descriptor d, BlobSupply supply) {
    LOG.log(System.Logger.Level.DEBUG, "writing blob {0} ({1} bytes) from {2}", d.digest(), d.size(), supply);
    Optional<FileRegion> region = supply.region(d);
    if (region.isEmpty()) {
      return dest.putBlob(d, supply.content(d)).thenMany(Flux.empty());
    }
    return supply.copying(d, landed -> dest.putBlobRegion(d, region.get(), supply.content(d), landed));
  }

  /**
   * Re-reads what was written. Formats that keep manifests verbatim must give back the exact
   * digest; others (docker-archive) must give back the same config and layers.
   */
  private static Mono<Void> checkOutput(ImageReference output, RawManifest expected) {
    return Resources.using(
        output.openSource(),
        src -> src.manifest().flatMap(written -> Mono.fromRunnable(() -> compare(output, expected, written))));
  }

  private static void compare(ImageReference output, RawManifest expected, RawManifest written) {
    if (written.digest().equals(expected.digest())) {
      return;
    }
    if (!output.transport().keepsManifestVerbatim()) {
      ImageManifest want = Manifests.image(expected, "target");
      ImageManifest got = Manifests.image(written, output.toString());
      if (want.config().digest().equals(got.config().digest()) && digests(want).equals(digests(got))) {
        return;
      }
    }
    throw new ContentException(
        "the image written to " + output + " does not match the target " + expected.digest() + " (read back " + written.digest() + ")",
        "this is a bug; remove the output and report it with the command you ran");
  }

  private static List<Digest> digests(ImageManifest m) {
    return m.layers().stream().map(Descriptor::digest).toList();
  }
}
