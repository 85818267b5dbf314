package dev.diffah.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.diffah.archive.Sidecar;
import dev.diffah.error.ErrorKind;
import dev.diffah.export.ExportResult;
import dev.diffah.importer.BlobReachability;
import dev.diffah.importer.ImportResult;
import dev.diffah.inspect.InspectResult;
import dev.diffah.model.Json;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Renders results for people (text) and scripts (a JSON envelope with a schema version). Results go
 * to stdout; nothing else does.
 */
final class Rendering {
  static final int SCHEMA_VERSION = 1;

  private Rendering() {}

  static ObjectNode envelope(String command, boolean ok) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("schema_version", SCHEMA_VERSION);
    root.put("command", command);
    root.put("ok", ok);
    return root;
  }

  static ObjectNode error(String command, ErrorKind kind, String message, String hint) {
    ObjectNode root = envelope(command, false);
    ObjectNode error = root.putObject("error");
    error.put("kind", kind.name().toLowerCase(Locale.ROOT));
    error.put("exit_code", kind.exitCode());
    error.put("message", message);
    error.put("hint", hint);
    return root;
  }

  static void printJson(PrintWriter out, ObjectNode node) {
    try {
      out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode inspectJson(InspectResult r) {
    ObjectNode root = envelope("inspect", true);
    ObjectNode result = root.putObject("result");
    result.put("archive", r.archive().toString());
    result.put("archive_bytes", r.archiveBytes());
    result.put("compression", r.compression().name().toLowerCase(Locale.ROOT));
    summary(result, r.sidecar());
    result.set("sidecar", Json.MAPPER.valueToTree(r.sidecar()));
    return root;
  }

  static void inspectText(PrintWriter out, InspectResult r) {
    Sidecar s = r.sidecar();
    out.println("archive: " + r.archive() + " (" + r.archiveBytes() + " bytes, " + r.compression().name().toLowerCase(Locale.ROOT) + ")");
    out.println("version: " + s.version());
    out.println("platform: " + s.platform());
    out.println("target manifest digest: " + s.target().manifestDigest());
    if (s.target().sourceHint() != null) {
      out.println("target name: " + s.target().sourceHint());
    }
    out.println("baseline manifest digest: " + s.baseline().manifestDigest());
    plan(out, s);
    out.flush();
  }

  static ObjectNode exportJson(ExportResult r) {
    ObjectNode root = envelope("export", true);
    ObjectNode result = root.putObject("result");
    result.put("dry_run", r.dryRun());
    result.put("output", r.output() == null ? null : r.output().toString());
    result.put("archive_bytes", r.archiveBytes());
    summary(result, r.sidecar());
    result.set("sidecar", Json.MAPPER.valueToTree(r.sidecar()));
    return root;
  }

  static void exportText(PrintWriter out, ExportResult r) {
    Sidecar s = r.sidecar();
    if (r.dryRun()) {
      out.println("dry run: nothing written");
    } else {
      out.println("wrote " + r.output() + " (" + r.archiveBytes() + " bytes)");
    }
    out.println("platform: " + s.platform());
    out.println("target manifest digest: " + s.target().manifestDigest());
    out.println("baseline manifest digest: " + s.baseline().manifestDigest());
    plan(out, s);
    out.flush();
  }

  static ObjectNode importJson(ImportResult r) {
    ObjectNode root = envelope("import", r.allReachable());
    ObjectNode result = root.putObject("result");
    result.put("dry_run", r.dryRun());
    result.put("output", r.output());
    result.put("manifest_digest", r.manifestDigest() == null ? null : r.manifestDigest().toString());
    result.put("manifest_stored", r.manifestStored());
    result.put("config_digest", r.configDigest().toString());
    result.put("target_manifest_digest", r.sidecar().target().manifestDigest().toString());
    result.put("all_reachable", r.allReachable());
    ArrayNode blobs = result.putArray("required_from_baseline");
    for (BlobReachability b : r.reachability()) {
      ObjectNode blob = blobs.addObject();
      blob.put("digest", b.digest().toString());
      blob.put("size", b.size());
      blob.put("reachable", b.reachable());
      blob.put("found_by", b.how());
    }
    ArrayNode warnings = result.putArray("warnings");
    r.warnings().forEach(warnings::add);
    return root;
  }

  static void importText(PrintWriter out, ImportResult r) {
    if (r.dryRun()) {
      out.println("dry run: nothing written");
      out.println("required from baseline:");
      for (BlobReachability b : r.reachability()) {
        String state = b.reachable() ? "ok (" + b.how() + ")" : "MISSING";
        out.println("  " + b.digest() + "  " + b.size() + " bytes  " + state);
      }
      long missing = r.reachability().stream().filter(b -> !b.reachable()).count();
      out.println(missing == 0 ? "baseline holds every required blob" : missing + " required blob(s) missing from the baseline");
    } else {
      out.println("wrote " + r.output());
      if (r.manifestStored()) {
        out.println("manifest digest: " + r.manifestDigest());
        if (!r.manifestDigest().equals(r.sidecar().target().manifestDigest())) {
          out.println("(rewritten from target " + r.sidecar().target().manifestDigest() + ")");
        }
      }
      out.println("image id (config digest): " + r.configDigest());
      Sidecar s = r.sidecar();
      out.println("blobs: " + s.shippedInDelta().size() + " from delta, " + s.requiredFromBaseline().size() + " from baseline");
    }
    out.flush();
  }

  private static void summary(ObjectNode result, Sidecar s) {
    result.put("platform", s.platform());
    result.put("target_manifest_digest", s.target().manifestDigest().toString());
    result.put("baseline_manifest_digest", s.baseline().manifestDigest().toString());
    result.put("shipped_blobs", s.shippedInDelta().size());
    result.put("shipped_bytes", s.shippedBytes());
    result.put("required_blobs", s.requiredFromBaseline().size());
    result.put("required_bytes", s.requiredBytes());
    result.put("saved_percent", Math.round(s.savedPercent() * 10) / 10.0);
  }

  private static void plan(PrintWriter out, Sidecar s) {
    out.println("shipped: " + s.shippedInDelta().size() + " blobs (" + s.shippedBytes() + " bytes)");
    out.println("required: " + s.requiredFromBaseline().size() + " blobs (" + s.requiredBytes() + " bytes)");
    out.println(String.format(Locale.ROOT, "saved %.1f%% vs full image", s.savedPercent()));
  }
}
