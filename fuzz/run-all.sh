#!/usr/bin/env bash
# Runs every fuzz target, one after the other, for N seconds each (default 600).
#
#   fuzz/run-all.sh [SECONDS] [TARGET...]
#
# Stable toolchain: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass the unstable flags it needs.
# Seeds are copied from fixtures/ at run time into fuzz/corpus/<target>/ (gitignored).
# One target at a time, one libFuzzer process (no -jobs/-workers): the machine is shared.
# Set SANITIZER=address for ASan (slower; the crate itself has no unsafe code).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
seconds="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(normalize kapso_event signature round_trip)
fi
sanitizer="${SANITIZER:-none}"
export RUSTC_BOOTSTRAP=1

# The Kapso event names in the order of EVENTS in fuzz_targets/kapso_event.rs: a seed's first
# byte is the name's index + 1.
kapso_events=(
    whatsapp.message.received whatsapp.message.sent whatsapp.message.delivered
    whatsapp.message.read whatsapp.message.failed whatsapp.conversation.created
    whatsapp.conversation.ended whatsapp.conversation.inactive
    whatsapp.contact.identity_changed whatsapp.contact.marketing_preference_changed
    whatsapp.meta_business_agent.handover whatsapp.phone_number.created
    whatsapp.phone_number.deleted whatsapp.config.created workflow.execution.handoff
    workflow.execution.failed project.event whatsapp.order.refunded
)

seed() {
    local target="$1" dir="$here/corpus/$1"
    mkdir -p "$dir"
    case "$target" in
        normalize | round_trip)
            cp "$root"/fixtures/meta/body/*.json "$dir"/
            # Each line of the generated bodies as its own seed.
            local n=0
            while IFS= read -r line; do
                n=$((n + 1))
                printf '%s' "$line" > "$dir/generated-$n.json"
            done < "$root/fixtures/generated/bodies.ndjson"
            ;;
        kapso_event)
            local i name file
            for i in "${!kapso_events[@]}"; do
                name="${kapso_events[$i]}"
                [ -d "$root/fixtures/kapso/$name" ] || continue
                for file in "$root/fixtures/kapso/$name"/*.json; do
                    # Byte 0: the event (index + 1); byte 1: no batch/version headers.
                    { printf "\\x$(printf '%02x' $((i + 1)))\\x00"; cat "$file"; } \
                        > "$dir/$name-$(basename "$file")"
                    # The same body with no event header at all.
                    { printf '\x00\x00'; cat "$file"; } > "$dir/none-$name-$(basename "$file")"
                done
            done
            ;;
        signature)
            # Structured input (arbitrary); a few raw seeds to start from.
            printf 'hub.mode=subscribe&hub.verify_token=t&hub.challenge=1' > "$dir/query"
            printf 'sha256=0000000000000000000000000000000000000000000000000000000000000000' > "$dir/meta"
            ;;
    esac
}

cd "$here"
for target in "${targets[@]}"; do
    seed "$target"
    echo "=== $target: ${seconds}s (sanitizer: $sanitizer) ==="
    cargo fuzz run --sanitizer "$sanitizer" "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1
done
