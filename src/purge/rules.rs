//! One function per rule: read candidates by keyset, purge them in short
//! transactions that re-check the rule under the row lock, count.

use std::collections::HashMap;
use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::dsl::{count_star, exists, not, sql};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::{Nullable, Text, Timestamp};

use super::queries::{
    Candidate, ClosedCandidate, Cursor, EntryCandidate, TERMINAL, closed_candidates, closed_due,
    connection_candidates, connection_due, identity_accepted_candidates, identity_accepted_due,
    login_records_candidates, staff_sessions_candidates, suppression_candidates, suppression_due,
    unconfirmed_candidates, unconfirmed_due,
};
use super::{PurgeEvent, Run, STAFF};
use crate::db::DbConn;
use crate::db::schema::{identity_proofs, login_records, requests, staff_sessions};
use crate::domain::ids::RequestId;
use crate::domain::request::{Action, RequestKind, RequestState, Status, apply};
use crate::domain::retention::{Cutoffs, PurgeRule};
use crate::store::controllers::Controller;

/// Kinds whose proofs follow `proof_months` (`objection = false`) or
/// `objection_months` (`objection = true`).
fn kinds(objection: bool) -> Vec<&'static str> {
    RequestKind::ALL
        .into_iter()
        .filter(|k| k.is_objection() == objection)
        .map(RequestKind::as_str)
        .collect()
}

fn count(query_result: QueryResult<i64>) -> QueryResult<u64> {
    query_result.map(|n| u64::try_from(n).unwrap_or(0))
}

/// Candidates of the rules of one controller but connection data, for the
/// progress total.
pub(super) fn count_controller(
    conn: &mut DbConn,
    c: &Controller,
    cut: &Cutoffs,
) -> QueryResult<u64> {
    let id = c.id.as_str();
    let mut total = count(
        unconfirmed_due!(id, cut.unconfirmed_submission)
            .count()
            .get_result(conn),
    )?;
    total += count(
        closed_due!(id, kinds(false), cut.request)
            .count()
            .get_result(conn),
    )?;
    total += count(
        closed_due!(id, kinds(true), cut.objection)
            .count()
            .get_result(conn),
    )?;
    if let Some(at) = cut.proof_after_identity_accepted {
        total += count(identity_accepted_due!(id, at).count().get_result(conn))?;
    }
    // Connection data is counted just before its pass (see
    // `purge_controller`): the anonymisation clears most of it first.
    total += count(
        suppression_due!(id, cut.suppression_entry)
            .count()
            .get_result(conn),
    )?;
    Ok(total)
}

/// Login records and sessions due, for the progress total.
pub(super) fn count_staff(conn: &mut DbConn, cutoff: NaiveDateTime) -> QueryResult<u64> {
    let logins = count(
        login_records::table
            .filter(login_records::occurred_at.le(cutoff))
            .count()
            .get_result(conn),
    )?;
    let sessions = count(
        staff_sessions::table
            .filter(staff_sessions::created_at.le(cutoff))
            .count()
            .get_result(conn),
    )?;
    Ok(logins + sessions)
}

/// Every rule of one controller; `false` when the run was cancelled.
pub(super) fn purge_controller(
    conn: &mut DbConn,
    run: &mut Run<'_>,
    c: &Controller,
    cut: &Cutoffs,
) -> QueryResult<bool> {
    Ok(unconfirmed_pass(conn, run, c, cut.unconfirmed_submission)?
        && closed_pass(conn, run, c, &kinds(false), cut.request)?
        && closed_pass(conn, run, c, &kinds(true), cut.objection)?
        && match cut.proof_after_identity_accepted {
            Some(at) => identity_accepted_pass(conn, run, c, at)?,
            None => true,
        }
        && {
            let remaining = count(
                connection_due!(c.id.as_str(), cut.connection_data)
                    .count()
                    .get_result(conn),
            )?;
            run.plan_more(remaining);
            connection_pass(conn, run, c, cut.connection_data)?
        }
        && suppression_pass(conn, run, c, cut.suppression_entry)?)
}

/// What happened to one candidate inside its transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    /// Purged; `files` identity proofs deleted with it.
    Purged { files: u64 },
    /// A legal hold was placed between the read and the transaction.
    Held,
    /// Already dealt with (by a concurrent run) or no longer due.
    Gone,
}

