#!/usr/bin/env bash
# dist/windows.sh — target/dist/gongshi-VERSION-windows-x86_64.zip for the office's Windows PCs:
# gongshi.exe, the example site (示例站点\), 使用说明.txt (Chinese, UTF-8 with BOM and CRLF so
# that every Notepad reads it) and 打开命令行.cmd. Then a smoke test of the zip under Wine.
#
#   bash dist/windows.sh                  # build, zip, test; exit 1 if the test fails
#   DIST_SKIP_BUILD=1 bash dist/windows.sh    # zip and test the exe already built
#   DIST_LINUX_BIN=path bash dist/windows.sh  # compare with this Linux gongshi (default: build one)
#   DIST_EXE=path                         # zip and test this exe instead (with DIST_SKIP_BUILD=1)
#   bash dist/windows.sh --check          # only `cargo check` gongshi for Windows (minutes)
#
# Build: x86_64-pc-windows-gnu with Debian's Rust and std built from source (dist/lib.sh),
# linked by mingw-w64's gcc, which also compiles mimalloc. The exe needs nothing but Windows 10
# or later: std calls bcryptprimitives.dll!ProcessPrng, which Windows 7 and 8 lack.
#
# Smoke test under Wine 8 (Debian's wine64). Wine 8 lacks ProcessPrng, so a ten-line shim DLL
# (dist/wine/processprng.c, built into target/dist/) is put beside the exe in the test folder
# only, never in the zip. In the unzipped folder, with Chinese paths and Windows paths
# (Z:\…\示例站点, backslashes and a drive letter):
#   - --version; check of the example: exit 0 and its Chinese summary on stderr;
#   - build: output\index.html, and every output file byte-identical to a Linux build of the same
#     commit (no `\` crept into a link, a manifest or the search index);
#   - build again over that output (the folder swap when the target exists);
#   - a planted wrong grade: exit 1, the exact Chinese diagnostic, file:line:column with `/`;
#   - the same diagnostic through Wine's console (a pseudo-terminal), not only through a pipe;
#   - archive 2022 and verify (the sha256 manifest written and read on Windows);
#   - serve: the page is served, and an edit shows up (file watching through Wine).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

target=x86_64-pc-windows-gnu
target_dir=$repo/target/dist-windows
exe=${DIST_EXE:-$target_dir/$target/release/gongshi.exe}
zip_name=gongshi-$version-windows-x86_64.zip
zip_path=$dist_out/$zip_name

need_rust
need gcc-mingw-w64-x86-64 python3 unzip

export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc
# `--check`: only type-check gongshi (library and binary) for Windows, no exe, no zip, no Wine; what
# the Windows build would refuse to compile shows up in a few minutes.
if [[ ${1:-} == --check ]]; then
    say "checking gongshi for $target (std from source)"
    (cd "$repo" && RUSTC_BOOTSTRAP=1 RUSTC="$dist_rustc" CARGO_TARGET_DIR="$repo/target/dist-windows-check" \
        nice "$dist_cargo" check --locked -Zbuild-std=std,panic_abort --target "$target")
    say "ok: gongshi compiles for $target"
    exit 0
fi
if [[ ${DIST_SKIP_BUILD:-0} != 1 ]]; then
    build_std "$target" "$target_dir"
fi
[[ -f $exe ]] || fail "no exe at $exe"

