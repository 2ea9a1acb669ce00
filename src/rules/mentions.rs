//! `hidden-mention`: free text a notice shows that names a point its readers may not see.
//!
//! The build keeps unpublished points out of every page by construction (src/audience.rs), but
//! it prints the bodies of the year file, the departments and the published points as they were
//! written: a department's overview that names a 科室-scope, 不公示 or unapproved point by its
//! title or its id publishes that name. Plan 六.(二).4 (须经逐级严格评定审核……并在一定范围内
//! 公示) and 六.(三).4.(2) (在一定范围内予以公开) set who may read a point; this rule warns
//! where the free text would tell more.
//!
//! Which readers: a body is held against every audience that reads it (`Readers::Every`, what
//! `check` and `build` do): the year's and the departments' bodies are on every notice, so they
//! may name only points the 全院 notice shows; a published point's body is on the notices that
//! show the point, so a 全院 point's body may name only 全院 points, and a 科室-scope point's
//! body only what its own department's notice shows. `check --scope` holds every body that
//! audience's notice shows against that audience alone (`Readers::One`).
//!
//! What counts as naming a point: its title (at least `MIN_TITLE` characters, compared
//! without whitespace, so a title broken over two lines is found) or its id (at least
//! `MIN_ID` characters, without case, not inside a longer word: `CW-1` is not in `CW-10`).
//! Not looked at: HTML comments (never published) and a diagram's `@ID` marks (the build draws
//! a point the readers may not see as a plain 风险点 step). A title that a point the readers do
//! see also has is public anyway.

use aho_corasick::AhoCorasick;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::audience::Audience;
use crate::content::LoadedYear;
use crate::content::site_config::RuleTables;
use crate::diagnostic::{Diagnostic, Pos, Rule};
use crate::markdown_scan::flow_blocks;
use crate::model::{Level, RiskPoint, Scope};
use crate::rules::Context;

/// Titles shorter than this are words, not names: not looked for.
const MIN_TITLE: usize = 4;
/// Ids shorter than this (`A`, `B1`: a diagram's node keys) are not looked for.
const MIN_ID: usize = 3;

/// Whose notices the bodies are held against.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Readers<'a> {
    /// Every audience that reads each body.
    Every,
    /// One audience, and the bodies its notice shows.
    One(&'a Audience),
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    match cx.mentions {
        Some(memo) => {
            let mut memo = memo.lock().unwrap_or_else(|e| e.into_inner());
            out.extend(find_kept(cx.year, cx.rules, Readers::Every, &mut memo));
        }
        None => out.extend(find(cx.year, cx.rules, Readers::Every)),
    }
}

/// What the preview keeps from one check to the next (`gongshi serve`): the automata of the
/// hidden points' names, and the bodies (by file and version) in which they found nothing.
/// Most edits change neither the hidden points' names nor more than one body, so only that
/// body is looked at again; the search over every body (some 10 ms per 5,000 points) would
/// otherwise be paid on every save.
#[derive(Default)]
pub(crate) struct Memo {
    names: Option<(Vec<String>, Names)>,
    clean: FxHashSet<(String, u64)>,
}

/// The `hidden-mention` warnings of `year` for `readers`.
pub(crate) fn find(year: &LoadedYear, rules: &RuleTables, readers: Readers) -> Vec<Diagnostic> {
    find_kept(year, rules, readers, &mut Memo::default())
}

/// As `find`, skipping the bodies `memo` knows to name no hidden point, and remembering the
/// ones found so now.
fn find_kept(
    year: &LoadedYear,
    rules: &RuleTables,
    readers: Readers,
    memo: &mut Memo,
) -> Vec<Diagnostic> {
    let hospital = Audience::Hospital;
    // Every body a notice shows, with the audience it is held against.
    let mut bodies: Vec<Body> = Vec::with_capacity(year.points.len() + year.departments.len() + 1);
    let everyone = match readers {
        Readers::Every => &hospital,
        Readers::One(a) => a,
    };
    if let Some(info) = &year.info {
        bodies.push((&info.file, &info.body, info.body_line, everyone));
    }
    for d in &year.departments {
        bodies.push((&d.file, &d.body, d.body_line, everyone));
    }
    // The audience of a department's own notice, made once per department.
    let own: FxHashMap<&str, Audience> = year
        .dept_folders
        .iter()
        .map(|slug| (slug.as_str(), Audience::Department(slug.clone())))
        .collect();
    for p in &year.points {
        let against = match readers {
            Readers::One(a) => a.may_see(p, rules).then_some(a),
            Readers::Every if hospital.may_see(p, rules) => Some(&hospital),
            Readers::Every => p
                .dept
                .as_deref()
                .and_then(|slug| own.get(slug))
                .filter(|a| a.may_see(p, rules)),
        };
        if let Some(against) = against {
            bodies.push((&p.file, &p.body, p.body_line, against));
        }
    }
    // Only a point hidden from the widest audience a body is held against can be named where
    // it may not be: every notice shows what the 全院 one shows.
    let hidden: Vec<&RiskPoint> = year
        .points
        .iter()
        .filter(|p| !everyone.may_see(p, rules))
        .collect();
    if hidden.is_empty() || bodies.is_empty() {
        return Vec::new();
    }
    memo.refresh_names(&hidden);
    let Some((_, names)) = &memo.names else {
        return Vec::new();
    };
    let candidates = may_name_hidden(year, &bodies, names, &mut memo.clean);
    let bodies = candidates.into_iter().map(|k| bodies[k]);
    mentions_of_hidden(year, rules, &hidden, names, bodies)
}

