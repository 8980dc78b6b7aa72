//! The nightly purge inside `serve`.
//!
//! A tokio task wakes every minute, asks the injected clock for the time
//! and, for each controller, whether `PURGE_HOUR` has been reached today in
//! that controller's time zone (`controllers.time_zone`, Europe/Paris by
//! default) and no completed run has covered it since ([`due_controllers`],
//! which reads `purge_runs`). Due controllers are purged one after the other
//! in `spawn_blocking`, under [`PurgeLock`], so with several instances on
//! one PostgreSQL database only one does the work and the others find the
//! run recorded. A run that fails is retried after [`RETRY_AFTER`].
//!
//! Time zones: the purge hour is a wall-clock hour; on the night the clocks
//! go forward and that hour does not exist, the run happens at the first
//! hour that does; on the night they go back, at its first occurrence.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::lock::PurgeLock;
use super::{PurgeOptions, Trigger};
use crate::db::DbConn;
use crate::db::schema::purge_runs;
use crate::domain::ids::ControllerId;
use crate::store::controllers::{self, Controller};
use crate::web::AppState;

/// How often the task looks at the clock.
pub const TICK: Duration = Duration::from_secs(60);
/// Wait after a failed run before trying that controller again.
pub const RETRY_AFTER: TimeDelta = TimeDelta::minutes(15);

/// The running task; dropping it stops the task and asks a run in progress
/// to stop after its current transaction (so `serve` shuts down promptly).
pub struct Scheduler {
    cancel: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Scheduler {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
        self.task.abort();
    }
}

/// Starts the nightly purge; call from inside the tokio runtime and keep
/// the handle for as long as the server runs.
pub fn spawn(state: &AppState) -> Scheduler {
    spawn_every(state, TICK)
}

/// [`spawn`] with another tick (tests).
pub fn spawn_every(state: &AppState, tick: Duration) -> Scheduler {
    let cancel = Arc::new(AtomicBool::new(false));
    let state = state.clone();
    let stop = cancel.clone();
    let failures: Arc<Mutex<HashMap<ControllerId, NaiveDateTime>>> = Arc::default();
    let task = crate::web::periodic::spawn_periodic("nightly purge", tick, move || {
        // Stopping: the task is being aborted, start nothing new.
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        tick_once(&state, &stop, &failures)
    });
    Scheduler { cancel, task }
}

/// The purge's threshold of the day: [`crate::clock::daily_instant`].
pub use crate::clock::daily_instant as purge_instant;

/// Controllers whose purge hour has passed today (in their time zone) and
/// that no completed, real run has covered since.
pub fn due_controllers(
    conn: &mut DbConn,
    now: NaiveDateTime,
    purge_hour: u32,
) -> QueryResult<Vec<Controller>> {
    // A local "today" never started more than two days ago in UTC.
    let recent: Vec<(Option<ControllerId>, NaiveDateTime)> = purge_runs::table
        .filter(purge_runs::dry_run.eq(false))
        .filter(purge_runs::outcome.eq("completed"))
        .filter(purge_runs::as_of.ge(now - TimeDelta::days(2)))
        .select((purge_runs::controller_id, purge_runs::as_of))
        .load(conn)?;
    Ok(controllers::list(conn)?
        .into_iter()
        .filter(|c| {
            let Some(threshold) = purge_instant(now, c.time_zone(), purge_hour) else {
                return false;
            };
            now >= threshold
                && !recent.iter().any(|(scope, as_of)| {
                    *as_of >= threshold && scope.as_ref().is_none_or(|id| *id == c.id)
                })
        })
        .collect())
}

fn tick_once(
    state: &AppState,
    stop: &Arc<AtomicBool>,
    failures: &Mutex<HashMap<ControllerId, NaiveDateTime>>,
) -> anyhow::Result<()> {
    let mut conn = state.pool.get()?;
    let now = state.clock.now();
    let retry_ok = |c: &Controller| {
        failures
            .lock()
            .map(|f| f.get(&c.id).is_none_or(|at| now >= *at + RETRY_AFTER))
            .unwrap_or(true)
    };
    if !due_controllers(&mut conn, now, state.config.purge_hour)?
        .iter()
        .any(retry_ok)
    {
        return Ok(());
    }
    let Some(_lock) = PurgeLock::try_acquire(&state.config.database_url)? else {
        tracing::debug!("nightly purge: another purge is running");
        return Ok(());
    };
    // Asked again under the lock: another instance may just have finished.
    for c in due_controllers(&mut conn, now, state.config.purge_hour)? {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        if !retry_ok(&c) {
            continue;
        }
        let options = PurgeOptions {
            controller: Some(c.slug.clone()),
            trigger: Trigger::Schedule,
            // A shutdown stops the run after its current transaction.
            cancel: Some(stop.clone()),
            clock: state.clock.clone(),
            mail_dir: Some(state.config.mail_dir()),
            ..PurgeOptions::default()
        };
        match super::run(&mut conn, now, &options, &mut |_| {}) {
            Ok(report) => {
                if let Ok(mut f) = failures.lock() {
                    f.remove(&c.id);
                }
                tracing::info!(
                    controller = %c.slug,
                    found = report.total_found(),
                    purged = report.total_purged(),
                    skipped_legal_hold = report.total_skipped(),
                    outcome = ?report.outcome,
                    "nightly purge"
                );
            }
            Err(e) => {
                if let Ok(mut f) = failures.lock() {
                    f.insert(c.id.clone(), now);
                }
                tracing::warn!(controller = %c.slug, error = %e, "nightly purge failed");
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap()
    }

    #[test]
    fn purge_hour_is_local() {
        let paris = chrono_tz::Europe::Paris;
        // Winter: UTC+1.
        assert_eq!(
            purge_instant(t("2026-01-15T12:00:00"), paris, 3),
            Some(t("2026-01-15T02:00:00"))
        );
        // Summer: UTC+2.
        assert_eq!(
            purge_instant(t("2026-07-15T12:00:00"), paris, 3),
            Some(t("2026-07-15T01:00:00"))
        );
        // 23:30 UTC on 15 July is already 16 July in Paris.
        assert_eq!(
            purge_instant(t("2026-07-15T23:30:00"), paris, 3),
            Some(t("2026-07-16T01:00:00"))
        );
        let reunion = chrono_tz::Indian::Reunion;
        assert_eq!(
            purge_instant(t("2026-01-15T12:00:00"), reunion, 3),
            Some(t("2026-01-14T23:00:00"))
        );
    }

    #[test]
    fn daylight_saving_nights() {
        let paris = chrono_tz::Europe::Paris;
        // 29 March 2026: 02:00 local does not exist; the run moves to 03:00
        // local (01:00 UTC).
        assert_eq!(
            purge_instant(t("2026-03-29T12:00:00"), paris, 2),
            Some(t("2026-03-29T01:00:00"))
        );
        // 25 October 2026: 02:00 local happens twice; the first one counts.
        assert_eq!(
            purge_instant(t("2026-10-25T12:00:00"), paris, 2),
            Some(t("2026-10-25T00:00:00"))
        );
    }
}
