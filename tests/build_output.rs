//! Where `gongshi build` writes: a build replaces its whole output folder, so the folder must
//! never hold the site's sources, a symbolic link is written through (never replaced), a plain
//! file is refused, and nothing is left behind beside the output.

use std::path::Path;

use crate::harness::{Gongshi, Site};
use crate::support::files::read_tree;

/// The site's sources as they are now: site.yaml and every file under content/, themes/ and
/// archive/.
fn sources(site: &Site) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![(
        "site.yaml".to_string(),
        std::fs::read(site.path("site.yaml")).unwrap(),
    )];
    for folder in ["content", "themes", "archive"] {
        if site.path(folder).is_dir() {
            files.extend(
                read_tree(&site.path(folder))
                    .into_iter()
                    .map(|(path, bytes)| (format!("{folder}/{path}"), bytes)),
            );
        }
    }
    files
}

/// The hidden folders a build leaves in `dir` (`.NAME.building-…`, `.NAME.old-…`).
fn litter(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.contains(".building-") || n.contains(".old-"))
        .collect()
}

/// Regression: `build -o content` (and `-o .`, `-o archive`, `-o ..`) replaced that folder by
/// the built site, deleting site.yaml and every point. Each is refused before anything is read.
#[test]
fn output_holding_the_sites_sources_is_refused() {
    let site = Site::base().file("archive/2021/index.html", "<p>2021</p>\n");
    std::fs::create_dir_all(site.path("themes/default/templates")).unwrap();
    let before = sources(&site);
    let root = site.root().display().to_string();
    for (output, names) in [
        (root.clone(), "站点根目录"),
        (format!("{root}/output/.."), "站点根目录"),
        (format!("{root}/content"), "content/"),
        (format!("{root}/content/2022/caiwu"), "content/"),
        (format!("{root}/content/new"), "content/"),
        (format!("{root}/themes"), "themes/"),
        (format!("{root}/archive"), "archive/"),
        (format!("{root}/archive/2021"), "archive/"),
    ] {
        site.run(["build", "--output", &output])
            .exit(2)
            .stderr_has("不能输出到")
            .stderr_has(names);
        assert_eq!(
            sources(&site),
            before,
            "--output {output} changed the sources"
        );
    }
    assert!(!site.path("output").exists());
}

/// Regression: `cd site; gongshi build -o content` wiped content/: a relative output is taken
/// from the working directory, and refused there too; so is a folder that holds the site.
#[test]
fn relative_output_into_the_sources_is_refused() {
    // The site in a folder of its own, so that "the folder holding the site" is the test's.
    let outer = tempfile::tempdir().unwrap();
    let site_dir = outer.path().join("site");
    crate::support::files::copy_tree(&crate::harness::fixtures_dir().join("base"), &site_dir);
    let before = read_tree(outer.path());
    for (cwd, output, names) in [
        (&site_dir, "content", "content/"),
        (&site_dir, ".", "站点根目录"),
        (&site_dir, "./content/2022", "content/"),
        (&site_dir, "..", "包含站点根目录的文件夹"),
    ] {
        Gongshi::new()
            .args(["build", "-o", output])
            .current_dir(cwd)
            .run()
            .exit(2)
            .stderr_has("不能输出到")
            .stderr_has(names);
        assert_eq!(
            read_tree(outer.path()),
            before,
            "-o {output} changed the sources"
        );
    }
}

/// A link into the sources is refused like the folder it points at; so is a folder of another
/// site (it holds a site.yaml).
#[test]
fn output_linked_into_the_sources_or_another_site_is_refused() {
    let site = Site::base();
    let before = sources(&site);
    std::os::unix::fs::symlink(site.path("content"), site.path("output")).unwrap();
    site.run(["build"]).exit(2).stderr_has("content/");
    assert_eq!(sources(&site), before);

    // content/ itself a link to a shared folder: that folder, by its own path, is refused too.
    let shared = Site::base();
    let linked = Site::new().file("site.yaml", &shared.read("site.yaml"));
    std::os::unix::fs::symlink(shared.path("content"), linked.path("content")).unwrap();
    let before_shared = read_tree(shared.root());
    linked
        .run(["build", "-o", &shared.path("content").display().to_string()])
        .exit(2)
        .stderr_has("content/");
    assert_eq!(read_tree(shared.root()), before_shared);

    let other = Site::base();
    let before_other = read_tree(other.root());
    site.run(["build", "-o", &other.root().display().to_string()])
        .exit(2)
        .stderr_has("site.yaml");
    assert_eq!(read_tree(other.root()), before_other);
}