/// A body a notice shows: its file, text, first line, and the audience it is held against.
type Body<'y> = (&'y str, &'y str, usize, &'y Audience);

impl Memo {
    /// Makes the automata afresh when the hidden points' names changed, forgetting the clean
    /// bodies (they were clean of the old names).
    fn refresh_names(&mut self, hidden: &[&RiskPoint]) {
        let patterns = Names::patterns(hidden);
        if self
            .names
            .as_ref()
            .is_none_or(|(kept, _)| *kept != patterns)
        {
            self.clean.clear();
            self.names = Names::new(&patterns).map(|names| (patterns, names));
        }
    }
}

/// Which of `bodies` may name a hidden point (their indices): most name none, so a quick look
/// at the raw text first (in parallel), skipping the bodies `clean` knows, and remembering
/// the ones found clean now.
fn may_name_hidden(
    year: &LoadedYear,
    bodies: &[Body],
    names: &Names,
    clean: &mut FxHashSet<(String, u64)>,
) -> Vec<usize> {
    let version = |file: &str| year.versions.get(file);
    let known_clean = &*clean;
    let looked: Vec<(usize, bool)> = bodies
        .par_iter()
        .enumerate()
        .filter(|(_, (file, ..))| {
            let v = version(file);
            v == 0 || !known_clean.contains(&(file.to_string(), v))
        })
        .map(|(k, (_, body, ..))| (k, names.may_name(body)))
        .collect();
    let mut candidates: Vec<usize> = Vec::new();
    for (k, may) in looked {
        let file = bodies[k].0;
        match (may, version(file)) {
            (true, _) => candidates.push(k),
            (false, 0) => {}
            (false, v) => {
                clean.insert((file.to_string(), v));
            }
        }
    }
    // Bodies of files no longer read, or read at another version, are forgotten.
    if clean.len() > bodies.len() * 2 {
        clean.retain(|(file, v)| year.versions.get(file) == *v);
    }
    candidates
}

/// The character-by-character account of what each of `candidates` prints: a warning for each
/// hidden point it names where its audience may not see it, once per body, where first named.
fn mentions_of_hidden<'y>(
    year: &LoadedYear,
    rules: &RuleTables,
    hidden: &[&RiskPoint],
    names: &Names,
    candidates: impl Iterator<Item = Body<'y>>,
) -> Vec<Diagnostic> {
    // Titles some audience sees, by the audiences: a hidden point's title that a point the
    // readers see also has is public anyway.
    let titles_seen = |audience: &Audience| -> FxHashSet<String> {
        year.points
            .iter()
            .filter(|p| audience.may_see(p, rules))
            .map(|p| squeeze(&p.title.value))
            .collect()
    };
    let mut seen_by: FxHashMap<&Audience, FxHashSet<String>> = FxHashMap::default();
    let mut out = Vec::new();
    for (file, body, line, audience) in candidates {
        let text = Published::of(body, line);
        let mut named: Vec<Mention> = Vec::new();
        names.find(&text, &mut named);
        if named.is_empty() {
            continue;
        }
        named.sort_by_key(|m| m.pos);
        // Each point once per body, where it is first named.
        let mut reported: FxHashSet<usize> = FxHashSet::default();
        for Mention {
            point: i,
            pos,
            by_id,
        } in named
        {
            let point = hidden[i];
            if audience.may_see(point, rules) || reported.contains(&i) {
                continue;
            }
            if !by_id {
                let seen = seen_by
                    .entry(audience)
                    .or_insert_with(|| titles_seen(audience));
                if seen.contains(&squeeze(&point.title.value)) {
                    continue;
                }
            }
            reported.insert(i);
            out.push(warning(year, rules, file, pos, point, audience));
        }
    }
    out
}

