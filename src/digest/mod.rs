//! The DPO's daily digest: one e-mail a day to each DPO listing the
//! requests of their controllers that are overdue, due within
//! [`DUE_SOON_DAYS`] days, or new since the previous digest, so that a
//! deadline is never missed for want of opening the queue.
//!
//! Who: enabled accounts with the **dpo** role and at least one controller
//! in scope. Administrators are not sent it (they manage the platform and,
//! without scope rows, see every controller: the digest would be everyone's
//! queue); viewers neither (they cannot act on a request).
//!
//! What: references, kinds, days left and a link to the desk page of each
//! request, never a name or an address (the mail leaves the system). The
//! three sections do not repeat a request: overdue first, then due soon,
//! then new. Requests waiting for the citizen (clock suspended) appear
//! where their due date puts them, marked as suspended. The lists use the
//! queue's queries ([`crate::store::queue`]) with the account's scope
//! ([`crate::store::scope`]), one controller at a time so that "today" is
//! each controller's own. Nothing to report: no mail.
//!
//! When and in which language: the account's first controller (by name)
//! gives the time zone of `DIGEST_HOUR` and the language of the mail (staff
//! accounts have no language of their own). "New" means received since the
//! previous digest of the account, or in the last 24 hours for the first.
//!
//! Exactly once a day: a `digest_sends (staff_id, local_date)` row, unique,
//! is inserted in the transaction that queues the mail in the outbox and
//! appends the [`SENT_EVENT`] audit event. A second instance, a restart or
//! `digest send` run twice finds the row (or hits the key) and sends
//! nothing. A day with nothing to report gets its row too, so a request
//! arriving in the afternoon waits for the next morning's digest.

pub mod scheduler;
mod text;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::audit::{self, Actor, NewEvent};
use crate::clock::daily_instant;
use crate::db::DbConn;
use crate::db::schema::digest_sends;
use crate::domain::deadline::DUE_SOON_DAYS;
use crate::domain::ids::{RequestId, StaffId};
use crate::domain::request::{RequestKind, Status};
use crate::domain::values::{Locale, Role};
use crate::mail::{self, OutgoingMail};
use crate::store::controllers::Controller;
use crate::store::queue::{self, QueueFilter, QueueRow};
use crate::store::scope::{self, Scope};
use crate::store::staff::{self, StaffMember};

pub use text::DigestMail;

/// The audit event of each digest queued (actor: the system; detail: the
/// staff id and the three counts).
pub const SENT_EVENT: &str = "digest.sent";

/// Most requests listed per section and controller; the mail links to the
/// queue, which shows them all.
pub const SECTION_LIMIT: i64 = 200;

/// One request as the digest lists it: nothing personal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub request_id: RequestId,
    pub reference: String,
    pub kind: RequestKind,
    pub status: Status,
    pub due_on: Option<NaiveDate>,
    /// Days from the controller's today to the due date (negative when
    /// overdue).
    pub days_left: Option<i64>,
}

impl Line {
    fn new(row: QueueRow, today: NaiveDate) -> Line {
        Line {
            days_left: row.due_on.map(|d| (d - today).num_days()),
            reference: row.reference.clone().unwrap_or_else(|| row.id.to_string()),
            kind: row.kind,
            status: row.status,
            due_on: row.due_on,
            request_id: row.id,
        }
    }

    /// The clock is stopped while the DPO waits for the citizen.
    pub fn suspended(&self) -> bool {
        self.status == Status::AwaitingInformation
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub new: usize,
    pub due_soon: usize,
    pub overdue: usize,
}

/// One account's digest of one day.
#[derive(Debug, Clone)]
pub struct Digest {
    pub staff_id: StaffId,
    pub to: String,
    pub locale: Locale,
    pub local_date: NaiveDate,
    pub overdue: Vec<Line>,
    pub due_soon: Vec<Line>,
    pub new: Vec<Line>,
}

impl Digest {
    pub fn is_empty(&self) -> bool {
        self.overdue.is_empty() && self.due_soon.is_empty() && self.new.is_empty()
    }

    pub fn counts(&self) -> Counts {
        Counts {
            new: self.new.len(),
            due_soon: self.due_soon.len(),
            overdue: self.overdue.len(),
        }
    }
}

/// An account that receives the digest and the controllers in its scope,
/// by name (never empty).
#[derive(Debug, Clone)]
pub struct Recipient {
    pub staff: StaffMember,
    pub controllers: Vec<Controller>,
}

impl Recipient {
    /// The controller whose time zone and language the digest takes.
    pub fn home(&self) -> &Controller {
        &self.controllers[0]
    }

