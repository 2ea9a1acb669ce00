#!/usr/bin/env bash
# bench/compare_trees.sh — are two gongshi builds' outputs byte-identical?
#
#   bench/compare_trees.sh BASE_REF            # BASE_REF (e.g. main~3) against the work tree
#   GONGSHI_OLD=/path/a GONGSHI_NEW=/path/b bench/compare_trees.sh
#
# Builds (release) the gongshi of BASE_REF in a temporary git worktree and the gongshi of this
# checkout, or takes the two binaries given. Both then build the same sites into folders of
# their own:
#   - the example site of this checkout, for 全院 and for 科室:caiwu;
#   - the example with 2022 archived and a 2023 made from it (a 较上年变化 page), for 全院;
#   - the 10,000-point synthetic site of examples/synth.rs (seed 1), for 全院 and 科室:yaojike.
# Every file of each output is hashed (sha256, by relative path) and the two lists compared.
# Exit 0 when every tree is identical, 1 with the differing paths listed otherwise.
#
# Environment: COMPARE_POINTS (10000), COMPARE_DIR (a fresh /tmp folder, kept afterwards).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
points=${COMPARE_POINTS:-10000}
work=${COMPARE_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/gongshi-compare.XXXXXX")}
mkdir -p "$work/bin"

target_dir() {
    (cd "$1" && cargo metadata --format-version 1 --no-deps |
        sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
}

if [[ -z ${GONGSHI_NEW:-} ]]; then
    echo "== building this checkout (release)"
    (cd "$repo" && cargo build --release --quiet --bin gongshi --example synth)
    cp "$(target_dir "$repo")/release/gongshi" "$work/bin/new"
    cp "$(target_dir "$repo")/release/examples/synth" "$work/bin/synth"
    GONGSHI_NEW=$work/bin/new
fi
if [[ -z ${GONGSHI_OLD:-} ]]; then
    base=${1:?usage: bench/compare_trees.sh BASE_REF (or set GONGSHI_OLD and GONGSHI_NEW)}
    echo "== building $base (release) in a temporary worktree"
    tree=$work/base-tree
    git -C "$repo" worktree add --detach --force "$tree" "$base" >/dev/null
    trap 'git -C "$repo" worktree remove --force "$tree" >/dev/null 2>&1 || true' EXIT
    (cd "$tree" && CARGO_TARGET_DIR=$work/base-target cargo build --release --quiet --bin gongshi)
    cp "$work/base-target/release/gongshi" "$work/bin/old"
    GONGSHI_OLD=$work/bin/old
fi
if [[ ! -x $work/bin/synth ]]; then
    (cd "$repo" && cargo build --release --quiet --example synth)
    cp "$(target_dir "$repo")/release/examples/synth" "$work/bin/synth"
fi

echo "== synthetic site of $points points"
"$work/bin/synth" --points "$points" --out "$work/synth" --seed 1 >/dev/null

# hash_tree DIR: "sha256  path" for every file under DIR, sorted by path.
hash_tree() {
    (cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
}

status=0
compare() {
    local name=$1 root=$2 scope=$3
    local old=$work/out/$name/old new=$work/out/$name/new
    rm -rf "$old" "$new"
    mkdir -p "$work/out/$name"
    "$GONGSHI_OLD" -q --root "$root" build --scope "$scope" --output "$old"
    "$GONGSHI_NEW" -q --root "$root" build --scope "$scope" --output "$new"
    hash_tree "$old" >"$work/out/$name/old.sha256"
    hash_tree "$new" >"$work/out/$name/new.sha256"
    local files
    files=$(wc -l <"$work/out/$name/new.sha256")
    if cmp -s "$work/out/$name/old.sha256" "$work/out/$name/new.sha256"; then
        printf '%-22s identical (%s files)\n' "$name" "$files"
    else
        printf '%-22s DIFFERENT:\n' "$name"
        # diff exits 1 on differences, which pipefail would turn into the script's end.
        { diff "$work/out/$name/old.sha256" "$work/out/$name/new.sha256" || true; } | sed -n '1,40p'
        status=1
    fi
}

# A second year beside the example, to compare the 较上年变化 page and an archived year: 2022
# archived (by the old binary, so both builds copy the same archive), 2023 a copy of 2022 with
# its dates a year on, one point removed and one retitled.
two=$work/two-years
rm -rf "$two"
mkdir -p "$two"
cp -r "$repo/site.yaml" "$repo/content" "$two/"
sed -i '/^current_year:/d' "$two/site.yaml"
"$GONGSHI_OLD" -q --root "$two" archive 2022
cp -r "$two/content/2022" "$two/content/2023"
find "$two/content/2023" -type f -exec sed -i 's/2022/2023/g' {} +
rm "$two/content/2023/caiwu/cwk-07.md"
sed -i 's/^title: \(.*\)/title: \1（修订）/' "$two/content/2023/caiwu/cwk-02.md"

# The example without the checkout's themes/ folder: a site's own themes/ overrides the theme
# built into each binary, so building the checkout itself would hide every template change.
example=$work/example
rm -rf "$example"
mkdir -p "$example"
cp -r "$repo/site.yaml" "$repo/content" "$example/"

echo "== comparing trees"
compare example-hospital "$example" 全院
compare example-caiwu "$example" 科室:caiwu
compare two-years-2023 "$two" 全院
compare synth-hospital "$work/synth" 全院
compare synth-yaojike "$work/synth" 科室:yaojike
echo "(work folder: $work)"
exit $status
