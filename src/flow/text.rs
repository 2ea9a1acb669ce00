//! Text metrics without a font: estimated label widths (CJK full width, about 1em; Latin
//! narrower, about 0.55em) and line wrapping that prefers the author's spaces and punctuation,
//! keeps Latin words whole and never starts a line with closing punctuation. Widths are in em;
//! callers multiply by the font size.
//!
//! The estimates lean wide on purpose: a box a little too wide looks fine, a label that spills
//! out of its box does not.

use unicode_width::UnicodeWidthChar;

/// The estimated advance of one character, in em.
pub(crate) fn char_width(c: char) -> f64 {
    match c {
        ' ' | '\t' => 0.3,
        'i' | 'j' | 'l' | 'I' | '.' | ',' | ':' | ';' | '!' | '|' | '\'' | '`' => 0.32,
        'm' | 'w' | 'M' | 'W' | '@' | '%' => 0.86,
        'A'..='Z' => 0.68,
        '0'..='9' => 0.58,
        c if c.is_ascii() && !c.is_ascii_control() => 0.55,
        // East Asian "ambiguous" characters (“ ” — … ·) are full width in CJK fonts.
        c => match c.width_cjk() {
            Some(2) => 1.0,
            Some(1) => 0.62,
            _ => 0.0,
        },
    }
}

pub(crate) fn text_width(s: &str) -> f64 {
    s.chars().map(char_width).sum()
}

/// Characters that may not start a line (they stay at the end of the line before).
fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '」'
            | '』'
            | '》'
            | '〉'
            | '】'
            | '”'
            | '’'
            | '…'
            | '%'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
    )
}

/// Characters that may not end a line (they stay with the character after them).
fn no_line_end(c: char) -> bool {
    matches!(
        c,
        '（' | '「' | '『' | '《' | '〈' | '【' | '“' | '‘' | '(' | '['
    )
}

/// Splits `text` into lines of at most `max` em. `\n` in `text` always breaks.
///
/// Lines break where the author left room first: at a space, after CJK punctuation, before an
/// opening bracket; between two CJK characters only when that is needed; inside a Latin word
/// only when the word alone is wider than `max`. Among the ways with the fewest lines, the most
/// even wins (13 characters with room for 12 become 7 + 6, not 12 + 1). A label that would
/// need one more line only because it is a character too long stays on one line (a box one
/// character wider beats a line holding a single character, or a word cut in two).
pub(crate) fn wrap(text: &str, max: f64) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let units = units(paragraph, max);
        let total = line_width(&units, 0, units.len()).unwrap_or(0.0);
        lines.extend(best_lines(
            &units,
            if total <= max + 1.0 { total } else { max },
        ));
    }
    lines
}

/// An unbreakable piece of text: one CJK character, one Latin word, or a run of spaces.
struct Unit<'a> {
    text: &'a str,
    width: f64,
    space: bool,
    /// Must not start a line (closing punctuation).
    sticky: bool,
    /// Must not end a line (opening punctuation).
    opening: bool,
    /// A full-width character (CJK): lines may break on either side, at a cost.
    wide: bool,
    /// A piece of a Latin word too wide for any line: breaking after it costs the most.
    piece: bool,
}

fn units(paragraph: &str, max: f64) -> Vec<Unit<'_>> {
    let mut units = Vec::new();
    let mut chars = paragraph.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let wide = char_width(c) >= 1.0;
        let space = c.is_whitespace();
        let mut end = i + c.len_utf8();
        if !wide && !space {
            // A Latin word runs until a space or a wide character.
            while let Some(&(j, n)) = chars.peek() {
                if n.is_whitespace() || char_width(n) >= 1.0 {
                    break;
                }
                end = j + n.len_utf8();
                chars.next();
            }
        } else if space {
            while let Some(&(j, n)) = chars.peek() {
                if !n.is_whitespace() {
                    break;
                }
                end = j + n.len_utf8();
                chars.next();
            }
        }
        let text = &paragraph[i..end];
        if !space && !wide && text_width(text) > max {
            // A word wider than any line is cut between its characters.
            let mut start = i;
            for j in text.char_indices().skip(1).map(|(j, _)| i + j) {
                units.push(unit(&paragraph[start..j], false, false, true));
                start = j;
            }
            units.push(unit(&paragraph[start..end], false, false, false));
        } else {
            units.push(unit(text, space, wide, false));
        }
    }
    units
}

