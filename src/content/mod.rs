//! Loading: walking `content/YEAR/`, reading each file, splitting its front matter and turning
//! it into domain types. Problems become diagnostics; only I/O failures are errors.

pub(crate) mod department;
pub mod fields;
pub mod front_matter;
mod fullwidth;
pub(crate) mod oversight;
pub mod risk;
pub(crate) mod site_config;
pub(crate) mod unloaded;
pub(crate) mod versions;
mod walk;
pub mod yaml;
pub(crate) mod year;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::Result;
use rayon::prelude::*;

use crate::content::front_matter::SplitError;
use crate::content::oversight::OversightFile;
use crate::content::versions::FileVersions;
use crate::content::yaml::Node;
use crate::diagnostic::Pos;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::{Department, RiskPoint, YearInfo};
use walk::{FileJob, FileKind, Walk, rel_path, sorted_entries, walk_year};

/// Everything read from one year folder.
#[derive(Debug, Clone, Default)]
pub struct LoadedYear {
    pub(crate) number: u16,
    /// `content/2022`, relative to the root.
    pub(crate) dir: String,
    pub info: Option<YearInfo>,
    pub departments: Vec<Department>,
    /// Department folders (slugs) found, including those whose `_index.md` is broken or missing.
    pub dept_folders: Vec<String>,
    pub points: Vec<RiskPoint>,
    pub oversight: OversightFile,
    /// Every file read, by path relative to the root: for printing source lines.
    pub sources: HashMap<String, String>,
    /// The version of every file read (src/content/versions.rs).
    pub(crate) versions: FileVersions,
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadedYear {
    /// The department in folder `slug`, if its `_index.md` loaded.
    pub(crate) fn department(&self, slug: &str) -> Option<&Department> {
        self.departments.iter().find(|d| d.slug == slug)
    }

    /// The name of the department in folder `slug`, or the slug when its `_index.md` did not
    /// load (pages, messages and the ledger name a department so).
    pub(crate) fn dept_name(&self, slug: &str) -> String {
        self.department(slug)
            .map_or_else(|| slug.to_string(), |d| d.name.value.clone())
    }

    /// The name of a point's department, or 医院（单位） for a 单位 point.
    pub(crate) fn point_dept_name(&self, point: &RiskPoint) -> String {
        point
            .dept
            .as_deref()
            .map_or_else(|| UNIT_NAME.to_string(), |slug| self.dept_name(slug))
    }
}

/// How the notice names the hospital as the "department" of a 单位 point.
pub(crate) const UNIT_NAME: &str = "医院（单位）";

/// The largest content file read (front matter and body, or a `.yaml` file): a point is about
/// 2 KB, a year's `_index.md` with its roster 10 KB. A larger file is a `file-too-large`
/// error and is never read whole (50 MB of YAML comments used to reach the YAML parser and
/// be blamed on aliases).
pub(crate) const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Reads a file as text: invalid UTF-8 is an `encoding` diagnostic at the first bad byte (a
/// UTF-16 file is named as such), a file over `MAX_FILE_BYTES` a `file-too-large` one. Only
/// a regular file is read (src/site_files.rs): a FIFO or a device is an I/O error that names
/// it, never a wait.
pub(crate) fn read_text(path: &Path, rel: &str) -> Result<std::result::Result<String, Diagnostic>> {
    let bytes = match crate::site_files::read_limited(path, MAX_FILE_BYTES)? {
        crate::site_files::Limited::Whole(bytes) => bytes,
        crate::site_files::Limited::TooLarge(size) => {
            return Ok(Err(Diagnostic::new(
                Rule::FileTooLarge,
                rel,
                Pos::new(1, 1, 1),
                format!(
                    "文件过大：{:.1} MB，超过 {} MB 的上限，未读取",
                    size as f64 / (1024.0 * 1024.0),
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            )
            .with_hint(
                "一个风险点文件通常只有几 KB；请删去粘贴进来的大段内容（或误存进来的其他文件）",
            )));
        }
    };
    // UTF-16 text of ASCII characters is valid UTF-8, NUL bytes and all: looked for first.
    if let Some(order) = utf16_order(&bytes) {
        return Ok(Err(utf16_diagnostic(rel, order)));
    }
    // simdutf8 validates Chinese text many times faster than std (whose check was a sixth of
    // `check`); copying the validated text is cheaper still than std's validation.
    if let Ok(text) = simdutf8::basic::from_utf8(&bytes) {
        return Ok(Ok(text.to_owned()));
    }
    Ok(match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(err) => Err(encoding_diagnostic(rel, err)),
    })
}

/// Whether bytes look like UTF-16: a byte-order mark, or NUL bytes (which UTF-8 text never
/// has) mostly at odd or mostly at even offsets, as the ASCII characters of front matter saved
/// by Notepad's "Unicode" have them (a Chinese character such as 一, U+4E00, has one too, on
/// the other side).
fn utf16_order(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, ..] => return Some("UTF-16 LE"),
        [0xFE, 0xFF, ..] => return Some("UTF-16 BE"),
        _ => {}
    }
    let head = &bytes[..bytes.len().min(512)];
    if !head.contains(&0) {
        return None;
    }
    let nul_at = |odd: usize| {
        head.iter()
            .skip(odd)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (nul_at(0), nul_at(1));
    if even + odd < 4 {
        None
    } else if odd > 3 * even {
        Some("UTF-16 LE")
    } else if even > 3 * odd {
        Some("UTF-16 BE")
    } else {
        None
    }
}

const SAVE_AS_UTF8: &str =
    "请用 UTF-8 保存文件（记事本“另存为”选择 UTF-8；WPS/Word 导出纯文本时选 UTF-8）";

/// The `encoding` diagnostic of a UTF-16 file.
fn utf16_diagnostic(rel: &str, order: &str) -> Diagnostic {
    Diagnostic::new(
        Rule::Encoding,
        rel,
        Pos::new(1, 1, 1),
        format!("文件是 {order} 编码（记事本的“Unicode”），不是 UTF-8"),
    )
    .with_hint(SAVE_AS_UTF8)
}

/// The `encoding` diagnostic of a file that is not UTF-8.
fn encoding_diagnostic(rel: &str, err: std::string::FromUtf8Error) -> Diagnostic {
    let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
    let valid = std::str::from_utf8(valid).unwrap_or("");
    let valid = valid.strip_prefix('\u{feff}').unwrap_or(valid);
    let line = valid.matches('\n').count() + 1;
    let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Diagnostic::new(
        Rule::Encoding,
        rel,
        Pos::new(line, column, 1),
        format!("文件不是有效的 UTF-8 编码（第 {line} 行第 {column} 列起）"),
    )
    .with_hint(SAVE_AS_UTF8)
}

/// The `yaml-syntax` diagnostic of a parse error.
fn yaml_syntax(rel: &str, e: yaml::SyntaxError) -> Diagnostic {
    let d = Diagnostic::new(
        Rule::YamlSyntax,
        rel,
        Pos::new(e.line, e.column, 1),
        format!("YAML 语法错误：{}", e.message),
    );
    match e.hint {
        Some(hint) => d.with_hint(hint),
        None => d,
    }
}

/// YAML text parsed to a tree, or `yaml-syntax` diagnostics: one for each full-width character
/// typed where YAML syntax stands (src/content/fullwidth.rs), which keeps the file from
/// loading; the parser's own error when no such slip comes before it.
fn parse_checked(
    rel: &str,
    yaml_text: &str,
    line_offset: usize,
    diags: &mut Vec<Diagnostic>,
) -> Option<Node> {
    let parsed = yaml::parse(yaml_text, line_offset);
    let slips = match &parsed {
        Ok(node) => fullwidth::slips(rel, yaml_text, line_offset, fullwidth::Parsed::Tree(node)),
        Err(e) => fullwidth::slips(
            rel,
            yaml_text,
            line_offset,
            fullwidth::Parsed::FailedAt(e.line),
        ),
    };
    match parsed {
        Ok(node) if slips.is_empty() => return Some(node),
        Ok(_) => {}
        // The parser stops at or after what spoilt the text: an error before every slip is a
        // mistake of its own.
        Err(e) => {
            if slips.first().is_none_or(|s| s.pos.line > e.line) {
                diags.push(yaml_syntax(rel, e));
            }
        }
    }
    diags.extend(slips);
    None
}

/// A `.yaml` file parsed to a tree, or `yaml-syntax` diagnostics.
pub(crate) fn parse_yaml_file(rel: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Option<Node> {
    parse_checked(rel, front_matter::strip_bom(text), 0, diags)
}

/// Parses a file's text as the loader does (a `.yaml` file whole, a Markdown file's front
/// matter), for `check --fix` to see what a repair leaves.
pub(crate) fn parse_for_fix(rel: &str, text: &str, diags: &mut Vec<Diagnostic>) {
    if rel.ends_with(".yaml") {
        parse_yaml_file(rel, text, diags);
    } else {
        parse_markdown(rel, text, diags);
    }
}

/// A Markdown file's front matter tree, body and body line, or diagnostics.
pub(crate) fn parse_markdown<'t>(
    rel: &str,
    text: &'t str,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Node, &'t str, usize)> {
    let split = match front_matter::split(text) {
        Ok(split) => split,
        Err(SplitError::Missing) => {
            diags.push(
                Diagnostic::new(
                    Rule::FrontMatter,
                    rel,
                    Pos::new(1, 1, 3),
                    "文件开头没有 front matter（以 --- 开始和结束的 YAML 块）",
                )
                .with_hint("文件第一行写 ---，接着写字段，再用一行 --- 结束"),
            );
            return None;
        }
        Err(SplitError::Unclosed) => {
            diags.push(
                Diagnostic::new(
                    Rule::FrontMatter,
                    rel,
                    Pos::new(1, 1, 3),
                    "front matter 没有结束：缺少第二行 ---",
                )
                .with_hint("在最后一个字段之后加一行 ---，正文写在它下面"),
            );
            return None;
        }
    };
    parse_checked(rel, split.yaml, split.yaml_line_offset, diags)
        .map(|node| (node, split.body, split.body_line))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Year,
    Department,
    Point,
    Oversight,
    Nothing,
}

#[derive(Clone)]
enum Loaded {
    /// Boxed: a year's information is far larger than the other variants.
    Year(Option<Box<YearInfo>>),
    Department(Option<Department>),
    Point(Option<Box<RiskPoint>>),
    Oversight(OversightFile),
    Nothing,
}

impl Loaded {
    /// What the file adds to the year.
    fn slot(&self) -> Slot {
        match self {
            Loaded::Year(_) => Slot::Year,
            Loaded::Department(Some(_)) => Slot::Department,
            Loaded::Point(Some(_)) => Slot::Point,
            Loaded::Oversight(_) => Slot::Oversight,
            Loaded::Department(None) | Loaded::Point(None) | Loaded::Nothing => Slot::Nothing,
        }
    }
}

fn load_job(job: &FileJob) -> Result<(Loaded, Option<String>, Vec<Diagnostic>)> {
    let mut diags = Vec::new();
    let text = match read_text(&job.path, &job.rel)? {
        Ok(text) => text,
        Err(d) => return Ok((Loaded::Nothing, None, vec![d])),
    };
    let loaded = match &job.kind {
        FileKind::Oversight => match parse_yaml_file(&job.rel, &text, &mut diags) {
            Some(node) => Loaded::Oversight(oversight::load(&job.rel, &node, &mut diags)),
            None => Loaded::Nothing,
        },
        kind => match parse_markdown(&job.rel, &text, &mut diags) {
            None => match kind {
                FileKind::Point(_) => Loaded::Point(None),
                FileKind::Department(_) => Loaded::Department(None),
                _ => Loaded::Year(None),
            },
            Some((node, body, body_line)) => match kind {
                FileKind::Year => Loaded::Year(
                    year::load(&job.rel, &node, body, body_line, &mut diags).map(Box::new),
                ),
                FileKind::Department(slug) => Loaded::Department(department::load(
                    slug, &job.rel, &node, body, body_line, &mut diags,
                )),
                FileKind::Point(dept) => {
                    let origin = risk::Origin {
                        file: &job.rel,
                        dept: dept.as_deref(),
                        body,
                        body_line,
                    };
                    Loaded::Point(risk::load(&origin, &node, &mut diags).map(Box::new))
                }
                FileKind::Oversight => Loaded::Nothing,
            },
        },
    };
    Ok((loaded, Some(text), diags))
}

/// Files read by earlier loads, kept by `gongshi serve` so that a rebuild re-reads and
/// re-parses only the files that changed. Its owner must `forget` every path that changed
/// since the last load (the preview's file watcher does), or `clear` it.
///
/// When only known files changed, the folder walk of the last load is reused and only those
/// files are read. Otherwise the year folder is walked again, and an entry is reused only while
/// the file's size, modification time (and on Unix its inode and change time) are those it was
/// read with. Either way an entry is trusted only if the file was already older than `RACY`
/// when read: a file saved twice within one tick of a coarse file-system clock (FAT, network
/// shares) could otherwise keep its stale entry (git's "racily clean" problem). Loading with a
/// cache gives exactly what a fresh load gives.
///
/// `refresh_year` goes further for the preview: when the walk can be reused it updates the
/// year it loaded last in place, reading only the files forgotten or not yet trusted, instead
/// of assembling a new year from every cached file.
#[derive(Default)]
pub struct LoadCache {
    files: HashMap<PathBuf, CachedFile>,
    walk: Option<Walk>,
    /// Files of the walk to read again: forgotten, or not trusted when last read.
    pending: HashSet<PathBuf>,
    /// Keeps nothing (`LoadCache::off`): a one-off load neither stats nor copies its files.
    off: bool,
}

impl LoadCache {
    /// A cache that keeps nothing, for `check` and `build`, which load once: keeping a copy of
    /// every loaded point and source text doubled the memory of a 10,000-point load.
    pub(crate) fn off() -> LoadCache {
        LoadCache {
            off: true,
            ..LoadCache::default()
        }
    }
}

/// A token no other load has: `refresh_year` only patches the year it made itself.
fn next_token() -> u64 {
    static TOKENS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    TOKENS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1
}

/// Files modified less than this before they were read are read again next time.
const RACY: std::time::Duration = std::time::Duration::from_secs(2);

struct CachedFile {
    stamp: Stamp,
    trusted: bool,
    result: (Loaded, Option<String>, Vec<Diagnostic>),
    version: u64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    inode: (u64, i64, i64),
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            inode: {
                use std::os::unix::fs::MetadataExt;
                (meta.ino(), meta.ctime(), meta.ctime_nsec())
            },
        })
    }
}