/// Regression: with `output -> /var/www/x` the build replaced the link by a folder and left
/// `.output.old-XXXX` (the link) in the site root. It now writes into the link's target.
#[test]
fn a_symlinked_output_is_written_through() {
    let site = Site::base();
    let www = tempfile::tempdir().unwrap();
    let target = www.path().join("notice");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("stale.html"), "old").unwrap();
    std::os::unix::fs::symlink(&target, site.path("output")).unwrap();
    for _ in 0..2 {
        site.run(["build", "-q"]).succeeds();
        let meta = std::fs::symlink_metadata(site.path("output")).unwrap();
        assert!(meta.file_type().is_symlink(), "the link was replaced");
        assert_eq!(std::fs::read_link(site.path("output")).unwrap(), target);
        assert!(target.join("2022/index.html").is_file());
        assert!(!target.join("stale.html").exists(), "the old output stayed");
        assert_eq!(litter(site.root()), Vec::<String>::new());
        assert_eq!(litter(www.path()), Vec::<String>::new());
    }
    // A link whose target does not exist yet: the target is created.
    std::fs::remove_dir_all(&target).unwrap();
    site.run(["build", "-q"]).succeeds();
    assert!(target.join("2022/index.html").is_file());
    assert!(
        std::fs::symlink_metadata(site.path("output"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

/// Regression: a plain file at the output path was renamed to `.afile.old-XXXX` and left there.
#[test]
fn a_plain_file_at_the_output_is_refused() {
    let site = Site::base().file("afile", "keep\n");
    site.run(["build", "-o", &site.path("afile").display().to_string()])
        .exit(2)
        .stderr_has("不是文件夹");
    assert_eq!(site.read("afile"), "keep\n");
    assert_eq!(litter(site.root()), Vec::<String>::new());
}

/// Regression: `build --scope 科室:nosuch` printed every warning of the year before saying the
/// scope was wrong; the scope is now checked first.
#[test]
fn an_unknown_scope_is_refused_before_the_content_is_reported() {
    let site = Site::base().delete_line(crate::harness::base::KUAIJI, "  dept: 2022-05-30");
    site.run(["check"]).succeeds().stderr_has("not-approved");
    site.run(["build", "--scope", "科室:nosuch"])
        .exit(2)
        .stderr_has("没有科室“nosuch”")
        .stderr_lacks("not-approved");
    assert!(!site.path("output").exists());
}

/// Regression: `build --output ~/文档` replaced a folder of the clerk's own files by the notice.
/// An explicit output outside the site that is neither empty nor a previous gongshi output is
/// refused (exit 2, nothing touched) unless `--force`; an empty folder, an earlier output and
/// folders inside the site are replaced as before, and content errors still exit 1.
#[test]
fn an_output_of_someone_elses_files_outside_the_site_needs_force() {
    let site = Site::base();
    let elsewhere = tempfile::tempdir().unwrap();
    let docs = elsewhere.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join("年度总结.docx"), "keep").unwrap();
    let docs_arg = docs.display().to_string();
    site.run(["build", "-q", "--output", &docs_arg])
        .exit(2)
        .stderr_has("不是 gongshi 生成的网站")
        .stderr_has("--force");
    assert_eq!(
        std::fs::read_to_string(docs.join("年度总结.docx")).unwrap(),
        "keep"
    );
    assert_eq!(litter(elsewhere.path()), Vec::<String>::new());

    // An empty folder and then the previous output are replaced without asking.
    let www = elsewhere.path().join("www");
    std::fs::create_dir(&www).unwrap();
    let www_arg = www.display().to_string();
    site.run(["build", "-q", "--output", &www_arg]).succeeds();
    std::fs::write(www.join("stale.html"), "old").unwrap();
    site.run(["build", "-q", "--output", &www_arg]).succeeds();
    assert!(
        !www.join("stale.html").exists(),
        "the previous output was not replaced"
    );
    assert!(www.join("2022/index.html").is_file());

    // --force replaces the folder.
    site.run(["build", "-q", "--force", "--output", &docs_arg])
        .succeeds();
    assert!(!docs.join("年度总结.docx").exists());
    assert!(docs.join("2022/index.html").is_file());

    // Inside the site, a hand-made folder is replaced as `output/` always was.
    let inside = site.file("public/notes.txt", "x\n");
    let public = inside.path("public").display().to_string();
    inside.run(["build", "-q", "--output", &public]).succeeds();
    assert!(!inside.path("public/notes.txt").exists());

    // Content errors come first: exit 1, the folder untouched.
    let other = elsewhere.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("a.txt"), "keep").unwrap();
    let broken = inside.file("content/2022/caiwu/zz-broken.md", "---\nid: [\n---\n");
    broken
        .run(["build", "-q", "--output", &other.display().to_string()])
        .exit(1);
    assert_eq!(
        std::fs::read_to_string(other.join("a.txt")).unwrap(),
        "keep"
    );
}
