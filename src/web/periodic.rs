//! The background jobs of `serve` (nightly purge, daily digest) share one
//! shape: look at the clock every tick, do blocking database work off the
//! async threads, log a failure and try again at the next tick.

use std::sync::Arc;
use std::time::Duration;

/// Runs `job` on the blocking pool every `tick` (a late tick is skipped,
/// not caught up) until the returned task is aborted. `name` says which job
/// failed in the log.
pub fn spawn_periodic<F>(name: &'static str, tick: Duration, job: F) -> tokio::task::JoinHandle<()>
where
    F: Fn() -> anyhow::Result<()> + Send + Sync + 'static,
{
    let job = Arc::new(job);
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(tick);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            interval.tick().await;
            let job = job.clone();
            match tokio::task::spawn_blocking(move || job()).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "{name}: cannot run"),
                Err(e) => tracing::error!(error = %e, "{name} task failed"),
            }
        }
    })
}
