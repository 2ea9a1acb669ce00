//! The date the commands write is the hospital's: the date in China (UTC+8), whatever the
//! time zone of the machine. `SOURCE_DATE_EPOCH` fixes the instant, so these tests need no
//! clock: 23:30 UTC on 29 May 2025 is 07:30 on 30 May in Beijing.

use crate::harness::{Gongshi, Run, Site};

/// 2025-05-29T23:30:00Z, in seconds since the epoch.
const HALF_PAST_ELEVEN_UTC: &str = "1748561400";
const BEIJING_DATE: &str = "2025-05-30";

/// 2022-05-29T23:30:00Z: 07:30 on 30 May 2022 in Beijing, inside the base site's 组织实施
/// phase (2022-05-21 to 2022-06-25), so `new risk` writes it as the day of submission.
const HALF_PAST_ELEVEN_UTC_2022: &str = "1653867000";
const BEIJING_DATE_2022: &str = "2022-05-30";

/// `gongshi --root <site> ARGS` at `HALF_PAST_ELEVEN_UTC`, with no date of its own given.
#[track_caller]
fn at_half_past_eleven_utc(site: &Site, args: &[&str]) -> Run {
    at(site, HALF_PAST_ELEVEN_UTC, args)
}

#[track_caller]
fn at(site: &Site, epoch: &str, args: &[&str]) -> Run {
    Gongshi::new()
        .arg("--root")
        .arg(site.root())
        .args(args)
        .env("SOURCE_DATE_EPOCH", epoch)
        .env_remove("GONGSHI_TODAY")
        .run()
}

/// Regression: today was the UTC date, so before 08:00 in Beijing `new risk` wrote
/// yesterday's date as the day the point was submitted.
#[test]
fn new_risk_before_eight_in_beijing_is_submitted_today_not_yesterday() {
    let site = Site::base();
    let run = at(
        &site,
        HALF_PAST_ELEVEN_UTC_2022,
        &["new", "risk", "--dept", "caiwu", "--level", "科室"],
    )
    .succeeds();
    let text = site.read(run.stdout.trim());
    assert!(
        text.contains(&format!("submitted: {BEIJING_DATE_2022}")),
        "{}:\n{text}",
        run.stdout.trim()
    );
}

/// The same for the day `archive` records.
#[test]
fn an_archive_made_before_eight_in_beijing_is_dated_today() {
    let site = Site::base();
    at_half_past_eleven_utc(&site, &["archive", "2022"]).succeeds();
    let info: serde_json::Value =
        serde_json::from_str(&site.read("archive/2022/archive.json")).unwrap();
    assert_eq!(info["archived_on"], BEIJING_DATE);
}

/// A malformed `SOURCE_DATE_EPOCH` is an error that names it, not a silent fall back to the
/// clock: a reproducible archive must not quietly get today's date.
#[test]
fn a_malformed_source_date_epoch_is_an_error() {
    let site = Site::base();
    Gongshi::new()
        .arg("--root")
        .arg(site.root())
        .args(["archive", "2022"])
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .env_remove("GONGSHI_TODAY")
        .run()
        .exit(2)
        .stderr_has("SOURCE_DATE_EPOCH");
    assert!(!site.path("archive/2022").exists());
}
