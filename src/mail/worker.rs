//! The worker that empties the outbox: poll, claim, send, record.
//!
//! Database work runs in `spawn_blocking` with a connection taken and given
//! back inside it: no pooled connection is ever held across an `.await`
//! (an SMTP exchange can take seconds; the pool is shared with the web
//! server).

use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;
use diesel::{Connection, OptionalExtension, QueryResult};
use lettre::message::Mailbox;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::outbox::{self, OutboxRow};
use super::transport::{FailureClass, Transport, TransportConfigError};
use crate::audit::{self, Actor, NewEvent};
use crate::clock::SharedClock;
use crate::db::{DbConn, Pool};
use crate::store::controllers;

/// How the worker paces itself. The defaults suit production; tests shorten
/// the poll interval.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// Time between two looks at the outbox when nothing wakes the worker.
    pub poll_interval: Duration,
    /// Rows read per query.
    pub batch_size: i64,
    /// How long a claimed row is reserved for this worker. It only needs to
    /// outlast one SMTP exchange (bounded by the transport's timeout); a
    /// worker that dies mid-send leaves the row to be retried after it.
    pub lease: TimeDelta,
    /// How long [`WorkerHandle::stop`] lets a send in progress finish.
    pub stop_timeout: Duration,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            poll_interval: Duration::from_secs(2),
            batch_size: 10,
            lease: TimeDelta::minutes(5),
            stop_timeout: Duration::from_secs(35),
        }
    }
}

/// The wait before the next attempt after `attempts` failed ones: 30 s,
/// doubling, at most an hour (until [`after_failure`] gives up).
pub fn backoff(attempts: i64) -> TimeDelta {
    let exponent = attempts.clamp(1, 20) - 1;
    let seconds = 30_i64.saturating_mul(1_i64 << exponent).min(3600);
    TimeDelta::seconds(seconds)
}

/// A mail still failing transiently after this many attempts is given up:
/// with [`backoff`] (about an hour of growing waits, then one try an hour)
/// that is about three days, long enough for a server's outage or a full
/// mailbox, short enough that the DPO learns it well within the one-month
/// deadline and can answer by post.
pub const GIVE_UP_AFTER_ATTEMPTS: i64 = 80;

/// What the worker does after the `attempts`-th failed attempt (counting
/// this one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Try again after this wait.
    Retry(TimeDelta),
    /// Mark the row failed: it is retried only when a DPO asks for it.
    GiveUp,
}

/// A permanent refusal (SMTP 5xx, or a row that cannot become a message)
/// gives up at once: retrying would be refused the same way while the
/// legal deadline runs. Anything else is retried until
/// [`GIVE_UP_AFTER_ATTEMPTS`].
pub fn after_failure(class: FailureClass, attempts: i64) -> AfterFailure {
    if class.is_permanent() || attempts >= GIVE_UP_AFTER_ATTEMPTS {
        AfterFailure::GiveUp
    } else {
        AfterFailure::Retry(backoff(attempts))
    }
}

/// What one pass over the outbox did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RunReport {
    /// Handed over to the transport.
    pub sent: usize,
    /// Attempted and failed; retried later, or given up (see
    /// [`after_failure`]).
    pub failed: usize,
    /// Due, but claimed by another worker first.
    pub skipped: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("no database connection: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("outbox query failed: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("database task failed")]
    Task,
}

enum Delivery {
    Sent,
    Failed,
    Skipped,
}

/// Sends what the outbox holds. Cheap to clone.
#[derive(Clone)]
pub struct Worker {
    pool: Pool,
    transport: Transport,
    clock: SharedClock,
    from: Arc<Mailbox>,
    settings: WorkerSettings,
}

impl Worker {
    /// `from` is `MAIL_FROM`: an address or `Name <address>`.
    pub fn new(
        pool: Pool,
        transport: Transport,
        clock: SharedClock,
        from: &str,
    ) -> Result<Worker, TransportConfigError> {
        let from: Mailbox = from
            .parse()
            .map_err(|_| TransportConfigError::From(from.to_owned()))?;
        Ok(Worker {
            pool,
            transport,
            clock,
            from: Arc::new(from),
            settings: WorkerSettings::default(),
        })
    }

    pub fn with_settings(mut self, settings: WorkerSettings) -> Worker {
        self.settings = settings;
        self
    }

