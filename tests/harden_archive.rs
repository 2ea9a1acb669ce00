//! Issue 15, items 2, 4 and 5, on the archives:
//! - `verify` knows which years were archived (archive/MANIFESTS.sha256) and reports a year
//!   that is gone, or whose manifest was replaced; before, a lost archive left nothing to
//!   check and `verify` said all was well.
//! - `verify` hung on a FIFO, read /dev/zero through a link until it had 5 GB, and read each
//!   file whole: links and special files are now reported, never opened, and files are hashed
//!   in a stream.
//! - `build` published an archived year without checking it: a link `archive/2021/leak.txt ->
//!   /etc/passwd` came out as `output/2021/leak.txt`, and `serve` returned it. A year is now
//!   published only once it verifies, and the build is refused by name when it does not; a
//!   link among a theme's files is refused the same way.

use std::path::Path;

use gongshi::audience::Audience;

use crate::harness::{Run, Site};

/// The base site with 2022 archived and 2023 carried from it as the current year, so that a
/// build publishes archive/2022 beside the live 2023.
fn with_archived_2022() -> Site {
    let site = Site::base();
    site.run(["archive", "2022", "-q"]).succeeds();
    site.run(["carry", "2023", "-q"]).succeeds();
    let site = site.replace("site.yaml", "current_year: 2022", "current_year: 2023");
    site.run(["build", "-q"]).succeeds();
    assert!(site.path("output/2022/index.html").is_file());
    site
}

fn verify(site: &Site) -> Run {
    site.run(["verify"])
}

/// Whole lines of stdout, for `verify`'s report.
trait Report {
    fn stdout_has_line(self, line: &str) -> Self;
}

impl Report for Run {
    fn stdout_has_line(self, line: &str) -> Run {
        assert!(
            self.stdout.lines().any(|l| l == line),
            "stdout lacks the line `{line}`: {self:?}"
        );
        self
    }
}

/// Regression (the issue's own attack): the link was published and served.
#[test]
fn a_link_in_an_archived_year_is_not_published_and_the_build_is_refused() {
    let site = with_archived_2022();
    std::fs::remove_dir_all(site.path("output")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", site.path("archive/2022/leak.txt")).unwrap();
    site.run(["build"])
        .exit(2)
        .stderr_has("archive/2022")
        .stderr_has("leak.txt")
        .stderr_has("符号链接");
    assert!(!site.path("output").exists());
    verify(&site).exit(1).stderr_lacks("root:").stdout_has_line(
        "  无法读取  archive/2022/leak.txt（是符号链接：归档中只应有普通文件，未读取）",
    );

    // The preview reads the year the same way: the error is shown, the link never served.
    let root = site.root().canonicalize().unwrap();
    let mut preview = gongshi::serve::Previewer::new(&root, Audience::Hospital);
    let shown = preview.rebuild(&[], true);
    assert!(!shown.files.contains_key("2022/leak.txt"));
    let problem = shown.problem.expect("the archive's problem is shown");
    assert!(problem.contains("leak.txt"), "{problem}");
}

#[test]
fn an_unlisted_or_changed_file_in_an_archived_year_refuses_the_build() {
    let site = with_archived_2022();
    let built = crate::support::files::read_tree(&site.path("output"));
    std::fs::write(site.path("archive/2022/extra.html"), "<p>后加的</p>").unwrap();
    site.run(["build"])
        .exit(2)
        .stderr_has("多出  archive/2022/extra.html");
    std::fs::remove_file(site.path("archive/2022/extra.html")).unwrap();
    let page = site.path("archive/2022/index.html");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replacen("<title>", "<title>改", 1)).unwrap();
    site.run(["build"])
        .exit(2)
        .stderr_has("改动  archive/2022/index.html");
    // The output stayed as it was.
    assert!(crate::support::files::read_tree(&site.path("output")) == built);
}

