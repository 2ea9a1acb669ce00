//! Issue 15, item 2: the output swap was two renames, so a kill between them lost the folder
//! (for `build`'s output and for `archive --force`), and killed runs left `.NAME.building-*`
//! and `.NAME.old-*` folders that no later run removed. The swap is now one atomic exchange on
//! Linux, and every run first puts right what a killed one left (src/output.rs).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{Site, base};
use crate::support::files::read_tree;

/// The folders a swap leaves beside its target when it is cut short.
fn litter(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.contains(".building-") || n.contains(".old-"))
        .collect()
}

/// The base site with `n` more points (copies of the 维修 point under new ids): a build with
/// a few thousand pages that still takes seconds in a debug build.
fn site_of(n: usize) -> Site {
    let site = Site::base();
    let point = site.read(base::WEIXIU);
    for i in 0..n {
        let path = site.path(&format!("content/2022/zongwu/p{i:04}.md"));
        std::fs::write(path, point.replace("ZW-01", &format!("ZW-{}", i + 100))).unwrap();
    }
    site
}

/// A small deterministic generator (the seed is printed, so a failure can be replayed).
struct Lcg(u64);

impl Lcg {
    fn unit(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Starts `gongshi --root ROOT ARGS`, kills it (SIGKILL) after `after`, and says whether it was
/// still running then.
fn kill_after(root: &Path, args: &[&str], after: Duration) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongshi"))
        .arg("--root")
        .arg(root)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let running = child.try_wait().unwrap().is_none();
    child.kill().ok();
    child.wait().unwrap();
    running
}

/// The kill test: 2,000 points built, then builds killed with SIGKILL at random moments (every
/// other one in the last fifth, where the swap and the removal of the old output happen). After
/// each kill the output is the previous one, whole; the next build leaves no temporary folder.
/// The moments are fractions of a warm build's time; a build that ends before its kill shows
/// that builds run faster now (the machine is shared), so the later moments are scaled down.
#[test]
fn builds_killed_at_random_moments_never_lose_the_output() {
    let site = site_of(2_000);
    site.run(["build", "-q"]).succeeds();
    let reference = read_tree(&site.path("output"));
    assert!(reference.len() > 2_000);
    let start = Instant::now();
    site.run(["build", "-q"]).succeeds();
    let mut full = start.elapsed();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut random = Lcg(seed);
    let mut cut_short = 0;
    for round in 0..12 {
        if cut_short >= 5 {
            break;
        }
        let fraction = if round % 2 == 0 {
            random.unit()
        } else {
            0.8 + 0.3 * random.unit()
        };
        let after = full.mul_f64(fraction);
        if kill_after(site.root(), &["build", "-q"], after) {
            cut_short += 1;
        } else {
            full = after.mul_f64(0.9);
        }
        assert!(
            read_tree(&site.path("output")) == reference,
            "seed {seed}, round {round}: after a kill at {after:?} of {full:?} the output changed"
        );
    }
    assert!(
        cut_short >= 3,
        "seed {seed}: only {cut_short} kills hit a running build"
    );
    site.run(["build", "-q"]).succeeds();
    assert!(read_tree(&site.path("output")) == reference);
    assert_eq!(litter(site.root()), Vec::<String>::new(), "seed {seed}");
}

/// A run killed between the two renames of the fallback swap (systems without an atomic
/// exchange) leaves no output, only `.output.old-*`. Even a build that then stops at content
/// errors puts it back first, and removes a half-built `.output.building-*`.
#[test]
fn an_output_lost_mid_swap_is_put_back_even_by_a_failing_build() {
    let site = Site::base();
    site.run(["build", "-q"]).succeeds();
    let built = read_tree(&site.path("output"));
    std::fs::rename(site.path("output"), site.path(".output.old-k1ll3d")).unwrap();
    std::fs::create_dir(site.path(".output.building-h4lf")).unwrap();
    std::fs::write(site.path(".output.building-h4lf/index.html"), "half").unwrap();
    let site = site.replace(base::WEIXIU, "grade: C", "grade: X");
    site.run(["build"]).fails().stderr_has("已恢复中断前的内容");
    assert!(read_tree(&site.path("output")) == built);
    assert_eq!(litter(site.root()), Vec::<String>::new());
}

/// Two runs writing one output at once would remove each other's folders: the second waits
/// for nobody and is refused.
#[test]
fn a_build_while_another_writes_the_same_output_is_refused() {
    let site = Site::base();
    let lock = std::fs::File::create(site.path(".output.lock")).unwrap();
    lock.try_lock().unwrap();
    site.run(["build"])
        .exit(2)
        .stderr_has("另一个 gongshi 正在写入");
    drop(lock);
    site.run(["build", "-q"]).succeeds();
}

/// `archive --force` replaces the archive with the same swap: killed at random moments, the
/// archive is always the old one or the new one, whole, and `verify` finds it intact.
#[test]
fn archive_force_killed_at_random_moments_keeps_an_intact_archive() {
    let site = site_of(300);
    site.run(["archive", "2022", "-q"]).succeeds();
    let start = Instant::now();
    site.run(["archive", "2022", "--force", "-q"]).succeeds();
    let full = start.elapsed();
    let mut random = Lcg(full.as_nanos() as u64);
    for round in 0..4 {
        let after = full.mul_f64(0.5 + 0.6 * random.unit());
        kill_after(site.root(), &["archive", "2022", "--force", "-q"], after);
        let run = site.run(["verify"]);
        assert_eq!(
            run.code,
            Some(0),
            "round {round}, kill at {after:?}: {run:?}"
        );
    }
    site.run(["archive", "2022", "--force", "-q"]).succeeds();
    assert_eq!(litter(&site.path("archive")), Vec::<String>::new());
}

/// Unmounts a bind mount when dropped (before the site's folder is removed).
struct Unmount(std::path::PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        Command::new("umount").arg(&self.0).status().ok();
    }
}

/// Regression: an output folder that is a mount point (a Docker volume, an nginx share) cannot
/// be renamed, so every build failed with EBUSY. It is now filled in place, entry by entry, and
/// the build says so. Needs `mount --bind` (root in a container that allows it); where mounting
/// is not allowed the test says so and checks nothing (the in-place filling itself is also
/// tested in-process: `output::tests::a_mount_point_is_filled_in_place`).
#[test]
fn an_output_that_is_a_mount_point_is_filled_in_place() {
    let site = Site::base();
    let volume = tempfile::tempdir().unwrap();
    std::fs::write(volume.path().join("stale.html"), "stale").unwrap();
    std::fs::create_dir(site.path("output")).unwrap();
    let mounted = Command::new("mount")
        .arg("--bind")
        .arg(volume.path())
        .arg(site.path("output"))
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!(
            "an_output_that_is_a_mount_point_is_filled_in_place: mount --bind is not allowed here"
        );
        return;
    }
    let _unmount = Unmount(site.path("output"));
    for _ in 0..2 {
        site.run(["build"]).succeeds().stderr_has("挂载点");
        assert!(volume.path().join("2022/index.html").is_file());
        assert!(!volume.path().join("stale.html").exists());
        let hidden: Vec<_> = std::fs::read_dir(volume.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
            .collect();
        assert!(hidden.is_empty(), "{hidden:?}");
    }
    assert_eq!(litter(site.root()), Vec::<String>::new());
}
