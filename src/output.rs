//! Atomic output: a build writes into a fresh folder beside the target and swaps it in only
//! when every page was written, so a failed build leaves the previous output exactly as it was.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;

/// A folder being built; dropped without `commit`, it is removed and the target is untouched.
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    committed: bool,
}

impl Staging {
    pub fn new(target: &Path) -> Result<Staging> {
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
        let old = if self.target.exists() {
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

/// Removes a folder and everything in it, its subfolders in parallel: the previous output of
/// a large site is ten thousand files, and unlinking them one after another took a good part
/// of a rebuild. Best effort, like `remove_dir_all(…).ok()`: what cannot be removed stays.
fn remove_tree(dir: &Path) {
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

/// Writes a command's result to stdout. A reader that stops early (`| head`) is not an error.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("无法写入标准输出"),
    }
}
