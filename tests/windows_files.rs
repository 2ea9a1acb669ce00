//! Content as Windows saves it: CRLF line ends (Notepad, WPS, git's `core.autocrlf`) and a
//! UTF-8 BOM (Notepad's "UTF-8 with BOM"). A site of such files must check and build exactly
//! like the same site with LF ends: the same pages byte for byte, and the same diagnostics at
//! the same lines and columns, with no stray `\r` in the quoted source line.

use std::path::Path;

use crate::harness::{Error, Site, base};
use crate::support::files::{copy_tree, read_tree};

/// Rewrites every .md and .yaml file under `dir` with CRLF line ends (and, with `bom`, a BOM).
fn to_windows_files(dir: &Path, bom: bool) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            to_windows_files(&path, bom);
        } else if path.extension().is_some_and(|e| e == "md" || e == "yaml") {
            let text = std::fs::read_to_string(&path).unwrap();
            let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
            let crlf = if bom { format!("\u{feff}{crlf}") } else { crlf };
            std::fs::write(&path, crlf).unwrap();
        }
    }
}

/// The repository's example site (site.yaml and content/) in a harness site.
fn example() -> Site {
    let site = Site::new();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(repo.join("site.yaml"), site.path("site.yaml")).unwrap();
    copy_tree(&repo.join("content"), &site.path("content"));
    site
}

#[test]
fn a_site_saved_with_crlf_and_bom_builds_the_same_pages() {
    let (unix, windows) = (example(), example());
    to_windows_files(windows.root(), true);
    unix.run(["build", "-q"]).succeeds();
    windows.run(["build", "-q"]).succeeds();
    let (a, b) = (
        read_tree(&unix.path("output")),
        read_tree(&windows.path("output")),
    );
    assert!(a.len() > 50, "the example built only {} files", a.len());
    let differing: Vec<&String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .collect();
    assert!(
        differing.is_empty(),
        "pages differ between LF and CRLF sources: {differing:?}"
    );
}

#[test]
fn crlf_diagnostics_point_where_lf_ones_do() {
    let edit = |site: Site| {
        site.replace("content/2022/caiwu/cwk-03.md", "grade: 二级", "grade: 三级")
            .replace("content/2022/caiwu/cwk-02.md", "likelihood:", "likelyhood:")
    };
    let (unix, windows) = (edit(example()), edit(example()));
    to_windows_files(windows.root(), false);
    let (a, b) = (unix.run(["check"]).fails(), windows.run(["check"]).fails());
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(a.stderr, b.stderr);
    let shown = format!("{}{}", a.stdout, a.stderr);
    assert!(shown.contains("错误[under-graded]"), "{a:?}");
    assert!(shown.contains("错误[unknown-field]"), "{a:?}");
    assert!(
        !format!("{b:?}").contains('\r'),
        "a CR in the diagnostics: {b:?}"
    );
    assert_eq!(
        unix.check().fails().stdout_json(),
        windows.check().fails().stdout_json()
    );
}

/// Regression: a file outside the site given to `fmt` was shown by joining every component of
/// its absolute path with `/`: `//tmp/x.md` on Linux, `Z:/\/tmp/x.md` on Windows (the drive
/// and the root each a component). A path outside the site is now shown as the system writes
/// it; one inside it, relative to the root with `/` as before.
#[test]
fn a_file_outside_the_site_is_named_by_its_own_path() {
    let outside = tempfile::tempdir().unwrap();
    let file = outside.path().join("x.md");
    std::fs::write(
        &file,
        "---\nid: CWK-09\ntitle: x\n---\n\n*   item\n\n\n\ntext   \n",
    )
    .unwrap();
    let site = example();
    let run = site
        .run(["fmt".as_ref(), "--check".as_ref(), file.as_os_str()])
        .fails();
    assert_eq!(run.stdout.trim(), file.display().to_string(), "{run:?}");
    let inside = site.path("content/2022/caiwu/cwk-09.md");
    std::fs::copy(&file, &inside).unwrap();
    let run = site
        .run(["fmt".as_ref(), "--check".as_ref(), inside.as_os_str()])
        .fails();
    assert_eq!(run.stdout.trim(), "content/2022/caiwu/cwk-09.md", "{run:?}");
}

/// Regression: Windows reserves the device names CON, PRN, AUX, NUL, COM1–9 and LPT1–9 for
/// files and folders, with any extension and in any case. A point `id: CON` built everywhere
/// but Windows, where writing `caiwu/CON.html` failed (`Invalid handle`, exit 2: an I/O error,
/// not a diagnostic), and a copy of any notice holding it could not be put on a Windows share.
/// Now `invalid-value` at the id, and at a department folder of such a name.
#[test]
fn windows_device_names_are_refused_as_ids_and_folders() {
    for id in ["CON", "nul", "Com1", "LPT9", "aux", "PRN"] {
        let run = Site::base()
            .replace(base::KUAIJI, "id: CW-03\n", &format!("id: {id}\n"))
            .check();
        let d = run.diag("invalid-value", Error, base::KUAIJI, 2, 5);
        assert!(d.message.contains("Windows"), "{d}");
        run.fails();
    }
    // Names that only start like a device are fine.
    Site::base()
        .replace(base::KUAIJI, "id: CW-03\n", "id: CON-01\n")
        .check()
        .succeeds()
        .clean();
    let dept = "---\nname: 某科\nhead: 某某\nliaison: 某某\n---\n";
    let run = Site::base()
        .file("content/2022/aux/_index.md", dept)
        .check();
    let d = run.diag("invalid-value", Error, "content/2022/aux", 1, 1);
    assert!(d.message.contains("Windows"), "{d}");
    run.fails()
        .only(&[("invalid-value", "content/2022/aux", 1, 1)]);
}

/// `new` refuses the same names before it writes anything.
#[test]
fn new_refuses_windows_device_names() {
    let site = example();
    site.run(["new", "dept", "nul", "--name", "某科"])
        .exit(2)
        .stderr_has("Windows");
    site.run([
        "new", "risk", "--dept", "caiwu", "--level", "科室", "--id", "COM3",
    ])
    .exit(2)
    .stderr_has("Windows");
    assert!(!site.path("content/2022/nul").exists());
}
