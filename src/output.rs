//! Atomic output: a build writes into a fresh folder beside the target and swaps it in only
//! when every page was written, so a failed build leaves the previous output exactly as it was.
//!
//! Swapping replaces the whole target folder, so this module also decides where the target
//! really is (a symbolic link is written through, never replaced) and refuses a target that
//! holds the site's own sources (`refuse_site_sources`) or, given with `--output` outside the
//! site, files that gongshi did not write (`refuse_foreign_output`).

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

/// A folder being built; dropped without `commit`, it is removed and the target is untouched.
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    committed: bool,
}

impl Staging {
    /// Starts a folder that will replace `target`. A symbolic link at `target` is followed (a
    /// common deploy: `output -> /var/www/notice`): the folder is built beside the link's target
    /// and swapped in there, and the link stays. Anything at `target` that is not a folder is
    /// refused rather than replaced.
    pub fn new(target: &Path) -> Result<Staging> {
        let target = &resolve_link(target)?;
        if let Ok(meta) = std::fs::symlink_metadata(target)
            && !meta.is_dir()
        {
            bail!(
                "{} 已存在，但不是文件夹：不会用生成的网站替换它（请换一个输出目录，或先移走该文件）",
                target.display()
            );
        }
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)
            .with_context(|| format!("无法创建目录 {}", parent.display()))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "output".into());
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.building-"))
            .tempdir_in(parent)
            .with_context(|| format!("无法在 {} 中创建临时目录", parent.display()))?
            .keep();
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            committed: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` at `rel` (with `/` separators) inside the staging folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        write_file(&self.dir, rel, bytes)
    }

    /// Swaps the staging folder in place of the target.
    pub fn commit(mut self) -> Result<()> {
        let old = if std::fs::symlink_metadata(&self.target).is_ok() {
            let parent = self
                .target
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let name = self
                .target
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let old = tempfile::Builder::new()
                .prefix(&format!(".{name}.old-"))
                .tempdir_in(parent)?
                .keep();
            std::fs::remove_dir(&old).ok();
            std::fs::rename(&self.target, &old)
                .with_context(|| format!("无法移开旧的输出 {}", self.target.display()))?;
            Some(old)
        } else {
            None
        };
        if let Err(err) = std::fs::rename(&self.dir, &self.target) {
            if let Some(old) = &old {
                std::fs::rename(old, &self.target).ok();
            }
            return Err(err).with_context(|| format!("无法写入输出目录 {}", self.target.display()));
        }
        self.committed = true;
        if let Some(old) = old {
            remove_tree(&old);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            std::fs::remove_dir_all(&self.dir).ok();
        }
    }
}

/// Where a folder named `target` really is: a symbolic link is followed (links to links too),
/// so that writing "to" it writes into the folder it points at. A link that points nowhere
/// gives the path it names; a path that is no link is returned as it is.
pub fn resolve_link(target: &Path) -> Result<PathBuf> {
    let mut path = target.to_path_buf();
    // Linux gives up after 40 links (ELOOP); so does this.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&path)
                    .with_context(|| format!("无法读取符号链接 {}", path.display()))?;
                path = match path.parent() {
                    Some(parent) => parent.join(link),
                    None => link,
                };
            }
            _ => return Ok(path),
        }
    }
    bail!("{} 是循环的符号链接", target.display())
}

/// The absolute path of `path` with every symbolic link resolved, also when its last
/// components do not exist yet (an output folder before the first build).
fn real_path(path: &Path) -> Result<PathBuf> {
    let absolute = std::path::absolute(resolve_link(path)?)
        .with_context(|| format!("无法确定 {} 的绝对路径", path.display()))?;
    let mut real = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                real.pop();
            }
            other => {
                real.push(other);
                if let Ok(resolved) = std::fs::canonicalize(&real) {
                    real = resolved;
                }
            }
        }
    }
    Ok(real)
}

/// Refuses an output folder that would take the site's sources with it: a build replaces the
/// whole folder, so `--output .`, `--output content` or `--output archive` deleted them. The
/// output may not be the site root or a folder that holds it, may not be or lie inside
/// `content/`, `themes/` or `archive/`, and may not hold a `site.yaml` (another site).
/// Symbolic links are followed, so a link into the sources is refused as well.
pub fn refuse_site_sources(root: &Path, output: &Path) -> Result<()> {
    let root_real = real_path(root)?;
    let out = real_path(output)?;
    let shown = output.display();
    let advice = "生成时会整个替换输出目录；请用 --output 指定站点源文件以外的文件夹（默认为站点根目录下的 output/）";
    if root_real.starts_with(&out) {
        let what = if root_real == out {
            "站点根目录"
        } else {
            "包含站点根目录的文件夹"
        };
        bail!(
            "不能输出到 {shown}：它是{what}，其中的 site.yaml、content/ 等源文件会被删除。{advice}"
        );
    }
    for folder in ["content", "themes", "archive"] {
        // Resolved too: `content/` may itself be a link to a shared folder.
        let source = real_path(&root_real.join(folder))?;
        if out.starts_with(&source) {
            let place = if out == source { "就是" } else { "位于" };
            bail!(
                "不能输出到 {shown}：它{place}站点的 {folder}/ 文件夹，其中的文件会被删除。{advice}"
            );
        }
    }
    if out.join("site.yaml").exists() {
        bail!(
            "不能输出到 {shown}：其中有 site.yaml，是一个 gongshi 站点的根目录，其中的源文件会被删除。{advice}"
        );
    }
    Ok(())
}

/// Refuses an output folder given with `--output` outside the site that holds files gongshi did
/// not write: a build replaces the whole folder, so `--output ~/文档` would delete the clerk's
/// documents. Zola refuses an existing `--output-dir` in the same way unless `--force`. An empty
/// or missing folder, a folder inside the site root (`output/` and the like) and a previous
/// gongshi output (recognised by the generator tag of its pages) are replaced as before.
pub fn refuse_foreign_output(root: &Path, output: &Path) -> Result<()> {
    let out = real_path(output)?;
    if out.starts_with(real_path(root)?) {
        return Ok(());
    }
    let Ok(mut entries) = std::fs::read_dir(&out) else {
        return Ok(());
    };
    if entries.next().is_none() || is_gongshi_output(&out) {
        return Ok(());
    }
    bail!(
        "不能输出到 {}：这个文件夹不是空的，也不是 gongshi 生成的网站；生成时会整个替换它，其中的文件会被删除。\n\
         请换一个空文件夹；确认要替换它，请加 --force",
        output.display()
    )
}

/// Whether `dir` looks like a site that gongshi built: its root page, its years page, or the
/// home page of one of its year folders carries `<meta name="generator" content="gongshi">`.
fn is_gongshi_output(dir: &Path) -> bool {
    // The tag is in a page's <head>: its first 4 KiB are read, not the whole page.
    let tagged = |page: &Path| {
        use std::io::Read as _;
        let mut head = Vec::new();
        std::fs::File::open(page)
            .and_then(|file| file.take(4096).read_to_end(&mut head))
            .is_ok()
            && String::from_utf8_lossy(&head)
                .contains(r#"<meta name="generator" content="gongshi">"#)
    };
    if tagged(&dir.join("index.html")) || tagged(&dir.join("years.html")) {
        return true;
    }
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .any(|e| tagged(&e.path().join("index.html")))
    })
}

/// Removes a folder and everything in it, its subfolders in parallel: the previous output of
/// a large site is ten thousand files, and unlinking them one after another took a good part
/// of a rebuild. Best effort, like `remove_dir_all(…).ok()`: what cannot be removed stays.
/// Links are removed, never followed.
fn remove_tree(dir: &Path) {
    if std::fs::symlink_metadata(dir).is_ok_and(|m| !m.is_dir()) {
        std::fs::remove_file(dir).ok();
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let entries: Vec<_> = entries.flatten().collect();
    entries.par_iter().for_each(|entry| {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            remove_tree(&path);
        } else {
            std::fs::remove_file(&path).ok();
        }
    });
    std::fs::remove_dir(dir).ok();
}

pub fn write_file(dir: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    let path = rel
        .split('/')
        .fold(dir.to_path_buf(), |p, part| p.join(part));
    // Most files go into a folder that already exists: try first, create the folder only
    // when it is missing (saves a stat per file).
    match std::fs::write(&path, bytes) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("无法创建目录 {}", parent.display()))?;
            }
            std::fs::write(&path, bytes)
        }
        other => other,
    }
    .with_context(|| format!("无法写入 {}", path.display()))
}

/// Replaces a file's contents atomically: a reader (or a crash) sees the old file or the new
/// one, never half of each (`fmt`, `check --fix`, `export -o`). A symbolic link is written
/// through: the file it points at is replaced (the temporary file is made beside it, so the
/// rename stays on its file system) and the link stays a link. The file keeps its permissions;
/// a new one gets the user's umask, like any document, not the temporary file's 0600.
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    let path = &resolve_link(path)?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".gongshi-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder
        .tempfile_in(dir)
        .with_context(|| format!("无法在 {} 中创建临时文件", dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("无法写入 {}", path.display()))?;
    if let Ok(meta) = std::fs::metadata(path) {
        // Keep the file's permissions; failing to is not worth failing the write.
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("无法写入 {}", path.display()))?;
    Ok(())
}

/// Writes a command's result to stdout. A reader that stops early (`| head`) is not an error.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("无法写入标准输出"),
    }
}