# ------------------------------------------------------------------ the zip
say "packing target/dist/$zip_name"
stage=$dist_out/windows-zip
rm -rf "$stage" "$zip_path"
mkdir -p "$stage/示例站点"
cp "$exe" "$stage/gongshi.exe"
cp -r "$repo/site.yaml" "$repo/content" "$stage/示例站点/"
# UTF-8 with a BOM and CRLF line ends: Notepad of every Windows version shows it right.
{
    printf '\xef\xbb\xbf'
    sed -e "s/@VERSION@/$version/" -e 's/$/\r/' "$repo/dist/windows/使用说明.txt"
} >"$stage/使用说明.txt"
cp "$repo/dist/windows/打开命令行.cmd" "$stage/"
# Python's zipfile flags every non-ASCII name as UTF-8 (general purpose bit 11), which Windows'
# own "Extract All" honours; Info-ZIP's zip 3.0 leaves the flag off, and the Chinese names then
# come out in the local code page, garbled. Sorted entries and the commit's time make the zip the
# same for the same sources.
python3 - "$stage" "$zip_path" "$(git -C "$repo" log -1 --format=%ct 2>/dev/null || echo 1577836800)" <<'EOF' ||
import os, sys, time, zipfile
stage, out, stamp = sys.argv[1], sys.argv[2], int(sys.argv[3])
when = time.gmtime(stamp)[:6]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for top, dirs, files in os.walk(stage):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(top, name)
            info = zipfile.ZipInfo(os.path.relpath(path, stage).replace(os.sep, "/"), when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with open(path, "rb") as f:
                z.writestr(info, f.read())
with zipfile.ZipFile(out) as z:
    names = z.namelist()
    assert all(i.flag_bits & 0x800 for i in z.infolist() if not i.filename.isascii()), "UTF-8 flag"
    assert "gongshi.exe" in names and "使用说明.txt" in names, names[:5]
    assert not any(n.lower().endswith(".dll") for n in names), "a DLL in the zip"
EOF
    fail "could not write $zip_path"

# ------------------------------------------------------------------ smoke test under Wine
say "smoke test under Wine"
need wine wine64 python3 curl
shim=$dist_out/bcryptprimitives.dll
x86_64-w64-mingw32-gcc -O2 -shared -o "$shim" "$repo/dist/wine/processprng.c" -ladvapi32

linux_bin=${DIST_LINUX_BIN:-}
if [[ -z $linux_bin ]]; then
    say "building gongshi for Linux with the same toolchain, to compare the outputs"
    (cd "$repo" && RUSTC="$dist_rustc" CARGO_TARGET_DIR="$repo/target/dist-native" \
        nice "$dist_cargo" build --release --locked --bin gongshi)
    linux_bin=$repo/target/dist-native/release/gongshi
fi

test_dir=$dist_out/wine-test
rm -rf "$test_dir"
mkdir -p "$test_dir"
(cd "$test_dir" && unzip -q "$zip_path")
cp "$shim" "$test_dir/"
export WINEPREFIX=$dist_out/wine-prefix WINEDEBUG=-all LC_ALL=C.UTF-8
# The shim DLL before Wine's own bcryptprimitives; no Mono or Gecko install prompts.
export WINEDLLOVERRIDES="bcryptprimitives=n,b;mscoree=;mshtml="
unset DISPLAY
[[ -d $WINEPREFIX ]] || wineboot -i >/dev/null 2>&1 || true
site_win="Z:$(sed 's#/#\\#g' <<<"$test_dir/示例站点")"

# wine_run ARGS…: gongshi.exe in the test folder; sets out, err, status.
wine_run() {
    status=0
    out=$(cd "$test_dir" && NO_COLOR=1 wine gongshi.exe "$@" 2>"$test_dir/stderr.txt") || status=$?
    err=$(cat "$test_dir/stderr.txt")
}

wine_run --version
[[ $status == 0 && $out == "gongshi $version ("* ]] || fail "--version under Wine: $status $out $err"
say "  $out"

wine_run --root 示例站点 check
[[ $status == 0 ]] || fail "check of the example under Wine exited $status: $err"
grep -q '年度：检查了 .* 个风险点' <<<"$err" || fail "no Chinese summary from check: $err"

wine_run --root "$site_win" build -q
[[ $status == 0 ]] || fail "build with --root $site_win exited $status: $err"
[[ -s $test_dir/示例站点/output/index.html ]] || fail "no output\\index.html"
wine_run --root 示例站点 build -q
[[ $status == 0 ]] || fail "a second build over the output exited $status: $err"

linux_site=$dist_out/linux-site
rm -rf "$linux_site" && mkdir -p "$linux_site"
cp -r "$repo/site.yaml" "$repo/content" "$linux_site/"
"$linux_bin" --root "$linux_site" build -q || fail "the Linux build of the example failed"
diff -r "$linux_site/output" "$test_dir/示例站点/output" >"$dist_out/wine-diff.txt" ||
    fail "the Windows build differs from the Linux build: $(head -c 2000 "$dist_out/wine-diff.txt")"
say "  build: $(find "$test_dir/示例站点/output" -type f | wc -l) files, identical to the Linux build"

point="$test_dir/示例站点/content/2022/caiwu/cwk-03.md"
cp "$point" "$dist_out/cwk-03.md.orig"
sed -i 's/^grade: 二级$/grade: 三级/' "$point"
wine_run --root "$site_win" check
[[ $status == 1 ]] || fail "check of a wrong grade exited $status, not 1: $err"
grep -q '^error\[under-graded\]: 风险等级定为三级，低于计算等级二级$' <<<"$err" ||
    fail "the Chinese diagnostic is not right: $err"
grep -q -- '--> content/2022/caiwu/cwk-03.md:8:8$' <<<"$err" || fail "no file:line:column: $err"
# Through Wine's console (stdout a terminal): std writes with WriteConsoleW, Wine turns it back
# into UTF-8 for the terminal.
console=$(cd "$test_dir" && NO_COLOR=1 script -qec "wine gongshi.exe --root 示例站点 check" /dev/null 2>&1 || true)
grep -q 'error\[under-graded\]: 风险等级定为三级，低于计算等级二级' <<<"$console" ||
    fail "the diagnostic through the console is not right: $console"
cp "$dist_out/cwk-03.md.orig" "$point"

wine_run --root 示例站点 archive 2022
[[ $status == 0 ]] || fail "archive 2022 exited $status: $err"
manifest=$test_dir/示例站点/archive/2022/MANIFEST.sha256
grep -q '^[0-9a-f]\{64\}  index.html$' "$manifest" || fail "no index.html line in $manifest"
! grep -q '\\' "$manifest" || fail "a backslash in $manifest: $(grep '\\' "$manifest" | head -n 3)"
wine_run --root 示例站点 verify
[[ $status == 0 ]] || fail "verify exited $status: $err"

# serve: the preview answers, and an edit saved to a point shows up in its page (the folder
# watch goes through ReadDirectoryChangesW, which Wine maps onto inotify).
(cd "$test_dir" && exec wine gongshi.exe --root 示例站点 serve --port 0 \
    >"$test_dir/serve.out" 2>"$test_dir/serve.err") &
serve_pid=$!
stop_serve() { kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; }
trap stop_serve EXIT
url=
for _ in $(seq 1 120); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/lianneng/' "$test_dir/serve.out" 2>/dev/null | head -n 1) || true
    [[ -n $url ]] && curl -sf "$url" -o /dev/null && break
    url=
    sleep 1
done
[[ -n $url ]] || fail "serve did not answer: $(cat "$test_dir/serve.out" "$test_dir/serve.err")"
sed -i 's/^title: .*/title: 预览自动刷新测试/' "$point"
seen=0
for _ in $(seq 1 60); do
    if curl -sf "${url}2022/caiwu/CWK-03.html" | grep -q '预览自动刷新测试'; then
        seen=1
        break
    fi
    sleep 1
done
stop_serve
cp "$dist_out/cwk-03.md.orig" "$point"
((seen)) || fail "serve did not rebuild after an edit: $(tail -n 5 "$test_dir/serve.err")"
say "  serve: $url answered, and rebuilt after an edit"

say "ok: target/dist/$zip_name ($(stat -c %s "$zip_path") bytes)"
