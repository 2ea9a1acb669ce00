//! Today's date, as the hospital's calendar has it: the date in China (UTC+8), whatever time
//! zone the machine running gongshi is set to. `new risk` writes it as `review.submitted`,
//! `init` takes its year, `archive` records it as `archived_on`.
//!
//! China Standard Time is a fixed UTC+8 all year (no daylight saving since 1991), so a fixed
//! offset is exact for every date gongshi writes and no time-zone database is needed.
//!
//! In: the environment and the system clock. Out: a [`Date`]. Two variables fix the date for
//! reproducible output and for tests:
//! - `GONGSHI_TODAY=YYYY-MM-DD`, the date itself;
//! - `SOURCE_DATE_EPOCH`, the reproducible-builds convention: seconds since 1970-01-01 00:00
//!   UTC, taken as an instant and dated in China like the clock.

use anyhow::{Context as _, Result, bail};

use crate::model::Date;

/// China Standard Time's offset from UTC, in seconds.
pub(crate) const CHINA_UTC_OFFSET: i64 = 8 * 3600;

/// Today in China: `GONGSHI_TODAY` when set, else the day of `SOURCE_DATE_EPOCH` when set, else
/// the system clock's. A malformed variable is an error, not a silent fallback to the clock.
pub(crate) fn today() -> Result<Date> {
    if let Ok(text) = std::env::var("GONGSHI_TODAY") {
        return Date::parse(&text)
            .with_context(|| format!("环境变量 GONGSHI_TODAY=“{text}”不是 YYYY-MM-DD 格式的日期"));
    }
    let seconds = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => text.trim().parse::<i64>().ok().with_context(|| {
            format!("环境变量 SOURCE_DATE_EPOCH=“{text}”不是整数秒数（自 1970-01-01 00:00 UTC 起）")
        })?,
        Err(_) => {
            let since_epoch = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .context("系统时间早于 1970 年")?;
            i64::try_from(since_epoch.as_secs()).context("系统时间超出可表示的范围")?
        }
    };
    match date_in_china(seconds) {
        Some(date) => Ok(date),
        None => bail!("时间 {seconds}（自 1970 年起的秒数）超出可表示的日期范围"),
    }
}

/// The date in China at `seconds` after 1970-01-01 00:00 UTC; `None` past the years a `Date`
/// holds.
pub(crate) fn date_in_china(seconds: i64) -> Option<Date> {
    let local = seconds.checked_add(CHINA_UTC_OFFSET)?;
    Date::from_days(local.div_euclid(86_400))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seconds since the epoch of a UTC date and time.
    fn utc(date: &str, hour: i64, minute: i64) -> i64 {
        Date::parse(date).unwrap().days() * 86_400 + hour * 3600 + minute * 60
    }

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    /// Regression: today was the UTC date, so before 08:00 in Beijing `new risk` wrote
    /// yesterday's date. 23:30 UTC on 29 May is 07:30 on 30 May in Beijing.
    #[test]
    fn half_past_eleven_utc_is_already_tomorrow_in_china() {
        assert_eq!(
            date_in_china(utc("2025-05-29", 23, 30)),
            Some(date("2025-05-30"))
        );
    }

    #[test]
    fn the_day_turns_at_midnight_in_china_which_is_four_in_the_afternoon_utc() {
        assert_eq!(
            date_in_china(utc("2025-05-29", 15, 59)),
            Some(date("2025-05-29"))
        );
        assert_eq!(
            date_in_china(utc("2025-05-29", 16, 0)),
            Some(date("2025-05-30"))
        );
        // Across a year's end and a leap day.
        assert_eq!(
            date_in_china(utc("2023-12-31", 16, 0)),
            Some(date("2024-01-01"))
        );
        assert_eq!(
            date_in_china(utc("2024-02-28", 16, 0)),
            Some(date("2024-02-29"))
        );
        assert_eq!(date_in_china(0), Some(date("1970-01-01")));
        assert_eq!(date_in_china(-8 * 3600 - 1), Some(date("1969-12-31")));
    }

    #[test]
    fn days_round_trip_to_dates() {
        for text in [
            "1970-01-01",
            "2000-02-29",
            "2022-07-06",
            "2024-12-31",
            "2100-03-01",
        ] {
            let date = Date::parse(text).unwrap();
            assert_eq!(Date::from_days(date.days()), Some(date), "{text}");
        }
    }

    #[test]
    fn instants_beyond_the_calendar_are_none_not_a_panic() {
        assert_eq!(date_in_china(i64::MAX), None);
        assert_eq!(date_in_china(i64::MIN), None);
    }
}
