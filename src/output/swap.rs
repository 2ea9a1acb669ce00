//! The file-system operations of swapping an output folder: exchange two folders in one step
//! where the system can, rename without replacing, and tell a mount point.
//!
//! On Linux, `renameat2(RENAME_EXCHANGE)` (through rustix, since gongshi has no `unsafe`)
//! swaps the new folder and the old in one atomic step: at every instant the target holds one
//! complete output, whatever kills the process. Elsewhere, and on file systems that do not
//! support it (some network and FUSE file systems answer EINVAL), `exchange` says so and the
//! caller falls back to two renames through a `.NAME.old-*` folder, which the next run puts
//! back if a kill came between them (src/output.rs, `recover`).

use std::io;
use std::path::Path;

/// What `exchange` did.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Exchange {
    /// The two folders swapped places.
    Done,
    /// This system or file system cannot swap in one step; nothing was changed.
    Unsupported,
}

/// Swaps the folders at `a` and `b` atomically, both of which exist.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(super) fn exchange(a: &Path, b: &Path) -> io::Result<Exchange> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(Exchange::Done),
        // The kernel (before 3.15) or the file system does not know the flag.
        Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => Ok(Exchange::Unsupported),
        Err(errno) => Err(errno.into()),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub(super) fn exchange(_a: &Path, _b: &Path) -> io::Result<Exchange> {
    Ok(Exchange::Unsupported)
}

/// Renames `from` to `to`, failing rather than replacing anything already at `to` (another
/// run that got there first) where the system can promise that.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(super) fn rename_new(from: &Path, to: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => std::fs::rename(from, to),
        Err(errno) => Err(errno.into()),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub(super) fn rename_new(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::rename(from, to)
}

/// Whether the folder at `path` is the root of a mounted file system (a Docker volume, a
/// share mounted for nginx), which cannot be renamed (EBUSY): it must be filled in place.
/// Linux says so directly (`statx`, `STATX_ATTR_MOUNT_ROOT`, since 5.8, which also sees a bind
/// mount of a folder of the same file system); otherwise a folder on another device than its
/// parent is one.
pub(super) fn is_mount_point(path: &Path) -> bool {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{AtFlags, CWD, StatxAttributes, StatxFlags, statx};
        if let Ok(stat) = statx(
            CWD,
            path,
            AtFlags::SYMLINK_NOFOLLOW | AtFlags::NO_AUTOMOUNT,
            StatxFlags::empty(),
        ) && stat
            .stx_attributes_mask
            .contains(StatxAttributes::MOUNT_ROOT)
        {
            return stat.stx_attributes.contains(StatxAttributes::MOUNT_ROOT);
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let parent = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if let (Ok(folder), Ok(above)) =
            (std::fs::symlink_metadata(path), std::fs::metadata(parent))
        {
            return folder.dev() != above.dev();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_swaps_two_folders() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir(&a).unwrap();
        std::fs::create_dir(&b).unwrap();
        std::fs::write(a.join("x"), "from a").unwrap();
        std::fs::write(b.join("y"), "from b").unwrap();
        match exchange(&a, &b).unwrap() {
            Exchange::Done => {
                assert!(a.join("y").is_file() && b.join("x").is_file());
                assert!(!a.join("x").exists() && !b.join("y").exists());
            }
            Exchange::Unsupported => {
                assert!(a.join("x").is_file() && b.join("y").is_file());
            }
        }
    }

    #[test]
    fn rename_new_does_not_replace() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir(&a).unwrap();
        std::fs::create_dir(&b).unwrap();
        std::fs::write(b.join("keep"), "").unwrap();
        assert!(rename_new(&a, &b).is_err());
        assert!(b.join("keep").is_file());
        std::fs::remove_dir_all(&b).unwrap();
        rename_new(&a, &b).unwrap();
        assert!(b.is_dir() && !a.exists());
    }

    #[test]
    fn an_ordinary_folder_is_no_mount_point() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("a")).unwrap();
        assert!(!is_mount_point(&dir.path().join("a")));
    }
}
