//! Reading a site's own files without being stalled or led outside the site.
//!
//! A site folder is shared: a colleague, a sync tool or an attacker may leave in it a FIFO
//! (opening one waits for a writer, forever), a device, a link to `/dev/zero` (endless) or to
//! `/etc/passwd` (whose first line a diagnostic would then print, or a build publish). So a file
//! gongshi reads must be a regular file, or a symbolic link to a regular file inside the site's
//! own folders (`SiteBounds`); anything else is refused by name before it is opened. The check
//! is made again on the opened handle (`open_regular`: opened without blocking, then `fstat`),
//! so a file swapped for a FIFO between the look and the open is refused too; and reads are
//! bounded (`read_limited`), so no file is read whole past a limit.
//!
//! In: paths. Out: the bytes, or an error that names the file and says what it is.

use std::fs::File;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

/// The folders a link in a site may lead into: the site root and its `content/`, `themes/` and
/// `archive/`, each resolved (any of them may itself be a link to a shared folder).
#[derive(Debug, Clone)]
pub(crate) struct SiteBounds {
    roots: Vec<PathBuf>,
}

impl SiteBounds {
    pub(crate) fn of(root: &Path) -> SiteBounds {
        let roots = std::iter::once(root.to_path_buf())
            .chain(
                ["content", "themes", "archive"]
                    .iter()
                    .map(|folder| root.join(folder)),
            )
            .filter_map(|dir| dir.canonicalize().ok())
            .collect();
        SiteBounds { roots }
    }

    /// Whether a resolved path lies inside the site.
    fn contains(&self, real: &Path) -> bool {
        self.roots.iter().any(|root| real.starts_with(root))
    }
}

/// What a path is, told to the user when it is refused.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_dir() {
        return "文件夹";
    }
    if kind.is_symlink() {
        return "符号链接";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return "命名管道（FIFO）";
        }
        if kind.is_socket() {
            return "套接字";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "设备文件";
        }
    }
    "特殊文件"
}

/// Why gongshi will not read `path`, if it will not: it must be a regular file, or a symbolic
/// link (through any number of links) to a regular file inside `bounds`. Nothing is opened.
pub(crate) fn refusal(path: &Path, bounds: &SiteBounds) -> Option<String> {
    let shown = path.display();
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(err) => return Some(format!("无法读取 {shown}：{err}")),
    };
    if meta.is_file() {
        return None;
    }
    if !meta.file_type().is_symlink() {
        return Some(format!(
            "{shown} 是{}，不是普通文件：gongshi 只读取普通文件（请删除或移走它）",
            kind_of(&meta)
        ));
    }
    let Ok(real) = path.canonicalize() else {
        return Some(format!(
            "{shown} 是符号链接，但指向的文件不存在（或链接循环）：请删除这个链接，或恢复它指向的文件"
        ));
    };
    if !bounds.contains(&real) {
        return Some(format!(
            "{shown} 是符号链接，指向站点以外的 {}：gongshi 不读取站点以外的文件（以免把站点以外的内容公示出去）；请把文件复制到站点中",
            real.display()
        ));
    }
    match std::fs::metadata(&real) {
        Ok(target) if target.is_file() => None,
        Ok(target) => Some(format!(
            "{shown} 是符号链接，指向的 {} 是{}，不是普通文件",
            real.display(),
            kind_of(&target)
        )),
        Err(err) => Some(format!("无法读取 {shown}：{err}")),
    }
}

/// Opens `path` for reading, refusing anything but a regular file. On Unix the file is opened
/// without blocking (a FIFO would otherwise wait for a writer) and the opened handle is
/// checked, so what is read is what was checked. Links are followed: refuse them first with
/// `refusal` where they matter.
pub(crate) fn open_regular(path: &Path) -> Result<File> {
    open_regular_sized(path).map(|(file, _)| file)
}

/// `open_regular`, with the file's size as its handle gives it.
fn open_regular_sized(path: &Path) -> Result<(File, u64)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options
        .open(path)
        .with_context(|| format!("无法读取 {}", path.display()))?;
    let meta = file
        .metadata()
        .with_context(|| format!("无法读取 {}", path.display()))?;
    if !meta.is_file() {
        bail!(
            "{} 是{}，不是普通文件：gongshi 只读取普通文件（请删除或移走它）",
            path.display(),
            kind_of(&meta)
        );
    }
    Ok((file, meta.len()))
}