    /// Sends every message due now, batch after batch, and returns what it
    /// did. The loop of [`run`](Self::run) calls it; tests call it directly
    /// to step through retries with a manual clock.
    pub async fn run_once(&self) -> Result<RunReport, WorkerError> {
        self.drain(None).await
    }

    /// Polls until `shutdown` turns true (or its sender is dropped). A send
    /// in progress is finished, not cut, so it is recorded.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        tracing::debug!("mail worker started");
        let wake = super::wake_signal();
        loop {
            if *shutdown.borrow() {
                break;
            }
            // Registered before the pass, so a wake during it is not lost.
            let notified = wake.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            match self.drain(Some(&shutdown)).await {
                Ok(report) if report != RunReport::default() => tracing::debug!(
                    sent = report.sent,
                    failed = report.failed,
                    skipped = report.skipped,
                    "mail worker pass"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "mail worker: outbox unavailable, will retry"),
            }
            tokio::select! {
                changed = shutdown.changed() => {
                    if changed.is_err() || *shutdown.borrow() {
                        break;
                    }
                }
                _ = &mut notified => {}
                _ = tokio::time::sleep(self.settings.poll_interval) => {}
            }
        }
        tracing::debug!("mail worker stopped");
    }

    /// Runs [`run`](Self::run) on the current runtime.
    pub fn spawn(self) -> WorkerHandle {
        let (tx, rx) = watch::channel(false);
        let stop_timeout = self.settings.stop_timeout;
        WorkerHandle {
            shutdown: tx,
            task: tokio::spawn(self.run(rx)),
            stop_timeout,
        }
    }

    async fn drain(
        &self,
        shutdown: Option<&watch::Receiver<bool>>,
    ) -> Result<RunReport, WorkerError> {
        let stopping = || shutdown.is_some_and(|s| *s.borrow());
        let mut report = RunReport::default();
        // Bounded so one pass ends even if rows kept becoming due.
        for _ in 0..100 {
            let now = self.clock.now();
            let limit = self.settings.batch_size.max(1);
            let due = self.db(move |c| outbox::due(c, now, limit)).await?;
            let full_batch = due.len() as i64 == limit;
            for row in due {
                if stopping() {
                    return Ok(report);
                }
                match self.deliver(row).await? {
                    Delivery::Sent => report.sent += 1,
                    Delivery::Failed => report.failed += 1,
                    Delivery::Skipped => report.skipped += 1,
                }
            }
            if !full_batch {
                break;
            }
        }
        Ok(report)
    }

    async fn deliver(&self, row: OutboxRow) -> Result<Delivery, WorkerError> {
        let now = self.clock.now();
        let lease = self.settings.lease;
        let claimed = self
            .db(move |c| {
                let Some(row) = outbox::claim(c, &row, now, lease)? else {
                    return Ok(None);
                };
                let dpo = match &row.controller_id {
                    Some(id) => controllers::find_by_id(c, id)
                        .optional()?
                        .map(|controller| controller.dpo_email),
                    None => None,
                };
                Ok(Some((row, dpo)))
            })
            .await?;
        let Some((row, dpo)) = claimed else {
            return Ok(Delivery::Skipped);
        };
        let reply_to = dpo.and_then(|address| address.parse::<Mailbox>().ok());
        let attempts = row.attempts + 1;
        let result = self
            .transport
            .send(&row, &self.from, reply_to.as_ref())
            .await;
        let id = row.id.clone();
        let done_at = self.clock.now();
        match result {
            Ok(()) => {
                let fresh = self.db(move |c| outbox::mark_sent(c, &id, done_at)).await?;
                if fresh {
                    tracing::info!(outbox_id = %row.id, attempts, "mail sent");
                } else {
                    tracing::warn!(
                        outbox_id = %row.id,
                        attempts,
                        "mail sent, but another worker had already sent it"
                    );
                }
                Ok(Delivery::Sent)
            }
            Err(error) => {
                let text = error.reason.clone();
                let class = error.class;
                match after_failure(class, attempts) {
                    AfterFailure::Retry(wait) => {
                        let retry_at = done_at + wait;
                        self.db(move |c| outbox::mark_failed(c, &id, &text, retry_at))
                            .await?;
                        tracing::warn!(
                            outbox_id = %row.id,
                            attempts,
                            error = %error,
                            retry_in_s = wait.num_seconds(),
                            "mail not sent, will retry"
                        );
                    }
                    AfterFailure::GiveUp => {
                        let (request_id, controller_id) =
                            (row.request_id.clone(), row.controller_id.clone());
                        self.db(move |c| {
                            c.transaction(|c| {
                                if outbox::mark_given_up(c, &id, &text, done_at)? {
                                    audit::append(
                                        c,
                                        done_at,
                                        NewEvent {
                                            actor: Actor::System,
                                            action: "mail.failed",
                                            controller_id: controller_id.as_ref(),
                                            request_id: request_id.as_ref(),
                                            detail: format!(
                                                "outbox={id} class={} attempts={attempts}",
                                                class.as_str()
                                            ),
                                        },
                                    )?;
                                }
                                Ok(())
                            })
                        })
                        .await?;
                        tracing::warn!(
                            outbox_id = %row.id,
                            attempts,
                            error = %error,
                            "mail not sent, given up: the DPO sees it on the request page"
                        );
                    }
                }
                Ok(Delivery::Failed)
            }
        }
    }

    async fn db<T, F>(&self, f: F) -> Result<T, WorkerError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> QueryResult<T> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            Ok(f(&mut conn)?)
        })
        .await
        .map_err(|_| WorkerError::Task)?
    }
}

