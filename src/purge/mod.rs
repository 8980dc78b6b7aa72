//! The retention job: deletes and anonymises what the retention schedule
//! says must go, and nothing else.
//!
//! One run ([`run`]) walks every controller (or the one asked for) with its
//! own [`RetentionSettings`] and applies, in this order:
//!
//! | rule | what goes | reference instant and period |
//! |---|---|---|
//! | [`PurgeRule::UnconfirmedSubmission`] | the whole request row (its proofs and outbox rows with it, and the `.eml` copies of those) | submission + `unconfirmed_days` |
//! | [`PurgeRule::Proof`] and [`PurgeRule::PersonalData`] | identity proofs; names, contact, address, free text, IP, user agent, tokens, messages, recipients, outbox rows and their `.eml` copies — kind, channel, dates, outcome and refusal grounds stay for statistics | closure or withdrawal + `proof_months` (`objection_months` for objections) |
//! | [`PurgeRule::ProofAfterIdentityAccepted`] | identity proofs, when the controller opted in | identity accepted |
//! | [`PurgeRule::ConnectionData`] | a request's IP address and user agent, even while it is open | submission + `connection_data_months` |
//! | [`PurgeRule::SuppressionEntry`] | the suppression-list entry | creation + `suppression_months` (≥ 36) |
//! | [`PurgeRule::ConnectionData`] (staff) | login records and staff sessions | creation + the **smallest** `connection_data_months` of all controllers |
//!
//! Login records and sessions belong to staff accounts, which may work for
//! several controllers, so the strictest controller's period applies to all
//! of them (13 months when there is no controller), and every run, scoped
//! or not, applies it: the nightly schedule only ever runs scoped.
//!
//! A request under legal hold is skipped by every rule, and so is a
//! suppression entry of such a request; both are counted as "skipped
//! (legal hold)".
//!
//! # Safety
//!
//! - **Cut-offs** are computed once in Rust ([`Cutoffs`]) and bound; each
//!   query is shaped for a partial index ([`queries`]), so a run with nothing
//!   due reads index pages, not tables.
//! - **Batches**: candidates are read by keyset, `batch_size` at a time, so
//!   memory is bounded whatever the backlog.
//! - **Transactions**: a request is always purged entirely inside one
//!   transaction: a guarded `UPDATE … WHERE id = ? AND anonymised_at IS NULL
//!   AND legal_hold = false …` re-checks the rule under the row lock, then
//!   the dependent rows go and the audit event is appended, so a kill leaves
//!   each request untouched or fully purged, and two concurrent runs purge
//!   each item once (the second one's guarded statement matches nothing).
//!   Up to `per_transaction` requests share one transaction so that a
//!   backlog of 100,000 does not pay 100,000 disk flushes; row locks are
//!   taken in keyset order and the audit chain head last, and a deadlock or
//!   serialisation failure retries the transaction.
//! - **Idempotent**: every rule's query excludes what was already done, so a
//!   second run with the same `now` finds nothing.
//! - **Dry run** reads the same candidates, counts, and writes nothing but
//!   its `purge_runs` row (marked `dry_run`), so the operator can see past
//!   dry runs; it appends no audit event.
//! - **One run at a time**: [`lock::PurgeLock`] (advisory lock on PostgreSQL,
//!   lock file beside the SQLite database); [`run`] itself stays correct
//!   without it, the lock only avoids two runs doing the same work.

pub mod cli;
pub mod lock;
pub mod queries;
mod rules;
pub mod scheduler;
#[doc(hidden)]
pub mod seed;
pub mod settings;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::audit::{self, Actor, NewEvent};
use crate::clock::{self, SharedClock};
use crate::db::DbConn;
use crate::db::schema::purge_runs;
use crate::domain::ids::{ControllerId, RequestId};
use crate::domain::retention::{
    Cutoffs, MAX_CONNECTION_DATA_MONTHS, PurgeRule, RetentionSettings, cutoff,
};
use crate::store::controllers::{self, Controller};