impl LoadCache {
    /// Drops what is cached for `path` and everything under it (a changed file or folder). A
    /// path that is not a file of the last walk (a new, removed or renamed file, a folder) also
    /// means walking again.
    pub fn forget(&mut self, path: &Path) {
        self.files.remove(path);
        let known_file = self
            .walk
            .as_ref()
            .is_some_and(|w| w.index.contains_key(path))
            && path.is_file();
        if known_file {
            self.pending.insert(path.to_path_buf());
        } else {
            self.walk = None;
            self.files.retain(|p, _| !p.starts_with(path));
        }
    }

    /// Drops everything (events were lost).
    pub fn clear(&mut self) {
        self.files.clear();
        self.walk = None;
        self.pending.clear();
    }

    /// A version no file read by this process had (src/content/versions.rs): numbers are
    /// unique across caches, so that nothing kept elsewhere can mistake one for another.
    fn next_version(&mut self) -> u64 {
        static VERSIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        VERSIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1
    }

    /// Whether some file was modified too shortly before it was read to be trusted; the next
    /// load reads it again.
    pub(crate) fn has_untrusted(&self) -> bool {
        self.files.values().any(|f| !f.trusted)
    }
}

/// Loads `content/YEAR/` under `root`.
pub fn load_year(root: &Path, number: u16) -> Result<LoadedYear> {
    load_year_cached(root, number, &mut LoadCache::off())
}