/// Reads a file the site supplies as it is (a theme's template or static file): `None` for a
/// folder; an error naming anything that is not a regular file or a link to one inside the
/// site (a theme's link to /etc/passwd was published with the theme's files).
pub(crate) fn read_site_file(path: &Path, bounds: &SiteBounds) -> Result<Option<Vec<u8>>> {
    if path.is_dir() {
        return Ok(None);
    }
    if let Some(why) = refusal(path, bounds) {
        bail!("{why}");
    }
    let mut bytes = Vec::new();
    open_regular(path)?
        .read_to_end(&mut bytes)
        .with_context(|| format!("无法读取 {}", path.display()))?;
    Ok(Some(bytes))
}

/// A file read up to a limit.
#[derive(Debug)]
pub(crate) enum Limited {
    Whole(Vec<u8>),
    /// Larger than the limit: its size as the file system gave it when opened (at least the
    /// limit + 1), and nothing of it is kept.
    TooLarge(u64),
}

/// Reads a regular file (see `open_regular`), but never more than `limit` bytes of it.
pub(crate) fn read_limited(path: &Path, limit: u64) -> Result<Limited> {
    let (file, size) = open_regular_sized(path)?;
    if size > limit {
        return Ok(Limited::TooLarge(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // One byte more than the limit tells a file that grew since it was opened.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("无法读取 {}", path.display()))?;
    if bytes.len() as u64 > limit {
        return Ok(Limited::TooLarge(bytes.len() as u64));
    }
    Ok(Limited::Whole(bytes))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn regular_files_and_links_inside_the_site_pass() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir(root.join("content")).unwrap();
        std::fs::write(root.join("content/a.md"), "a").unwrap();
        std::os::unix::fs::symlink("a.md", root.join("content/b.md")).unwrap();
        std::os::unix::fs::symlink("b.md", root.join("content/c.md")).unwrap();
        let bounds = SiteBounds::of(root);
        for name in ["a.md", "b.md", "c.md"] {
            assert_eq!(refusal(&root.join("content").join(name), &bounds), None);
        }
    }

    #[test]
    fn fifos_dangling_links_and_links_outside_are_refused() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "x").unwrap();
        std::fs::create_dir(root.join("content")).unwrap();
        let content = root.join("content");
        std::os::unix::fs::symlink(outside.path().join("secret"), content.join("out.md")).unwrap();
        std::os::unix::fs::symlink("nowhere.md", content.join("dangling.md")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", content.join("zero.md")).unwrap();
        std::os::unix::fs::symlink("loop.md", content.join("loop.md")).unwrap();
        let status = std::process::Command::new("mkfifo")
            .arg(content.join("fifo.md"))
            .status()
            .unwrap();
        assert!(status.success());
        let bounds = SiteBounds::of(root);
        for (name, says) in [
            ("out.md", "站点以外"),
            ("dangling.md", "不存在"),
            ("zero.md", "站点以外"),
            ("loop.md", "不存在"),
            ("fifo.md", "命名管道"),
        ] {
            let why = refusal(&content.join(name), &bounds).expect(name);
            assert!(why.contains(says), "{name}: {why}");
            assert!(why.contains(name), "{name}: {why}");
        }
        // Opened directly, the FIFO is refused at once instead of waiting for a writer.
        let err = open_regular(&content.join("fifo.md")).unwrap_err();
        assert!(err.to_string().contains("命名管道"), "{err}");
    }

    #[test]
    fn reads_stop_at_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'a'; 100]).unwrap();
        assert!(matches!(
            read_limited(&path, 99).unwrap(),
            Limited::TooLarge(100)
        ));
        assert!(matches!(read_limited(&path, 100).unwrap(), Limited::Whole(b) if b.len() == 100));
        let err = read_limited(Path::new("/dev/zero"), 10).unwrap_err();
        assert!(err.to_string().contains("设备文件"), "{err}");
    }
}
