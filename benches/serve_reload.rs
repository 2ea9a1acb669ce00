//! How long after a clerk saves one risk point does the open notice reload?
//!
//! Generates a site of 5,000 points (valid under every rule of SPEC section 5), starts the
//! preview in-process on an ephemeral loopback port, subscribes to its reload events like a
//! browser, then saves one point at a time and measures save → reload event (by then the
//! rebuild has been swapped in). Run with `cargo bench --bench serve_reload`;
//! `-- --points N`, `-- --rounds N` change the size, `-- --previous` adds a year before (a
//! copy of the year, so that the notice has its 较上年变化 page), `-- --verbose` prints each
//! rebuild's phases, `-- --generate DIR` only writes the site.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gongshi::audience::Audience;
use gongshi::check::Verbosity;
use gongshi::serve::{Running, ServeOptions};

const DEPTS: usize = 50;

/// Writes `site.yaml` and `content/2022/` with `points` risk points over 50 departments and
/// `unit/`. Grades, levels and reviewers are mixed as in a real year, every one of them valid.
fn generate(root: &Path, points: usize) -> std::io::Result<()> {
    let year = root.join("content").join("2022");
    std::fs::create_dir_all(&year)?;
    std::fs::write(
        root.join("site.yaml"),
        "name: 合成测试医院\nbase_path: /lianneng/\ncurrent_year: 2022\n",
    )?;
    let deputies = 5;
    let mut index = String::from(
        "---\ntitle: 2022年度风险岗位廉能管理工作公示\nnotice: {start: 2022-07-06, end: 2022-07-12, contact: 院纪检办}\n\
         phases:\n  - {name: 动员部署, start: 2022-05-10, end: 2022-05-20}\n  - {name: 组织实施, start: 2022-05-21, end: 2022-06-25}\n\
         leaders:\n  principal: 主要领导\n  deputies:\n",
    );
    for d in 0..deputies {
        let slugs: Vec<String> = (0..DEPTS)
            .filter(|k| k % deputies == d)
            .map(dept_slug)
            .collect();
        let _ = writeln!(
            index,
            "    - {{name: 分管领导{d}, oversees: [{}]}}",
            slugs.join(", ")
        );
    }
    index.push_str("---\n合成的年度公示，用于测量预览的重新生成时间。\n");
    std::fs::write(year.join("_index.md"), index)?;
    for k in 0..DEPTS {
        let dir = year.join(dept_slug(k));
        std::fs::create_dir_all(&dir)?;
        std::fs::write(
            dir.join("_index.md"),
            format!(
                "---\nname: 科室{k}\nhead: 负责人{k}\nliaison: 联络员{k}\n---\n科室{k}的职责概述。\n"
            ),
        )?;
    }
    let unit_dir = year.join("unit");
    std::fs::create_dir_all(&unit_dir)?;
    for i in 0..points {
        let (dir, text) = point_file(i, deputies);
        let dir = match dir {
            Some(k) => year.join(dept_slug(k)),
            None => unit_dir.clone(),
        };
        std::fs::write(dir.join(format!("p{i:05}.md")), text)?;
    }
    Ok(())
}

/// Copies `content/2022` to `content/2021`: the year before, with the same points.
fn copy_year(root: &Path) -> std::io::Result<()> {
    let from = root.join("content").join("2022");
    let to = root.join("content").join("2021");
    for entry in walk(&from)? {
        let target = to.join(entry.strip_prefix(&from).expect("under the year"));
        std::fs::create_dir_all(target.parent().expect("a folder"))?;
        std::fs::copy(&entry, &target)?;
    }
    Ok(())
}

/// Every file under `dir`.
fn walk(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            files.extend(walk(&path)?);
        } else {
            files.push(path);
        }
    }
    Ok(files)
}

fn dept_slug(k: usize) -> String {
    format!("dept{k:02}")
}

/// The department (None: unit/) and text of point `i`.
fn point_file(i: usize, deputies: usize) -> (Option<usize>, String) {
    let k = i % DEPTS;
    let deputy = format!("分管领导{}", k % deputies);
    let id = format!("P{i:05}");
    let body = format!(
        "## 表现形式\n\n- 第 {i} 号风险点的表现之一；\n- 表现之二，涉及审批与复核。\n\n| 环节 | 责任人 |\n| --- | --- |\n| 审核 | 负责人{k} |\n"
    );
    let measures = |n: usize| {
        let mut m = String::from("measures:\n");
        for line in ["前期预防", "中期监控", "后期处置"].iter().take(n) {
            let _ = writeln!(m, "  {line}:\n    - {line}措施一\n    - {line}措施二");
        }
        m
    };
    let (dir, head) = match i % 10 {
        // 单位, 一级, board approval.
        0 => (
            None,
            format!(
                "level: 单位\ncategory: 制度机制风险\nlikelihood: 高\nimpact: 严重\nowner: {deputy}\nsupervisor: 主要领导\n{}review: {{submitted: 2022-06-01, board: 2022-07-01}}\n",
                measures(3)
            ),
        ),
        // 科室, 二级.
        1 | 2 => (
            Some(k),
            format!(
                "level: 科室\ncategory: 业务流程风险\nlikelihood: 较高\nimpact: 较重\nowner: 负责人{k}\nsupervisor: {deputy}\nscope: 全院\n{}review: {{submitted: 2022-06-01, dept: 2022-06-05, office: 2022-06-20}}\n",
                measures(2)
            ),
        ),
        // 岗位, 一级.
        3 => (
            Some(k),
            format!(
                "level: 岗位\npost: 采购员{}\nholder: 岗位人员{i}\ncategory: 岗位职责风险\nlikelihood: 高\nimpact: 较重\nowner: {deputy}\nsupervisor: 主要领导\nscope: 全院\n{}review: {{submitted: 2022-06-01, dept: 2022-06-05}}\n",
                i % 7,
                measures(3)
            ),
        ),
        // 岗位, 三级.
        _ => (
            Some(k),
            format!(
                "level: 岗位\npost: 岗位{}\nholder: 岗位人员{i}\ncategory: 岗位职责风险\nlikelihood: 较小\nimpact: 一般\nowner: 岗位人员{i}\nsupervisor: 负责人{k}\nscope: 全院\n{}review: {{submitted: 2022-06-01, dept: 2022-06-05}}\n",
                i % 13,
                measures(1)
            ),
        ),
    };
    let text = format!("---\nid: {id}\ntitle: 第{i}号风险点的标题\n{head}---\n{body}");
    (dir, text)
}