fn warning(
    year: &LoadedYear,
    rules: &RuleTables,
    file: &str,
    pos: Pos,
    point: &RiskPoint,
    audience: &Audience,
) -> Diagnostic {
    let why = if !point.is_approved() {
        "尚未完成审批".to_string()
    } else {
        match Audience::scope_of(point, rules) {
            Scope::Hidden => "不公示".to_string(),
            Scope::Department => format!("只在{}范围公示", year.point_dept_name(point)),
            Scope::Hospital => "不在本范围公示".to_string(),
        }
    };
    let readers = match audience {
        Audience::Department(slug) => format!("{}（科室:{slug}）的公示", year.dept_name(slug)),
        // 全院公示.
        other => format!("{other}公示"),
    };
    let level = match point.level.value {
        Level::Post => "岗位",
        Level::Department => "科室",
        Level::Unit => "单位",
    };
    Diagnostic::new(
        Rule::HiddenMention,
        file,
        pos,
        format!(
            "这段文字写出了{readers}看不到的{level}风险点 {}“{}”（{why}）",
            point.id.value, point.title.value
        ),
    )
    .with_hint(format!(
        "正文会原样出现在{readers}中：请改写，不写出未公示风险点的标题和编号（只在科室范围公示的内容写在该科室的风险点正文中）"
    ))
}

/// A body's text as the notice prints it, without whitespace for titles: each character kept
/// with its place in the file.
struct Published {
    /// The text without HTML comments and a diagram's `@ID`s; what was left out leaves a
    /// space, so that nothing is joined across it.
    text: String,
    /// For each character of `text`: its byte offset there, and its file line and column.
    at: Vec<(usize, usize, usize)>,
    /// `text` without whitespace, and for each of its characters the index into `at`.
    squeezed: String,
    squeezed_at: Vec<(usize, usize)>,
}

impl Published {
    fn of(body: &str, body_line: usize) -> Published {
        // The lines of diagrams, where `@ID` marks are not printed.
        let flow_lines: FxHashSet<usize> = if body.contains("```") || body.contains("~~~") {
            flow_blocks(body, body_line)
                .iter()
                .flat_map(|b| b.lines.iter().map(|(line, _)| *line))
                .collect()
        } else {
            FxHashSet::default()
        };
        let mut text = String::with_capacity(body.len());
        let mut at = Vec::with_capacity(body.len() / 2);
        let (mut line, mut column) = (body_line, 1);
        let mut chars = body.char_indices().peekable();
        let mut in_comment = false;
        let mut in_mark = false;
        while let Some((offset, c)) = chars.next() {
            let rest = &body[offset..];
            if !in_comment && rest.starts_with("<!--") {
                in_comment = true;
            }
            let skip = if in_comment {
                if rest.starts_with("-->") {
                    // The closing `-->`: skip its three characters.
                    for _ in 0..2 {
                        chars.next();
                    }
                    column += 2;
                    in_comment = false;
                }
                true
            } else if c == '@' && flow_lines.contains(&line) {
                in_mark = true;
                true
            } else if in_mark && (c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                true
            } else {
                in_mark = false;
                false
            };
            let shown = if skip { ' ' } else { c };
            if c == '\n' {
                at.push((text.len(), line, column));
                text.push('\n');
                line += 1;
                column = 1;
                continue;
            }
            at.push((text.len(), line, column));
            text.push(shown);
            column += 1;
        }
        let mut squeezed = String::with_capacity(text.len());
        let mut squeezed_at = Vec::with_capacity(at.len());
        for (k, c) in text.chars().enumerate() {
            if !c.is_whitespace() {
                squeezed_at.push((squeezed.len(), k));
                squeezed.push(c);
            }
        }
        Published {
            text,
            at,
            squeezed,
            squeezed_at,
        }
    }

    /// The character of `text` at byte `offset`.
    fn char_at(&self, offset: usize) -> usize {
        self.at.partition_point(|(o, _, _)| *o < offset)
    }

    /// The position of the characters `first..end` of `text` (the caret stays on the first
    /// line).
    fn pos(&self, first: usize, end: usize) -> Pos {
        let (_, line, column) = self.at[first];
        let len = self.at[first..end.max(first + 1).min(self.at.len())]
            .iter()
            .take_while(|(_, l, _)| *l == line)
            .count();
        Pos::new(line, column, len)
    }
}

