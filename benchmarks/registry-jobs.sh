#!/usr/bin/env bash
# Parallel layer fetching against a slow registry: diffah export --jobs 1 versus --jobs 4.
#
#   benchmarks/registry-jobs.sh [RATE_BYTES_PER_S] [LATENCY_MS]
#
# Starts the distribution registry on loopback, pushes the many-small pair (24 layers, 4 of them
# new in v2) with skopeo, and puts a proxy in front that caps each connection's bandwidth (default
# 2 MB/s) and adds latency (default 50 ms), as a registry across a slow link does. Then times
# `diffah export` of v2 against v1, both read from the registry, with --jobs 1 and --jobs 4, and
# prints the speed-up. Results: benchmarks/results/registry-jobs.json.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(dirname "$here")"
rate="${1:-2000000}"
latency="${2:-50}"
work="$here/work/registry"
"$root/scripts/install-tools"
bench_jar="$here/target/benchmarks.jar"
[[ -f "$bench_jar" && -f "$root/cli/target/diffah.jar" ]] || (cd "$root" && mvn -q -B -DskipTests package)
images="$here/work/images/many-small"
[[ -f "$images/v2.tar" ]] || java -Xmx512m -cp "$bench_jar" dev.diffah.bench.GenerateImages "$here/work/images" many small >/dev/null

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
time_export 4 >/dev/null # warm-up: class-data-sharing archive, page cache
read -r one one_ms <<<"$(time_export 1)"
read -r four four_ms <<<"$(time_export 4)"
cmp -s "$work/delta-1.tar" "$work/delta-4.tar" || { echo "registry-jobs.sh: --jobs 1 and --jobs 4 wrote different deltas" >&2; exit 1; }
speedup="$(awk -v a="$one" -v b="$four" 'BEGIN {printf "%.2f", a / b}')"
fetch_speedup="$(awk -v a="$one_ms" -v b="$four_ms" 'BEGIN {printf "%.2f", a / b}')"
echo "per-connection cap ${rate} B/s, +${latency} ms per exchange:"
echo "  whole export: --jobs 1 ${one} s, --jobs 4 ${four} s, ${speedup}x"
echo "  fetch+write stage: --jobs 1 ${one_ms} ms, --jobs 4 ${four_ms} ms, ${fetch_speedup}x (target >= 3)"
mkdir -p "$here/results"
printf '{"rate_bytes_per_s": %s, "latency_ms": %s, "jobs1_s": %s, "jobs4_s": %s, "speedup": %s, "jobs1_write_ms": %s, "jobs4_write_ms": %s, "write_speedup": %s}\n' \
  "$rate" "$latency" "$one" "$four" "$speedup" "$one_ms" "$four_ms" "$fetch_speedup" >"$here/results/registry-jobs.json"