/// A running worker, as `serve` holds it.
pub struct WorkerHandle {
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
    stop_timeout: Duration,
}

impl WorkerHandle {
    /// Asks the worker to stop and waits for it (a send in progress is
    /// finished and recorded), at most the settings' `stop_timeout`.
    pub async fn stop(self) {
        let WorkerHandle {
            shutdown,
            mut task,
            stop_timeout,
        } = self;
        let _ = shutdown.send(true);
        if tokio::time::timeout(stop_timeout, &mut task).await.is_err() {
            tracing::warn!("mail worker did not stop in time; unsent mail stays in the outbox");
            task.abort();
        }
    }
}

/// Runs a worker until `shutdown` turns true: the long form of
/// [`Worker::new`] + [`Worker::run`], for callers that own the channel.
pub async fn run_worker(
    pool: Pool,
    transport: Transport,
    clock: SharedClock,
    from: String,
    shutdown: watch::Receiver<bool>,
) -> Result<(), TransportConfigError> {
    Worker::new(pool, transport, clock, &from)?
        .run(shutdown)
        .await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let secs: Vec<i64> = (1..=10).map(|n| backoff(n).num_seconds()).collect();
        assert_eq!(secs, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
        assert_eq!(backoff(0).num_seconds(), 30);
        assert_eq!(backoff(i64::MAX).num_seconds(), 3600);
    }

    #[test]
    fn permanent_failures_give_up_at_once_transient_ones_after_the_limit() {
        for class in [FailureClass::Permanent, FailureClass::Invalid] {
            assert_eq!(after_failure(class, 1), AfterFailure::GiveUp, "{class:?}");
        }
        for class in [FailureClass::Transient, FailureClass::Network] {
            assert_eq!(
                after_failure(class, 1),
                AfterFailure::Retry(TimeDelta::seconds(30))
            );
            assert_eq!(
                after_failure(class, GIVE_UP_AFTER_ATTEMPTS - 1),
                AfterFailure::Retry(TimeDelta::hours(1))
            );
            assert_eq!(
                after_failure(class, GIVE_UP_AFTER_ATTEMPTS),
                AfterFailure::GiveUp
            );
        }
        // The limit is about three days of retries, not hours or weeks.
        let waited: i64 = (1..GIVE_UP_AFTER_ATTEMPTS)
            .map(|n| backoff(n).num_seconds())
            .sum();
        assert!((60 * 60 * 70..=60 * 60 * 80).contains(&waited), "{waited}");
    }

    #[test]
    fn stored_errors_keep_their_class() {
        for (text, class) in [
            ("smtp: permanent error 550", FailureClass::Permanent),
            ("smtp: transient error 451", FailureClass::Transient),
            ("invalid message: recipient address", FailureClass::Invalid),
            (
                "smtp: connection failed (ConnectionRefused)",
                FailureClass::Network,
            ),
            ("smtp: timed out", FailureClass::Network),
        ] {
            assert_eq!(FailureClass::of_stored(text), class, "{text}");
        }
    }
}
