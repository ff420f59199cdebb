#!/usr/bin/env bash
# Throughput of the reference normalizeWebhook (Node) and of ours on the same files, in one run,
# with the ratios between them and to serde_json. Prints Markdown tables.
#
#   benches/compare-reference.sh [--seconds N] [--rounds N] [--big]
#
#   --seconds N  time each measurement for N seconds (default 5)
#   --rounds N   repeat every measurement N times, interleaved, and keep each one's best
#                (default 1; use 3 on a busy machine)
#   --big        also the generated 1,000-message batch and ~3 MB history body, for per-byte
#                linearity against the corpus
#
# The corpus is ../shared/corpus/meta/body/*.json (fixtures/meta/body/*.json without ../shared),
# minified to one compact line each, as Meta sends them. The reference is
# ../shared/reference/normalize-reference (override with KAPSO_REFERENCE=PATH). Ours is
# examples/throughput.rs in release mode, which also measures serde_json's IgnoredAny scan and
# Value parse of the same bytes. Needs cargo, node (for the reference) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=5
rounds=1
big=0
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --big) big=1; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

reference=${KAPSO_REFERENCE:-../shared/reference/normalize-reference}
if [ ! -x "$reference" ]; then
  echo "the reference is not at $reference (set KAPSO_REFERENCE)" >&2
  exit 1
fi
corpus=../shared/corpus/meta/body
if [ ! -d "$corpus" ]; then
  corpus=fixtures/meta/body
  echo "note: ../shared/corpus/meta/body not found; using $corpus" >&2
fi

cargo build --release --quiet --example throughput
bin=${CARGO_TARGET_DIR:-target}/release/examples/throughput
code=
if code=$(git rev-parse --short HEAD 2>/dev/null); then
  git diff --quiet HEAD -- src Cargo.toml 2>/dev/null || code="$code plus uncommitted changes"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" --minify "$tmp/corpus" "$corpus"/*.json
sets=(corpus)
if [ "$big" = 1 ]; then
  "$bin" --write-bodies "$tmp/big"
  sets+=(batch_1000 body_3mb)
fi
files_of() {
  case "$1" in
    corpus) echo "$tmp"/corpus/*.json ;;
    *) echo "$tmp/big/$1.json" ;;
  esac
}

results=$tmp/results.tsv
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
for round in $(seq "$rounds"); do
  for bodies in "${sets[@]}"; do
    # shellcheck disable=SC2046 # the file list is split on purpose (temp names have no spaces)
    set -- $(files_of "$bodies")
    echo "round $round/$rounds, $bodies ($# files): reference, then ours" >&2
    "$reference" --bench "$seconds" "$@" | sed "s/^/$bodies\treference\t/" >>"$results"
    "$bin" --seconds "$seconds" "$@" | sed "s/^/$bodies\tours\t/" >>"$results"
  done
done

cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1)
echo "Machine: $(nproc) CPUs, ${cpu:-unknown CPU}; $(rustc --version); node $(node --version);" \
  "load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
[ -z "$code" ] || echo "Code: $code."
echo "Each figure: best of $rounds run(s) of ${seconds} s, one thread."
echo

python3 - "$results" <<'PY'
import json, sys

best = {}   # (set, function) -> record with the lowest ns_per_payload
sizes = {}  # set -> (files, bytes)
for line in open(sys.argv[1]):
    set_name, who, text = line.rstrip("\n").split("\t", 2)
    record = json.loads(text)
    name = "reference" if who == "reference" else record["bench"]
    key = (set_name, name)
    if key not in best or record["ns_per_payload"] < best[key]["ns_per_payload"]:
        best[key] = record
    if who == "ours":
        sizes[set_name] = (record["files"], record["bytes"])

sets = list(dict.fromkeys(s for s, _ in best))
names = ["reference", "normalize_webhook", "normalize_webhook_raw", "ignored_any", "value"]

def ns_per_byte(set_name, name):
    files, size = sizes[set_name]
    return best[(set_name, name)]["ns_per_payload"] * files / size

print("| bodies | function | payloads/s | MB/s | µs/payload | ns/byte | × reference throughput | time ÷ IgnoredAny | time ÷ Value |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
for s in sets:
    files, size = sizes[s]
    label = f"{s} ({files} × {size / files / 1000:.1f} kB)" if files > 1 else f"{s} ({size / 1e6:.2f} MB)"
    ref = best[(s, "reference")]["ns_per_payload"]
    scan = best[(s, "ignored_any")]["ns_per_payload"]
    value = best[(s, "value")]["ns_per_payload"]
    for n in names:
        r = best[(s, n)]
        ns = r["ns_per_payload"]
        print(f"| {label} | {n} | {r['payloads_per_s']:,.0f} | {r['mb_per_s']:,.1f} | {ns / 1000:,.2f} | "
              f"{ns_per_byte(s, n):.2f} | {ref / ns:.2f}× | {ns / scan:.2f}× | {ns / value:.2f}× |")
        label = ""

print()
print("Targets (normalize_webhook; normalize_webhook_raw also builds the camelCased `raw`):")
for s in sets:
    for n in ["normalize_webhook", "normalize_webhook_raw"]:
        ns = best[(s, n)]["ns_per_payload"]
        print(f"- {s}, {n}: {best[(s, 'reference')]['ns_per_payload'] / ns:.2f}× the reference's throughput "
              f"(target ≥ 5×, goal 10×); {ns / best[(s, 'ignored_any')]['ns_per_payload']:.2f}× the IgnoredAny "
              f"scan's time (target ≤ 4×, goal 2×)")
if "corpus" in sizes and len(sets) > 1:
    print()
    print("Linearity: ns per byte ÷ the corpus's ns per byte (target ≤ 1.5×):")
    for s in sets:
        if s == "corpus":
            continue
        parts = [f"{n} {ns_per_byte(s, n) / ns_per_byte('corpus', n):.2f}×" for n in names]
        print(f"- {s}: " + ", ".join(parts))
PY
