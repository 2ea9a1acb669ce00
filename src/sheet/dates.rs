//! Dates in cells. The template writes real Excel dates (`yyyy-mm-dd`); what comes back may be a
//! real date, or a date typed as text the way people write them in China: `2022.5.20`,
//! `2022/5/20`, `2022年5月20日`, `20220520`, with full-width digits from a Chinese input method.
//! Each is read as the calendar date it names; anything else is left as typed, for `check` to
//! report (`invalid-value`).

use crate::model::Date;

/// The half-width form of a full-width digit or separator (`２０２２．５．２０`).
fn half_width(c: char) -> char {
    match c {
        '\u{FF10}'..='\u{FF19}' | '\u{FF0D}' | '\u{FF0E}' | '\u{FF0F}' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        '\u{3000}' => ' ',
        c => c,
    }
}

/// The date a text names, if it names one: year, month and day in that order, separated by
/// `-`, `.`, `/` or 年/月(/日/号), or eight digits `YYYYMMDD`.
pub(crate) fn parse_typed(text: &str) -> Option<Date> {
    let folded: String = text
        .chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace())
        .collect();
    let trimmed = folded
        .strip_suffix('日')
        .or_else(|| folded.strip_suffix('号'))
        .unwrap_or(&folded);
    let parts: Vec<&str> = if trimmed.len() == 8 && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        vec![&trimmed[..4], &trimmed[4..6], &trimmed[6..]]
    } else {
        trimmed.split(['-', '.', '/', '年', '月']).collect()
    };
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let digits = |s: &str, max: usize| {
        !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
    };
    if y.len() != 4 || !digits(y, 4) || !digits(m, 2) || !digits(d, 2) {
        return None;
    }
    Date::parse(&format!("{y}-{m:0>2}-{d:0>2}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_people_type_them() {
        for text in [
            "2022-05-20",
            "2022-5-20",
            "2022.5.20",
            "2022/5/20",
            "2022/05/20",
            "2022年5月20日",
            "2022 年 5 月 20 日",
            "2022年5月20号",
            "20220520",
            "２０２２．５．２０",
            " 2022.05.20 ",
        ] {
            assert_eq!(
                parse_typed(text).map(|d| d.to_string()).as_deref(),
                Some("2022-05-20"),
                "{text}"
            );
        }
    }

    #[test]
    fn what_is_not_a_date_stays_text() {
        for text in [
            "",
            "2022",
            "5月20日",
            "22.5.20",
            "2022.13.1",
            "2022.2.30",
            "2022-5-20-1",
            "2022年5月",
            "二〇二二年五月二十日",
            "+022.5.20",
            "2022.05.020",
        ] {
            assert_eq!(parse_typed(text), None, "{text}");
        }
    }
}
