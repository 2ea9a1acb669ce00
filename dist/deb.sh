#!/usr/bin/env bash
# dist/deb.sh — target/dist/gongshi_VERSION_amd64.deb for Debian-family servers (Debian 12,
# Ubuntu 22.04 and later: glibc 2.34, see docs/install.md). It installs:
#   /usr/bin/gongshi                                built here with Debian's Rust (glibc);
#                                                   Depends: the libc6 it needs, libgcc-s1
#   /usr/share/man/man1/gongshi.1.gz, gongshi-*.1.gz   from `gongshi man --dir`
#   /usr/share/bash-completion/completions/gongshi    from `gongshi completions bash` (and the
#   /usr/share/zsh/vendor-completions/_gongshi       zsh and fish ones)
#   /usr/share/fish/vendor_completions.d/gongshi.fish
#   /usr/share/doc/gongshi/examples/                 the example site (site.yaml, content/)
#   /usr/share/doc/gongshi/                          README.md, CHANGELOG.md.gz, install.md, copyright
# The control file is written here (no cargo-deb to install); dpkg-deb builds the package.
#
#   bash dist/deb.sh                  # build, package, test; exit 1 on failure
#   DIST_DEB_BIN=path bash dist/deb.sh    # package and test this Linux binary instead
#
# The smoke test installs the package with dpkg, runs the installed gongshi (--version, check
# and build of a copy of the installed example, a planted error's Chinese diagnostic), reads the
# man page through man(1), loads the bash completion, then removes the package and checks that
# /usr/bin/gongshi is gone. It refuses to run when a gongshi package is installed already.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need man-db binutils

# The binary: a release build for the build machine's Linux (x86_64-unknown-linux-gnu) with
# Debian's Rust, in target/dist-native (which dist/windows.sh compares its output with).
bin=${DIST_DEB_BIN:-}
if [[ -z $bin ]]; then
    need_rust
    say "building gongshi $version for Linux (release)"
    (cd "$repo" && RUSTC="$dist_rustc" CARGO_TARGET_DIR="$repo/target/dist-native" \
        nice "$dist_cargo" build --release --locked --bin gongshi)
    bin=$repo/target/dist-native/release/gongshi
fi
[[ -x $bin ]] || fail "no binary at $bin"
# The newest glibc symbol version it uses is the libc6 it needs (2.34 when built on bookworm:
# Kylin V10 and UOS 20 have older ones; see docs/install.md).
glibc=$(objdump -T "$bin" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -Vu | tail -n 1)
[[ -n $glibc ]] || fail "cannot tell which glibc $bin needs"
depends="libc6 (>= $glibc), libgcc-s1"

deb_name=gongshi_${version}_amd64
deb=$dist_out/$deb_name.deb
stage=$dist_out/deb/$deb_name
say "staging $deb_name"
rm -rf "$stage" "$deb"
install -d "$stage/DEBIAN" "$stage/usr/bin" "$stage/usr/share/man/man1" \
    "$stage/usr/share/bash-completion/completions" "$stage/usr/share/zsh/vendor-completions" \
    "$stage/usr/share/fish/vendor_completions.d" "$stage/usr/share/doc/gongshi/examples"
