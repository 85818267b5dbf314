#!/usr/bin/env bash
# End-to-end benchmark of diffah against skopeo and the physical limit, on generated image pairs.
#
#   benchmarks/run.sh [--quick] [--big] [--reps N]
#
#   --quick   ~100 MB pairs instead of the ~1.3 GiB ones (a run of a few minutes)
#   --big     also export and import a pair with a 2 GiB layer under DIFFAH_JAVA_OPTS=-Xmx128m
#   --reps N  run every measurement N times and keep the fastest (default 1)
#   --report  only rebuild the JSON and table from the last run's measurements
#
# For each pair (large: JDK + /usr/share base layers and one big changed application layer;
# many: 24 layers of which 4 change), in one run on the same files, it times and takes the peak
# RSS (/usr/bin/time) of: diffah export, diffah import into each output format, skopeo copy of
# the full target into that format, and cp + openssl dgst -sha256 of the bytes diffah moves.
# The export and the oci-archive import also run with --progress lines instead of -q, to show
# that progress reporting costs nothing measurable (progress_overhead: time with / time without).
# export-in-process and import-in-process run the same operations several times in one JVM
# (dev.diffah.bench.InProcess), as an application embedding the engine sees them: no start-up.
# The page cache cannot be dropped without root tricks, so every measurement is preceded by a
# sync and a read of all its inputs: all run equally warm. Results: benchmarks/results/latest.json.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(dirname "$here")"
work="$here/work"
results="$here/results"

scale=full
big=false
reps=1
report_only=false
while (($#)); do
  case "$1" in
    --quick) scale=small ;;
    --big) big=true ;;
    --reps) reps="$2"; shift ;;
    --report) report_only=true ;;
    -h|--help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; echo "hint: run.sh --help" >&2; exit 2 ;;
  esac
  shift
done

"$root/scripts/install-tools"
for tool in jq skopeo openssl /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing" >&2; exit 3; }
done

bench_jar="$here/target/benchmarks.jar"
if [[ ! -f "$bench_jar" || ! -f "$root/cli/target/diffah.jar" ]]; then
  (cd "$root" && mvn -q -B -DskipTests package)
fi

mkdir -p "$work/out" "$results"
tsv="$work/measurements.tsv"

generate() { # PAIR SCALE -> directory of v1/, v2/, v1.tar, v2.tar
  local dir="$work/images/$1-$2"
  if [[ ! -f "$dir/v2.tar" ]]; then
    echo "generating $1-$2 image pair in $dir" >&2
    java -Xmx512m -cp "$bench_jar" dev.diffah.bench.GenerateImages "$work/images" "$1" "$2" >/dev/null
  fi
  echo "$dir"
}

manifest_of() { # LAYOUT_DIR -> path of its (only) manifest blob
  echo "$1/blobs/sha256/$(jq -r '.manifests[0].digest' "$1/index.json" | cut -d: -f2)"
}

blob_files() { # LAYOUT_DIR -> manifest, config and layer blob files of the image
  local manifest; manifest="$(manifest_of "$1")"
  echo "$manifest"
  jq -r '.config.digest, .layers[].digest' "$manifest" | cut -d: -f2 | sed "s|^|$1/blobs/sha256/|" | sort -u
}

new_blob_files() { # V1_DIR V2_DIR -> blob files of v2 that v1 does not have (what a delta ships)
  comm -13 <(blob_files "$1" | xargs -n1 basename | sort) <(blob_files "$2" | xargs -n1 basename | sort) \
    | sed "s|^|$2/blobs/sha256/|"
}

total_bytes() { xargs stat -c %s | awk '{s += $1} END {printf "%.0f\n", s}'; }

warm() { # FILES... : flush earlier writes, then read every input once so all runs are equally warm
  sync
  cat "$@" >/dev/null
}

# measure PAIR NAME FORMAT BYTES OUTPUT WARM_FILES... -- COMMAND...
measure() {
  local pair="$1" name="$2" format="$3" bytes="$4" output="$5"
  shift 5
  local warm_files=()
  while [[ "$1" != "--" ]]; do warm_files+=("$1"); shift; done
  shift
  local best_s="" best_rss="" stats="$work/time.out"
  for ((i = 0; i < reps; i++)); do
    rm -rf "$output"
    warm "${warm_files[@]}"
    if ! /usr/bin/time -f '%e %M' -o "$stats" "$@" >"$work/cmd.log" 2>&1; then
      echo "run.sh: $name ($format) failed:" >&2; cat "$work/cmd.log" >&2; exit 1
    fi
    read -r s rss <"$stats"
    if [[ -z "$best_s" ]] || awk -v a="$s" -v b="$best_s" 'BEGIN {exit !(a < b)}'; then
      best_s="$s"; best_rss="$rss"
    fi
  done
  [[ "$name" == export* ]] || rm -rf "$output"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$pair" "$name" "$format" "$bytes" "$best_s" "$best_rss" | tee -a "$tsv" >&2
}