    pub fn local_date(&self, now: NaiveDateTime) -> NaiveDate {
        self.home().local_date(now)
    }

    /// When today's digest becomes due (UTC).
    pub fn due_at(&self, now: NaiveDateTime, hour: u32) -> Option<NaiveDateTime> {
        daily_instant(now, self.home().time_zone(), hour)
    }
}

/// Enabled DPOs with at least one controller in scope.
pub fn recipients(conn: &mut DbConn) -> QueryResult<Vec<Recipient>> {
    let mut out = Vec::new();
    for member in staff::active_with_role(conn, Role::Dpo)? {
        let scope = scope::of(conn, &member.id, member.role())?;
        let controllers = scope::controllers(conn, &scope)?;
        if !controllers.is_empty() {
            out.push(Recipient {
                staff: member,
                controllers,
            });
        }
    }
    Ok(out)
}

/// Start of the "new" window: the previous digest, or 24 hours ago.
fn since(conn: &mut DbConn, staff_id: &StaffId, now: NaiveDateTime) -> QueryResult<NaiveDateTime> {
    let last: Option<NaiveDateTime> = digest_sends::table
        .filter(digest_sends::staff_id.eq(staff_id))
        .select(diesel::dsl::max(digest_sends::sent_at))
        .first(conn)?;
    Ok(last.unwrap_or(now - TimeDelta::hours(24)))
}

/// What today's digest of `recipient` holds at `now`.
pub fn compute(
    conn: &mut DbConn,
    recipient: &Recipient,
    now: NaiveDateTime,
) -> QueryResult<Digest> {
    let since = since(conn, &recipient.staff.id, now)?;
    let (mut overdue, mut due_soon, mut new) = (Vec::new(), Vec::new(), Vec::new());
    for c in &recipient.controllers {
        // `c` comes from the account's scope; one controller at a time so
        // that each is read with its own local date.
        let one = Scope::Only(vec![c.id.clone()]);
        let today = c.local_date(now);
        let late = QueueFilter {
            overdue: true,
            ..QueueFilter::default()
        };
        let soon = QueueFilter {
            due_within_7: true,
            ..QueueFilter::default()
        };
        let late = queue::page(conn, &one, &late, today, None, SECTION_LIMIT)?;
        let soon = queue::page(conn, &one, &soon, today, None, SECTION_LIMIT)?;
        let fresh = queue::received_since(conn, &one, since, SECTION_LIMIT)?;
        let listed = |id: &RequestId| late.iter().chain(&soon).any(|r| r.id == *id);
        let fresh: Vec<QueueRow> = fresh.into_iter().filter(|r| !listed(&r.id)).collect();
        overdue.extend(late.into_iter().map(|r| Line::new(r, today)));
        due_soon.extend(soon.into_iter().map(|r| Line::new(r, today)));
        new.extend(fresh.into_iter().map(|r| Line::new(r, today)));
    }
    for section in [&mut overdue, &mut due_soon, &mut new] {
        section.sort_by(|a, b| {
            (a.days_left.is_none(), a.days_left, &a.reference).cmp(&(
                b.days_left.is_none(),
                b.days_left,
                &b.reference,
            ))
        });
    }
    Ok(Digest {
        staff_id: recipient.staff.id.clone(),
        to: recipient.staff.email.clone(),
        locale: recipient.home().locale(),
        local_date: recipient.local_date(now),
        overdue,
        due_soon,
        new,
    })
}

/// Whether the account's digest of `date` was already dealt with.
pub fn already_done(conn: &mut DbConn, staff_id: &StaffId, date: NaiveDate) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        digest_sends::table
            .filter(digest_sends::staff_id.eq(staff_id))
            .filter(digest_sends::local_date.eq(date)),
    ))
    .get_result(conn)
}

/// How [`run`] is asked to work.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions<'a> {
    /// Base of the links in the mail (`PUBLIC_URL`).
    pub public_url: &'a str,
    /// `Some(DIGEST_HOUR)`: only accounts whose local hour has come (the
    /// scheduler); `None`: every account now (`digest send`).
    pub hour: Option<u32>,
    /// Compute and count, write nothing.
    pub dry_run: bool,
}

/// What a run did (counts only: it is printed and logged).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    /// Mails queued (or that would be, in a dry run).
    pub mailed: usize,
    pub nothing_to_report: usize,
    pub already_done: usize,
    pub not_due_yet: usize,
    pub failed: usize,
    /// Totals over the mails.
    pub lines: Counts,
}