/// Why a candidate is left alone before any transaction: the transition
/// table says no (legal hold, or a state the rule does not apply to).
fn refused(status: Status, legal_hold: bool, action: Action) -> Option<Refusal> {
    let state = RequestState {
        status,
        anonymised: false,
        legal_hold,
    };
    match apply(state, action) {
        Ok(_) => None,
        Err(crate::domain::request::TransitionError::UnderLegalHold { .. }) => {
            Some(Refusal::LegalHold)
        }
        Err(_) => Some(Refusal::Other),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    LegalHold,
    Other,
}

/// After a guarded statement matched nothing: was it a new legal hold?
fn held_or_gone(conn: &mut DbConn, request_id: &RequestId) -> QueryResult<Item> {
    let hold: Option<bool> = requests::table
        .find(request_id)
        .select(requests::legal_hold)
        .first(conn)
        .optional()?;
    Ok(if hold == Some(true) {
        Item::Held
    } else {
        Item::Gone
    })
}

fn proof_counts(conn: &mut DbConn, ids: &[&RequestId]) -> QueryResult<HashMap<RequestId, u64>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(RequestId, i64)> = identity_proofs::table
        .filter(identity_proofs::request_id.eq_any(ids))
        .group_by(identity_proofs::request_id)
        .select((identity_proofs::request_id, count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, n)| (id, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// Counts, then deletes, the rows of `$table` whose `request_id` is one of
/// `$ids`; the counts by request are the audit events' figures.
macro_rules! delete_dependents {
    ($conn:expr, $table:ident, $ids:expr) => {{
        use crate::db::schema::$table as t;
        let ids: &[&RequestId] = $ids;
        let rows: Vec<(Option<RequestId>, i64)> = t::table
            .filter(t::request_id.nullable().eq_any(ids))
            .group_by(t::request_id)
            .select((t::request_id.nullable(), count_star()))
            .load($conn)?;
        diesel::delete(t::table.filter(t::request_id.nullable().eq_any(ids))).execute($conn)?;
        rows.into_iter()
            .filter_map(|(id, n)| Some((id?, u64::try_from(n).unwrap_or(0))))
            .collect::<HashMap<RequestId, u64>>()
    }};
}

fn delete_proofs(conn: &mut DbConn, request_id: &RequestId) -> QueryResult<u64> {
    diesel::delete(identity_proofs::table.filter(identity_proofs::request_id.eq(request_id)))
        .execute(conn)
        .map(|n| n as u64)
}

/// Runs `f` in a transaction that takes the write lock first on SQLite
/// (`BEGIN IMMEDIATE`: no read-then-upgrade failure when the web server
/// writes at the same time), retrying a few times on a deadlock, a
/// serialisation failure or a busy database.
fn write_transaction<T>(
    conn: &mut DbConn,
    mut f: impl FnMut(&mut DbConn) -> QueryResult<T>,
) -> QueryResult<T> {
    let mut attempt = 0;
    loop {
        let result = match conn {
            DbConn::Sqlite(inner) => AnsiTransactionManager::begin_transaction_sql(
                inner,
                "BEGIN IMMEDIATE",
            )
            .and_then(|()| match f(conn) {
                Ok(value) => <DbConn as Connection>::TransactionManager::commit_transaction(conn)
                    .map(|()| value),
                Err(e) => {
                    match <DbConn as Connection>::TransactionManager::rollback_transaction(conn) {
                        Ok(()) | Err(DieselError::BrokenTransactionManager) => Err(e),
                        Err(rollback) => Err(rollback),
                    }
                }
            }),
            DbConn::Postgres(_) => conn.transaction(&mut f),
        };
        match result {
            Err(e) if attempt < 5 && retryable(&e) => {
                attempt += 1;
                tracing::debug!(attempt, error = %e, "purge transaction retried");
                std::thread::sleep(Duration::from_millis(20 * attempt));
            }
            other => return other,
        }
    }
}

fn retryable(e: &DieselError) -> bool {
    match e {
        DieselError::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => true,
        DieselError::DatabaseError(_, info) => {
            let m = info.message();
            m.contains("deadlock detected")
                || m.contains("database is locked")
                || m.contains("database is busy")
        }
        _ => false,
    }
}

/// Tallies the items of one transaction into the report.
fn tally<Id: Eq + std::hash::Hash>(
    run: &mut Run<'_>,
    slug: &str,
    rule: PurgeRule,
    proof_rule: Option<PurgeRule>,
    files_before: &HashMap<Id, u64>,
    outcomes: &[(Id, Item)],
) {
    for (id, item) in outcomes {
        let before = files_before.get(id).copied().unwrap_or(0);
        match *item {
            Item::Purged { files } => {
                run.line(slug, rule).purged += 1;
                if let Some(p) = proof_rule {
                    run.line(slug, p).purged += files;
                }
            }
            Item::Held => {
                run.line(slug, rule).skipped_legal_hold += 1;
                if let Some(p) = proof_rule {
                    run.line(slug, p).skipped_legal_hold += before;
                }
            }
            Item::Gone => {}
        }
    }
}

/// Proofs and personal data of terminal requests of `kinds` closed at or
/// before `cutoff`.
fn closed_pass(
    conn: &mut DbConn,
    run: &mut Run<'_>,
    c: &Controller,
    kinds: &[&'static str],
    cutoff: NaiveDateTime,
) -> QueryResult<bool> {
    let slug = c.slug.as_str();
    run.line(slug, PurgeRule::Proof);
    run.line(slug, PurgeRule::PersonalData);
    let mut cursor = Cursor::start();
    loop {
        if run.cancelled() {
            return Ok(false);
        }
        let batch: Vec<ClosedCandidate> = closed_candidates!(
            c.id.as_str(),
            kinds.iter().copied(),
            cutoff,
            &cursor,
            run.options.batch_size
        )
        .load(conn)?;
        let Some(last) = batch.last() else { break };
        cursor = Cursor {
            at: last.closed_at.unwrap_or(cutoff),
            id: last.id.to_string(),
        };
        let ids: Vec<&RequestId> = batch.iter().map(|r| &r.id).collect();
        let files = proof_counts(conn, &ids)?;
        let mut eligible = Vec::new();
        for cand in &batch {
            let f = files.get(&cand.id).copied().unwrap_or(0);
            run.line(slug, PurgeRule::PersonalData).found += 1;
            run.line(slug, PurgeRule::Proof).found += f;
            match refused(cand.status, cand.legal_hold, Action::Purge) {
                Some(Refusal::LegalHold) => {
                    run.line(slug, PurgeRule::PersonalData).skipped_legal_hold += 1;
                    run.line(slug, PurgeRule::Proof).skipped_legal_hold += f;
                }
                Some(Refusal::Other) => {}
                None => eligible.push(cand),
            }
        }
        for chunk in eligible.chunks(run.options.per_transaction) {
            if run.cancelled() {
                return Ok(false);
            }
            let outcomes: Vec<(RequestId, Item)> = if run.options.dry_run {
                chunk
                    .iter()
                    .map(|r| {
                        let f = files.get(&r.id).copied().unwrap_or(0);
                        (r.id.clone(), Item::Purged { files: f })
                    })
                    .collect()
            } else {
                let run_ref: &Run<'_> = run;
                write_transaction(conn, |conn| {
                    anonymise_chunk(conn, run_ref, c, kinds, cutoff, chunk)
                })?
            };
            tally(
                run,
                slug,
                PurgeRule::PersonalData,
                Some(PurgeRule::Proof),
                &files,
                &outcomes,
            );
        }
        run.advance(slug, PurgeRule::PersonalData, batch.len() as u64);
        if (batch.len() as i64) < run.options.batch_size {
            break;
        }
    }
    Ok(true)
}

fn anonymise_chunk(
    conn: &mut DbConn,
    run: &Run<'_>,
    c: &Controller,
    kinds: &[&'static str],
    cutoff: NaiveDateTime,
    chunk: &[&ClosedCandidate],
) -> QueryResult<Vec<(RequestId, Item)>> {
    use crate::db::schema::requests as r;
    let now = run.now;
    let mut outcomes = Vec::with_capacity(chunk.len());
    let mut purged: Vec<&ClosedCandidate> = Vec::with_capacity(chunk.len());
    for cand in chunk {
        // The rule, re-checked under the row lock. Free text goes; the
        // letter of an art. 17(3) refusal is a code and stays.
        let updated = diesel::update(
            r::table
                .filter(r::id.eq(&cand.id))
                .filter(r::anonymised_at.is_null())
                .filter(r::legal_hold.eq(false))
                .filter(r::status.eq_any(TERMINAL))
                .filter(r::closed_at.le(cutoff))
                .filter(r::kind.eq_any(kinds.iter().copied())),
        )
        .set((
            r::first_name.eq(None::<String>),
            r::last_name.eq(None::<String>),
            r::email.eq(None::<String>),
            r::postal_address.eq(None::<String>),
            r::details.eq(None::<String>),
            r::objection_grounds.eq(None::<String>),
            r::extension_reason.eq(None::<String>),
            r::legal_hold_reason.eq(None::<String>),
            r::refusal_detail.eq(sql::<Nullable<Text>>(
                "CASE WHEN refusal_ground = 'art17_3' THEN refusal_detail ELSE NULL END",
            )),
            r::confirm_token_hash.eq(None::<String>),
            r::confirm_token_expires_at.eq(None::<NaiveDateTime>),
            r::status_token_hash.eq(None::<String>),
            r::submitter_ip.eq(None::<String>),
            r::submitter_user_agent.eq(None::<String>),
            r::anonymised_at.eq(Some(now)),
            r::proofs_purged_at.eq(sql::<Nullable<Timestamp>>("COALESCE(proofs_purged_at, ")
                .bind::<Timestamp, _>(now)
                .sql(")")),
            r::version.eq(r::version + 1),
            r::updated_at.eq(now),
        ))
        .execute(conn)?;
        if updated == 0 {
            outcomes.push((cand.id.clone(), held_or_gone(conn, &cand.id)?));
        } else {
            purged.push(cand);
        }
    }
    if purged.is_empty() {
        return Ok(outcomes);
    }
    // The dependent rows of every request purged above, a statement per
    // table for the whole transaction.
    let ids: Vec<&RequestId> = purged.iter().map(|r| &r.id).collect();
    let files = delete_dependents!(conn, identity_proofs, &ids);
    let messages = delete_dependents!(conn, request_messages, &ids);
    let recipients = delete_dependents!(conn, request_recipients, &ids);
    let mails = delete_dependents!(conn, outbox, &ids);
    let n = |m: &HashMap<RequestId, u64>, id: &RequestId| m.get(id).copied().unwrap_or(0);
    let mut events = Vec::with_capacity(purged.len());
    for cand in purged {
        let id = &cand.id;
        events.push(PurgeEvent {
            action: "purge.anonymised",
            controller_id: Some(&c.id),
            request_id: Some(id),
            detail: format!(
                "rule=personal_data kind={} status={} proofs={} messages={} recipients={} \
                 outbox={}",
                cand.kind,
                cand.status,
                n(&files, id),
                n(&messages, id),
                n(&recipients, id),
                n(&mails, id)
            ),
        });
        outcomes.push((
            cand.id.clone(),
            Item::Purged {
                files: n(&files, id),
            },
        ));
    }
    run.audit_all(conn, events)?;
    Ok(outcomes)
}

/// Web submissions never confirmed within the grace period: the row goes.
fn unconfirmed_pass(
    conn: &mut DbConn,
    run: &mut Run<'_>,
    c: &Controller,
    cutoff: NaiveDateTime,
) -> QueryResult<bool> {
    let slug = c.slug.as_str();
    run.line(slug, PurgeRule::UnconfirmedSubmission);
    let mut cursor = Cursor::start();
    loop {
        if run.cancelled() {
            return Ok(false);
        }
        let batch: Vec<Candidate> =
            unconfirmed_candidates!(c.id.as_str(), cutoff, &cursor, run.options.batch_size)
                .load(conn)?;
        let Some(last) = batch.last() else { break };
        cursor = Cursor {
            at: last.at.unwrap_or(cutoff),
            id: last.id.to_string(),
        };
        let mut eligible = Vec::new();
        for cand in &batch {
            run.line(slug, PurgeRule::UnconfirmedSubmission).found += 1;
            match refused(cand.status, cand.legal_hold, Action::DiscardUnconfirmed) {
                Some(Refusal::LegalHold) => {
                    run.line(slug, PurgeRule::UnconfirmedSubmission)
                        .skipped_legal_hold += 1
                }
                Some(Refusal::Other) => {}
                None => eligible.push(cand),
            }
        }
        for chunk in eligible.chunks(run.options.per_transaction) {
            if run.cancelled() {
                return Ok(false);
            }
            let outcomes: Vec<(RequestId, Item)> = if run.options.dry_run {
                chunk
                    .iter()
                    .map(|r| (r.id.clone(), Item::Purged { files: 0 }))
                    .collect()
            } else {
                let run_ref: &Run<'_> = run;
                write_transaction(conn, |conn| discard_chunk(conn, run_ref, c, cutoff, chunk))?
            };
            let empty = HashMap::new();
            tally(
                run,
                slug,
                PurgeRule::UnconfirmedSubmission,
                None,
                &empty,
                &outcomes,
            );
        }
        run.advance(slug, PurgeRule::UnconfirmedSubmission, batch.len() as u64);
        if (batch.len() as i64) < run.options.batch_size {
            break;
        }
    }
    Ok(true)
}

fn discard_chunk(
    conn: &mut DbConn,
    run: &Run<'_>,
    c: &Controller,
    cutoff: NaiveDateTime,
    chunk: &[&Candidate],
) -> QueryResult<Vec<(RequestId, Item)>> {
    use crate::db::schema::requests as r;
    let mut outcomes = Vec::with_capacity(chunk.len());
    let mut locked: Vec<&Candidate> = Vec::with_capacity(chunk.len());
    for cand in chunk {
        // Lock and re-check before deleting, so the dependent rows can be
        // counted for the audit event.
        let n = diesel::update(
            r::table
                .filter(r::id.eq(&cand.id))
                .filter(r::status.eq(Status::Unconfirmed))
                .filter(r::legal_hold.eq(false))
                .filter(r::submitted_at.le(cutoff)),
        )
        .set(r::version.eq(r::version + 1))
        .execute(conn)?;
        if n == 0 {
            outcomes.push((cand.id.clone(), held_or_gone(conn, &cand.id)?));
        } else {
            locked.push(cand);
        }
    }
    if locked.is_empty() {
        return Ok(outcomes);
    }
    let ids: Vec<&RequestId> = locked.iter().map(|r| &r.id).collect();
    let files = delete_dependents!(conn, identity_proofs, &ids);
    let mails = delete_dependents!(conn, outbox, &ids);
    // Messages, recipients and suspensions go by ON DELETE CASCADE; a
    // suppression entry keeps its own retention (ON DELETE SET NULL).
    diesel::delete(r::table.filter(r::id.eq_any(&ids))).execute(conn)?;
    let n = |m: &HashMap<RequestId, u64>, id: &RequestId| m.get(id).copied().unwrap_or(0);
    let mut events = Vec::with_capacity(locked.len());
    for cand in locked {
        let id = &cand.id;
        events.push(PurgeEvent {
            action: "purge.unconfirmed_deleted",
            controller_id: Some(&c.id),
            request_id: Some(id),
            detail: format!(
                "rule=unconfirmed_submission kind={} proofs={} outbox={}",
                cand.kind,
                n(&files, id),
                n(&mails, id)
            ),
        });
        outcomes.push((
            cand.id.clone(),
            Item::Purged {
                files: n(&files, id),
            },
        ));
    }
    run.audit_all(conn, events)?;
    Ok(outcomes)
}

/// With `delete_proof_on_identity_accepted`: proofs of requests whose
/// identity was accepted. Requests without a proof file are only read
/// (a proof uploaded later still goes at the next run).
fn identity_accepted_pass(
    conn: &mut DbConn,
    run: &mut Run<'_>,
    c: &Controller,
    accepted_before: NaiveDateTime,
) -> QueryResult<bool> {
    let slug = c.slug.as_str();
    let rule = PurgeRule::ProofAfterIdentityAccepted;
    run.line(slug, rule);
    let mut cursor = Cursor::start();
    loop {
        if run.cancelled() {
            return Ok(false);
        }
        let batch: Vec<Candidate> = identity_accepted_candidates!(
            c.id.as_str(),
            accepted_before,
            &cursor,
            run.options.batch_size
        )
        .load(conn)?;
        let Some(last) = batch.last() else { break };
        cursor = Cursor {
            at: last.at.unwrap_or(accepted_before),
            id: last.id.to_string(),
        };
        let ids: Vec<&RequestId> = batch.iter().map(|r| &r.id).collect();
        let files = proof_counts(conn, &ids)?;
        let mut eligible = Vec::new();
        for cand in &batch {
            let f = files.get(&cand.id).copied().unwrap_or(0);
            if f == 0 {
                continue;
            }
            run.line(slug, rule).found += f;
            if cand.legal_hold {
                run.line(slug, rule).skipped_legal_hold += f;
            } else {
                eligible.push(cand);
            }
        }
        for chunk in eligible.chunks(run.options.per_transaction) {
            if run.cancelled() {
                return Ok(false);
            }
            let outcomes: Vec<(RequestId, Item)> = if run.options.dry_run {
                chunk
                    .iter()
                    .map(|r| {
                        let f = files.get(&r.id).copied().unwrap_or(0);
                        (r.id.clone(), Item::Purged { files: f })
                    })
                    .collect()
            } else {
                let run_ref: &Run<'_> = run;
                write_transaction(conn, |conn| {
                    drop_accepted_proofs_chunk(conn, run_ref, c, accepted_before, chunk)
                })?
            };
            for (id, item) in &outcomes {
                let before = files.get(id).copied().unwrap_or(0);
                match item {
                    Item::Purged { files } => run.line(slug, rule).purged += files,
                    Item::Held => run.line(slug, rule).skipped_legal_hold += before,
                    Item::Gone => {}
                }
            }
        }
        run.advance(slug, rule, batch.len() as u64);
        if (batch.len() as i64) < run.options.batch_size {
            break;
        }
    }
    Ok(true)
}

fn drop_accepted_proofs_chunk(
    conn: &mut DbConn,
    run: &Run<'_>,
    c: &Controller,
    accepted_before: NaiveDateTime,
    chunk: &[&Candidate],
) -> QueryResult<Vec<(RequestId, Item)>> {
    use crate::db::schema::requests as r;
    let mut outcomes = Vec::with_capacity(chunk.len());
    let mut events = Vec::new();
    for cand in chunk {
        let marked = diesel::update(
            r::table
                .filter(r::id.eq(&cand.id))
                .filter(r::proofs_purged_at.is_null())
                .filter(r::anonymised_at.is_null())
                .filter(r::legal_hold.eq(false))
                .filter(r::identity_accepted_at.le(accepted_before)),
        )
        .set(r::proofs_purged_at.eq(Some(run.now)))
        .execute(conn)?;
        if marked == 0 {
            outcomes.push((cand.id.clone(), held_or_gone(conn, &cand.id)?));
            continue;
        }
        let files = delete_proofs(conn, &cand.id)?;
        if files > 0 {
            events.push(PurgeEvent {
                action: "purge.proofs_deleted",
                controller_id: Some(&c.id),
                request_id: Some(&cand.id),
                detail: format!("rule=proof_after_identity_accepted proofs={files}"),
            });
        }
        outcomes.push((cand.id.clone(), Item::Purged { files }));
    }
    run.audit_all(conn, events)?;
    Ok(outcomes)
}

/// IP address and user agent of requests submitted before the cut-off,
/// whatever their status.
fn connection_pass(
    conn: &mut DbConn,
    run: &mut Run<'_>,
    c: &Controller,
    cutoff: NaiveDateTime,
) -> QueryResult<bool> {
    let slug = c.slug.as_str();
    let rule = PurgeRule::ConnectionData;
    run.line(slug, rule);
    let mut cursor = Cursor::start();
    loop {
        if run.cancelled() {
            return Ok(false);
        }
        let batch: Vec<Candidate> =
            connection_candidates!(c.id.as_str(), cutoff, &cursor, run.options.batch_size)
                .load(conn)?;
        let Some(last) = batch.last() else { break };
        cursor = Cursor {
            at: last.at.unwrap_or(cutoff),
            id: last.id.to_string(),
        };
        let mut eligible = Vec::new();
        for cand in &batch {
            run.line(slug, rule).found += 1;
            if cand.legal_hold {
                run.line(slug, rule).skipped_legal_hold += 1;
            } else {
                eligible.push(cand);
            }
        }
        for chunk in eligible.chunks(run.options.per_transaction) {
            if run.cancelled() {
                return Ok(false);
            }
            let outcomes: Vec<(RequestId, Item)> = if run.options.dry_run {
                chunk
                    .iter()
                    .map(|r| (r.id.clone(), Item::Purged { files: 0 }))
                    .collect()
            } else {
                let run_ref: &Run<'_> = run;
                write_transaction(conn, |conn| {
                    clear_connection_chunk(conn, run_ref, c, cutoff, chunk)
                })?
            };
            let empty = HashMap::new();
            tally(run, slug, rule, None, &empty, &outcomes);
        }
        run.advance(slug, rule, batch.len() as u64);
        if (batch.len() as i64) < run.options.batch_size {
            break;
        }
    }
    Ok(true)
}

fn clear_connection_chunk(
    conn: &mut DbConn,
    run: &Run<'_>,
    c: &Controller,
    cutoff: NaiveDateTime,
    chunk: &[&Candidate],
) -> QueryResult<Vec<(RequestId, Item)>> {
    use crate::db::schema::requests as r;
    let mut outcomes = Vec::with_capacity(chunk.len());
    let mut events = Vec::new();
    for cand in chunk {
        // The version is left alone: this changes nothing a member of staff
        // could be editing at the same moment.
        let cleared = diesel::update(
            r::table
                .filter(r::id.eq(&cand.id))
                .filter(r::legal_hold.eq(false))
                .filter(r::submitted_at.le(cutoff))
                .filter(
                    r::submitter_ip
                        .is_not_null()
                        .or(r::submitter_user_agent.is_not_null()),
                ),
        )
        .set((
            r::submitter_ip.eq(None::<String>),
            r::submitter_user_agent.eq(None::<String>),
        ))
        .execute(conn)?;
        if cleared == 0 {
            outcomes.push((cand.id.clone(), held_or_gone(conn, &cand.id)?));
            continue;
        }
        events.push(PurgeEvent {
            action: "purge.connection_data_cleared",
            controller_id: Some(&c.id),
            request_id: Some(&cand.id),
            detail: format!("rule=connection_data status={}", cand.status),
        });
        outcomes.push((cand.id.clone(), Item::Purged { files: 0 }));
    }
    run.audit_all(conn, events)?;
    Ok(outcomes)
}

/// Suppression-list entries past their retention (never less than three
/// years: the settings refuse less).
fn suppression_pass(
    conn: &mut DbConn,
    run: &mut Run<'_>,
    c: &Controller,
    cutoff: NaiveDateTime,
) -> QueryResult<bool> {
    let slug = c.slug.as_str();
    let rule = PurgeRule::SuppressionEntry;
    run.line(slug, rule);
    let mut cursor = Cursor::start();
    loop {
        if run.cancelled() {
            return Ok(false);
        }
        let batch: Vec<EntryCandidate> =
            suppression_candidates!(c.id.as_str(), cutoff, &cursor, run.options.batch_size)
                .load(conn)?;
        let Some(last) = batch.last() else { break };
        cursor = Cursor {
            at: last.at,
            id: last.id.clone(),
        };
        let request_ids: Vec<&RequestId> =
            batch.iter().filter_map(|e| e.request_id.as_ref()).collect();
        let held: Vec<RequestId> = if request_ids.is_empty() {
            Vec::new()
        } else {
            requests::table
                .filter(requests::id.eq_any(&request_ids))
                .filter(requests::legal_hold.eq(true))
                .select(requests::id)
                .load(conn)?
        };
        let mut eligible = Vec::new();
        for e in &batch {
            run.line(slug, rule).found += 1;
            if e.request_id.as_ref().is_some_and(|r| held.contains(r)) {
                run.line(slug, rule).skipped_legal_hold += 1;
            } else {
                eligible.push(e);
            }
        }
        for chunk in eligible.chunks(run.options.per_transaction) {
            if run.cancelled() {
                return Ok(false);
            }
            let outcomes: Vec<(String, Item)> = if run.options.dry_run {
                chunk
                    .iter()
                    .map(|e| (e.id.clone(), Item::Purged { files: 0 }))
                    .collect()
            } else {
                let run_ref: &Run<'_> = run;
                write_transaction(conn, |conn| {
                    delete_entries_chunk(conn, run_ref, c, cutoff, chunk)
                })?
            };
            let empty = HashMap::new();
            tally(run, slug, rule, None, &empty, &outcomes);
        }
        run.advance(slug, rule, batch.len() as u64);
        if (batch.len() as i64) < run.options.batch_size {
            break;
        }
    }
    Ok(true)
}

fn delete_entries_chunk(
    conn: &mut DbConn,
    run: &Run<'_>,
    c: &Controller,
    cutoff: NaiveDateTime,
    chunk: &[&EntryCandidate],
) -> QueryResult<Vec<(String, Item)>> {
    use crate::db::schema::suppression_entries as s;
    let mut outcomes = Vec::with_capacity(chunk.len());
    let mut events = Vec::new();
    for e in chunk {
        let base = s::table
            .filter(s::id.eq(&e.id))
            .filter(s::created_at.le(cutoff));
        // Re-checked here: the entry still belongs to the same request, and
        // that request is not under legal hold.
        let deleted = match &e.request_id {
            None => diesel::delete(base.filter(s::request_id.is_null())).execute(conn)?,
            Some(request_id) => diesel::delete(
                base.filter(s::request_id.eq(request_id)).filter(not(exists(
                    requests::table
                        .filter(requests::id.eq(request_id))
                        .filter(requests::legal_hold.eq(true)),
                ))),
            )
            .execute(conn)?,
        };
        if deleted == 0 {
            let item = match &e.request_id {
                Some(request_id) => match held_or_gone(conn, request_id)? {
                    Item::Held => Item::Held,
                    _ => Item::Gone,
                },
                None => Item::Gone,
            };
            outcomes.push((e.id.clone(), item));
            continue;
        }
        events.push(PurgeEvent {
            action: "purge.suppression_entry_deleted",
            controller_id: Some(&c.id),
            request_id: e.request_id.as_ref(),
            detail: format!("rule=suppression_entry entry={}", e.id),
        });
        outcomes.push((e.id.clone(), Item::Purged { files: 0 }));
    }
    run.audit_all(conn, events)?;
    Ok(outcomes)
}

/// Login records and staff sessions older than the strictest
/// connection-data period; one audit event per transaction with the count
/// (these rows describe staff, not requests).
pub(super) fn purge_staff(
    conn: &mut DbConn,
    run: &mut Run<'_>,
    cutoff: NaiveDateTime,
) -> QueryResult<bool> {
    let rule = PurgeRule::ConnectionData;
    run.line(STAFF, rule);
    for table in [StaffTable::LoginRecords, StaffTable::Sessions] {
        let mut cursor = Cursor::start();
        loop {
            if run.cancelled() {
                return Ok(false);
            }
            let batch: Vec<(String, NaiveDateTime)> = match table {
                StaffTable::LoginRecords => {
                    login_records_candidates!(cutoff, &cursor, run.options.batch_size).load(conn)?
                }
                StaffTable::Sessions => {
                    staff_sessions_candidates!(cutoff, &cursor, run.options.batch_size)
                        .load(conn)?
                }
            };
            let Some((last_id, last_at)) = batch.last() else {
                break;
            };
            cursor = Cursor {
                at: *last_at,
                id: last_id.clone(),
            };
            run.line(STAFF, rule).found += batch.len() as u64;
            let ids: Vec<&str> = batch.iter().map(|(id, _)| id.as_str()).collect();
            let purged = if run.options.dry_run {
                ids.len() as u64
            } else {
                let run_ref: &Run<'_> = run;
                write_transaction(conn, |conn| {
                    let (n, action) = match table {
                        StaffTable::LoginRecords => (
                            diesel::delete(
                                login_records::table
                                    .filter(login_records::id.eq_any(&ids))
                                    .filter(login_records::occurred_at.le(cutoff)),
                            )
                            .execute(conn)?,
                            "purge.login_records_deleted",
                        ),
                        StaffTable::Sessions => (
                            diesel::delete(
                                staff_sessions::table
                                    .filter(staff_sessions::id.eq_any(&ids))
                                    .filter(staff_sessions::created_at.le(cutoff)),
                            )
                            .execute(conn)?,
                            "purge.staff_sessions_deleted",
                        ),
                    };
                    if n > 0 {
                        run_ref.audit_all(
                            conn,
                            vec![PurgeEvent {
                                action,
                                controller_id: None,
                                request_id: None,
                                detail: format!("rule=connection_data count={n}"),
                            }],
                        )?;
                    }
                    Ok(n as u64)
                })?
            };
            run.line(STAFF, rule).purged += purged;
            run.advance(STAFF, rule, batch.len() as u64);
            if (batch.len() as i64) < run.options.batch_size {
                break;
            }
        }
    }
    Ok(true)
}

#[derive(Debug, Clone, Copy)]
enum StaffTable {
    LoginRecords,
    Sessions,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_split_by_retention_period() {
        let objections = kinds(true);
        assert_eq!(objections, ["objection", "marketing_objection"]);
        let others = kinds(false);
        assert_eq!(others.len(), 5);
        assert!(!others.contains(&"objection"));
    }

    #[test]
    fn the_purge_respects_the_transition_table() {
        assert_eq!(refused(Status::Closed, false, Action::Purge), None);
        assert_eq!(refused(Status::Withdrawn, false, Action::Purge), None);
        assert_eq!(
            refused(Status::Closed, true, Action::Purge),
            Some(Refusal::LegalHold)
        );
        assert_eq!(
            refused(Status::InProgress, false, Action::Purge),
            Some(Refusal::Other)
        );
        assert_eq!(
            refused(Status::Unconfirmed, false, Action::DiscardUnconfirmed),
            None
        );
        assert_eq!(
            refused(Status::Unconfirmed, true, Action::DiscardUnconfirmed),
            Some(Refusal::LegalHold)
        );
        assert_eq!(
            refused(Status::Received, false, Action::DiscardUnconfirmed),
            Some(Refusal::Other)
        );
    }
}
