//! Requests: the citizen's submission and everything that happens to it.
//! Status changes go through `domain::request::apply`; this file only reads
//! and writes rows.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::DbConn;
use crate::db::schema::{reference_counters, requests};
use crate::domain::ids::{ControllerId, RequestId};
use crate::domain::request::{Channel, Outcome, RequestKind, RequestState, Status};
use crate::domain::values::Locale;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, PartialEq, Eq)]
#[diesel(table_name = requests)]
pub struct Request {
    pub id: RequestId,
    pub controller_id: ControllerId,
    pub reference: Option<String>,
    pub kind: RequestKind,
    pub channel: Channel,
    pub status: Status,
    pub locale: Locale,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub postal_address: Option<String>,
    pub details: Option<String>,
    pub objection_grounds: Option<String>,
    pub submitted_at: NaiveDateTime,
    pub received_at: Option<NaiveDateTime>,
    pub confirmed_at: Option<NaiveDateTime>,
    pub due_on: Option<NaiveDate>,
    pub identity_accepted_at: Option<NaiveDateTime>,
    pub extension_months: i64,
    pub extension_reason: Option<String>,
    pub extended_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub outcome: Option<Outcome>,
    pub refusal_ground: Option<String>,
    pub refusal_detail: Option<String>,
    pub legal_hold: bool,
    pub legal_hold_reason: Option<String>,
    pub legal_hold_at: Option<NaiveDateTime>,
    pub proofs_purged_at: Option<NaiveDateTime>,
    pub anonymised_at: Option<NaiveDateTime>,
    pub confirm_token_hash: Option<String>,
    pub confirm_token_expires_at: Option<NaiveDateTime>,
    pub status_token_hash: Option<String>,
    pub submitter_ip: Option<String>,
    pub submitter_user_agent: Option<String>,
    pub version: i64,
    pub updated_at: NaiveDateTime,
}

impl Request {
    // The columns are typed: a stored value no variant spells fails the
    // query that reads the row (`db::columns`), it is never guessed.

    pub const fn kind(&self) -> RequestKind {
        self.kind
    }

    pub const fn channel(&self) -> Channel {
        self.channel
    }

    pub const fn status(&self) -> Status {
        self.status
    }

    pub const fn locale(&self) -> Locale {
        self.locale
    }

    pub fn state(&self) -> RequestState {
        RequestState {
            status: self.status(),
            anonymised: self.anonymised_at.is_some(),
            legal_hold: self.legal_hold,
        }
    }
}

/// A request as it is first stored: a web submission awaiting e-mail
/// confirmation, or a request registered by staff from a letter or e-mail.
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub controller_id: ControllerId,
    pub kind: RequestKind,
    pub channel: Channel,
    pub status: Status,
    pub locale: Locale,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub postal_address: Option<String>,
    pub details: String,
    pub objection_grounds: Option<String>,
    pub submitted_at: NaiveDateTime,
    pub received_at: Option<NaiveDateTime>,
    pub due_on: Option<NaiveDate>,
    pub reference: Option<String>,
    pub confirm_token_hash: Option<String>,
    pub confirm_token_expires_at: Option<NaiveDateTime>,
    pub status_token_hash: Option<String>,
    pub submitter_ip: Option<String>,
    pub submitter_user_agent: Option<String>,
}

/// Inserts a request and returns it (ids are generated here: MultiConnection
/// has no RETURNING).
pub fn insert(conn: &mut DbConn, new: &NewRequest) -> QueryResult<Request> {
    let id = RequestId::generate();
    diesel::insert_into(requests::table)
        .values((
            requests::id.eq(&id),
            requests::controller_id.eq(&new.controller_id),
            requests::reference.eq(&new.reference),
            requests::kind.eq(new.kind),
            requests::channel.eq(new.channel),
            requests::status.eq(new.status),
            requests::locale.eq(new.locale),
            requests::first_name.eq(Some(&new.first_name)),
            requests::last_name.eq(Some(&new.last_name)),
            requests::email.eq(&new.email),
            requests::postal_address.eq(&new.postal_address),
            requests::details.eq(Some(&new.details)),
            requests::objection_grounds.eq(&new.objection_grounds),
            requests::submitted_at.eq(new.submitted_at),
            requests::received_at.eq(new.received_at),
            requests::confirmed_at.eq(None::<NaiveDateTime>),
            requests::due_on.eq(new.due_on),
            requests::extension_months.eq(0_i64),
            requests::legal_hold.eq(false),
            requests::confirm_token_hash.eq(&new.confirm_token_hash),
            requests::confirm_token_expires_at.eq(new.confirm_token_expires_at),
            requests::status_token_hash.eq(&new.status_token_hash),
            requests::submitter_ip.eq(&new.submitter_ip),
            requests::submitter_user_agent.eq(&new.submitter_user_agent),
            requests::version.eq(0_i64),
            requests::updated_at.eq(new.submitted_at),
        ))
        .execute(conn)?;
    find(conn, &id)
}

