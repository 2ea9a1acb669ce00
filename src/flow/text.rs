//! Text metrics without a font: estimated label widths (CJK full width, about 1em; Latin
//! narrower, about 0.55em) and line wrapping that keeps Latin words whole and never starts a
//! line with closing punctuation. Widths are in em; callers multiply by the font size.
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

/// Splits `text` into lines of at most `max` em (a single character wider than `max` gets a
/// line of its own). `\n` in `text` always breaks. Lines are balanced: 13 characters with room
/// for 12 become 7 + 6, not 12 + 1.
pub(crate) fn wrap(text: &str, max: f64) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let units = units(paragraph);
        let greedy = fill(&units, max);
        if greedy.len() <= 1 {
            lines.extend(greedy);
            continue;
        }
        let total: f64 = units.iter().map(|u| u.width).sum();
        let mut limit = total / greedy.len() as f64;
        let balanced = loop {
            if limit >= max {
                break greedy;
            }
            let attempt = fill(&units, limit);
            if attempt.len() <= greedy.len() {
                break attempt;
            }
            limit += 0.5;
        };
        lines.extend(balanced);
    }
    lines
}

/// An unbreakable piece of text: one CJK character, one Latin word, or a run of spaces.
struct Unit<'a> {
    text: &'a str,
    width: f64,
    space: bool,
    sticky: bool,
}

fn units(paragraph: &str) -> Vec<Unit<'_>> {
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
        units.push(Unit {
            text,
            width: text_width(text),
            space,
            sticky: no_line_start(c),
        });
    }
    units
}

/// Greedy line filling; words wider than `max` are split between characters.
fn fill(units: &[Unit<'_>], max: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut width = 0.0;
    for unit in units {
        if unit.space {
            if !line.is_empty() {
                line.push_str(unit.text);
                width += unit.width;
            }
            continue;
        }
        let fits = width + unit.width <= max + 1e-9;
        if fits || line.is_empty() || unit.sticky {
            if unit.width > max && !unit.sticky {
                split_long_word(unit.text, max, &mut lines, &mut line, &mut width);
            } else {
                line.push_str(unit.text);
                width += unit.width;
            }
            continue;
        }
        lines.push(line.trim_end().to_owned());
        line = String::new();
        width = 0.0;
        if unit.width > max {
            split_long_word(unit.text, max, &mut lines, &mut line, &mut width);
        } else {
            line.push_str(unit.text);
            width = unit.width;
        }
    }
    let line = line.trim_end();
    if !line.is_empty() {
        lines.push(line.to_owned());
    }
    lines
}

fn split_long_word(
    word: &str,
    max: f64,
    lines: &mut Vec<String>,
    line: &mut String,
    width: &mut f64,
) {
    for c in word.chars() {
        let w = char_width(c);
        if *width + w > max + 1e-9 && !line.is_empty() {
            lines.push(line.trim_end().to_owned());
            line.clear();
            *width = 0.0;
        }
        line.push(c);
        *width += w;
    }
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

    #[test]
    fn explicit_breaks_are_kept() {
        assert_eq!(wrap("申请\n审批", 12.0), ["申请", "审批"]);
    }
}
