#!/usr/bin/env bash
# Fuzz targets: every cargo-fuzz target of vigil-extract, vigil-media and
# vigil-screening, FUZZ_SECONDS each (default 60), on the nightly toolchain.
# Installs cargo-fuzz when missing. A crash fails the part; its input stays
# under the crate's fuzz/artifacts/.
#   scripts/reliability/fuzz.sh [SECONDS]
source "$(dirname "$0")/lib.sh"
SECS="${1:-${FUZZ_SECONDS:-60}}"
cd "$REPO"
if ! rustup run nightly cargo --version >/dev/null 2>&1; then
    result fuzz SKIP "no nightly toolchain"; exit 0
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    log "cargo install cargo-fuzz --locked"
    cargo install cargo-fuzz --locked >&2
fi
status=0
summary=""
for crate in vigil-extract vigil-media vigil-screening; do
    dir="crates/$crate"
    [ -d "$dir/fuzz" ] || continue
    for target in $(cd "$dir" && cargo +nightly fuzz list); do
        log "fuzz $crate/$target for ${SECS}s"
        out="$(mktemp)"
        if (cd "$dir" && cargo +nightly fuzz run "$target" -- -max_total_time="$SECS" >"$out" 2>&1); then
            runs=$(grep -o 'Done [0-9]* runs' "$out" | tail -n 1 | awk '{print $2}')
            summary="$summary $target=${runs:-?}runs"
        else
            tail -n 40 "$out" >&2
            summary="$summary $target=CRASH"
            status=1
        fi
        rm -f "$out"
    done
done
if [ "$status" = 0 ]; then result fuzz PASS "${SECS}s each:$summary"
else result fuzz FAIL "${SECS}s each:$summary"; exit 1; fi