#[test]
fn a_link_among_a_themes_files_is_refused() {
    let site = Site::base().replace(
        "site.yaml",
        "current_year: 2022",
        "current_year: 2022\ntheme: mine",
    );
    std::fs::create_dir_all(site.path("themes/mine/static")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", site.path("themes/mine/static/leak.txt")).unwrap();
    site.run(["build"])
        .exit(2)
        .stderr_has("leak.txt")
        .stderr_has("站点以外");
    assert!(!site.path("output").exists());
}

/// Regression: verify opened a FIFO and waited forever, and read /dev/zero through a link.
#[test]
fn verify_reports_fifos_and_links_without_opening_them() {
    let site = with_archived_2022();
    let status = std::process::Command::new("mkfifo")
        .arg(site.path("archive/2022/fifo.html"))
        .status()
        .unwrap();
    assert!(status.success());
    std::os::unix::fs::symlink("/dev/zero", site.path("archive/2022/zero.html")).unwrap();
    // A FIFO opened would wait forever: the harness calls a run of over 60 s a hang.
    let run = verify(&site)
        .exit(1)
        .stdout_has_line(
            "  无法读取  archive/2022/fifo.html（不是普通文件（命名管道、设备等），未读取）",
        )
        .stdout_has_line(
            "  无法读取  archive/2022/zero.html（是符号链接：归档中只应有普通文件，未读取）",
        );
    assert!(run.stdout.contains("archive/2022：与清单不一致"), "{run:?}");
}

/// Regression: after a kill lost archive/2022 (or anyone removed it), verify found nothing to
/// check and said so with exit 0.
#[test]
fn verify_reports_an_archived_year_that_is_gone() {
    let site = Site::base();
    site.run(["archive", "2022", "-q"]).succeeds();
    verify(&site).succeeds();
    assert!(site.path("archive/MANIFESTS.sha256").is_file());
    std::fs::remove_dir_all(site.path("archive/2022")).unwrap();
    verify(&site).exit(1).stdout_has_line(
        "archive/2022：缺失（归档记录 archive/MANIFESTS.sha256 中有 2022 年度，文件夹不见了）",
    );
}

/// A kill between the two renames of the fallback swap left `archive/.2022.old-*`: verify
/// says where the archive may be, and `archive 2022` puts it back (and then refuses to
/// replace it, as without --force it always does).
#[test]
fn an_archive_lost_mid_swap_is_found_and_put_back() {
    let site = Site::base();
    site.run(["archive", "2022", "-q"]).succeeds();
    let archived = crate::support::files::read_tree(&site.path("archive/2022"));
    std::fs::rename(
        site.path("archive/2022"),
        site.path("archive/.2022.old-k1ll3d"),
    )
    .unwrap();
    let run = verify(&site).exit(1);
    assert!(run.stdout.contains(".2022.old-k1ll3d"), "{run:?}");
    site.run(["archive", "2022"])
        .exit(2)
        .stderr_has("已恢复中断前的内容")
        .stderr_has("已存在");
    assert!(crate::support::files::read_tree(&site.path("archive/2022")) == archived);
    verify(&site).succeeds();
}

/// A manifest rewritten to match a changed file passes the folder's own check; the record of
/// the manifests' hashes catches it.
#[test]
fn a_manifest_rewritten_to_match_is_caught_by_the_record() {
    let site = Site::base();
    site.run(["archive", "2022", "-q"]).succeeds();
    let dir = site.path("archive/2022");
    std::fs::write(dir.join("ledger.csv"), "改过的台帐\n").unwrap();
    rewrite_manifest(&dir);
    verify(&site)
        .exit(1)
        .stdout_has_line("archive/2022：完好（39 个文件与清单一致）")
        .stdout_has_line("archive/2022：MANIFEST.sha256 与归档记录不一致（清单被改动或替换过）");
}

/// Rewrites `dir/MANIFEST.sha256` from the files as they are (what a forger would do).
fn rewrite_manifest(dir: &Path) {
    let mut lines: Vec<String> = crate::support::files::read_tree(dir)
        .into_iter()
        .filter(|(path, _)| path != "MANIFEST.sha256")
        .map(|(path, bytes)| {
            use sha2::Digest as _;
            let hash: String = sha2::Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            format!("{hash}  {path}\n")
        })
        .collect();
    lines.sort();
    std::fs::write(dir.join("MANIFEST.sha256"), lines.concat()).unwrap();
}

/// Archives made before the record existed: verify says it cannot see a missing year, and the
/// next `archive` starts the record with the archives that verify.
#[test]
fn a_site_archived_before_the_record_gets_one_at_the_next_archive() {
    let site = with_archived_2022();
    std::fs::remove_file(site.path("archive/MANIFESTS.sha256")).unwrap();
    verify(&site).succeeds().stderr_has("没有归档记录");
    site.run(["archive", "2023"])
        .succeeds()
        .stderr_has("已建立归档记录")
        .stderr_has("2022");
    let record = site.read("archive/MANIFESTS.sha256");
    assert!(record.contains("  2022/MANIFEST.sha256\n"), "{record}");
    assert!(record.contains("  2023/MANIFEST.sha256\n"), "{record}");
    verify(&site).succeeds();
}

/// An archive folder the record does not know (copied in by hand) is reported.
#[test]
fn an_unrecorded_archive_folder_is_reported() {
    let site = Site::base();
    site.run(["archive", "2022", "-q"]).succeeds();
    gongshi::build::copy_dir(&site.path("archive/2022"), &site.path("archive/2019")).unwrap();
    verify(&site)
        .exit(1)
        .stdout_has_line("archive/2019：完好（39 个文件与清单一致）")
        .stdout_has_line("archive/2019：不在归档记录 archive/MANIFESTS.sha256 中（不是 gongshi archive 归档的？）");
}