fn point_path(root: &Path, i: usize) -> PathBuf {
    let year = root.join("content").join("2022");
    match point_file(i, 5).0 {
        Some(k) => year.join(dept_slug(k)),
        None => year.join("unit"),
    }
    .join(format!("p{i:05}.md"))
}

/// Starts the preview in this process on an ephemeral loopback port.
fn start(root: &Path, verbose: bool) -> Running {
    gongshi::serve::start(&ServeOptions {
        root: root.to_path_buf(),
        year: None,
        audience: Audience::Hospital,
        drafts: false,
        bind: "127.0.0.1".parse().expect("loopback"),
        allow_hosts: Vec::new(),
        port: 0,
        poll: false,
        verbosity: if verbose {
            Verbosity::Verbose
        } else {
            Verbosity::Quiet
        },
        color: false,
    })
    .expect("the preview starts")
}

/// Waits until the preview has nothing left to build.
fn wait_idle(addr: SocketAddr) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let mut stream = TcpStream::connect(addr).expect("connect");
        write!(
            stream,
            "GET /lianneng/__gongshi/status HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .expect("request");
        let mut reply = String::new();
        std::io::Read::read_to_string(&mut stream, &mut reply).ok();
        if reply.contains("\"building\":false") {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("the preview stayed busy");
}

/// Subscribes to the event stream; returns a reader positioned after the headers.
fn subscribe(addr: SocketAddr) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET /lianneng/__gongshi/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line).expect("headers");
        if line == "\r\n" || line.is_empty() {
            break reader;
        }
    }
}

/// The generation the next reload event leads to.
fn next_reload(reader: &mut BufReader<TcpStream>) -> u64 {
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).expect("event") == 0 {
            panic!("event stream closed");
        }
        if let Some(data) = line.strip_prefix("data: ")
            && let Some(g) = data.split("\"to\":").nth(1)
        {
            let digits: String = g.chars().take_while(char::is_ascii_digit).collect();
            return digits.parse().unwrap_or(0);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
    };
    let points: usize = flag("--points")
        .and_then(|n| n.parse().ok())
        .unwrap_or(5000);
    let rounds: usize = flag("--rounds").and_then(|n| n.parse().ok()).unwrap_or(20);
    if let Some(dir) = flag("--generate") {
        generate(Path::new(dir), points).expect("generate");
        println!("{points} 个风险点已写入 {dir}");
        return;
    }
    let site = tempfile::tempdir().expect("tempdir");
    let t = Instant::now();
    generate(site.path(), points).expect("generate");
    if args.iter().any(|a| a == "--previous") {
        copy_year(site.path()).expect("copy the year");
    }
    println!("生成 {points} 个风险点的站点：{:?}", t.elapsed());

    let t = Instant::now();
    let server = start(site.path(), args.iter().any(|a| a == "--verbose"));
    println!("首次完整生成并开始服务：{:?}", t.elapsed());
    let mut events = subscribe(server.addr());
    let mut generation = next_reload(&mut events);

    // Two kinds of save: a body edit (the point's page only) and a title edit (also its
    // department, the lists and forms that show it).
    for (kind, label) in [(Edit::Body, "正文"), (Edit::Title, "标题")] {
        let mut times = Vec::with_capacity(rounds);
        for round in 0..rounds {
            let i = (round * 997 + 13) % points;
            let path = point_path(site.path(), i);
            let text = std::fs::read_to_string(&path).expect("read point");
            let text = match kind {
                Edit::Body => {
                    text.replace("的表现之一", &format!("的表现之一（第 {round} 次修改）"))
                }
                Edit::Title => text.replacen("title: 第", &format!("title: 改{round} 第"), 1),
            };
            // A quiet moment between saves, as between a clerk's saves: the previous save's
            // search index is built (the preview does that after reloading).
            wait_idle(server.addr());
            std::thread::sleep(Duration::from_millis(100));
            let t = Instant::now();
            std::fs::write(&path, text).expect("save");
            let g = next_reload(&mut events);
            times.push(t.elapsed());
            assert!(g > generation, "generation must grow");
            generation = g;
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "保存一个风险点（改{label}）→ 收到重新加载事件（{points} 个风险点，{rounds} 次）：中位数 {:.0} ms，最快 {:.0} ms，最慢 {:.0} ms",
            ms(times[rounds / 2]),
            ms(times[0]),
            ms(times[rounds - 1])
        );
    }
    server.stop();
}

#[derive(Clone, Copy)]
enum Edit {
    Body,
    Title,
}