/// Label of the report lines about staff connection data, which belong to
/// no controller.
pub const STAFF: &str = "(staff)";

/// What started a run; recorded in `purge_runs.trigger_source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// `dsr-tracker purge`.
    Cli,
    /// The nightly run inside `serve`.
    Schedule,
    /// A library call (tests, benchmark).
    Manual,
}

impl Trigger {
    pub const fn as_str(self) -> &'static str {
        match self {
            Trigger::Cli => "cli",
            Trigger::Schedule => "schedule",
            Trigger::Manual => "manual",
        }
    }
}

/// How to run.
#[derive(Debug, Clone)]
pub struct PurgeOptions {
    /// Count what would go, change nothing (but the `purge_runs` row).
    pub dry_run: bool,
    /// Only this controller (slug); staff connection data is purged by every
    /// run (see the module doc).
    pub controller: Option<String>,
    pub trigger: Trigger,
    /// Candidates read per query.
    pub batch_size: i64,
    /// Requests purged per transaction (at least 1).
    pub per_transaction: usize,
    /// Set to stop the run between two transactions (`serve` shutting
    /// down); the report then says `cancelled`.
    pub cancel: Option<Arc<AtomicBool>>,
    /// Wall clock for `purge_runs.started_at`/`finished_at` and the audit
    /// events' instants; `now` (the retention reference) may differ, e.g.
    /// with `purge --now`.
    pub clock: SharedClock,
    /// The folder of the `.eml` copies (`DATA_DIR/mail`): after a run, the
    /// copies of the outbox rows it deleted go too
    /// ([`crate::mail::transport::remove_orphan_copies`]).
    pub mail_dir: Option<std::path::PathBuf>,
}

impl Default for PurgeOptions {
    fn default() -> Self {
        PurgeOptions {
            dry_run: false,
            controller: None,
            trigger: Trigger::Manual,
            batch_size: 500,
            per_transaction: 100,
            cancel: None,
            clock: clock::system(),
            mail_dir: None,
        }
    }
}

/// Counts of one rule for one controller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportLine {
    /// Controller slug, or [`STAFF`].
    pub controller: String,
    pub rule: PurgeRule,
    /// Items due: proof files for the proof rules, requests for personal
    /// data, unconfirmed submissions and connection data, entries,
    /// login records and sessions.
    pub found: u64,
    /// Items purged by this run (would be purged, in a dry run).
    pub purged: u64,
    /// Items kept because their request is under legal hold.
    pub skipped_legal_hold: u64,
}

/// The cut-offs a controller was purged with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControllerCutoffs {
    pub controller: String,
    pub request: NaiveDateTime,
    pub objection: NaiveDateTime,
    pub suppression_entry: NaiveDateTime,
    pub connection_data: NaiveDateTime,
    pub unconfirmed_submission: NaiveDateTime,
    pub proof_after_identity_accepted: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunOutcome {
    Completed,
    Cancelled,
}

/// What a run did, per rule and controller; stored as JSON in
/// `purge_runs.report` and printed by `dsr-tracker purge`. No personal
/// data: counts and instants only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeReport {
    /// The `purge_runs` row.
    pub run_id: String,
    /// The instant the schedule was applied as of.
    pub as_of: NaiveDateTime,
    pub dry_run: bool,
    pub outcome: RunOutcome,
    pub lines: Vec<ReportLine>,
    pub cutoffs: Vec<ControllerCutoffs>,
    /// Cut-off applied to login records and staff sessions.
    pub staff_connection_cutoff: NaiveDateTime,
}

impl PurgeReport {
    /// The line of `controller` (slug or [`STAFF`]) and `rule`.
    pub fn line(&self, controller: &str, rule: PurgeRule) -> Option<&ReportLine> {
        self.lines
            .iter()
            .find(|l| l.controller == controller && l.rule == rule)
    }

