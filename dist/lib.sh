# dist/lib.sh — shared by dist/windows.sh and dist/deb.sh (sourced, not run).
#
# The release binaries are cross-built with Debian's own Rust (rustc-web, cargo-web, 1.96 in
# bookworm-security) and its standard library sources (rust-web-src): rustup's servers are not
# reachable from the build machines, so there is no prebuilt std for Windows, and std is
# built from source with -Zbuild-std (RUSTC_BOOTSTRAP=1 lets the stable compiler take the -Z
# flag). Each target keeps its own folder under target/ so that a rerun only rebuilds gongshi.
#
# Environment: DIST_CARGO, DIST_RUSTC (default /usr/bin/cargo, /usr/bin/rustc: Debian's).

set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dist_out=$repo/target/dist
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$repo/Cargo.toml" | head -n 1)
dist_cargo=${DIST_CARGO:-/usr/bin/cargo}
dist_rustc=${DIST_RUSTC:-/usr/bin/rustc}
mkdir -p "$dist_out"

say() { printf '== %s\n' "$*"; }
fail() {
    printf 'FAILED: %s\n' "$*" >&2
    exit 1
}

# need PACKAGE… : installs the Debian packages that are not installed yet.
need() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
            missing+=("$pkg")
    done
    ((${#missing[@]} == 0)) && return 0
    say "installing ${missing[*]} (apt-get)"
    local sudo=()
    [[ $(id -u) == 0 ]] || sudo=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    # rustc-web 1.96 is in bookworm-security: refresh the lists once if it is not visible yet.
    if ! apt-cache show "${missing[@]}" >/dev/null 2>&1 ||
        [[ " ${missing[*]} " == *" rustc-web "* ]]; then
        "${sudo[@]}" apt-get update -qq
    fi
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The Rust toolchain of every dist build: Debian's compiler, cargo and std sources.
need_rust() {
    need rustc-web cargo-web rust-web-src
    local have
    have=$("$dist_rustc" -V | awk '{print $2}')
    # Cargo.toml's rust-version is the floor; 1.85 (bookworm's main rustc-web) is below it.
    local floor
    floor=$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' "$repo/Cargo.toml")
    if [[ $(printf '%s\n%s\n' "$floor" "$have" | sort -V | head -n 1) != "$floor" ]]; then
        fail "$dist_rustc is $have, gongshi needs $floor: enable bookworm-security (or set DIST_RUSTC)"
    fi
    [[ -d $("$dist_rustc" --print sysroot)/lib/rustlib/src/rust/library ]] ||
        fail "no standard library sources under $("$dist_rustc" --print sysroot)/lib/rustlib/src (rust-web-src)"
}

# build_std TARGET TARGET_DIR [cargo args…]: a release build of gongshi for TARGET with std
# built from source, niced (it is long, and the build machines are shared).
build_std() {
    local target=$1 target_dir=$2
    shift 2
    say "building gongshi $version for $target (std from source; the first build is long)"
    (cd "$repo" && RUSTC_BOOTSTRAP=1 RUSTC="$dist_rustc" RUSTDOC="${dist_rustc%rustc}rustdoc" \
        CARGO_TARGET_DIR="$target_dir" nice "$dist_cargo" build --release --locked \
        -Zbuild-std=std,panic_abort --target "$target" --bin gongshi "$@")
}

# example_smoke BINARY: --version, check and build of the example (index.html written, with
# the hospital's name), then a planted wrong grade: exit 1 and the exact Chinese diagnostic
# with file:line:column. dist/deb.sh runs it on the installed /usr/bin/gongshi.
example_smoke() {
    local gongshi=$1 site
    site=$(mktemp -d "${TMPDIR:-/tmp}/gongshi-smoke.XXXXXX")
    cp -r "$repo/site.yaml" "$repo/content" "$site/"
    "$gongshi" --version | grep -q "^gongshi $version (" || fail "--version: $("$gongshi" --version)"
    "$gongshi" --root "$site" check -q || fail "check of the example failed"
    "$gongshi" --root "$site" build -q || fail "build of the example failed"
    [[ -s $site/output/index.html ]] || fail "no output/index.html"
    grep -q '赣州市第五人民医院' "$site/output/index.html" || fail "index.html lacks the hospital's name"
    sed -i 's/^grade: 二级$/grade: 三级/' "$site/content/2022/caiwu/cwk-03.md"
    local out status=0
    out=$(NO_COLOR=1 "$gongshi" --root "$site" check 2>&1) || status=$?
    [[ $status == 1 ]] || fail "check of a wrong grade exited $status, not 1"
    grep -q '^error\[under-graded\]: 风险等级定为三级，低于计算等级二级$' <<<"$out" ||
        fail "the Chinese diagnostic is not right: $out"
    grep -q -- '--> content/2022/caiwu/cwk-03.md:8:8$' <<<"$out" || fail "no file:line:column: $out"
    rm -rf "$site"
}
