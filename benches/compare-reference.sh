#!/usr/bin/env bash
# Throughput of the reference normalizeWebhook (Node) and of ours on the same files, in one run,
# with the ratios between them and to serde_json. Prints Markdown tables.
#
#   benches/compare-reference.sh [--seconds N] [--rounds N] [--lto]
#
#   --seconds N  time each measurement for N seconds (default 5)
#   --rounds N   repeat every measurement N times, interleaved, and keep each one's best
#                (default 1; use 3 on a busy machine)
#   --lto        also build ours with whole-program optimization (fat LTO, one codegen unit,
#                through CARGO_PROFILE_RELEASE_* variables, in target/lto) and show it beside,
#                labelled "(LTO)"; the headline figures stay those of the default profile
#   --big        accepted for old commands: the big bodies are always measured now
#
# Bodies: the corpus (../shared/corpus/meta/body/*.json, or fixtures/meta/body/*.json without
# ../shared), minified to one compact line each as Meta sends them; the generated 1,000-message
# batch; the ~3 MB history body. Two comparisons on each:
#   - body text → normalized JSON text: the reference's --bench-json (JSON.parse + normalizeWebhook
#     + JSON.stringify) against ours, `normalize_webhook(body)?.to_json()` (target ≥ 5×);
#   - body → normalized value: the reference's --bench (JSON.parse + normalizeWebhook) against
#     `normalize_webhook`, and `normalize_webhook` against serde_json's IgnoredAny scan
#     (target ≤ 3× on the corpus).
# Ours is examples/throughput.rs built as users build the crate: a dependency in Cargo's default
# release profile (this repository sets no [profile.release]), no LTO. The reference is
# ../shared/reference/normalize-reference (override with KAPSO_REFERENCE=PATH).
# Needs cargo, node (for the reference) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=5
rounds=1
lto=0
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --lto) lto=1; shift ;;
    --big) shift ;;
    -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

# The default release profile, as a user's application builds its dependencies. Profile
# variables that would change it are cleared (--lto sets them for the second build only).
target=${CARGO_TARGET_DIR:-target}
env -u CARGO_PROFILE_RELEASE_LTO -u CARGO_PROFILE_RELEASE_CODEGEN_UNITS \
  -u CARGO_PROFILE_RELEASE_OPT_LEVEL \
  cargo build --release --quiet --example throughput
bin=$target/release/examples/throughput
bin_lto=
if [ "$lto" = 1 ]; then
  echo "building with fat LTO (slow) in $target/lto" >&2
  CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_TARGET_DIR=$target/lto \
    cargo build --release --quiet --example throughput
  bin_lto=$target/lto/release/examples/throughput
fi
code=
if code=$(git rev-parse --short HEAD 2>/dev/null); then
  git diff --quiet HEAD -- src Cargo.toml 2>/dev/null || code="$code plus uncommitted changes"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" --minify "$tmp/corpus" "$corpus"/*.json
"$bin" --write-bodies "$tmp/big"
sets=(corpus batch_1000 body_3mb)
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
    echo "round $round/$rounds, $bodies ($# files): reference (--bench, --bench-json), then ours" >&2
    "$reference" --bench "$seconds" "$@" | sed "s/^/$bodies\treference\t/" >>"$results"
    "$reference" --bench-json "$seconds" "$@" | sed "s/^/$bodies\treference_json\t/" >>"$results"
    "$bin" --seconds "$seconds" "$@" | sed "s/^/$bodies\tours\t/" >>"$results"
    if [ -n "$bin_lto" ]; then
      "$bin_lto" --seconds "$seconds" "$@" | sed "s/^/$bodies\tours_lto\t/" >>"$results"
    fi
  done
done

cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1)
echo "Machine: $(nproc) CPUs, ${cpu:-unknown CPU}; $(rustc --version); node $(node --version);" \
  "load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
[ -z "$code" ] || echo "Code: $code."
echo "Ours: Cargo's default release profile (no LTO), as a dependency is built$([ -n "$bin_lto" ] && echo '; rows marked (LTO): fat LTO, one codegen unit')."
echo "Each figure: best of $rounds run(s) of ${seconds} s, one thread."
echo

python3 - "$results" <<'PY'
import json, sys

