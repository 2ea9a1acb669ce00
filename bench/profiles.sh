#!/usr/bin/env bash
# bench/profiles.sh — which release profile: size and speed of the gongshi binary built with
# each candidate profile, measured in one run on the same 10,000-point site.
#
#   bash bench/profiles.sh                 # build every variant, then measure them together
#   PROFILE_VARIANTS="before fat" bash bench/profiles.sh
#
# Variants (each built with `cargo build --release`, the profile's keys set through cargo's
# CARGO_PROFILE_RELEASE_* variables so that Cargo.toml's current [profile.release] does not
# matter, each in a target folder of its own under target/profiles/ so that reruns are
# incremental; `before` in target/ itself, where `cargo build --release` left it before):
#   before     the profile before issue 19: line tables, no strip, no LTO, 16 codegen units
#   thin       strip symbols, no debug info, thin LTO
#   fat        strip symbols, no debug info, fat LTO
#   fat-cgu1   fat LTO and one codegen unit (not run by default: name it in PROFILE_VARIANTS)
# For each: the wall time of `cargo build` (cold when its folder was empty; with
# PROFILE_CLEAN=1 after `cargo clean -p gongshi`: the crate and the link/LTO step, what a
# change to gongshi's own code costs), the binary's size; then hyperfine runs `check` and
# `build` of every binary in one run (output removed and `sync` before each build, not timed).
#
# Then, when valgrind is installed, the instructions each binary runs for `check` and `build`
# (callgrind): on a shared machine the wall times above vary with the neighbours' load, these do
# not.
#
# Environment: PROFILE_VARIANTS, PROFILE_CLEAN, PROFILE_CALLGRIND (1), BENCH_DIR (default /dev/shm/gongshi-profiles: tmpfs, so the
# disk does not decide), BENCH_RUNS (10), BENCH_POINTS (10000).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
variants=${PROFILE_VARIANTS:-"before thin fat"}
work=${BENCH_DIR:-/dev/shm/gongshi-profiles}
runs=${BENCH_RUNS:-10}
points=${BENCH_POINTS:-10000}
mkdir -p "$work/bin"
cd "$repo"

profile_env() {
    case $1 in
        before) echo "LTO=false STRIP=none DEBUG=line-tables-only CODEGEN_UNITS=16" ;;
        thin) echo "LTO=thin STRIP=symbols DEBUG=false CODEGEN_UNITS=16" ;;
        fat) echo "LTO=fat STRIP=symbols DEBUG=false CODEGEN_UNITS=16" ;;
        fat-cgu1) echo "LTO=fat STRIP=symbols DEBUG=false CODEGEN_UNITS=1" ;;
        *) echo "unknown variant $1" >&2; exit 2 ;;
    esac
}

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== rustc: $(rustc -V)"

target=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
# The site depends only on the generator and its seed: kept between runs (delete it to renew).
if [[ ! -f $work/site/.points-$points ]]; then
    echo "== generating the $points-point site (examples/synth, default seed)"
    # With the `before` profile, whose dependencies target/release already holds.
    env $(profile_env before | sed 's/\([A-Z_]*=\)/CARGO_PROFILE_RELEASE_\1/g') \
        cargo build --release --quiet --example synth
    rm -rf "$work/site"
    "$target/release/examples/synth" --points "$points" --out "$work/site" >/dev/null
    touch "$work/site/.points-$points"
fi

printf '%-10s %12s %14s\n' variant "cargo build" "size (bytes)"
for v in $variants; do
    dir=$target/profiles/$v
    [[ $v == before ]] && dir=$target
    env_args=()
    for kv in $(profile_env "$v"); do env_args+=("CARGO_PROFILE_RELEASE_$kv"); done
    kind=incremental
    [[ -x $dir/release/gongshi ]] || kind=cold
    if [[ ${PROFILE_CLEAN:-0} == 1 ]]; then
        env "${env_args[@]}" CARGO_TARGET_DIR="$dir" cargo clean --release --quiet -p gongshi
        kind=crate
    fi
    start=$(date +%s)
    env "${env_args[@]}" CARGO_TARGET_DIR="$dir" cargo build --release --quiet --bin gongshi
    cp "$dir/release/gongshi" "$work/bin/$v"
    printf '%-10s %12s %14s\n' "$v" "$(( $(date +%s) - start ))s $kind" "$(stat -c %s "$work/bin/$v")"
done

echo "== hyperfine, $runs runs each, all variants in one run (load $(cut -d' ' -f1-3 /proc/loadavg))"
check_cmds=() build_cmds=()
for v in $variants; do
    check_cmds+=(-n "check $v" "$work/bin/$v --root $work/site check -q")
    build_cmds+=(-n "build $v" "$work/bin/$v --root $work/site build -q")
done
hyperfine --warmup 1 --runs "$runs" -i --export-markdown "$work/check.md" "${check_cmds[@]}"
hyperfine --warmup 1 --runs "$runs" --prepare "rm -rf $work/site/output; sync" \
    --export-markdown "$work/build.md" "${build_cmds[@]}"
cat "$work/check.md" "$work/build.md"

# Instructions: the figure that does not depend on the neighbours' load.
if [[ ${PROFILE_CALLGRIND:-1} == 1 ]] && command -v valgrind >/dev/null; then
    echo "== instructions (valgrind callgrind, one run, all threads)"
    for v in $variants; do
        for cmd in check build; do
            rm -rf "$work/site/output"
            n=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$work/bin/$v" \
                --root "$work/site" "$cmd" -q 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
            printf '%-10s %-6s %15s\n' "$v" "$cmd" "$n"
        done
    done
fi
echo "== load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
