//! The daily digest inside `serve`: a tokio task wakes every [`TICK`], and
//! [`super::run`] sends the digest of each DPO whose `DIGEST_HOUR` has come
//! today in their first controller's time zone and who has not had today's
//! (the `digest_sends` row decides, so nothing here keeps state). A failure
//! is logged with the staff id and retried at the next tick.

use std::time::Duration;

use super::RunOptions;
use crate::web::AppState;

/// How often the task looks at the clock.
pub const TICK: Duration = Duration::from_secs(60);

/// The running task; dropping it stops it.
pub struct Scheduler {
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Scheduler {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts the daily digest; call inside the tokio runtime and keep the
/// handle while the server runs.
pub fn spawn(state: &AppState) -> Scheduler {
    spawn_every(state, TICK)
}

/// [`spawn`] with another tick (tests).
pub fn spawn_every(state: &AppState, tick: Duration) -> Scheduler {
    let state = state.clone();
    let task =
        crate::web::periodic::spawn_periodic("daily digest", tick, move || tick_once(&state));
    Scheduler { task }
}

/// One look at the clock: sends the digests that are due now.
pub fn tick_once(state: &AppState) -> anyhow::Result<()> {
    let mut conn = state.pool.get()?;
    let report = super::run(
        &mut conn,
        state.clock.now(),
        RunOptions {
            public_url: &state.config.public_url,
            hour: Some(state.config.digest_hour),
            dry_run: false,
        },
    )?;
    if report.mailed > 0 {
        crate::mail::wake_worker();
        tracing::info!(
            mailed = report.mailed,
            nothing_to_report = report.nothing_to_report,
            failed = report.failed,
            "daily digest"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDateTime;

    use crate::clock::daily_instant;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap()
    }

    /// The digest hour is Paris wall-clock time: 8:00 is 7:00 UTC in
    /// winter, 6:00 UTC in summer, and a late UTC evening already belongs
    /// to the next Paris day.
    #[test]
    fn digest_hour_in_paris() {
        let paris = chrono_tz::Europe::Paris;
        assert_eq!(
            daily_instant(t("2026-03-02T05:00:00"), paris, 8),
            Some(t("2026-03-02T07:00:00"))
        );
        assert_eq!(
            daily_instant(t("2026-07-15T05:00:00"), paris, 8),
            Some(t("2026-07-15T06:00:00"))
        );
        assert_eq!(
            daily_instant(t("2026-03-02T23:30:00"), paris, 8),
            Some(t("2026-03-03T07:00:00"))
        );
        // The Sunday the clocks go forward, 8:00 exists and is 6:00 UTC.
        assert_eq!(
            daily_instant(t("2026-03-29T12:00:00"), paris, 8),
            Some(t("2026-03-29T06:00:00"))
        );
    }
}