    /// Purged items of `rule` over every controller.
    pub fn purged(&self, rule: PurgeRule) -> u64 {
        self.lines
            .iter()
            .filter(|l| l.rule == rule)
            .map(|l| l.purged)
            .sum()
    }

    pub fn total_found(&self) -> u64 {
        self.lines.iter().map(|l| l.found).sum()
    }

    pub fn total_purged(&self) -> u64 {
        self.lines.iter().map(|l| l.purged).sum()
    }

    pub fn total_skipped(&self) -> u64 {
        self.lines.iter().map(|l| l.skipped_legal_hold).sum()
    }

    /// The table `dsr-tracker purge` prints.
    pub fn render_table(&self) -> String {
        use std::fmt::Write;
        let purged_header = if self.dry_run {
            "would purge"
        } else {
            "purged"
        };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "purge as of {}Z{}",
            self.as_of.format("%Y-%m-%dT%H:%M:%S"),
            match (self.dry_run, self.outcome) {
                (true, _) => " (dry run: nothing was changed)",
                (false, RunOutcome::Cancelled) => " (cancelled before the end)",
                (false, RunOutcome::Completed) => "",
            }
        );
        let width = self
            .lines
            .iter()
            .map(|l| l.controller.len())
            .chain([10])
            .max()
            .unwrap_or(10);
        let _ = writeln!(
            out,
            "{:<width$}  {:<29}  {:>9}  {:>11}  {:>20}",
            "controller", "rule", "found", purged_header, "skipped (legal hold)"
        );
        for l in &self.lines {
            let _ = writeln!(
                out,
                "{:<width$}  {:<29}  {:>9}  {:>11}  {:>20}",
                l.controller,
                l.rule.as_str(),
                l.found,
                l.purged,
                l.skipped_legal_hold
            );
        }
        let _ = writeln!(
            out,
            "{:<width$}  {:<29}  {:>9}  {:>11}  {:>20}",
            "total",
            "",
            self.total_found(),
            self.total_purged(),
            self.total_skipped()
        );
        out
    }
}

/// What [`run`] tells its caller while it works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress<'a> {
    /// The number of candidate items (requests, entries, rows) the run
    /// will look at: first before any change, then again, larger, when a
    /// rule counted only once the rules before it ran (connection data,
    /// which the anonymisation mostly clears first) adds its own.
    Planned { total: u64 },
    /// `items` more candidates were dealt with.
    Advanced {
        controller: &'a str,
        rule: PurgeRule,
        items: u64,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum PurgeError {
    #[error("unknown controller `{0}` (see `dsr-tracker controller list`)")]
    UnknownController(String),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// Shared state of one run.
pub(crate) struct Run<'p> {
    pub now: NaiveDateTime,
    pub options: PurgeOptions,
    pub run_id: String,
    pub lines: Vec<ReportLine>,
    /// Candidates announced so far through [`Progress::Planned`].
    pub planned: u64,
    pub progress: &'p mut dyn FnMut(Progress<'_>),
}

impl Run<'_> {
    pub fn line(&mut self, controller: &str, rule: PurgeRule) -> &mut ReportLine {
        if let Some(i) = self
            .lines
            .iter()
            .position(|l| l.controller == controller && l.rule == rule)
        {
            return &mut self.lines[i];
        }
        self.lines.push(ReportLine {
            controller: controller.to_owned(),
            rule,
            found: 0,
            purged: 0,
            skipped_legal_hold: 0,
        });
        self.lines.last_mut().expect("just pushed")
    }

    /// Adds `items` to the planned total and says so.
    pub fn plan_more(&mut self, items: u64) {
        if items > 0 {
            self.planned += items;
            (self.progress)(Progress::Planned {
                total: self.planned,
            });
        }
    }

    pub fn advance(&mut self, controller: &str, rule: PurgeRule, items: u64) {
        (self.progress)(Progress::Advanced {
            controller,
            rule,
            items,
        });
    }

    pub fn cancelled(&self) -> bool {
        self.options
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
    }

    /// The wall-clock instant for audit events.
    pub fn wall(&self) -> NaiveDateTime {
        self.options.clock.now()
    }

    /// Appends the events of one transaction, after its row changes (the
    /// audit chain head is locked last in every purge transaction).
    pub fn audit_all(&self, conn: &mut DbConn, events: Vec<PurgeEvent<'_>>) -> QueryResult<()> {
        let batch = events
            .into_iter()
            .map(|e| NewEvent {
                actor: Actor::System,
                action: e.action,
                controller_id: e.controller_id,
                request_id: e.request_id,
                detail: format!("{} run={}", e.detail, self.run_id),
            })
            .collect();
        audit::append_batch(conn, self.wall(), batch).map(|_| ())
    }
}