/// Loads `content/YEAR/` under `root`, reusing what `cache` holds for unchanged files and
/// updating it.
pub fn load_year_cached(root: &Path, number: u16, cache: &mut LoadCache) -> Result<LoadedYear> {
    let year_dir = root.join("content").join(number.to_string());
    let mut year = LoadedYear {
        number,
        dir: rel_path(root, &year_dir),
        ..LoadedYear::default()
    };
    let walked = cache.walk.take().filter(|w| w.year_dir == year_dir);
    // A reused walk: files not forgotten since are as they were read, no need to look.
    let trust_walk = walked.is_some();
    let mut walk = match walked {
        Some(walk) => walk,
        None => walk_year(root, number, &year_dir)?,
    };
    year.diagnostics.extend(walk.diagnostics.iter().cloned());
    year.dept_folders.clone_from(&walk.dept_folders);
    let jobs = &walk.jobs;
    let reader = &*cache;
    let results: Vec<_> = jobs
        .par_iter()
        .map(|job| {
            if reader.off {
                return load_job(job).map(|result| (result, None));
            }
            let known = reader.files.get(&job.path).filter(|c| c.trusted);
            if trust_walk && let Some(c) = known {
                return Ok((c.result.clone(), None));
            }
            let stamp = Stamp::of(&job.path);
            match known.filter(|c| stamp.is_some_and(|s| s == c.stamp)) {
                Some(c) => Ok((c.result.clone(), None)),
                None => read_job(job, stamp).map(|(result, fresh)| (result, Some(fresh))),
            }
        })
        .collect();
    let mut kept = HashMap::with_capacity(jobs.len());
    let mut outcomes = Vec::with_capacity(jobs.len());
    cache.pending.clear();
    for (job, result) in jobs.iter().zip(results) {
        let ((loaded, text, diags), fresh) = result?;
        let version = match fresh {
            Some(fresh) => {
                // Read again but as it was (a file not trusted yet): the same version.
                let version = match cache.files.get(&job.path) {
                    Some(old) if text.is_some() && old.result.1 == text => old.version,
                    _ => cache.next_version(),
                };
                if let Some(entry) = fresh.cached(version, &loaded, &text, &diags) {
                    kept.insert(job.path.clone(), entry);
                }
                version
            }
            None => match cache.files.remove(&job.path) {
                Some(entry) => {
                    let version = entry.version;
                    kept.insert(job.path.clone(), entry);
                    version
                }
                None => cache.next_version(),
            },
        };
        if !cache.off && kept.get(&job.path).is_none_or(|c| !c.trusted) {
            cache.pending.insert(job.path.clone());
        }
        year.versions.set(&job.rel, version);
        outcomes.push((loaded.slot(), diags.clone()));
        year.diagnostics.extend(diags);
        if let Some(text) = text {
            year.sources.insert(job.rel.clone(), text);
        }
        match loaded {
            Loaded::Year(info) => year.info = info.map(|i| *i),
            Loaded::Department(Some(d)) => year.departments.push(d),
            Loaded::Point(Some(p)) => year.points.push(*p),
            Loaded::Oversight(o) => year.oversight = o,
            Loaded::Department(None) | Loaded::Point(None) | Loaded::Nothing => {}
        }
    }
    walk.outcomes = outcomes;
    walk.token = next_token();
    year.versions.token = walk.token;
    cache.files = kept;
    cache.walk = Some(walk);
    Ok(year)
}

