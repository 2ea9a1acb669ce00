//! The preview's rebuild, edit after edit, against `gongshi build`: whatever was edited, the
//! files the preview serves are byte for byte those a fresh build writes (or, while the content
//! has errors, the last good ones under the overlay). Driven in process, without a server or a
//! watcher, so that many kinds of edits can be tried in many orders: bodies, titles, grades,
//! holders, scopes, ids, departments, the year, oversight, site.yaml, flow diagrams naming
//! other points, new, removed, renamed and moved files, bad bytes, errors and their fixes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use gongshi::audience::Audience;
use gongshi::serve::{Preview, Previewer};

use crate::support::files::{copy_tree, example_site as example_site_copy, fresh_build};

/// A temporary copy of the example site whose files are an hour old, so that the preview's
/// cache trusts them (a file saved within two seconds is always read again).
fn example_site() -> (tempfile::TempDir, PathBuf) {
    let dir = example_site_copy();
    let root = dir.path().canonicalize().unwrap();
    let old = SystemTime::now() - Duration::from_secs(3600);
    let mut stack = vec![root.join("content")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                age(&path, old);
            }
        }
    }
    (dir, root)
}

fn age(path: &Path, to: SystemTime) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(to).unwrap();
}

/// Asserts that the preview serves `built`, naming the files that differ.
fn assert_same(preview: &Preview, built: &BTreeMap<String, Vec<u8>>, what: &str) {
    let served: BTreeMap<&str, &[u8]> = preview
        .files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let missing: Vec<&String> = built
        .keys()
        .filter(|p| !served.contains_key(p.as_str()))
        .collect();
    let extra: Vec<&&str> = served.keys().filter(|p| !built.contains_key(**p)).collect();
    let differ: Vec<&String> = built
        .iter()
        .filter(|(p, b)| served.get(p.as_str()).is_some_and(|s| *s != b.as_slice()))
        .map(|(p, _)| p)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty() && differ.is_empty(),
        "after {what}: missing {missing:?}, extra {extra:?}, different {differ:?}"
    );
}

/// A tiny deterministic generator.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn points(root: &Path) -> Vec<PathBuf> {
    points_of(root, 2022)
}

fn points_of(root: &Path, year: u16) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for dept in std::fs::read_dir(root.join(format!("content/{year}"))).unwrap() {
        let dept = dept.unwrap().path();
        if dept.is_dir() {
            for entry in std::fs::read_dir(&dept).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if name.ends_with(".md") && name != "_index.md" {
                    found.push(path);
                }
            }
        }
    }
    found.sort();
    found
}

fn departments(root: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(root.join("content/2022"))
        .unwrap()
        .map(|e| e.unwrap().path().join("_index.md"))
        .filter(|p| p.is_file())
        .collect();
    found.sort();
    found
}

/// The value of `key: value` on the first line that has it.
fn field(text: &str, key: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}: ")))
        .map(str::to_string)
}

fn set_field(text: &str, key: &str, value: &str) -> String {
    match field(text, key) {
        Some(old) => text.replacen(&format!("{key}: {old}"), &format!("{key}: {value}"), 1),
        None => text.replacen("---\n", &format!("---\n{key}: {value}\n"), 1),
    }
}