/// One audit event of a purge transaction: ids and counts only.
pub(crate) struct PurgeEvent<'a> {
    pub action: &'static str,
    pub controller_id: Option<&'a ControllerId>,
    pub request_id: Option<&'a RequestId>,
    pub detail: String,
}

/// The cut-off of staff connection data: the smallest connection-data
/// period among `all` controllers, 13 months when there is none.
pub fn staff_connection_cutoff(now: NaiveDateTime, all: &[Controller]) -> NaiveDateTime {
    let months = all
        .iter()
        .map(|c| c.retention().connection_data_months)
        .filter(|m| *m > 0)
        .min()
        .unwrap_or(MAX_CONNECTION_DATA_MONTHS)
        .min(MAX_CONNECTION_DATA_MONTHS);
    cutoff(now, months)
}

/// Applies the retention schedule once, as of `now`; see the module doc.
/// Does not take [`lock::PurgeLock`]: callers that may run beside another
/// instance take it first (the CLI and the scheduler do).
pub fn run(
    conn: &mut DbConn,
    now: NaiveDateTime,
    options: &PurgeOptions,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<PurgeReport, PurgeError> {
    let all = controllers::list(conn)?;
    let selected: Vec<Controller> = match &options.controller {
        None => all.clone(),
        Some(slug) => vec![
            all.iter()
                .find(|c| &c.slug == slug || c.id == slug.as_str())
                .cloned()
                .ok_or_else(|| PurgeError::UnknownController(slug.clone()))?,
        ],
    };
    let staff_cutoff = staff_connection_cutoff(now, &all);
    let mut options = options.clone();
    options.per_transaction = options.per_transaction.max(1);
    options.batch_size = options.batch_size.max(1);

    let run_id = Uuid::now_v7().to_string();
    let started_at = options.clock.now();
    let scope = match &options.controller {
        Some(_) => selected.first().map(|c| c.id.clone()),
        None => None,
    };
    diesel::insert_into(purge_runs::table)
        .values((
            purge_runs::id.eq(&run_id),
            purge_runs::started_at.eq(started_at),
            purge_runs::finished_at.eq(None::<NaiveDateTime>),
            purge_runs::as_of.eq(now),
            purge_runs::dry_run.eq(options.dry_run),
            purge_runs::controller_id.eq(&scope),
            purge_runs::trigger_source.eq(options.trigger.as_str()),
            purge_runs::outcome.eq("running"),
            purge_runs::report.eq("{}"),
        ))
        .execute(conn)?;

    let mut run = Run {
        now,
        options,
        run_id: run_id.clone(),
        lines: Vec::new(),
        planned: 0,
        progress,
    };
    let mut cutoffs = Vec::new();
    let result = (|| -> QueryResult<RunOutcome> {
        let plans: Vec<(Controller, RetentionSettings, Cutoffs)> = selected
            .iter()
            .map(|c| {
                let settings = c.retention();
                let cut = Cutoffs::new(now, &settings);
                (c.clone(), settings, cut)
            })
            .collect();
        let mut total = rules::count_staff(conn, staff_cutoff)?;
        for (c, _, cut) in &plans {
            total += rules::count_controller(conn, c, cut)?;
        }
        run.planned = total;
        (run.progress)(Progress::Planned { total });

        for (c, _, cut) in &plans {
            cutoffs.push(ControllerCutoffs {
                controller: c.slug.clone(),
                request: cut.request,
                objection: cut.objection,
                suppression_entry: cut.suppression_entry,
                connection_data: cut.connection_data,
                unconfirmed_submission: cut.unconfirmed_submission,
                proof_after_identity_accepted: cut.proof_after_identity_accepted,
            });
            if !rules::purge_controller(conn, &mut run, c, cut)? {
                return Ok(RunOutcome::Cancelled);
            }
        }
        if !rules::purge_staff(conn, &mut run, staff_cutoff)? {
            return Ok(RunOutcome::Cancelled);
        }
        Ok(RunOutcome::Completed)
    })();

    let outcome = match result {
        Ok(outcome) => outcome,
        Err(e) => {
            // Best effort: the error itself is what the caller must see.
            let _ = diesel::update(purge_runs::table.find(&run_id))
                .set((
                    purge_runs::finished_at.eq(Some(run.wall())),
                    purge_runs::outcome.eq("failed"),
                    purge_runs::report.eq(serde_json::json!({
                        "error": e.to_string(),
                        "lines": &run.lines,
                    })
                    .to_string()),
                ))
                .execute(conn);
            return Err(e.into());
        }
    };
    let report = PurgeReport {
        run_id: run_id.clone(),
        as_of: now,
        dry_run: run.options.dry_run,
        outcome,
        lines: run.lines.clone(),
        cutoffs,
        staff_connection_cutoff: staff_cutoff,
    };
    let finished_at = run.wall();
    let json = serde_json::to_string(&report).expect("a report serialises");
    let outcome_text = match outcome {
        RunOutcome::Completed => "completed",
        RunOutcome::Cancelled => "cancelled",
    };
    conn.transaction(|conn| {
        diesel::update(purge_runs::table.find(&run_id))
            .set((
                purge_runs::finished_at.eq(Some(finished_at)),
                purge_runs::outcome.eq(outcome_text),
                purge_runs::report.eq(&json),
            ))
            .execute(conn)?;
        if !report.dry_run {
            audit::append(
                conn,
                finished_at,
                NewEvent {
                    actor: Actor::System,
                    action: "purge.run",
                    controller_id: scope.as_ref(),
                    request_id: None,
                    detail: format!(
                        "run={} outcome={outcome_text} as_of={} found={} purged={} skipped_legal_hold={}",
                        run_id,
                        now.format("%Y-%m-%dT%H:%M:%S"),
                        report.total_found(),
                        report.total_purged(),
                        report.total_skipped()
                    ),
                },
            )?;
        }
        QueryResult::Ok(())
    })?;
    if !report.dry_run
        && let Some(dir) = &run.options.mail_dir
    {
        // The rows are gone for good: a copy that cannot be deleted now
        // is deleted by the next run.
        match crate::mail::transport::remove_orphan_copies(conn, dir) {
            Ok(0) => {}
            Ok(n) => tracing::info!(copies = n, "purge: deleted .eml copies of purged mail"),
            Err(e) => tracing::warn!(error = %e, "purge: .eml copies not deleted"),
        }
    }
    Ok(report)
}

/// A recorded run, for the scheduler and the operator.
#[derive(Debug, Clone, Queryable, Selectable, PartialEq, Eq)]
#[diesel(table_name = purge_runs)]
pub struct PurgeRunRow {
    pub id: String,
    pub started_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    pub as_of: NaiveDateTime,
    pub dry_run: bool,
    pub controller_id: Option<ControllerId>,
    pub trigger_source: String,
    pub outcome: String,
    pub report: String,
}

/// Every recorded run, oldest first.
pub fn runs(conn: &mut DbConn) -> QueryResult<Vec<PurgeRunRow>> {
    purge_runs::table
        .order((purge_runs::started_at.asc(), purge_runs::id.asc()))
        .select(PurgeRunRow::as_select())
        .load(conn)
}