/// A file just read: its stamp and when it was read, to be cached.
struct Fresh {
    stamp: Option<Stamp>,
    read_at: std::time::SystemTime,
}

impl Fresh {
    /// The cache entry for what was read; none when the file could not be looked at.
    fn cached(
        self,
        version: u64,
        loaded: &Loaded,
        text: &Option<String>,
        diags: &[Diagnostic],
    ) -> Option<CachedFile> {
        let stamp = self.stamp?;
        Some(CachedFile {
            stamp,
            trusted: stamp
                .modified
                .and_then(|m| self.read_at.duration_since(m).ok())
                .is_some_and(|age| age > RACY),
            result: (loaded.clone(), text.clone(), diags.to_vec()),
            version,
        })
    }
}

type JobResult = (Loaded, Option<String>, Vec<Diagnostic>);

/// Reads and parses one file; `stamp` was taken before reading.
fn read_job(job: &FileJob, stamp: Option<Stamp>) -> Result<(JobResult, Fresh)> {
    let read_at = std::time::SystemTime::now();
    load_job(job).map(|result| (result, Fresh { stamp, read_at }))
}

/// Brings `year` up to date in place, reading only the files forgotten since, or not yet
/// trusted: the same year `load_year_cached` would give now, at the cost of the files read.
/// `year` must be the year the last load or refresh through `cache` gave (checked by its
/// token). Returns false, leaving `year` as it was, when that cannot be done: the folder must
/// be walked again (`load_year_cached`).
///
/// A file read again whose text is what it was keeps its version and is not touched in
/// `year`; the others replace what they added to it where it stands.
pub(crate) fn refresh_year(
    root: &Path,
    cache: &mut LoadCache,
    year: &mut LoadedYear,
) -> Result<bool> {
    let year_dir = root.join("content").join(year.number.to_string());
    let Some(mut walk) = cache
        .walk
        .take()
        .filter(|w| w.year_dir == year_dir && w.token == year.versions.token)
    else {
        return Ok(false);
    };
    let mut stale: Vec<usize> = cache
        .pending
        .iter()
        .filter_map(|p| walk.index.get(p).copied())
        .collect();
    stale.sort_unstable();
    let read: Vec<Result<(JobResult, Fresh)>> = stale
        .par_iter()
        .map(|&i| {
            let job = &walk.jobs[i];
            read_job(job, Stamp::of(&job.path))
        })
        .collect();
    // Nothing is changed before every file has been read: an error leaves `year` as it was
    // (and the walk dropped, so that the next load walks the folder again).
    let read: Vec<(JobResult, Fresh)> = read.into_iter().collect::<Result<_>>()?;
    cache.pending.clear();
    for (&i, ((loaded, text, diags), fresh)) in stale.iter().zip(read) {
        let job = &walk.jobs[i];
        let unchanged = text.is_some() && year.sources.get(&job.rel) == text.as_ref();
        let version = if unchanged {
            year.versions.get(&job.rel)
        } else {
            cache.next_version()
        };
        match fresh.cached(version, &loaded, &text, &diags) {
            Some(entry) => {
                if !entry.trusted {
                    cache.pending.insert(job.path.clone());
                }
                cache.files.insert(job.path.clone(), entry);
            }
            None => {
                cache.files.remove(&job.path);
                cache.pending.insert(job.path.clone());
            }
        }
        if unchanged {
            continue;
        }
        year.versions.set(&job.rel, version);
        match text {
            Some(text) => {
                year.sources.insert(job.rel.clone(), text);
            }
            None => {
                year.sources.remove(&job.rel);
            }
        }
        replace_outcome(year, &mut walk.outcomes, i, loaded, diags);
    }
    // The site takes the diagnostics out of the year it loads: they are put back every time.
    year.diagnostics = walk.diagnostics.clone();
    for (_, diags) in &walk.outcomes {
        year.diagnostics.extend(diags.iter().cloned());
    }
    walk.token = next_token();
    year.versions.token = walk.token;
    cache.walk = Some(walk);
    Ok(true)
}