# measure_in_process PAIR NAME FORMAT BYTES WARM_FILES... -- INPROCESS_ARGS...
# The operation as an application embedding the engine runs it: several times in one JVM, the best
# run after the first (start-up and JIT warm-up paid once). Peak RSS is the whole JVM's.
measure_in_process() {
  local pair="$1" name="$2" format="$3" bytes="$4"
  shift 4
  local warm_files=()
  while [[ "$1" != "--" ]]; do warm_files+=("$1"); shift; done
  shift
  local stats="$work/time.out" seconds rss
  warm "${warm_files[@]}"
  # shellcheck disable=SC2086 # the launcher's options, split as the launcher splits them
  if ! seconds="$(/usr/bin/time -f '%e %M' -o "$stats" java $default_opts -cp "$bench_jar" dev.diffah.bench.InProcess 4 "$@" 2>"$work/cmd.log")"; then
    echo "run.sh: $name ($format) failed:" >&2; cat "$work/cmd.log" >&2; exit 1
  fi
  read -r _ rss <"$stats"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$pair" "$name" "$format" "$bytes" "$seconds" "$rss" | tee -a "$tsv" >&2
}

copy_and_hash() { # DEST FILES... : the physical limit: copy the bytes, hash them with SHA extensions
  local dest="$1"; shift
  mkdir -p "$dest"
  cp -- "$@" "$dest/" && openssl dgst -sha256 "$@" >/dev/null
}
export -f copy_and_hash

diffah="$root/diffah"
default_opts="-Xmx256m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Xshare:auto" # the launcher's defaults
formats=(docker-archive oci-archive oci dir)

skopeo_ref() { # FORMAT PATH PAIR
  case "$1" in
    docker-archive|oci-archive) echo "$1:$2:diffah-bench/$3:v2" ;;
    oci) echo "oci:$2:v2" ;;
    dir) echo "dir:$2" ;;
  esac
}

out_path() { # FORMAT NAME
  case "$1" in
    docker-archive|oci-archive) echo "$work/out/$2-$1.tar" ;;
    *) echo "$work/out/$2-$1" ;;
  esac
}

warm_launcher() { # PAIR SCALE
  # The launcher archives the classes of its first run after a build (class-data sharing), which
  # makes that run ~2 s slower: let an unmeasured export be that run, not the first measurement.
  local jar="$root/cli/target/diffah.jar" dir; dir="$(generate "$1" "$2")"
  if [[ ! "$jar.jsa" -nt "$jar" ]]; then
    echo "archiving the launcher's classes with an unmeasured export" >&2
    env DIFFAH_JAVA_OPTS="$default_opts" "$diffah" export -q --target "oci-archive:$dir/v2.tar" \
      --baseline "oci-archive:$dir/v1.tar" --output "$work/out/warm-up.tar" --force >/dev/null
    rm -f "$work/out/warm-up.tar"
  fi
}

# read_pair V1_DIR V2_DIR: sets all_blobs / import_bytes (every blob of v2, what an import moves)
# and new_blobs / export_bytes (the blobs v1 lacks, what a delta ships)
read_pair() {
  mapfile -t all_blobs < <(blob_files "$2")
  mapfile -t new_blobs < <(new_blob_files "$1" "$2")
  import_bytes="$(printf '%s\n' "${all_blobs[@]}" | total_bytes)"
  export_bytes="$(printf '%s\n' "${new_blobs[@]}" | total_bytes)"
}

