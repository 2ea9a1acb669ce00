//! Atomic output: a build writes into a fresh folder beside the target and swaps it in only
//! when every page was written, so a failed build leaves the previous output exactly as it was,
//! and a killed one too (`Staging`; docs/security.md, section 2).
//!
//! Swapping replaces the whole target folder, so this module also decides where the target
//! really is (a symbolic link is written through, never replaced) and refuses a target that
//! holds the site's own sources (`refuse_site_sources`) or, given with `--output` outside the
//! site, files that gongshi did not write (`refuse_foreign_output`).

mod swap;

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

use swap::Exchange;

/// A folder being built; dropped without `commit`, it is removed and the target is untouched.
///
/// The folder is built beside the target (`.NAME.building-*`, on the same file system) and
/// swapped in by `commit`: on Linux in one atomic step (`renameat2(RENAME_EXCHANGE)`), so that
/// a kill at any moment leaves either the old output or the new one whole; elsewhere by two
/// renames through `.NAME.old-*`. A lock beside the target (`.NAME.lock`) keeps two runs from
/// swapping or cleaning up at once, and the next run after a kill puts a target lost between
/// the two renames back from its `.old-*` folder and removes the folders a killed run left
/// (`recover`). A target that is a mount point cannot be renamed: the folder is then built
/// inside it and its entries are moved in one by one, which is said on stderr.
pub(crate) struct Staging {
    target: PathBuf,
    dir: PathBuf,
    committed: bool,
    /// Whether the target is a mount point, filled in place.
    in_place: bool,
    /// Held until the staging is committed or dropped.
    _lock: Option<std::fs::File>,
}

/// The folder holding `path` (`.` for a bare name).
fn parent_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// The file name of `path` as text (`output` when it has none).
fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "output".into())
}

/// The prefixes of the folders a swap of a target named `name` makes beside it.
fn building_prefix(name: &str) -> String {
    format!(".{name}.building-")
}

fn old_prefix(name: &str) -> String {
    format!(".{name}.old-")
}

/// Inside a mount point (filled in place), the folders have names of their own.
const IN_PLACE_BUILDING: &str = ".gongshi-building-";
const IN_PLACE_OLD: &str = ".gongshi-old-";

/// Takes the lock of a target: `.NAME.lock` beside it, held while the file is open. A lock the
/// file system does not support (some network shares) is done without, as before.
fn lock(parent: &Path, name: &str, target: &Path) -> Result<Option<std::fs::File>> {
    let path = parent.join(format!(".{name}.lock"));
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(windows)]
    {
        // Hidden, as the dot hides it elsewhere (FILE_ATTRIBUTE_HIDDEN).
        use std::os::windows::fs::OpenOptionsExt as _;
        options.attributes(0x2);
    }
    let Ok(file) = options.open(&path) else {
        return Ok(None);
    };
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => bail!(
            "另一个 gongshi 正在写入 {}（生成或归档），请等它完成后再试",
            target.display()
        ),
        Err(std::fs::TryLockError::Error(_)) => Ok(None),
    }
}

/// The folders in `dir` whose names start with `prefix` (links and files are not touched).
fn folders_named(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect()
}

/// Puts right what a killed run left beside `target` (the caller holds its lock): a target
/// lost between the two renames of the fallback swap is put back from its `.old-*` folder (the
/// newest, if a run before this fix left several), and every other `.building-*` and `.old-*`
/// folder of that target is removed (up to an output's size each, which no run removed).
pub(crate) fn recover(target: &Path) -> Result<()> {
    let (parent, name) = (parent_of(target), name_of(target));
    let mut olds = folders_named(parent, &old_prefix(&name));
    if std::fs::symlink_metadata(target).is_err() && !olds.is_empty() {
        olds.sort_by_key(|dir| {
            std::fs::metadata(dir)
                .and_then(|m| m.modified())
                .unwrap_or(std::time::UNIX_EPOCH)
        });
        if let Some(newest) = olds.pop() {
            std::fs::rename(&newest, target).with_context(|| {
                format!("无法从 {} 恢复 {}", newest.display(), target.display())
            })?;
            eprintln!(
                "提示：上次写入 {} 时被中断，已恢复中断前的内容",
                target.display()
            );
        }
    }
    for stale in olds
        .into_iter()
        .chain(folders_named(parent, &building_prefix(&name)))
    {
        remove_tree(&stale);
    }
    if std::fs::symlink_metadata(target).is_ok_and(|m| m.is_dir()) {
        for stale in folders_named(target, IN_PLACE_BUILDING)
            .into_iter()
            .chain(folders_named(target, IN_PLACE_OLD))
        {
            remove_tree(&stale);
        }
    }
    Ok(())
}