enum Outcome {
    NotDueYet,
    AlreadyDone,
    Nothing,
    Mailed(Counts),
}

/// Sends today's digest to every recipient that has not had it; one
/// transaction per account, so one failure does not hold back the others.
pub fn run(conn: &mut DbConn, now: NaiveDateTime, options: RunOptions<'_>) -> QueryResult<Report> {
    let mut report = Report::default();
    for r in recipients(conn)? {
        match run_one(conn, now, &r, options) {
            Ok(Outcome::NotDueYet) => report.not_due_yet += 1,
            Ok(Outcome::AlreadyDone) => report.already_done += 1,
            Ok(Outcome::Nothing) => report.nothing_to_report += 1,
            Ok(Outcome::Mailed(c)) => {
                report.mailed += 1;
                report.lines.new += c.new;
                report.lines.due_soon += c.due_soon;
                report.lines.overdue += c.overdue;
            }
            Err(e) => {
                report.failed += 1;
                tracing::warn!(staff_id = %r.staff.id, error = %e, "daily digest failed");
            }
        }
    }
    Ok(report)
}

fn run_one(
    conn: &mut DbConn,
    now: NaiveDateTime,
    r: &Recipient,
    options: RunOptions<'_>,
) -> QueryResult<Outcome> {
    let date = r.local_date(now);
    if let Some(hour) = options.hour
        && r.due_at(now, hour).is_none_or(|at| now < at)
    {
        return Ok(Outcome::NotDueYet);
    }
    if already_done(conn, &r.staff.id, date)? {
        return Ok(Outcome::AlreadyDone);
    }
    if options.dry_run {
        let digest = compute(conn, r, now)?;
        return Ok(if digest.is_empty() {
            Outcome::Nothing
        } else {
            Outcome::Mailed(digest.counts())
        });
    }
    let done = conn.transaction(|conn| {
        let digest = compute(conn, r, now)?;
        diesel::insert_into(digest_sends::table)
            .values((
                digest_sends::staff_id.eq(&r.staff.id),
                digest_sends::local_date.eq(date),
                digest_sends::sent_at.eq(now),
                digest_sends::mailed.eq(!digest.is_empty()),
            ))
            .execute(conn)?;
        if digest.is_empty() {
            return Ok(Outcome::Nothing);
        }
        let rendered = DigestMail {
            digest: &digest,
            public_url: options.public_url,
        }
        .render();
        mail::enqueue(
            conn,
            now,
            &mail::message_id_domain(options.public_url),
            &OutgoingMail::new(digest.to.clone(), rendered, None, None),
        )?;
        let c = digest.counts();
        audit::append(
            conn,
            now,
            NewEvent {
                actor: Actor::System,
                action: SENT_EVENT,
                controller_id: None,
                request_id: None,
                detail: format!(
                    "staff={} date={date} new={} due_soon={} overdue={}",
                    r.staff.id, c.new, c.due_soon, c.overdue
                ),
            },
        )?;
        Ok(Outcome::Mailed(c))
    });
    match done {
        // Another instance inserted the day's row between our check and
        // our insert: it sent the digest, we send nothing.
        Err(e) if crate::store::is_unique_violation(&e) => Ok(Outcome::AlreadyDone),
        other => other,
    }
}

/// `dsr-tracker digest send [--dry-run]`: today's digests now, whatever the
/// hour; prints counts only.
pub fn send_command(
    config: &crate::config::Config,
    clock: &crate::clock::SharedClock,
    dry_run: bool,
) -> anyhow::Result<()> {
    let pool = crate::db::open_database(&config.database_url, config.db_pool_size)?;
    let mut conn = pool.get()?;
    let report = run(
        &mut conn,
        clock.now(),
        RunOptions {
            public_url: &config.public_url,
            hour: None,
            dry_run,
        },
    )?;
    let verb = if dry_run { "would queue" } else { "queued" };
    println!(
        "digest: {verb} {} mail(s) (new {}, due within {DUE_SOON_DAYS} days {}, overdue {}); \
         {} with nothing to report, {} already done today, {} failed{}",
        report.mailed,
        report.lines.new,
        report.lines.due_soon,
        report.lines.overdue,
        report.nothing_to_report,
        report.already_done,
        report.failed,
        if dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    );
    if report.failed > 0 {
        anyhow::bail!("{} digest(s) could not be sent", report.failed);
    }
    Ok(())
}