/// Makes one random edit; returns the paths it touched and what it was.
fn edit(root: &Path, rng: &mut Lcg, n: usize) -> (Vec<PathBuf>, String) {
    // A year before: now and then one of its points is edited, or removed.
    if root.join("content/2021").is_dir() && rng.below(6) == 0 {
        let file = rng.pick(&points_of(root, 2021)).clone();
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        match rng.below(3) {
            0 => std::fs::remove_file(&file).unwrap(),
            1 => std::fs::write(&file, set_field(&text, "likelihood", "较小")).unwrap(),
            _ => {
                let title = field(&text, "title").unwrap_or_default();
                std::fs::write(&file, set_field(&text, "title", &format!("{title}（旧）")))
                    .unwrap();
            }
        }
        return (vec![file], "the year before".into());
    }
    // A theme of its own: now and then one of its templates is edited.
    let template = root.join("themes/own/templates/point.html");
    if template.is_file() && rng.below(8) == 0 {
        let text = std::fs::read_to_string(&template).unwrap();
        let text = text.replacen(
            "{% endblock main %}",
            &format!("<!-- 第 {n} 版 -->{{% endblock main %}}"),
            1,
        );
        std::fs::write(&template, text).unwrap();
        return (vec![template], "the theme".into());
    }
    let all = points(root);
    let file = rng.pick(&all).clone();
    let Ok(text) = std::fs::read_to_string(&file) else {
        // Bad bytes from an earlier edit: made good again.
        let bytes = std::fs::read(&file).unwrap();
        let good = String::from_utf8_lossy(&bytes).replace('\u{fffd}', "");
        std::fs::write(&file, good).unwrap();
        return (vec![file], "bad bytes fixed".into());
    };
    let write = |path: &Path, text: &str| std::fs::write(path, text).unwrap();
    let kind = rng.below(35);
    let what = format!("edit {kind} of {}", file.display());
    match kind {
        0..=2 => write(&file, &format!("{text}\n第 {n} 次补充的说明。\n")),
        3 | 4 => {
            let title = field(&text, "title").unwrap_or_default();
            write(
                &file,
                &set_field(&text, "title", &format!("{title}（改{n}）")),
            );
        }
        5 => write(
            &file,
            &text.replacen(
                "  前期预防:\n",
                &format!("  前期预防:\n    - 第{n}次新增的措施\n"),
                1,
            ),
        ),
        6 => {
            let scope = *rng.pick(&["全院", "科室", "不公示"]);
            write(&file, &set_field(&text, "scope", scope));
        }
        7 => {
            let likelihood = *rng.pick(&["高", "较高", "较小"]);
            write(&file, &set_field(&text, "likelihood", likelihood));
        }
        8 => {
            let impact = *rng.pick(&["严重", "较重", "一般"]);
            write(&file, &set_field(&text, "impact", impact));
        }
        9 => {
            // The computed grade instead of the declared one.
            let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with("grade:")).collect();
            write(&file, &(kept.join("\n") + "\n"));
        }
        10 | 28 | 29 if text.contains("holder: ") => {
            let holder = *rng.pick(&["甲某", "乙某", "丙某"]);
            write(&file, &set_field(&text, "holder", holder));
        }
        11 if text.contains("post: ") => {
            let post = *rng.pick(&["出纳", "采购员", "新岗位"]);
            write(&file, &set_field(&text, "post", post));
        }
        12 => {
            // An approval withdrawn (the point leaves the notice), or given.
            let kept: Vec<&str> = text
                .lines()
                .filter(|l| !l.starts_with("  dept: "))
                .collect();
            let new = kept.join("\n") + "\n";
            if new == text {
                write(
                    &file,
                    &text.replacen("review:\n", "review:\n  dept: 2022-06-01\n", 1),
                );
            } else {
                write(&file, &new);
            }
        }
        13 => {
            let id = field(&text, "id").unwrap_or_default();
            write(&file, &set_field(&text, "id", &format!("{id}-{n}")));
        }
        // An error, fixed by a later edit of the same kind or another file's.
        14 => write(&file, &text.replacen("likelihood: ", "likelihood: 很", 1)),
        15 => write(&file, &text.replace("likelihood: 很", "likelihood: ")),
        16 => {
            // Saved again as it was.
            write(&file, &text);
        }
        17 => {
            let mut bytes = text.into_bytes();
            bytes.extend_from_slice(b"\n\xff\xfe\n");
            std::fs::write(&file, bytes).unwrap();
        }
        18 => {
            // A new point: a copy under a new id.
            let id = field(&text, "id").unwrap_or_default();
            let new = file.with_file_name(format!("new-{n}.md"));
            write(&new, &set_field(&text, "id", &format!("NEW{n}-{id}")));
            return (vec![new], format!("new point from {}", file.display()));
        }
        19 => {
            std::fs::remove_file(&file).unwrap();
        }
        20 => {
            let to = file.with_file_name(format!("renamed-{n}.md"));
            std::fs::rename(&file, &to).unwrap();
            return (vec![file, to], what);
        }
        21 => {
            // Moved to another department (or unit/).
            let depts: Vec<PathBuf> = departments(root)
                .into_iter()
                .map(|p| p.parent().unwrap().to_path_buf())
                .chain([root.join("content/2022/unit")])
                .collect();
            let to = rng.pick(&depts).join(format!("moved-{n}.md"));
            std::fs::rename(&file, &to).unwrap();
            return (vec![file, to], what);
        }
        22 | 26 | 27 => {
            let dept = rng.pick(&departments(root)).clone();
            let text = std::fs::read_to_string(&dept).unwrap();
            let new = match rng.below(7) {
                0 | 4 => {
                    let name = field(&text, "name").unwrap_or_default();
                    set_field(&text, "name", &format!("{name}{n}"))
                }
                // A post's duties, which its holders' 附表1 shows.
                6 if text.contains("    post: ") => {
                    text.replacen("    post: ", &format!("    post: 第{n}次修订，"), 1)
                }
                6 => text.replacen(
                    "\n---\n",
                    &format!("\nduties:\n  出纳:\n    integrity: 第{n}次写的廉政职责\n---\n"),
                    1,
                ),
                1 => set_field(&text, "liaison", &format!("联络员{n}")),
                // The head owns or supervises some of the department's points.
                5 => set_field(&text, "head", &format!("负责人{}", n % 2)),
                // A diagram naming a point, which shows its grade, title and page.
                2 => {
                    let point = std::fs::read_to_string(rng.pick(&all)).unwrap_or_default();
                    let id = field(&point, "id").unwrap_or_default();
                    format!("{text}\n```flow\nflowchart TD\n  A[第{n}步 @{id}] --> B[结束]\n```\n")
                }
                _ => format!("{text}\n第 {n} 次补充的科室说明。\n"),
            };
            write(&dept, &new);
            return (vec![dept], format!("department {kind}"));
        }
        23 | 30 | 31 => {
            let year = root.join("content/2022/_index.md");
            let text = std::fs::read_to_string(&year).unwrap();
            let new = match rng.below(4) {
                0 => text.replacen("title: ", &format!("title: 第{n}版 "), 1),
                // The leaders own and supervise the graver points.
                1 => text.replacen("principal: ", &format!("principal: {}", n % 2), 1),
                // 纪检 supervises the principal's own points.
                2 if text.contains("  discipline: ") => {
                    text.replacen("  discipline: ", &format!("  discipline: {}", n % 2), 1)
                }
                _ => format!("{text}\n第 {n} 次补充的年度说明。\n"),
            };
            write(&year, &new);
            return (vec![year], "the year".into());
        }
        24 => {
            let oversight = root.join("content/2022/oversight.yaml");
            let text = std::fs::read_to_string(&oversight).unwrap();
            let id = field(&text, "id").unwrap_or_else(|| "CWK-01".into());
            let new = if rng.below(3) == 0 && text.contains("\ndate: ") {
                // The bulletin's own date.
                text.replacen("\ndate: 2022-", &format!("\ndate: 2022-{}", n % 2), 1)
            } else {
                text.replacen(
                    "reports:\n",
                    &format!("reports:\n  - {{risk: {id}, verified: 2}}\n"),
                    1,
                )
            };
            write(&oversight, &new);
            return (vec![oversight], "oversight".into());
        }
        32 => {
            // A year frozen under archive/: served as it is, and listed on the root pages.
            let dir = root.join("archive/2020");
            std::fs::create_dir_all(&dir).unwrap();
            let page = dir.join(if rng.below(2) == 0 {
                "index.html"
            } else {
                "a.html"
            });
            write(&page, &format!("<p>归档 {n}</p>\n"));
            // With its record and manifest, so that the year verifies and is published.
            write(&dir.join("archive.json"), "{\"year\": 2020}\n");
            let hashes = gongshi::archive::manifest::hash_dir(&dir).unwrap();
            let manifest = dir.join("MANIFEST.sha256");
            write(&manifest, &gongshi::archive::manifest::render(&hashes));
            return (vec![page, manifest], "archive".into());
        }
        25 => {
            let site = root.join("site.yaml");
            let text = std::fs::read_to_string(&site).unwrap();
            let new = match rng.below(3) {
                // Names beside a yellow card, and which posts are key.
                0 if text.contains("show_names: true") => {
                    text.replacen("show_names: true", "show_names: false", 1)
                }
                0 if text.contains("show_names: false") => {
                    text.replacen("show_names: false", "show_names: true", 1)
                }
                0 => format!("{text}\noversight:\n  show_names: true\n"),
                1 if text.contains("key_post: 一级") => {
                    text.replacen("key_post: 一级", "key_post: 二级", 1)
                }
                1 if text.contains("key_post: 二级") => {
                    text.replacen("key_post: 二级", "key_post: 一级", 1)
                }
                1 => format!("{text}\nrules:\n  key_post: 二级\n"),
                _ => text.replacen("name: ", &format!("name: 第{n}版"), 1),
            };
            write(&site, &new);
            return (vec![site], "site.yaml".into());
        }
        // A 单位 point made a leader's own (the principal's, supervised by 纪检), or not.
        33 if text.contains("level: 单位\n") => {
            let new = if text.contains("holder: ") {
                text.lines()
                    .filter(|l| !l.starts_with("holder: "))
                    .collect::<Vec<_>>()
                    .join("\n")
                    + "\n"
            } else {
                text.replacen("level: 单位\n", "level: 单位\nholder: 张某明\n", 1)
            };
            write(&file, &new);
        }
        // The filing with the city bureau (附表3), moved or given.
        34 if text.contains("level: 单位\n") => {
            let new = if text.contains("  filed: ") {
                text.lines()
                    .map(|l| {
                        if l.starts_with("  filed: ") {
                            format!("  filed: 2022-07-{:02}", 15 + n % 10)
                        } else {
                            l.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
                    + "\n"
            } else {
                text.replacen("review:\n", "review:\n  filed: 2022-07-20\n", 1)
            };
            write(&file, &new);
        }
        _ => write(&file, &format!("{text}\n第 {n} 次补充。\n")),
    }
    (vec![file], what)
}

/// The site's files (`site.yaml` and `content/`) by path.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    files.insert(
        root.join("site.yaml"),
        std::fs::read(root.join("site.yaml")).unwrap(),
    );
    let mut stack = vec![root.join("content")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path, bytes);
            }
        }
    }
    files
}