/// Puts right what a killed run left at `target` (see `recover`), under the target's lock, at
/// the start of a command that may end before it writes anything: `build` stops at content
/// errors, and the output lost by a kill must not stay lost until the content is fixed.
pub(crate) fn recover_interrupted(target: &Path) -> Result<()> {
    let target = resolve_link(target)?;
    let parent = parent_of(&target);
    if !parent.is_dir() {
        return Ok(());
    }
    let _lock = lock(parent, &name_of(&target), &target)?;
    recover(&target)
}

/// The folders a run killed between the two renames of the fallback swap left beside
/// `target`, one of which `recover` would put back (for `verify`, which reports and changes
/// nothing).
pub(crate) fn interrupted_copies(target: &Path) -> Vec<PathBuf> {
    folders_named(parent_of(target), &old_prefix(&name_of(target)))
}

impl Staging {
    /// Starts a folder that will replace `target`. A symbolic link at `target` is followed (a
    /// common deploy: `output -> /var/www/notice`): the folder is built beside the link's target
    /// and swapped in there, and the link stays. Anything at `target` that is not a folder is
    /// refused rather than replaced. What a killed run left is put right first (`recover`).
    pub(crate) fn new(target: &Path) -> Result<Staging> {
        let target = &resolve_link(target)?;
        if let Ok(meta) = std::fs::symlink_metadata(target)
            && !meta.is_dir()
        {
            bail!(
                "{} 已存在，但不是文件夹：不会用生成的网站替换它（请换一个输出目录，或先移走该文件）",
                target.display()
            );
        }
        let parent = parent_of(target);
        std::fs::create_dir_all(parent)
            .with_context(|| format!("无法创建目录 {}", parent.display()))?;
        let name = name_of(target);
        // Without a lock (a share that has none) the clean-up is done all the same: a kill is
        // far likelier than two runs writing one output at once.
        let lock = lock(parent, &name, target)?;
        recover(target)?;
        let in_place = target.is_dir() && swap::is_mount_point(target);
        let (place, prefix) = if in_place {
            (target.as_path(), IN_PLACE_BUILDING.to_string())
        } else {
            (parent, building_prefix(&name))
        };
        let dir = tempfile::Builder::new()
            .prefix(&prefix)
            .tempdir_in(place)
            .with_context(|| format!("无法在 {} 中创建临时目录", place.display()))?
            .keep();
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            committed: false,
            in_place,
            _lock: lock,
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` at `rel` (with `/` separators) inside the staging folder.
    pub(crate) fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        write_file(&self.dir, rel, bytes)
    }

    /// Swaps the staging folder in place of the target.
    pub(crate) fn commit(mut self) -> Result<()> {
        if self.in_place {
            self.fill_in_place()?;
            self.committed = true;
            return Ok(());
        }
        let target = &self.target;
        let shown = target.display();
        if std::fs::symlink_metadata(target).is_err() {
            swap::rename_new(&self.dir, target)
                .with_context(|| format!("无法写入输出目录 {shown}"))?;
            self.committed = true;
            return Ok(());
        }
        match swap::exchange(&self.dir, target).map_err(|err| busy(err, target))? {
            Exchange::Done => {
                // The staging path now holds the previous output.
                self.committed = true;
                remove_tree(&self.dir);
            }
            Exchange::Unsupported => {
                self.swap_by_renames()?;
                self.committed = true;
            }
        }
        Ok(())
    }

    /// The fallback swap: the target is renamed aside to `.NAME.old-*`, then the staging
    /// folder into its place. A kill between the two leaves no target, which the next run
    /// puts back (`recover`); a failure of the second puts it back at once.
    fn swap_by_renames(&self) -> Result<()> {
        let target = &self.target;
        let old = tempfile::Builder::new()
            .prefix(&old_prefix(&name_of(target)))
            .tempdir_in(parent_of(target))?
            .keep();
        std::fs::remove_dir(&old).ok();
        std::fs::rename(target, &old)
            .map_err(|err| busy(err, target))
            .with_context(|| format!("无法移开旧的输出 {}", target.display()))?;
        if let Err(err) = std::fs::rename(&self.dir, target) {
            std::fs::rename(&old, target).ok();
            return Err(err).with_context(|| format!("无法写入输出目录 {}", target.display()));
        }
        remove_tree(&old);
        Ok(())
    }

    /// Replaces the contents of a target that is a mount point with those of the staging
    /// folder inside it, entry by entry: each file is replaced by a rename, each folder
    /// exchanged (or moved aside first), and what the new output does not have is removed.
    /// Not one atomic step: a kill in the middle leaves old and new entries side by side,
    /// until the next build.
    fn fill_in_place(&self) -> Result<()> {
        let target = &self.target;
        eprintln!(
            "提示：输出目录 {} 是挂载点（例如 Docker 卷或共享目录），不能整个替换：其中的内容已逐项替换",
            target.display()
        );
        let aside = tempfile::Builder::new()
            .prefix(IN_PLACE_OLD)
            .tempdir_in(target)?
            .keep();
        let mut new_names = std::collections::HashSet::new();
        for entry in std::fs::read_dir(&self.dir)
            .with_context(|| format!("无法读取 {}", self.dir.display()))?
        {
            let entry = entry?;
            let (from, to) = (entry.path(), target.join(entry.file_name()));
            new_names.insert(entry.file_name());
            let existing = std::fs::symlink_metadata(&to).ok();
            let exchanged = match &existing {
                Some(meta) if meta.is_dir() && entry.file_type()?.is_dir() => {
                    swap::exchange(&from, &to)? == Exchange::Done
                }
                _ => false,
            };
            if !exchanged {
                if existing.is_some_and(|m| m.is_dir()) {
                    std::fs::rename(&to, aside.join(entry.file_name()))?;
                }
                std::fs::rename(&from, &to)
                    .with_context(|| format!("无法写入 {}", to.display()))?;
            }
        }
        for entry in std::fs::read_dir(target)? {
            let entry = entry?;
            let name = entry.file_name();
            let keep =
                new_names.contains(&name) || entry.path() == self.dir || entry.path() == aside;
            if !keep {
                remove_tree(&entry.path());
            }
        }
        remove_tree(&self.dir);
        remove_tree(&aside);
        Ok(())
    }
}

/// An error renaming the target, explained when it is a mount point that was not recognised.
fn busy(err: std::io::Error, target: &Path) -> anyhow::Error {
    if err.kind() == std::io::ErrorKind::ResourceBusy {
        anyhow::anyhow!(
            "无法替换输出目录 {}：它正被占用（也许是挂载点，或有程序在其中打开了文件）。原有输出保持不变",
            target.display()
        )
    } else {
        anyhow::Error::new(err)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            remove_tree(&self.dir);
        }
    }
}

/// Where a folder named `target` really is: a symbolic link is followed (links to links too),
/// so that writing "to" it writes into the folder it points at. A link that points nowhere
/// gives the path it names; a path that is no link is returned as it is.
pub(crate) fn resolve_link(target: &Path) -> Result<PathBuf> {
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
pub(crate) fn real_path(path: &Path) -> Result<PathBuf> {
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
pub(crate) fn refuse_site_sources(root: &Path, output: &Path) -> Result<()> {
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
pub(crate) fn refuse_foreign_output(root: &Path, output: &Path) -> Result<()> {
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

pub(crate) fn write_file(dir: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
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
pub(crate) fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
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
pub(crate) fn write_stdout(bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("无法写入标准输出"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(dir: &Path) -> Vec<(String, String)> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if entry.file_type().unwrap().is_dir() {
                for (sub, text) in tree(&entry.path()) {
                    files.push((format!("{name}/{sub}"), text));
                }
            } else {
                files.push((name, std::fs::read_to_string(entry.path()).unwrap()));
            }
        }
        files.sort();
        files
    }

    /// Everything in `dir` but the lock file.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| !n.ends_with(".lock"))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_commit_replaces_the_folder_and_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        for round in ["one", "two"] {
            let staging = Staging::new(&target).unwrap();
            staging.write("a/b.html", round.as_bytes()).unwrap();
            staging.commit().unwrap();
            assert_eq!(tree(&target), [("a/b.html".to_string(), round.to_string())]);
            assert_eq!(names(dir.path()), ["out"]);
        }
    }

    #[test]
    fn the_fallback_swap_by_two_renames_works_too() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("old.html"), "old").unwrap();
        let staging = Staging::new(&target).unwrap();
        staging.write("new.html", b"new").unwrap();
        staging.swap_by_renames().unwrap();
        assert_eq!(tree(&target), [("new.html".to_string(), "new".to_string())]);
    }

    /// A kill between the fallback's two renames left no target, only `.out.old-*`; before
    /// this fix, nothing ever put it back, and the staging folders stayed forever.
    #[test]
    fn a_target_lost_between_two_renames_is_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        // A copy left by an earlier run (before this fix nothing removed them), then the one
        // of the last run: the newer is the output that was lost.
        let older = dir.path().join(".out.old-x0");
        std::fs::create_dir(&older).unwrap();
        std::fs::write(older.join("index.html"), "older").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let old = dir.path().join(".out.old-x1");
        std::fs::create_dir(&old).unwrap();
        std::fs::write(old.join("index.html"), "previous").unwrap();
        std::fs::create_dir(dir.path().join(".out.building-x2")).unwrap();
        std::fs::write(dir.path().join(".out.building-x2/half.html"), "half").unwrap();
        // Not a folder of this target's: left alone.
        std::fs::create_dir(dir.path().join(".other.old-x3")).unwrap();
        recover_interrupted(&target).unwrap();
        assert_eq!(
            tree(&target),
            [("index.html".to_string(), "previous".to_string())]
        );
        assert_eq!(names(dir.path()), [".other.old-x3", "out"]);
    }

    #[test]
    fn a_second_run_on_the_same_target_is_refused_while_the_first_writes() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let first = Staging::new(&target).unwrap();
        let err = Staging::new(&target).err().expect("refused");
        assert!(err.to_string().contains("另一个 gongshi"), "{err}");
        first.commit().unwrap();
        Staging::new(&target).unwrap();
    }

    /// A mount point cannot be renamed: its entries are replaced one by one.
    #[test]
    fn a_mount_point_is_filled_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        std::fs::create_dir_all(target.join("2022")).unwrap();
        std::fs::write(target.join("2022/old.html"), "old").unwrap();
        std::fs::write(target.join("stale.html"), "stale").unwrap();
        std::fs::write(target.join("index.html"), "old index").unwrap();
        let dir_in = tempfile::Builder::new()
            .prefix(IN_PLACE_BUILDING)
            .tempdir_in(&target)
            .unwrap()
            .keep();
        let staging = Staging {
            target: target.clone(),
            dir: dir_in,
            committed: false,
            in_place: true,
            _lock: None,
        };
        staging.write("index.html", b"new index").unwrap();
        staging.write("2022/new.html", b"new").unwrap();
        staging.commit().unwrap();
        assert_eq!(
            tree(&target),
            [
                ("2022/new.html".to_string(), "new".to_string()),
                ("index.html".to_string(), "new index".to_string()),
            ]
        );
    }
}
