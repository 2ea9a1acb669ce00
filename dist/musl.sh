#!/usr/bin/env bash
# dist/musl.sh — a static Linux binary: target/dist/gongshi-VERSION-linux-x86_64.tar.gz holding
# `gongshi` (x86_64-unknown-linux-musl, statically linked: no glibc version to match, so one
# file runs on Debian, Ubuntu, Kylin, UOS and any other x86-64 Linux), the README and the
# licence. dist/deb.sh packages the same binary.
#
#   bash dist/musl.sh            # build, pack, smoke test; exit 1 if the test fails
#   DIST_SKIP_BUILD=1 bash dist/musl.sh   # pack and test the binary already built
#
# How: Debian's Rust 1.96 builds std for musl from source (dist/lib.sh), linked by musl-gcc
# (musl-tools) against Debian's static musl libc. Rust's own musl target ships an unwinder
# (libunwind.a) with its prebuilt std; a std built from source has none, so GCC's static
# unwinder, libgcc_eh.a, is offered under that name. mimalloc's C code is compiled by musl-gcc
# too. The smoke test checks that the binary has no dynamic section and no interpreter, then
# runs --version, check (with a planted error, to see the Chinese diagnostic) and build of the
# example site.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

target=x86_64-unknown-linux-musl
target_dir=$repo/target/dist-musl
bin=$target_dir/$target/release/gongshi
name=gongshi-$version-linux-x86_64

need_rust
need musl-tools gcc tar

if [[ ${DIST_SKIP_BUILD:-0} != 1 ]]; then
    # GCC's static unwinder under the name std's `unwind` crate links for musl.
    unwind_dir=$target_dir/unwind
    mkdir -p "$unwind_dir"
    cp "$(gcc -print-file-name=libgcc_eh.a)" "$unwind_dir/libunwind.a"
    CC_x86_64_unknown_linux_musl=musl-gcc \
        CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_LINKER=musl-gcc \
        CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_RUSTFLAGS="-C target-feature=+crt-static -C link-self-contained=no -L native=$unwind_dir" \
        build_std "$target" "$target_dir"
fi
[[ -x $bin ]] || fail "no binary at $bin"

say "packing target/dist/$name.tar.gz"
stage=$dist_out/$name
rm -rf "$stage"
mkdir -p "$stage"
cp "$bin" "$stage/gongshi"
cp "$repo/README.md" "$repo/CHANGELOG.md" "$stage/"
cp "$repo/docs/install.md" "$stage/INSTALL.md"
tar -C "$dist_out" --owner=0 --group=0 --numeric-owner -czf "$dist_out/$name.tar.gz" "$name"

# ------------------------------------------------------------------ smoke test
say "smoke test"
check_static() {
    local file=$1
    if readelf -l "$file" | grep -q 'INTERP'; then
        fail "$file asks for a dynamic loader: it is not static"
    fi
    if readelf -d "$file" 2>/dev/null | grep -q 'NEEDED'; then
        fail "$file needs shared libraries: $(readelf -d "$file" | grep NEEDED)"
    fi
}
check_static "$stage/gongshi"

example_smoke "$stage/gongshi"
say "ok: target/dist/$name.tar.gz ($(stat -c %s "$stage/gongshi") bytes, static)"
