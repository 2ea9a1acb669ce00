#!/usr/bin/env python3
"""How long after one saved edit does `gongshi serve` serve the changed page?

    serve_edit.py GONGSHI SITE_DIR [ROUNDS]

Starts `gongshi serve` on a free loopback port, waits for its first build, then edits the body
of one published risk point at a time (a unique marker appended) and polls the point's page
until the marker is served: save → visible, median over ROUNDS (default 7). Uses only what any
preview server must do (serve the page over HTTP under base_path), not its event API.
Standard library only.
"""

import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.read().decode("utf-8", "replace")
    except Exception:
        return None


def published_points(site):
    """(source file, page path under the year) of points that a 全院 build publishes."""
    year = os.path.join(site, "content", "2022")
    found = []
    for dept in sorted(os.listdir(year)):
        folder = os.path.join(year, dept)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".md") or name == "_index.md":
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            scope = re.search(r"^scope: (\S+)", text, re.M)
            level = re.search(r"^level: (\S+)", text, re.M).group(1)
            default = "科室" if level == "岗位" else "全院"
            approved = {"岗位": "  dept:", "科室": "  office:", "单位": "  board:"}[level] in text
            if approved and (scope.group(1) if scope else default) == "全院":
                pid = re.search(r"^id: (\S+)", text, re.M).group(1)
                found.append((path, f"2022/{dept}/{pid}.html"))
        if len(found) > 40:
            break
    return found


def main():
    gongshi, site = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    port = free_port()
    server = subprocess.Popen(
        [gongshi, "--root", site, "-q", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    points = published_points(site)
    try:
        start = time.monotonic()
        base = None
        while base is None:
            if server.poll() is not None:
                print("serve: exited before serving")
                return 1
            if time.monotonic() - start > 120:
                print("serve: no page after 120 s")
                return 1
            for prefix in ("/lianneng/", "/"):
                if fetch(f"http://127.0.0.1:{port}{prefix}{points[0][1]}"):
                    base = f"http://127.0.0.1:{port}{prefix}"
                    break
            time.sleep(0.05)
        print(f"first build served after {time.monotonic() - start:.2f} s")
        times = []
        for r in range(rounds):
            path, page = points[(r * 7) % len(points)]
            with open(path, encoding="utf-8") as f:
                original = f.read()
            marker = f"基准测试修改标记{r}x{time.time_ns()}"
            time.sleep(0.5)  # let a debouncer settle between rounds
            t0 = time.monotonic()
            with open(path, "w", encoding="utf-8") as f:
                f.write(original + f"\n{marker}\n")
            while True:
                body = fetch(base + page)
                if body and marker in body:
                    break
                if time.monotonic() - t0 > 60:
                    print("serve: edit not visible after 60 s")
                    return 1
                time.sleep(0.005)
            times.append(time.monotonic() - t0)
            with open(path, "w", encoding="utf-8") as f:
                f.write(original)
            # Wait for the restoring rebuild, so it is not counted in the next round.
            while marker in (fetch(base + page) or ""):
                if time.monotonic() - t0 > 120:
                    break
                time.sleep(0.02)
        print(
            f"serve: one edit → page updated: median {statistics.median(times):.3f} s "
            f"(min {min(times):.3f}, max {max(times):.3f}, {rounds} edits)"
        )
        return 0
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