/// The titles and ids of the hidden points, found in one pass each.
struct Names {
    /// Titles and ids together, over a body without whitespace: whether it may name one.
    any: AhoCorasick,
    /// Titles without whitespace; `title_of[k]` is the hidden point of pattern `k`.
    titles: Option<AhoCorasick>,
    title_of: Vec<usize>,
    ids: Option<AhoCorasick>,
    id_of: Vec<usize>,
}

/// How a pattern list tells an id from a title (ids are ASCII: no title starts so).
const ID_MARK: char = '\u{1}';

impl Names {
    /// The names looked for, in the hidden points' order: each title without whitespace (when
    /// long enough), each id (when long enough) after `ID_MARK`. Compared from one check to
    /// the next (`Memo`).
    fn patterns(hidden: &[&RiskPoint]) -> Vec<String> {
        let mut patterns = Vec::with_capacity(hidden.len() * 2);
        for p in hidden {
            let title = squeeze(&p.title.value);
            patterns.push(if title.chars().count() >= MIN_TITLE {
                title
            } else {
                String::new()
            });
            patterns.push(if p.id.value.len() >= MIN_ID {
                format!("{ID_MARK}{}", p.id.value)
            } else {
                String::new()
            });
        }
        patterns
    }

    fn new(patterns: &[String]) -> Option<Names> {
        let (mut titles, mut title_of) = (Vec::new(), Vec::new());
        let (mut ids, mut id_of) = (Vec::new(), Vec::new());
        for (k, pattern) in patterns.iter().enumerate() {
            let i = k / 2;
            match pattern.strip_prefix(ID_MARK) {
                Some(id) => {
                    ids.push(id);
                    id_of.push(i);
                }
                None if !pattern.is_empty() => {
                    titles.push(pattern.as_str());
                    title_of.push(i);
                }
                None => {}
            }
        }
        let build = |patterns: &[&str], case_insensitive: bool| {
            if patterns.is_empty() {
                return None;
            }
            AhoCorasick::builder()
                .ascii_case_insensitive(case_insensitive)
                .build(patterns)
                .ok()
        };
        let every: Vec<&str> = titles.iter().chain(&ids).copied().collect();
        Some(Names {
            any: build(&every, true)?,
            titles: build(&titles, false),
            title_of,
            // Ids are one without case (`duplicate-id`).
            ids: build(&ids, true),
            id_of,
        })
    }

    /// Whether `body` may name a hidden point: a title or an id somewhere in its text without
    /// whitespace (comments and diagrams' marks included, ids even inside a longer word), so
    /// that the precise look (`find`) never misses one.
    fn may_name(&self, body: &str) -> bool {
        self.any.is_match(squeeze(body).as_str())
    }

    /// Adds each mention in `text`.
    fn find(&self, text: &Published, out: &mut Vec<Mention>) {
        if let Some(titles) = &self.titles {
            for m in titles.find_overlapping_iter(text.squeezed.as_str()) {
                let first = squeezed_char(text, m.start());
                let last = squeezed_char(text, m.end() - 1);
                out.push(Mention {
                    point: self.title_of[m.pattern().as_usize()],
                    pos: text.pos(first, last + 1),
                    by_id: false,
                });
            }
        }
        if let Some(ids) = &self.ids {
            let bytes = text.text.as_bytes();
            for m in ids.find_overlapping_iter(text.text.as_str()) {
                let before = m.start().checked_sub(1).map(|k| bytes[k]);
                let after = bytes.get(m.end()).copied();
                if before.is_some_and(is_word_byte) || after.is_some_and(is_word_byte) {
                    continue;
                }
                let first = text.char_at(m.start());
                let end = text.char_at(m.end());
                out.push(Mention {
                    point: self.id_of[m.pattern().as_usize()],
                    pos: text.pos(first, end),
                    by_id: true,
                });
            }
        }
    }
}

/// A hidden point named in a body: its index among the hidden points, where, and whether by
/// its id (an id names one point; a title may be another point's too).
struct Mention {
    point: usize,
    pos: Pos,
    by_id: bool,
}

/// The character of `text.text` behind byte `offset` of `text.squeezed`.
fn squeezed_char(text: &Published, offset: usize) -> usize {
    let k = text.squeezed_at.partition_point(|(o, _)| *o < offset);
    text.squeezed_at.get(k).map_or(0, |(_, c)| *c)
}

/// A byte that continues an id (`CW-1` is not named inside `CW-10`).
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Text without whitespace (also full-width): how titles are compared.
fn squeeze(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    out.extend(text.chars().filter(|c| !c.is_whitespace()));
    out
}