fn unit(text: &str, space: bool, wide: bool, piece: bool) -> Unit<'_> {
    Unit {
        text,
        width: text_width(text),
        space,
        sticky: text.chars().next().is_some_and(no_line_start),
        opening: text.chars().next_back().is_some_and(no_line_end),
        wide,
        piece,
    }
}

/// What breaking the line after `before` (and before `after`) costs, or `None` where a line
/// may not break.
fn break_cost(before: &Unit<'_>, after: &Unit<'_>) -> Option<f64> {
    if after.sticky || before.opening {
        return None;
    }
    if before.space || after.space || after.opening || before.sticky {
        return Some(0.0);
    }
    if before.piece {
        return Some(40.0);
    }
    if before.wide && after.wide {
        // Between two CJK characters: maybe inside a word (监|理). Worth a few em of
        // unevenness: "分管领导审批 院长办公会集体研究" breaks at its space, 6 + 9.
        return Some(10.0);
    }
    if before.wide || after.wide {
        return Some(3.0);
    }
    // Two Latin words with nothing between them cannot happen (units split at spaces and
    // wide characters); keep them together anyway.
    None
}

/// The width of `units[from..to]` without spaces at either end, or `None` if all are spaces.
fn line_width(units: &[Unit<'_>], from: usize, to: usize) -> Option<f64> {
    let line = &units[from..to];
    let first = line.iter().position(|u| !u.space)?;
    let last = line.iter().rposition(|u| !u.space)?;
    Some(line[first..=last].iter().map(|u| u.width).sum())
}

/// The fewest lines of at most `max` em, and among those the cheapest: break costs plus the
/// squared distance of each line from the average width. A line holding one character alone
/// is avoided where another way exists. `max` may be less than the widest unit only when the
/// whole paragraph fits on one line (`wrap`'s stretch).
fn best_lines(units: &[Unit<'_>], max: f64) -> Vec<String> {
    let n = units.len();
    let total = line_width(units, 0, n).unwrap_or(0.0);
    if n == 0 || total == 0.0 {
        return Vec::new();
    }
    // Line counts first, then cost: (lines, cost, start of the last line).
    let mut best: Vec<Option<(usize, f64, usize)>> = vec![None; n + 1];
    best[0] = Some((0, 0.0, 0));
    let greedy_lines = (total / max).ceil().max(1.0);
    let target = total / greedy_lines;
    for end in 1..=n {
        // A line ends after units[end - 1]; may it?
        let break_here = if end == n {
            Some(0.0)
        } else {
            break_cost(&units[end - 1], &units[end])
        };
        let Some(break_here) = break_here else {
            continue;
        };
        for start in (0..end).rev() {
            let Some((lines, cost, _)) = best[start] else {
                continue;
            };
            let Some(width) = line_width(units, start, end) else {
                continue;
            };
            if width > max + 1e-9 && end - start > 1 {
                // Lines only get wider going back. (A unit wider than `max` alone, which
                // `units` prevents, still gets a line.)
                break;
            }
            let alone = units[start..end].iter().filter(|u| !u.space).count() == 1
                && units[start..end].iter().any(|u| u.wide);
            let widow = if alone && total > max { 8.0 } else { 0.0 };
            let candidate = (
                lines + 1,
                cost + break_here + (width - target).powi(2) + widow,
                start,
            );
            let better = match best[end] {
                None => true,
                Some((l, c, _)) => (candidate.0, candidate.1) < (l, c),
            };
            if better {
                best[end] = Some(candidate);
            }
        }
    }
    let mut ends = Vec::new();
    let mut end = n;
    while end > 0 {
        let Some((_, _, start)) = best[end] else {
            break;
        };
        ends.push((start, end));
        end = start;
    }
    ends.reverse();
    ends.into_iter()
        .filter_map(|(start, end)| {
            let line: String = units[start..end].iter().map(|u| u.text).collect();
            let line = line.trim();
            (!line.is_empty()).then(|| line.to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_is_full_width_and_latin_narrower() {
        assert_eq!(text_width("药品采购"), 4.0);
        assert!(text_width("YJK-01") < 4.0);
        assert!(text_width("YJK-01") > 3.0);
        assert_eq!(text_width("“是”"), 3.0);
    }

    #[test]
    fn short_text_stays_on_one_line() {
        assert_eq!(wrap("科室申请", 12.0), ["科室申请"]);
    }

    #[test]
    fn long_cjk_text_wraps_at_about_twelve_characters_and_balances() {
        let text = "药事管理与药物治疗学委员会集体审议采购计划";
        let lines = wrap(text, 12.0);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| text_width(l) <= 12.0));
        assert_eq!(lines.concat(), text);
        let diff = text_width(&lines[0]) - text_width(&lines[1]);
        assert!(diff.abs() <= 1.0, "{lines:?}");
    }

    #[test]
    fn latin_words_are_kept_whole() {
        let lines = wrap("审核 purchase order 单据", 6.0);
        assert!(lines.iter().any(|l| l.contains("purchase")), "{lines:?}");
        assert!(
            lines
                .iter()
                .all(|l| !l.starts_with(' ') && !l.ends_with(' '))
        );
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        let lines = wrap("一二三四五六，七八九十", 6.0);
        assert!(lines.iter().all(|l| !l.starts_with('，')), "{lines:?}");
    }

    #[test]
    fn a_word_wider_than_the_line_is_split() {
        let lines = wrap("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 5.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| text_width(l) <= 5.0 + 1e-9));
    }

    /// Regression: "分管领导审批 院长办公会集体研究" wrapped as "分管领导审批 院" / "长办公会集体研究",
    /// ignoring the author's space.
    #[test]
    fn lines_break_at_the_author_s_space() {
        assert_eq!(
            wrap("分管领导审批 院长办公会集体研究", 12.0),
            ["分管领导审批", "院长办公会集体研究"]
        );
        assert_eq!(
            wrap("签证生效 纳入结算 并报财务备案", 10.0),
            ["签证生效 纳入结算", "并报财务备案"]
        );
    }

    #[test]
    fn lines_break_after_cjk_punctuation_before_between_characters() {
        assert_eq!(
            wrap("科室提出申请，分管领导审核同意", 12.0),
            ["科室提出申请，", "分管领导审核同意"]
        );
        let lines = wrap("审核（含附件、合同）并报备", 6.0);
        assert!(lines.iter().all(|l| !l.ends_with('（')), "{lines:?}");
    }

    /// Regression: "现场代表会同监理核实工程量" (13 characters, room for 12) became
    /// "现场代表会同监" / "理核实工程量", cutting 监理 in two.
    #[test]
    fn one_character_too_many_widens_the_line_instead_of_cutting_it() {
        assert_eq!(
            wrap("现场代表会同监理核实工程量", 12.0),
            ["现场代表会同监理核实工程量"]
        );
        let lines = wrap(
            "药事管理与药物治疗学委员会集体审议采购计划并报院长办公",
            12.0,
        );
        assert!(lines.iter().all(|l| l.chars().count() > 1), "{lines:?}");
        assert!(lines.iter().all(|l| text_width(l) <= 12.0), "{lines:?}");
    }

    #[test]
    fn latin_words_are_not_cut_when_they_fit() {
        for max in [5.0, 6.0, 8.0, 10.0] {
            let lines = wrap("上传 HIS 系统 purchase order 审核", max);
            for word in ["HIS", "purchase", "order"] {
                assert!(lines.iter().any(|l| l.contains(word)), "{max}: {lines:?}");
            }
        }
    }

    #[test]
    fn explicit_breaks_are_kept() {
        assert_eq!(wrap("申请\n审批", 12.0), ["申请", "审批"]);
    }
}
