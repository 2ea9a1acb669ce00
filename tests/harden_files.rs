//! Issue 15, items 4, 6 and 7: what the loader does with files that are not what they seem.
//!
//! - A FIFO as `_index.md` or `oversight.yaml` hung `check` and `build` forever; a FIFO or a
//!   dangling link named `*.md` was skipped without a word. Each is now an I/O error (exit 2)
//!   that names the file, given before anything is opened.
//! - A link in content/ to a file outside the site was followed, and its text published (a link
//!   to /etc/passwd put its first line into the diagnostic). It is refused by name, unread.
//! - 50 MB of YAML comments was blamed on "aliases or nesting"; a UTF-16 file was "not valid
//!   UTF-8"; a 10,000-character id was echoed whole. Now: `file-too-large`, "UTF-16", and
//!   messages that quote 40 characters and say how long the value was.

use std::path::Path;

use crate::harness::{Error, Site, base};

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(status.success());
}

/// `check` and `build` both stop with exit 2 and a message naming `rel` (a FIFO opened would
/// wait forever: the harness calls a run of over 60 s a hang).
fn both_refuse(site: &Site, rel: &str, says: &str) {
    for command in ["check", "build"] {
        site.run([command]).exit(2).stderr_has(rel).stderr_has(says);
    }
    assert!(!site.path("output").exists());
}

#[test]
fn a_fifo_as_the_years_index_or_the_oversight_is_refused_not_waited_on() {
    for rel in [base::YEAR, base::OVERSIGHT, base::CAIWU] {
        let site = Site::base();
        std::fs::remove_file(site.path(rel)).ok();
        mkfifo(&site.path(rel));
        both_refuse(&site, rel, "命名管道");
    }
}

#[test]
fn a_fifo_as_site_yaml_is_refused() {
    let site = Site::base().remove(base::SITE);
    mkfifo(&site.path(base::SITE));
    site.run(["check"]).exit(2).stderr_has("site.yaml");
}

/// Regression: these were passed over without a word, and the point was simply missing.
#[test]
fn a_fifo_or_a_dangling_link_named_like_a_point_is_refused() {
    let site = Site::base();
    mkfifo(&site.path("content/2022/caiwu/fifo.md"));
    both_refuse(&site, "content/2022/caiwu/fifo.md", "命名管道");

    let site = Site::base();
    std::os::unix::fs::symlink("gone.md", site.path("content/2022/unit/dangling.md")).unwrap();
    both_refuse(&site, "content/2022/unit/dangling.md", "不存在");
}

/// Regression: the link was read; its first line ended up in a front-matter diagnostic, and a
/// file with front matter would have been published.
#[test]
fn a_link_to_a_file_outside_the_site_is_refused_unread() {
    let site = Site::base();
    std::os::unix::fs::symlink("/etc/passwd", site.path("content/2022/caiwu/leak.md")).unwrap();
    both_refuse(&site, "content/2022/caiwu/leak.md", "站点以外");
    site.run(["check"]).exit(2).stderr_lacks("root:");

    // A point outside the site, with valid front matter: never loaded, never published.
    let outside = tempfile::tempdir().unwrap();
    let point = outside.path().join("point.md");
    let site = Site::base();
    std::fs::write(&point, site.read(base::WEIXIU).replace("ZW-01", "ZW-99")).unwrap();
    std::os::unix::fs::symlink(&point, site.path("content/2022/zongwu/outside.md")).unwrap();
    both_refuse(&site, "content/2022/zongwu/outside.md", "站点以外");
}

#[test]
fn a_link_to_a_file_inside_the_site_is_read() {
    let site = Site::base();
    std::fs::create_dir_all(site.path("shared")).unwrap();
    std::fs::rename(site.path(base::WEIXIU), site.path("shared/weixiu.md")).unwrap();
    std::os::unix::fs::symlink("../../../shared/weixiu.md", site.path(base::WEIXIU)).unwrap();
    site.check().clean();
    site.run(["build", "-q"]).succeeds();
    assert!(site.path("output/2022/zongwu").is_dir());
}

/// Regression: megabytes of comments reached the YAML parser, whose budget then said
/// "别名展开过多或嵌套过深".
#[test]
fn a_content_file_over_a_megabyte_is_file_too_large_and_not_read() {
    let comments =
        "# 说明说明说明说明说明说明说明说明说明说明说明说明说明说明说明说明\n".repeat(20_000);
    let site = Site::base().file(base::OVERSIGHT, &format!("{comments}reports: []\n"));
    let run = site.check().fails();
    let d = run.diag("file-too-large", Error, base::OVERSIGHT, 1, 1);
    assert!(d.message.contains("1 MB"), "{d}");
    assert!(!d.message.contains("别名"), "{d}");
    assert_eq!(run.in_file(base::OVERSIGHT).len(), 1, "{run:?}");
}

/// Regression: a file Notepad saved as "Unicode" was only "not valid UTF-8".
#[test]
fn a_utf16_file_is_named_as_utf16() {
    let site = Site::base();
    let text = site.read(base::WEIXIU);
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let site = site.bytes(base::WEIXIU, &bytes);
    let run = site.check().fails();
    let d = run.diag("encoding", Error, base::WEIXIU, 1, 1);
    assert!(d.message.contains("UTF-16 LE"), "{d}");
    // Without the byte-order mark too.
    let site = site.bytes(base::WEIXIU, &bytes[2..]);
    let d = site
        .check()
        .fails()
        .diag("encoding", Error, base::WEIXIU, 1, 1);
    assert!(d.message.contains("UTF-16 LE"), "{d}");
}

/// Regression: a 10,000-character id was echoed whole in its message.
#[test]
fn long_values_are_quoted_short_and_long_titles_refused() {
    for (length, says) in [
        (10_000, "10000 个字符，最多 1000 个"),
        (500, "共 500 个字符"),
    ] {
        let long_id = "A".repeat(length);
        let site = Site::base().replace(base::WEIXIU, "id: ZW-01", &format!("id: {long_id}"));
        let run = site.check().fails();
        let d = run.diag("invalid-value", Error, base::WEIXIU, 2, 5);
        assert!(d.message.contains(says), "{d}");
        assert!(d.message.chars().count() < 120, "{d}");
    }

    let title = "风险".repeat(60);
    let site = Site::base().replace(
        base::WEIXIU,
        "title: 零星维修工程量虚报",
        &format!("title: {title}"),
    );
    let d = site
        .check()
        .fails()
        .diag("invalid-value", Error, base::WEIXIU, 3, 8);
    assert!(d.message.contains("标题过长"), "{d}");
}
