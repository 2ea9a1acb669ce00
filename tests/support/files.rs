//! The files of a test site: a copy of the repository's example, a folder copied or read back
//! whole, and the output of a fresh `gongshi build` to compare a preview or a rebuild with.

use std::collections::BTreeMap;
use std::path::Path;

use gongshi::audience::Audience;

/// Copies the folder `from` to `to`, creating `to` and every folder below it.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| panic!("{}: {e}", target.display()));
        }
    }
}

/// Every file under `dir`, by its path relative to `dir` (with `/`), with its bytes.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let entry = entry.unwrap();
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), &format!("{name}/"), out);
            } else {
                out.insert(name, std::fs::read(entry.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, "", &mut out);
    out
}

/// A temporary copy of the repository's example site: `site.yaml` and `content/`.
pub fn example_site() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo.join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    copy_tree(&repo.join("content"), &dir.path().join("content"));
    dir
}

/// Every file of a fresh `gongshi build` of `root` for `audience`, or `None` when the content
/// has errors (a build would write nothing).
pub fn fresh_build(root: &Path, audience: &Audience) -> Option<BTreeMap<String, Vec<u8>>> {
    let site = gongshi::site::Site::load_notice(root, None).unwrap();
    if site.error_count() > 0 {
        return None;
    }
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("output");
    gongshi::build::build(
        &site,
        &gongshi::build::BuildOptions {
            readers: audience.resolve(&site.year).unwrap(),
            output: output.clone(),
            progress: false,
        },
    )
    .unwrap();
    Some(read_tree(&output))
}
