#!/usr/bin/env bash
# bench/run.sh — the figures of BENCHMARKS.md, in one command from a clean checkout.
#
# Builds gongshi (release), generates synthetic hospitals of 1,000 and 10,000 risk points
# (examples/synth.rs), and for each size reports `gongshi check` and a full `gongshi build`:
# wall time (median of BENCH_RUNS runs; hyperfine when installed, else a date +%s%N loop),
# peak memory (max RSS from /usr/bin/time -v) and pages written; then Hugo on the same-size
# corpus of ../shared/bench/gen_corpus.py (the one Zola, Hugo and mdBook were timed on), side
# by side, with the ratio. The incremental rebuild of `gongshi serve` after one edit is
# measured only when this build has `gongshi serve`.
#
# Environment: BENCH_SIZES ("1000 10000"), BENCH_RUNS (7), BENCH_DIR (a fresh /tmp folder),
# GEN_CORPUS (path to gen_corpus.py; default ../shared/bench/gen_corpus.py beside the main
# checkout), GONGSHI_BIN (measure this gongshi binary instead of the one just built),
# SKIP_HUGO=1 (leave Hugo out).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
sizes=${BENCH_SIZES:-"1000 10000"}
runs=${BENCH_RUNS:-7}
work=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/gongshi-bench.XXXXXX")}
mkdir -p "$work/bin"
# gen_corpus.py is not part of the repository: it sits in ../shared/bench/ beside the main
# checkout. From a git worktree elsewhere, look beside the main checkout too.
gen_corpus=${GEN_CORPUS:-}
if [[ -z $gen_corpus ]]; then
    main_checkout=$(cd "$repo" && git rev-parse --path-format=absolute --git-common-dir 2>/dev/null | xargs -r dirname)
    for candidate in "$repo/../shared/bench/gen_corpus.py" "${main_checkout:-$repo}/../shared/bench/gen_corpus.py"; do
        if [[ -f $candidate ]]; then
            gen_corpus=$(cd "$(dirname "$candidate")" && pwd)/gen_corpus.py
            break
        fi
    done
    gen_corpus=${gen_corpus:-$repo/../shared/bench/gen_corpus.py}
fi

