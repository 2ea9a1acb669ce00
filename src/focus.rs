//! `check` for one department: `check --dept SLUG`, which is also what `gongshi check` means
//! when it is run inside a department's folder (`content/2022/caiwu/`, src/locate.rs).
//!
//! The whole year is still loaded and checked: the rules that cross files need it (an id used
//! by another department, the 分管领导 named in the year's `_index.md`, a flow diagram's
//! `@ID`). What is narrowed is the report. A liaison answers for the department's own files,
//! so those are listed in full, with the two files every point of the year depends on
//! (`site.yaml` and the year's `_index.md`: an error there changes how the department's points
//! are judged, and the liaison should know why). Every other department, `unit/` and
//! `oversight.yaml` are summed up in one line that says how to see them (`--all`). The exit
//! code follows what is listed: 1 when the department (or a shared file) has an error.
//!
//! In: the loaded site and `check`'s options. Out: the report on stderr (or JSON on stdout),
//! and whether errors were listed.

use anyhow::{Result, bail};

use crate::check::{self, Verbosity};
use crate::cli::{CheckArgs, Cli};
use crate::site::Site;

/// What the report left out.
#[derive(Debug, Default, PartialEq, Eq)]
struct LeftOut {
    errors: usize,
    warnings: usize,
}

/// `gongshi check` without `--fix`.
pub(crate) fn run(cli: &Cli, args: &CheckArgs, verbosity: Verbosity) -> Result<bool> {
    let site = Site::load(&cli.root, args.year)?;
    report(site, args, verbosity)
}

/// Prints the report of a loaded site, narrowed to `args.dept` when one is given; returns
/// whether errors were listed.
pub(crate) fn report(mut site: Site, args: &CheckArgs, verbosity: Verbosity) -> Result<bool> {
    // `--scope`: the free text held against one audience (`hidden-mention`).
    site.narrow_mentions(args.scope.as_ref())?;
    let Some(dir) = folder(&site, args)? else {
        return check::run(&site, args, verbosity);
    };
    let folder = dir.rsplit('/').next().unwrap_or_default().to_string();
    let left_out = narrow(&mut site, &dir);
    let failed = check::run(&site, args, verbosity)?;
    if verbosity != Verbosity::Quiet {
        let name = if folder == "unit" {
            "单位层次".to_string()
        } else {
            site.year.dept_name(&folder)
        };
        let others = match left_out {
            LeftOut {
                errors: 0,
                warnings: 0,
            } => "其他科室和单位没有问题".to_string(),
            LeftOut { errors, warnings } => format!(
                "其他科室和单位另有 {errors} 个错误、{warnings} 个警告，加 --all 可全部列出"
            ),
        };
        let line = format!(
            "以上只列出{name}（{dir}/）及年度共用文件（site.yaml、content/{}/_index.md）的问题；{others}",
            site.year.number
        );
        // With JSON on stdout too, stderr says what the array covers.
        eprintln!("{line}");
    }
    Ok(failed)
}

/// `content/YEAR/FOLDER`, which must be a folder of the year.
fn folder_of(site: &Site, folder: &str) -> Result<String> {
    let year = site.year.number;
    let dir = format!("content/{year}/{folder}");
    if folder.contains(['/', '\\']) || !site.root.join(&dir).is_dir() {
        let mut existing: Vec<String> =
            std::fs::read_dir(site.root.join(format!("content/{year}")))
                .map(|entries| {
                    entries
                        .filter_map(|e| e.ok())
                        .filter(|e| e.path().is_dir())
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .filter(|n| !n.starts_with('.'))
                        .collect()
                })
                .unwrap_or_default();
        existing.sort();
        bail!(
            "{year} 年度没有科室文件夹“{folder}”（{dir}/ 不存在）；现有：{}",
            existing.join("、")
        );
    }
    Ok(dir)
}

/// The folder `check` is narrowed to (`content/YEAR/SLUG`), if any: `check --fix` fixes only
/// its files.
pub(crate) fn folder(site: &Site, args: &CheckArgs) -> Result<Option<String>> {
    match args.dept.as_deref().filter(|_| !args.all) {
        Some(folder) => folder_of(site, folder).map(Some),
        None => Ok(None),
    }
}

/// Whether `file` (relative to the root) is `dir` or inside it.
pub(crate) fn inside(dir: &str, file: &str) -> bool {
    file == dir
        || file
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Keeps the diagnostics and points of `dir` (and the diagnostics of the shared files); returns
/// what was left out.
fn narrow(site: &mut Site, dir: &str) -> LeftOut {
    let year_file = format!("content/{}/_index.md", site.year.number);
    let inside = |file: &str| inside(dir, file);
    let listed = |file: &str| inside(file) || file == "site.yaml" || file == year_file;
    let mut left_out = LeftOut::default();
    site.diagnostics.retain(|d| {
        let keep = listed(&d.file);
        if !keep {
            if d.is_error() {
                left_out.errors += 1;
            } else {
                left_out.warnings += 1;
            }
        }
        keep
    });
    site.year.points.retain(|p| inside(&p.file));
    left_out
}