/// Puts what job `i` now adds to the year where what it added before stood.
fn replace_outcome(
    year: &mut LoadedYear,
    outcomes: &mut [(Slot, Vec<Diagnostic>)],
    i: usize,
    loaded: Loaded,
    diags: Vec<Diagnostic>,
) {
    let before = |slot: Slot| outcomes[..i].iter().filter(|(s, _)| *s == slot).count();
    let (point_at, dept_at) = (before(Slot::Point), before(Slot::Department));
    let old = outcomes[i].0;
    outcomes[i] = (loaded.slot(), diags);
    match (old, loaded) {
        (Slot::Point, Loaded::Point(Some(p))) => year.points[point_at] = *p,
        (Slot::Department, Loaded::Department(Some(d))) => year.departments[dept_at] = d,
        (old, loaded) => {
            match old {
                Slot::Point => {
                    year.points.remove(point_at);
                }
                Slot::Department => {
                    year.departments.remove(dept_at);
                }
                Slot::Year => year.info = None,
                Slot::Oversight => year.oversight = OversightFile::default(),
                Slot::Nothing => {}
            }
            match loaded {
                Loaded::Year(info) => year.info = info.map(|i| *i),
                Loaded::Department(Some(d)) => year.departments.insert(dept_at, d),
                Loaded::Point(Some(p)) => year.points.insert(point_at, *p),
                Loaded::Oversight(o) => year.oversight = o,
                Loaded::Department(None) | Loaded::Point(None) | Loaded::Nothing => {}
            }
        }
    }
}

/// The year folders under `content/`, in order.
pub fn year_folders(root: &Path) -> Result<Vec<u16>> {
    let content = root.join("content");
    let mut years = Vec::new();
    if !content.is_dir() {
        return Ok(years);
    }
    for entry in sorted_entries(&content)? {
        let name = entry.file_name().to_string_lossy().to_string();
        if entry.path().is_dir()
            && name.len() == 4
            && let Ok(y) = name.parse::<u16>()
        {
            years.push(y);
        }
    }
    Ok(years)
}