say() { printf '%s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

# ---------------------------------------------------------------- the machine
say "== machine"
say "cores (nproc): $(nproc)"
say "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
say "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
say "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)  (figures are only comparable on a quiet machine)"
say "timer: $(if have hyperfine; then hyperfine --version; else echo 'date +%s%N loop (install hyperfine for better statistics)'; fi)"
say "work dir: $work"
say "hugo corpus script: $gen_corpus (outside the repository)"

# ---------------------------------------------------------------- build
say ""
say "== building gongshi and examples/synth (release)"
(cd "$repo" && cargo build --release --quiet --bin gongshi --example synth)
target=$(cd "$repo" && cargo metadata --format-version 1 --no-deps |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
# Copies: the target folder may be shared with other builds that overwrite its binaries.
cp "$target/release/gongshi" "$work/bin/gongshi"
cp "$target/release/examples/synth" "$work/bin/synth"
gongshi=$work/bin/gongshi
# GONGSHI_BIN measures another build of gongshi (say, an older commit) on the same sites.
if [[ -n ${GONGSHI_BIN:-} ]]; then
    cp "$GONGSHI_BIN" "$work/bin/gongshi-measured"
    gongshi=$work/bin/gongshi-measured
    say "measuring $GONGSHI_BIN"
fi

# measure PREPARE COMMAND: runs COMMAND $runs times (after 1 warm-up), PREPARE before each
# (not timed). Sets m_wall, the median wall time in seconds, and m_cpu, the mean CPU time
# (user + system) in seconds: on a shared machine CPU time is the steadier of the two.
measure() {
    local prepare=$1 command=$2
    if have hyperfine; then
        local csv=$work/hyperfine.csv
        if ! hyperfine --style none --warmup 1 --runs "$runs" --prepare "$prepare" \
            --export-csv "$csv" "$command" >/dev/null 2>&1; then
            m_wall=failed m_cpu=failed
            return
        fi
        # CSV columns: command,mean,stddev,median,user,system,min,max
        m_wall=$(awk -F, 'NR == 2 {printf "%.3f", $4}' "$csv")
        m_cpu=$(awk -F, 'NR == 2 {printf "%.3f", $5 + $6}' "$csv")
    else
        local times=() i t0 t1
        bash -c "$prepare" >/dev/null 2>&1
        bash -c "$command" >/dev/null 2>&1 || true
        for ((i = 0; i < runs; i++)); do
            bash -c "$prepare" >/dev/null 2>&1
            t0=$(date +%s%N)
            bash -c "$command" >/dev/null 2>&1 || true
            t1=$(date +%s%N)
            times+=($((t1 - t0)))
        done
        m_wall=$(printf '%s\n' "${times[@]}" | sort -n |
            awk '{a[NR] = $1} END {m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.3f", m / 1e9}')
        m_cpu="n/a"
    fi
}

# peak_mib PREPARE COMMAND → max resident set size of one run, in MiB.
peak_mib() {
    local prepare=$1 command=$2
    bash -c "$prepare" >/dev/null 2>&1
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -v bash -c "exec $command" 2>&1 >/dev/null |
            awk -F: '/Maximum resident set size/ {printf "%.0f", $2 / 1024}'
    else
        echo "n/a"
    fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b + 0 > 0 && a + 0 > 0) printf "%.2f", a / b; else printf "n/a"}'; }

declare -A check_s build_s
hugo_note=""
if [[ -n ${SKIP_HUGO:-} ]]; then
    hugo_note="hugo: skipped (SKIP_HUGO is set)"
elif ! have hugo; then
    hugo_note="hugo: not installed, skipped (Debian: apt-get install hugo)"
elif [[ ! -f $gen_corpus ]]; then
    hugo_note="hugo: skipped — gen_corpus.py not found at $gen_corpus (it lives outside the repo, in ../shared/bench/; set GEN_CORPUS)"
elif ! have python3; then
    hugo_note="hugo: skipped — python3 is needed to run gen_corpus.py"
fi

for n in $sizes; do
    site=$work/site-$n
    out=$work/out-$n
    say ""
    say "== $n risk points"
    "$work/bin/synth" --points "$n" --out "$site" 2>&1 | sed 's/^/   /'

    check_cmd="$gongshi --root $site check"
    build_cmd="$gongshi --root $site build --output $out"
    # Content errors would make check and build measure the error path: refuse.
    if ! $check_cmd -q; then
        say "gongshi check found errors in the synthetic site: the figures would be meaningless" >&2
        exit 1
    fi
    measure "true" "$check_cmd"
    check_s[$n]=$m_wall check_cpu=$m_cpu
    check_mib=$(peak_mib "true" "$check_cmd")
    # A full build into an empty folder. Before each run, not timed: remove the output and
    # `sync`, so that no run is slowed down by the write-back of the previous one's files.
    measure "rm -rf $out; sync" "$build_cmd"
    build_s[$n]=$m_wall build_cpu=$m_cpu
    build_mib=$(peak_mib "rm -rf $out; sync" "$build_cmd")
    pages=$(find "$out" -name '*.html' | wc -l)
    files=$(find "$out" -type f | wc -l)
    bytes=$(du -sb "$out" | cut -f1)
    # The same build over the previous output (what a second `gongshi build` pays: the old
    # folder is swapped out and removed).
    measure "sync" "$build_cmd"
    rebuild_s=$m_wall
    # The floor: copying the finished output to a new folder, i.e. merely writing the files.
    measure "rm -rf $work/copy; sync" "cp -r $out $work/copy"
    copy_s=$m_wall
    rm -rf "$work/copy"

    hugo_s="" hugo_cpu="" hugo_mib="" hugo_pages=""
    if [[ -z $hugo_note ]]; then
        hsite=$work/hugo-$n
        python3 "$gen_corpus" --pages "$n" --flavor hugo --out "$hsite" 2>&1 | sed 's/^/   /'
        hugo_cmd="hugo --quiet --source $hsite --destination $hsite/public"
        measure "rm -rf $hsite/public $hsite/resources; sync" "$hugo_cmd"
        hugo_s=$m_wall hugo_cpu=$m_cpu
        hugo_mib=$(peak_mib "rm -rf $hsite/public $hsite/resources; sync" "$hugo_cmd")
        hugo_pages=$(find "$hsite/public" -name '*.html' | wc -l)
    fi

    printf '%-34s %14s %14s %16s\n' "" "gongshi check" "gongshi build" "hugo (same size)"
    printf '%-34s %12s s %12s s %14s\n' "wall time, median of $runs" "${check_s[$n]}" "${build_s[$n]}" "${hugo_s:-—} ${hugo_s:+s}"
    printf '%-34s %12s s %12s s %14s\n' "CPU time (user+sys), mean" "$check_cpu" "$build_cpu" "${hugo_cpu:-—} ${hugo_cpu:+s}"
    printf '%-34s %11s MiB %11s MiB %14s\n' "peak memory (max RSS)" "$check_mib" "$build_mib" "${hugo_mib:-—} ${hugo_mib:+MiB}"
    printf '%-34s %14s %14s %16s\n' "pages (.html) written" "—" "$pages" "${hugo_pages:-—}"
    say "build output: $files files, $((bytes / 1048576)) MiB; merely copying them (cp -r): $copy_s s"
    say "build over the previous output (old folder swapped out and removed): $rebuild_s s"
    if [[ -n $hugo_s ]]; then
        say "gongshi build / hugo: $(ratio "${build_s[$n]}" "$hugo_s")  (below 1: gongshi is faster, though it checks every rule first)"
    fi
done
[[ -n $hugo_note ]] && say "" && say "$hugo_note"

# ---------------------------------------------------------------- linearity
set -- $sizes
if [[ $# -ge 2 ]]; then
    small=$1 large=${!#}
    say ""
    say "== growth from $small to $large points ($((large / small))× the points)"
    say "check: $(ratio "${check_s[$large]}" "${check_s[$small]}")×   build: $(ratio "${build_s[$large]}" "${build_s[$small]}")×"
fi

# ---------------------------------------------------------------- serve
say ""
if "$gongshi" serve --help >/dev/null 2>&1 && have python3; then
    say "== serve: one edit → page updated (largest site)"
    python3 "$repo/bench/serve_edit.py" "$gongshi" "$work/site-${!#}" || say "serve: measurement failed"
else
    say "serve: not measured"
fi
say ""
say "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