/// Puts the site back as it was in `good`; returns the paths that changed.
fn restore(root: &Path, good: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<PathBuf> {
    let now = snapshot(root);
    let mut changed = Vec::new();
    for path in now.keys().filter(|p| !good.contains_key(*p)) {
        std::fs::remove_file(path).unwrap();
        changed.push(path.clone());
    }
    for (path, bytes) in good {
        if now.get(path) != Some(bytes) {
            std::fs::write(path, bytes).unwrap();
            changed.push(path.clone());
        }
    }
    changed
}

/// Gives the site a theme of its own whose templates print what the default ones only use
/// to look records up (indexes, the number of points): the preview cannot know what such
/// templates read, and must draw again every page that may have changed.
fn own_theme(root: &Path) {
    let templates = root.join("themes/own/templates");
    std::fs::create_dir_all(&templates).unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    for (name, extra) in [
        (
            "point.html",
            "<!-- {{ point_index }} / {{ v.points | length }} -->",
        ),
        ("list.html", "<!-- {{ indexes | join(sep=\",\") }} -->"),
        (
            "department.html",
            "<!-- {{ dept_index }} {{ v.persons | length }} -->",
        ),
    ] {
        let text = std::fs::read_to_string(repo.join(name)).unwrap();
        let text = text.replacen(
            "{% endblock main %}",
            &format!("{extra}{{% endblock main %}}"),
            1,
        );
        std::fs::write(templates.join(name), text).unwrap();
    }
    let site = root.join("site.yaml");
    let text = std::fs::read_to_string(&site).unwrap();
    std::fs::write(&site, format!("{text}theme: own\n")).unwrap();
}

/// Random edits, one to three at a time, each batch rebuilt and compared with a fresh build.
/// Edits that leave errors are often undone after a while, so that most rounds build.
fn random_edits(audience: Audience, seed: u64, rounds: usize, theme: bool) {
    let (_dir, root) = example_site();
    if theme {
        own_theme(&root);
    }
    // The notice compares the year with the one before (`changes.html`): a copy of it,
    // whose points the edits then move apart.
    copy_tree(&root.join("content/2022"), &root.join("content/2021"));
    let mut preview = Previewer::new(&root, audience.clone());
    let mut built = fresh_build(&root, &audience).expect("the example builds");
    assert_same(&preview.rebuild(&[], false), &built, "the first build");
    let mut good = snapshot(&root);
    let mut rng = Lcg(seed);
    let mut checked = [0, 0];
    let mut n = 0;
    for round in 0..rounds {
        let mut changed = Vec::new();
        let mut what = Vec::new();
        if checked[1] > 0 && rng.below(3) > 0 && fresh_build(&root, &audience).is_none() {
            changed = restore(&root, &good);
            what.push("errors undone".to_string());
        }
        for _ in 0..1 + rng.below(3) {
            n += 1;
            let (paths, did) = edit(&root, &mut rng, n);
            changed.extend(paths);
            what.push(did);
            // Sometimes the file is made old enough to be trusted at once.
            if rng.below(3) == 0
                && let Some(path) = changed.last().filter(|p| p.is_file())
            {
                age(path, SystemTime::now() - Duration::from_secs(60));
            }
        }
        // Now and then events are lost: everything is looked at again.
        let rescan = rng.below(10) == 0;
        let got = preview.rebuild(if rescan { &[] } else { &changed }, rescan);
        let what = format!("round {round}: {}", what.join("; "));
        match fresh_build(&root, &audience) {
            Some(files) => {
                assert!(got.problem.is_none(), "{what}: {:?}", got.problem);
                assert_same(&got, &files, &what);
                built = files;
                good = snapshot(&root);
                checked[0] += 1;
            }
            None => {
                assert!(
                    got.problem.is_some(),
                    "{what}: errors, but no problem shown"
                );
                assert_same(&got, &built, &what);
                checked[1] += 1;
            }
        }
    }
    eprintln!("good and broken rounds: {checked:?}");
    assert!(
        checked[0] >= rounds / 4 && checked[1] >= 1,
        "good and broken rounds: {checked:?}"
    );
}

#[test]
fn after_random_edits_the_preview_serves_what_build_writes() {
    random_edits(Audience::Hospital, 20220706, 60, false);
}

#[test]
fn after_random_edits_a_departments_preview_serves_what_its_build_writes() {
    random_edits(Audience::Department("caiwu".into()), 7, 40, false);
}

/// The office's preview: every point with its mark, the progress board and the print pages.
#[test]
fn after_random_edits_the_offices_preview_serves_what_its_build_writes() {
    random_edits(Audience::Office, 18, 30, false);
}

#[test]
fn after_random_edits_a_preview_with_its_own_templates_serves_what_build_writes() {
    random_edits(Audience::Hospital, 42, 30, true);
}

#[test]
fn a_body_edit_draws_only_its_points_page_and_a_title_edit_only_where_the_title_shows() {
    let (_dir, root) = example_site();
    let mut preview = Previewer::new(&root, Audience::Hospital);
    let file = root.join("content/2022/caiwu/cwk-03.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\n补充说明。\n")).unwrap();
    let got = preview.rebuild(std::slice::from_ref(&file), false);
    assert_eq!(got.rendered, 1, "the point's page only");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("title: ", "title: 改 ", 1)).unwrap();
    let got = preview.rebuild(std::slice::from_ref(&file), false);
    // The point's page, its department's page, form and pledge, its grade's and its matrix
    // cell's lists; not the 60-odd other points' pages, nor the home page.
    assert!(
        (4..=8).contains(&got.rendered),
        "{} pages drawn, {} kept",
        got.rendered,
        got.reused
    );
    assert_same(
        &got,
        &fresh_build(&root, &Audience::Hospital).unwrap(),
        "a title edit",
    );
}