best = {}   # (set, function) -> record with the lowest ns_per_payload
sizes = {}  # set -> (files, bytes)
for line in open(sys.argv[1]):
    set_name, who, text = line.rstrip("\n").split("\t", 2)
    record = json.loads(text)
    if who == "reference":
        name = "reference"
    elif who == "reference_json":
        name = "reference_json"
    elif who == "ours_lto":
        name = record["bench"] + " (LTO)"
    else:
        name = record["bench"]
    key = (set_name, name)
    if key not in best or record["ns_per_payload"] < best[key]["ns_per_payload"]:
        best[key] = record
    if who == "ours":
        sizes[set_name] = (record["files"], record["bytes"])

sets = [s for s in ["corpus", "batch_1000", "body_3mb"] if s in sizes]
lto = any(name.endswith(" (LTO)") for _, name in best)
ns = lambda s, n: best[(s, n)]["ns_per_payload"]

def label(s):
    files, size = sizes[s]
    return f"{s} ({files} × {size / files / 1000:.1f} kB)" if files > 1 else f"{s} ({size / 1e6:.2f} MB)"

def ns_per_byte(s, n):
    files, size = sizes[s]
    return ns(s, n) * files / size

def suffixes():
    return ["", " (LTO)"] if lto else [""]

print("### Body text → normalized JSON text")
print()
print("Reference: `JSON.stringify(normalizeWebhook(JSON.parse(body)))` (`--bench-json`); ours: "
      "`normalize_webhook(body)?.to_json()`.")
print()
print("| bodies | function | payloads/s | MB/s | µs/payload | ns/byte | reference ÷ ours (time) |")
print("|---|---|---:|---:|---:|---:|---:|")
for s in sets:
    shown = label(s)
    ref = ns(s, "reference_json")
    for n in ["reference_json"] + ["to_json" + x for x in suffixes()]:
        r = best[(s, n)]
        shown_name = "reference (parse + normalize + stringify)" if n == "reference_json" else n
        print(f"| {shown} | {shown_name} | {r['payloads_per_s']:,.0f} | {r['mb_per_s']:,.1f} | "
              f"{ns(s, n) / 1000:,.2f} | {ns_per_byte(s, n):.2f} | {ref / ns(s, n):.2f}× |")
        shown = ""

print()
print("### Body → normalized value, and the serde_json baselines")
print()
print("| bodies | function | payloads/s | MB/s | µs/payload | ns/byte | reference ÷ ours (time) | time ÷ IgnoredAny | time ÷ Value |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
for s in sets:
    shown = label(s)
    ref = ns(s, "reference")
    names = ["reference"]
    for x in suffixes():
        names += ["normalize_webhook" + x, "normalize_webhook_raw" + x]
    names += ["ignored_any", "value"]
    for n in names:
        r = best[(s, n)]
        scan = ns(s, "ignored_any" + (" (LTO)" if n.endswith(" (LTO)") else ""))
        value = ns(s, "value" + (" (LTO)" if n.endswith(" (LTO)") else ""))
        print(f"| {shown} | {n} | {r['payloads_per_s']:,.0f} | {r['mb_per_s']:,.1f} | {ns(s, n) / 1000:,.2f} | "
              f"{ns_per_byte(s, n):.2f} | {ref / ns(s, n):.2f}× | {ns(s, n) / scan:.2f}× | {ns(s, n) / value:.2f}× |")
        shown = ""

print()
print("### Against the targets")
print()
for x in suffixes():
    tag = " (LTO)" if x else ""
    for s in sets:
        ratio = ns(s, "reference_json") / ns(s, "to_json" + x)
        print(f"- body → JSON text{tag}, {s}: {ratio:.2f}× the reference's throughput (target ≥ 5×): "
              f"{'met' if ratio >= 5 else 'NOT met'}")
    if "corpus" in sets:
        ratio = ns("corpus", "normalize_webhook" + x) / ns("corpus", "ignored_any" + x)
        print(f"- normalize_webhook{tag}, corpus: {ratio:.2f}× the IgnoredAny scan's time (target ≤ 3×): "
              f"{'met' if ratio <= 3 else 'NOT met'}")
if "corpus" in sizes and len(sets) > 1:
    print()
    print("Linearity: ns per byte ÷ the corpus's ns per byte (target ≤ 1.5×):")
    for s in sets:
        if s == "corpus":
            continue
        parts = [f"{n} {ns_per_byte(s, n) / ns_per_byte('corpus', n):.2f}×"
                 for n in ["to_json", "normalize_webhook", "normalize_webhook_raw", "ignored_any", "value"]]
        print(f"- {s}: " + ", ".join(parts))
PY
