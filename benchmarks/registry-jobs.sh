#!/usr/bin/env bash
# Parallel layer fetching against a slow registry: diffah export --jobs 1 versus --jobs 4.
#
#   benchmarks/registry-jobs.sh [RATE_BYTES_PER_S] [LATENCY_MS] [REPS]
#
# Starts the distribution registry on loopback, pushes the "four" pair with skopeo (v2: 4 gzip
# layers of ~10 MiB each; v1: the same image built on an older base, so no layer is shared and all
# 4 ship), and puts a proxy in front that caps each connection's bandwidth (default 2 MB/s) and
# adds latency (default 50 ms each way, and a round trip to open a connection), as a registry
# across a slow link does. Then times the whole `diffah export` of v2 against v1, both read from
# the registry, with --jobs 1 and --jobs 4 (the fastest of REPS runs each, default 1), checks that
# both wrote the same bytes and prints the speed-up. Results: benchmarks/results/registry-jobs.json.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(dirname "$here")"
rate="${1:-2000000}"
latency="${2:-50}"
reps="${3:-1}"
work="$here/work/registry"
"$root/scripts/install-tools"
bench_jar="$here/target/benchmarks.jar"
[[ -f "$bench_jar" && -f "$root/cli/target/diffah.jar" ]] || (cd "$root" && mvn -q -B -DskipTests package)
images="$here/work/images/four-small"
[[ -f "$images/v2.tar" ]] || java -Xmx512m -cp "$bench_jar" dev.diffah.bench.GenerateImages "$here/work/images" four small >/dev/null

layers_of() { # VERSION -> the image's layer descriptors, from its OCI layout
  local index="$images/$1/index.json" manifest
  manifest="$(jq -r '.manifests[0].digest' "$index" | cut -d: -f2)"
  jq -c '[.layers[] | {digest, size}]' "$images/$1/blobs/sha256/$manifest"
}
v1_layers="$(layers_of v1)"; v2_layers="$(layers_of v2)"
shared="$(jq -n --argjson a "$v1_layers" --argjson b "$v2_layers" '[$b[].digest] - ([$b[].digest] - [$a[].digest]) | length')"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
reg_port="$(free_port)"; proxy_port="$(free_port)"
rm -rf "$work"; mkdir -p "$work/storage"
cat >"$work/config.yml" <<YML
version: 0.1
storage:
  filesystem:
    rootdirectory: $work/storage
http:
  addr: 127.0.0.1:$reg_port
YML
docker-registry serve "$work/config.yml" >"$work/registry.log" 2>&1 &
reg_pid=$!
java -cp "$bench_jar" dev.diffah.bench.ThrottlingProxy "$proxy_port" "$reg_port" "$rate" "$latency" &
proxy_pid=$!
trap 'kill $reg_pid $proxy_pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$reg_port/v2/" >/dev/null && break; sleep 0.1; done
for v in v1 v2; do
  skopeo --insecure-policy copy -q --dest-tls-verify=false "oci-archive:$images/$v.tar" "docker://127.0.0.1:$reg_port/bench:$v"
done

time_export() { # JOBS -> "wall-seconds fetch-and-write-millis"
  local out="$work/delta-$1.tar" stats="$work/time-$1"
  rm -f "$out"
  SOURCE_DATE_EPOCH=1700000000 /usr/bin/time -f '%e' -o "$stats" "$root/diffah" export -q --tls-verify=false --jobs "$1" \
    --stats --format json --target "docker://127.0.0.1:$proxy_port/bench:v2" \
    --baseline "docker://127.0.0.1:$proxy_port/bench:v1" --output "$out" >"$work/result-$1.json"
  echo "$(cat "$stats") $(jq '.result.stats.stage_millis.write' "$work/result-$1.json")"
}
fastest() { # JOBS -> the fastest of $reps runs
  local best="" run
  for _ in $(seq "$reps"); do
    run="$(time_export "$1")"
    if [[ -z "$best" ]] || awk -v a="${run%% *}" -v b="${best%% *}" 'BEGIN {exit !(a < b)}'; then best="$run"; fi
  done
  echo "$best"
}
time_export 4 >/dev/null # warm-up: class-data-sharing archive, page cache
read -r one one_ms <<<"$(fastest 1)"
read -r four four_ms <<<"$(fastest 4)"
cmp -s "$work/delta-1.tar" "$work/delta-4.tar" || { echo "registry-jobs.sh: --jobs 1 and --jobs 4 wrote different deltas" >&2; exit 1; }
speedup="$(awk -v a="$one" -v b="$four" 'BEGIN {printf "%.2f", a / b}')"
fetch_speedup="$(awk -v a="$one_ms" -v b="$four_ms" 'BEGIN {printf "%.2f", a / b}')"
echo "4-layer image ($(jq -r '[.[].size] | map(tostring) | join(", ")' <<<"$v2_layers") bytes; $shared shared with the baseline)"
echo "per-connection cap ${rate} B/s, +${latency} ms each way:"
echo "  whole export: --jobs 1 ${one} s, --jobs 4 ${four} s, ${speedup}x (target >= 3)"
echo "  fetch+write stage: --jobs 1 ${one_ms} ms, --jobs 4 ${four_ms} ms, ${fetch_speedup}x"
mkdir -p "$here/results"
jq -n --arg pair "four-small" --argjson v1 "$v1_layers" --argjson v2 "$v2_layers" --argjson shared "$shared" \
  --argjson rate "$rate" --argjson latency "$latency" --argjson reps "$reps" \
  --argjson one "$one" --argjson four "$four" --argjson speedup "$speedup" \
  --argjson one_ms "$one_ms" --argjson four_ms "$four_ms" --argjson fetch_speedup "$fetch_speedup" \
  '{image: {pair: $pair, shape: "4 gzip layers, all rebuilt in v2 (none shared with the baseline)",
            layers: ($v2 | length), layer_bytes: [$v2[].size], total_layer_bytes: ([$v2[].size] | add),
            baseline_layer_bytes: [$v1[].size], layers_shared_with_baseline: $shared},
    rate_bytes_per_s: $rate, latency_ms: $latency, reps: $reps,
    jobs1_s: $one, jobs4_s: $four, speedup: $speedup,
    jobs1_write_ms: $one_ms, jobs4_write_ms: $four_ms, write_speedup: $fetch_speedup}' >"$here/results/registry-jobs.json"