install -m 0755 "$bin" "$stage/usr/bin/gongshi"
"$bin" man --dir "$stage/usr/share/man/man1" -q
gzip -9n "$stage"/usr/share/man/man1/*.1
"$bin" completions bash >"$stage/usr/share/bash-completion/completions/gongshi"
"$bin" completions zsh >"$stage/usr/share/zsh/vendor-completions/_gongshi"
"$bin" completions fish >"$stage/usr/share/fish/vendor_completions.d/gongshi.fish"
cp -r "$repo/site.yaml" "$repo/content" "$stage/usr/share/doc/gongshi/examples/"
cp "$repo/README.md" "$repo/docs/install.md" "$stage/usr/share/doc/gongshi/"
gzip -9n <"$repo/CHANGELOG.md" >"$stage/usr/share/doc/gongshi/changelog.gz"
cat >"$stage/usr/share/doc/gongshi/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: gongshi
Source: the gongshi repository

Files: *
License: MIT
 The gongshi contributors. The binary includes the Rust standard library (MIT or
 Apache-2.0) and the crates named in the source's Cargo.lock, each under its own
 licence (`cargo metadata` lists them).
EOF
find "$stage" -type d -exec chmod 0755 {} +
find "$stage/usr/share" -type f -exec chmod 0644 {} +

installed_size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat >"$stage/DEBIAN/control" <<EOF
Package: gongshi
Version: $version
Architecture: amd64
Maintainer: gongshi maintainers <gongshi@localhost>
Installed-Size: $installed_size
Section: web
Priority: optional
Depends: $depends
Description: static site generator for a hospital's integrity-risk notice (公示)
 gongshi checks the risk points of a hospital's integrity-risk programme
 (风险岗位廉能管理), one Markdown file per point, against the programme's
 grading rules, and builds the public notice as a static website for the
 intranet: risk points, prevention measures, workflow diagrams, printable
 forms, for exactly the audience each item may be shown to.
 .
 The example site is in /usr/share/doc/gongshi/examples.
EOF
(cd "$stage" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$stage/DEBIAN/md5sums"
SOURCE_DATE_EPOCH=$(git -C "$repo" log -1 --format=%ct 2>/dev/null || date +%s) \
    dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
dpkg-deb --info "$deb" >/dev/null || fail "dpkg-deb cannot read $deb"

# ------------------------------------------------------------------ smoke test
say "smoke test: install, run, remove"
if dpkg-query -W -f='${Status}' gongshi 2>/dev/null | grep -q 'installed'; then
    fail "a gongshi package is installed already; remove it first (sudo dpkg -r gongshi)"
fi
sudo=()
[[ $(id -u) == 0 ]] || sudo=(sudo)
"${sudo[@]}" dpkg -i "$deb" >/dev/null || fail "dpkg -i $deb failed"
removed=0
remove() {
    ((removed)) && return
    removed=1
    "${sudo[@]}" dpkg -r gongshi >/dev/null
}
trap remove EXIT

[[ $(command -v gongshi) == /usr/bin/gongshi ]] || fail "gongshi is not /usr/bin/gongshi"
work=$(mktemp -d "${TMPDIR:-/tmp}/gongshi-deb.XXXXXX")
cp -r /usr/share/doc/gongshi/examples "$work/site"
[[ -f $work/site/site.yaml && -d $work/site/content/2022 ]] || fail "no example site installed"
# example_smoke copies the repository's example; this one checks the installed copy as well.
/usr/bin/gongshi --root "$work/site" check -q || fail "check of the installed example failed"
example_smoke /usr/bin/gongshi
man_text=$(MANWIDTH=100 man gongshi 2>/dev/null) || fail "man gongshi failed"
grep -q '公示' <<<"$man_text" || fail "the man page does not read right: $(head -c 500 <<<"$man_text")"
MANWIDTH=100 man gongshi-build 2>/dev/null | grep -q -- '--scope' || fail "no man page gongshi-build"
warnings=$(MANWIDTH=80 man gongshi-build 2>&1 >/dev/null)
[[ -z $warnings ]] || fail "groff warns on the man page: $warnings"
bash -c 'source /usr/share/bash-completion/completions/gongshi && complete -p gongshi' |
    grep -q _gongshi || fail "the bash completion does not load"
rm -rf "$work"

remove
[[ ! -e /usr/bin/gongshi ]] || fail "/usr/bin/gongshi is still there after dpkg -r"
[[ ! -e /usr/share/man/man1/gongshi.1.gz ]] || fail "the man page is still there after dpkg -r"
say "ok: target/dist/$deb_name.deb ($(stat -c %s "$deb") bytes)"