bench_pair() { # PAIR SCALE
  local pair="$1" dir; dir="$(generate "$1" "$2")"
  local label="$1-$2" v1="$dir/v1" v2="$dir/v2"
  read_pair "$v1" "$v2"
  local delta="$work/out/$label-delta.tar"
  echo "== $label: full image $import_bytes bytes in ${#all_blobs[@]} blobs, delta ships $export_bytes bytes in ${#new_blobs[@]}" >&2

  measure "$label" export delta "$export_bytes" "$delta" "$dir/v1.tar" "$dir/v2.tar" -- \
    env DIFFAH_JAVA_OPTS="$default_opts" "$diffah" export -q --target "oci-archive:$dir/v2.tar" \
    --baseline "oci-archive:$dir/v1.tar" --output "$delta"
  # stderr is a file here, so --progress lines: a line every few seconds, counters on every chunk
  local progress_delta="$work/out/$label-delta-progress.tar"
  measure "$label" export-progress delta "$export_bytes" "$progress_delta" "$dir/v1.tar" "$dir/v2.tar" -- \
    env DIFFAH_JAVA_OPTS="$default_opts" "$diffah" export --progress lines --target "oci-archive:$dir/v2.tar" \
    --baseline "oci-archive:$dir/v1.tar" --output "$progress_delta"
  rm -f "$progress_delta"
  measure "$label" limit-export cp+openssl "$export_bytes" "$work/out/limit" "${new_blobs[@]}" -- \
    bash -c 'copy_and_hash "$@"' _ "$work/out/limit" "${new_blobs[@]}"
  measure "$label" limit-import cp+openssl "$import_bytes" "$work/out/limit" "${all_blobs[@]}" -- \
    bash -c 'copy_and_hash "$@"' _ "$work/out/limit" "${all_blobs[@]}"
  for format in "${formats[@]}"; do
    measure "$label" import "$format" "$import_bytes" "$(out_path "$format" diffah)" "$delta" "$dir/v1.tar" -- \
      env DIFFAH_JAVA_OPTS="$default_opts" "$diffah" import -q --delta "$delta" --baseline "oci-archive:$dir/v1.tar" \
      --output "$(out_path "$format" diffah)" --output-format "$format"
    if [[ "$format" == oci-archive ]]; then
      measure "$label" import-progress "$format" "$import_bytes" "$(out_path "$format" diffah)" "$delta" "$dir/v1.tar" -- \
        env DIFFAH_JAVA_OPTS="$default_opts" "$diffah" import --progress lines --delta "$delta" \
        --baseline "oci-archive:$dir/v1.tar" --output "$(out_path "$format" diffah)" --output-format "$format"
    fi
    measure "$label" skopeo "$format" "$import_bytes" "$(out_path "$format" skopeo)" "$dir/v2.tar" -- \
      skopeo copy -q "oci-archive:$dir/v2.tar" "$(skopeo_ref "$format" "$(out_path "$format" skopeo)" "$pair")"
  done
  measure_in_process "$label" export-in-process delta "$export_bytes" "$dir/v1.tar" "$dir/v2.tar" -- \
    export "oci-archive:$dir/v2.tar" "oci-archive:$dir/v1.tar" "$work/out/$label-delta-in-process.tar"
  for format in docker-archive oci; do
    measure_in_process "$label" import-in-process "$format" "$import_bytes" "$delta" "$dir/v1.tar" -- \
      import "$delta" "oci-archive:$dir/v1.tar" "$format:$(out_path "$format" in-process)"
  done
}

bench_big() { # 2 GiB application layer, 128 MiB heap: RSS must stay bounded
  local dir; dir="$(generate large big)"
  local label="large-big" v1="$dir/v1" v2="$dir/v2"
  read_pair "$v1" "$v2"
  local delta="$work/out/$label-delta.tar"
  echo "== $label (DIFFAH_JAVA_OPTS=-Xmx128m): full image $import_bytes bytes, delta ships $export_bytes" >&2
  measure "$label" export-xmx128m delta "$export_bytes" "$delta" "$dir/v1.tar" "$dir/v2.tar" -- \
    env DIFFAH_JAVA_OPTS=-Xmx128m "$diffah" export -q --target "oci-archive:$dir/v2.tar" \
    --baseline "oci-archive:$dir/v1.tar" --output "$delta"
  measure "$label" import-xmx128m docker-archive "$import_bytes" "$(out_path docker-archive big)" "$delta" "$dir/v1.tar" -- \
    env DIFFAH_JAVA_OPTS=-Xmx128m "$diffah" import -q --delta "$delta" --baseline "oci-archive:$dir/v1.tar" \
    --output "$(out_path docker-archive big)" --output-format docker-archive
  measure "$label" limit-export cp+openssl "$export_bytes" "$work/out/limit" "${new_blobs[@]}" -- \
    bash -c 'copy_and_hash "$@"' _ "$work/out/limit" "${new_blobs[@]}"
  measure "$label" limit-import cp+openssl "$import_bytes" "$work/out/limit" "${all_blobs[@]}" -- \
    bash -c 'copy_and_hash "$@"' _ "$work/out/limit" "${all_blobs[@]}"
  rm -f "$delta"
}