pub fn find(conn: &mut DbConn, id: &RequestId) -> QueryResult<Request> {
    requests::table
        .find(id)
        .select(Request::as_select())
        .first(conn)
}

pub fn find_by_confirm_token_hash(conn: &mut DbConn, hash: &str) -> QueryResult<Option<Request>> {
    requests::table
        .filter(requests::confirm_token_hash.eq(hash))
        .select(Request::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_status_token_hash(conn: &mut DbConn, hash: &str) -> QueryResult<Option<Request>> {
    requests::table
        .filter(requests::status_token_hash.eq(hash))
        .select(Request::as_select())
        .first(conn)
        .optional()
}

/// Stores a transition of the domain table (status, legal hold) and bumps
/// `version`, but only if the row still has the version the actor saw.
/// `false` when someone else changed the request meanwhile (nothing
/// written): this is how two people acting at once are told apart, on the
/// desk and on the citizen's status page alike.
pub fn transition(
    conn: &mut DbConn,
    id: &RequestId,
    seen_version: i64,
    next: RequestState,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(
        requests::table
            .filter(requests::id.eq(id))
            .filter(requests::version.eq(seen_version)),
    )
    .set((
        requests::version.eq(seen_version + 1),
        requests::status.eq(next.status),
        requests::legal_hold.eq(next.legal_hold),
        requests::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// What confirming a web request's address fixes, beside its status.
pub struct Receipt<'a> {
    pub reference: &'a str,
    pub received_at: NaiveDateTime,
    pub due_on: Option<chrono::NaiveDate>,
    pub status_token_hash: &'a str,
}

/// Records the receipt of a web request whose address was just confirmed.
/// The status change itself is [`transition`]'s, in the same transaction
/// and before this: the status is written in one place.
pub fn record_receipt(
    conn: &mut DbConn,
    id: &RequestId,
    receipt: &Receipt<'_>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(requests::table.filter(requests::id.eq(id)))
        .set((
            requests::reference.eq(receipt.reference),
            requests::received_at.eq(Some(receipt.received_at)),
            requests::confirmed_at.eq(Some(now)),
            requests::due_on.eq(receipt.due_on),
            requests::status_token_hash.eq(Some(receipt.status_token_hash)),
            requests::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Replaces an unconfirmed request's confirmation link (a new token hash
/// and its expiry), when the citizen asks for a new one.
pub fn renew_confirm_token(
    conn: &mut DbConn,
    id: &RequestId,
    token_hash: &str,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(requests::table.filter(requests::id.eq(id)))
        .set((
            requests::confirm_token_hash.eq(Some(token_hash)),
            requests::confirm_token_expires_at.eq(Some(expires_at)),
            requests::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Takes the next number of `controller_id`'s reference sequence for `year`.
/// Call inside the transaction that assigns the reference: the counter row
/// update serialises concurrent confirmations.
pub fn next_reference_number(
    conn: &mut DbConn,
    controller_id: &ControllerId,
    year: i32,
) -> QueryResult<i64> {
    let year = i64::from(year);
    let key = (controller_id.clone(), year);
    let updated = diesel::update(reference_counters::table.find(key.clone()))
        .set(reference_counters::last_number.eq(reference_counters::last_number + 1))
        .execute(conn)?;
    if updated == 0 {
        // The year's first request. Two transactions can both get here (say
        // a citizen's confirmation and a DPO's registration); the loser's
        // insert fails on the key, in a savepoint so its transaction goes
        // on, and it takes the next number on the winner's row.
        let inserted = conn.transaction(|conn| {
            diesel::insert_into(reference_counters::table)
                .values((
                    reference_counters::controller_id.eq(controller_id),
                    reference_counters::year.eq(year),
                    reference_counters::last_number.eq(0_i64),
                ))
                .execute(conn)
        });
        match inserted {
            Ok(_) => {}
            Err(e) if super::is_unique_violation(&e) => {}
            Err(e) => return Err(e),
        }
        diesel::update(reference_counters::table.find(key.clone()))
            .set(reference_counters::last_number.eq(reference_counters::last_number + 1))
            .execute(conn)?;
    }
    reference_counters::table
        .find(key)
        .select(reference_counters::last_number)
        .first(conn)
}

use crate::db::schema::request_suspensions;
use crate::domain::deadline::{self, Suspension};
use crate::store::controllers::Controller;

#[derive(Debug, Clone, Queryable, Selectable, PartialEq, Eq)]
#[diesel(table_name = request_suspensions)]
pub struct SuspensionRow {
    pub id: String,
    pub request_id: RequestId,
    pub started_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
}

pub fn suspensions(conn: &mut DbConn, request_id: &RequestId) -> QueryResult<Vec<SuspensionRow>> {
    request_suspensions::table
        .filter(request_suspensions::request_id.eq(request_id))
        .order(request_suspensions::started_at.asc())
        .select(SuspensionRow::as_select())
        .load(conn)
}

/// Opens a clock suspension (the DPO asked for information).
pub fn start_suspension(
    conn: &mut DbConn,
    request_id: &RequestId,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(request_suspensions::table)
        .values((
            request_suspensions::id.eq(Uuid::now_v7().to_string()),
            request_suspensions::request_id.eq(request_id),
            request_suspensions::started_at.eq(now),
            request_suspensions::ended_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Closes any running suspension: whatever takes a request out of
/// "awaiting information" (an answer, a refusal, a withdrawal) restarts or
/// stops the clock.
pub fn end_suspensions(
    conn: &mut DbConn,
    request_id: &RequestId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        request_suspensions::table
            .filter(request_suspensions::request_id.eq(request_id))
            .filter(request_suspensions::ended_at.is_null()),
    )
    .set(request_suspensions::ended_at.eq(Some(now)))
    .execute(conn)
}

/// The due date from the stored facts: receipt, suspensions, extension, in
/// the controller's calendar. `None` until the request is received.
pub fn compute_due_on(
    conn: &mut DbConn,
    request: &Request,
    controller: &Controller,
    now: NaiveDateTime,
) -> QueryResult<Option<NaiveDate>> {
    let Some(received_at) = request.received_at else {
        return Ok(None);
    };
    let suspensions: Vec<Suspension> = suspensions(conn, &request.id)?
        .into_iter()
        .map(|s| Suspension {
            started_on: controller.local_date(s.started_at),
            ended_on: s.ended_at.map(|e| controller.local_date(e)),
        })
        .collect();
    Ok(Some(deadline::due_on(
        controller.local_date(received_at),
        &suspensions,
        u32::try_from(request.extension_months).unwrap_or(0),
        controller.local_date(now),
        &controller.holidays(),
    )))
}

/// Marks `id` as created by the desk's registration form `key`. Fails with
/// a unique violation when another request already carries the key: the
/// same form was sent twice at once (see `desk::register`).
pub fn set_registration_key(conn: &mut DbConn, id: &RequestId, key: &str) -> QueryResult<()> {
    diesel::update(requests::table.find(id))
        .set(requests::registration_key.eq(Some(key)))
        .execute(conn)
        .map(|_| ())
}

/// The request the registration form `key` created, if any (any
/// controller: the caller applies the scope).
pub fn find_by_registration_key(conn: &mut DbConn, key: &str) -> QueryResult<Option<RequestId>> {
    requests::table
        .filter(requests::registration_key.eq(key))
        .select(requests::id)
        .first(conn)
        .optional()
}