if ! $report_only; then
  : >"$tsv"
  warm_launcher large "$scale"
  bench_pair large "$scale"
  bench_pair many "$scale"
  if $big; then
    bench_big
  fi
fi

# JSON with the ratios: time / limit time (target <= 1.5), skopeo time / diffah time (target >= 2),
# and time with --progress lines / time with -q (progress must not slow the pipeline: about 1).
jq -R -s --arg host "$(hostname)" --arg cpus "$(nproc)" --arg scale "$(cut -f1 "$tsv" | sed "s/.*-//" | sort -u | paste -sd,)" --arg when "$(date -u +%FT%TZ)" '
  [split("\n")[] | select(length > 0) | split("\t")
   | {pair: .[0], name: .[1], format: .[2], bytes: (.[3] | tonumber), seconds: (.[4] | tonumber),
      peak_rss_mib: ((.[5] | tonumber) / 1024 | . * 10 | round / 10)}
   | . + {mib_per_s: (if .seconds > 0 then (.bytes / 1048576 / .seconds | . * 10 | round / 10) else null end)}] as $rows
  | def find(p; n; f): first($rows[] | select(.pair == p and .name == n and (f == null or .format == f))) // null;
  def ratio(a; b): if a == null or b == null or b.seconds == 0 then null else (a.seconds / b.seconds | . * 100 | round / 100) end;
  {run: {when: $when, host: $host, cpus: ($cpus | tonumber), scale: $scale,
         warm_cache: "every measurement after sync + a full read of its inputs; best of reps"},
   measurements: $rows,
   ratios: [$rows[] | select(.name | test("^(import|export)"))
     | . as $r
     | (if ($r.name | startswith("export")) then find($r.pair; "limit-export"; null) else find($r.pair; "limit-import"; null) end) as $limit
     | (if ($r.name | startswith("export")) then find($r.pair; "skopeo"; "oci-archive") else find($r.pair; "skopeo"; $r.format) end) as $skopeo
     | {pair: $r.pair, name: $r.name, format: $r.format,
        vs_limit: ratio($r; $limit), skopeo_over_diffah: ratio($skopeo; $r), peak_rss_mib: $r.peak_rss_mib}],
   progress_overhead: [$rows[] | select(.name | endswith("-progress"))
     | . as $p | find($p.pair; ($p.name | rtrimstr("-progress")); $p.format) as $quiet
     | {pair: $p.pair, name: $quiet.name, format: $p.format, quiet_seconds: $quiet.seconds,
        progress_seconds: $p.seconds, progress_over_quiet: ratio($p; $quiet)}]}
' "$tsv" >"$results/latest.json"

printf '\n%-12s %-16s %-15s %9s %8s %9s %9s %12s\n' pair measurement format seconds MiB/s "RSS MiB" "÷limit" "skopeo÷it" >&2
jq -r '.ratios as $ratios | .measurements[] | . as $m
  | (first($ratios[] | select(.pair == $m.pair and .name == $m.name and .format == $m.format)) // {}) as $r
  | [$m.pair, $m.name, $m.format, $m.seconds, $m.mib_per_s, $m.peak_rss_mib, ($r.vs_limit // "-"), ($r.skopeo_over_diffah // "-")]
  | @tsv' "$results/latest.json" \
  | awk -F'\t' '{printf "%-12s %-16s %-15s %9s %8s %9s %9s %12s\n", $1, $2, $3, $4, $5, $6, $7, $8}' >&2
printf '\n%-12s %-16s %-15s %9s %12s %12s\n' pair measurement format "-q s" "progress s" "progress÷-q" >&2
jq -r '.progress_overhead[] | [.pair, .name, .format, .quiet_seconds, .progress_seconds, (.progress_over_quiet // "-")] | @tsv' \
  "$results/latest.json" | awk -F'\t' '{printf "%-12s %-16s %-15s %9s %12s %12s\n", $1, $2, $3, $4, $5, $6}' >&2
echo "targets: ÷limit <= 1.5, skopeo÷it >= 2 (export is compared with skopeo copy to oci-archive)," \
  "progress÷-q about 1; written to $results/latest.json" >&2
