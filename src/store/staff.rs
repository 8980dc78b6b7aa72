//! Staff accounts and the controllers each one may see.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{controllers, login_records, staff, staff_controllers, staff_sessions};
use crate::domain::ids::{ControllerId, StaffId};
use crate::domain::values::{EmailAddress, Role};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, PartialEq, Eq)]
#[diesel(table_name = staff)]
pub struct StaffMember {
    pub id: StaffId,
    pub email: String,
    pub password_hash: String,
    pub role: Role,
    pub disabled: bool,
    pub disabled_at: Option<NaiveDateTime>,
    pub totp_secret: Option<String>,
    pub totp_last_step: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl StaffMember {
    /// A stored role no variant spells fails the query that reads the
    /// account (`db::columns`): it grants nothing, not even reading.
    pub const fn role(&self) -> Role {
        self.role
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CreateStaffError {
    #[error("a staff account with e-mail {0} already exists")]
    DuplicateEmail(String),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// Creates an account scoped to `controller_ids` (already resolved), in one
/// transaction so a failure leaves no half-scoped account.
pub fn create(
    conn: &mut DbConn,
    email: &EmailAddress,
    role: Role,
    password_hash: &str,
    controller_ids: &[ControllerId],
    now: NaiveDateTime,
) -> Result<StaffMember, CreateStaffError> {
    let id = StaffId::generate();
    let email = email.normalized();
    conn.transaction(|conn| {
        let inserted = diesel::insert_into(staff::table)
            .values((
                staff::id.eq(&id),
                staff::email.eq(&email),
                staff::password_hash.eq(password_hash),
                staff::role.eq(role),
                staff::disabled.eq(false),
                staff::disabled_at.eq(None::<NaiveDateTime>),
                staff::totp_secret.eq(None::<String>),
                staff::totp_last_step.eq(None::<i64>),
                staff::created_at.eq(now),
                staff::updated_at.eq(now),
            ))
            .execute(conn);
        match inserted {
            Ok(_) => {}
            Err(e) if super::is_unique_violation(&e) => {
                return Err(CreateStaffError::DuplicateEmail(email.clone()));
            }
            Err(e) => return Err(e.into()),
        }
        for controller_id in controller_ids {
            diesel::insert_into(staff_controllers::table)
                .values((
                    staff_controllers::staff_id.eq(&id),
                    staff_controllers::controller_id.eq(controller_id),
                ))
                .execute(conn)?;
        }
        Ok(staff::table
            .find(&id)
            .select(StaffMember::as_select())
            .first(conn)?)
    })
}

pub fn find_by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<StaffMember>> {
    staff::table
        .filter(staff::email.eq(email.trim().to_lowercase()))
        .select(StaffMember::as_select())
        .first(conn)
        .optional()
}

/// Enabled accounts with `role`, by e-mail (the daily digest's recipients).
pub fn active_with_role(conn: &mut DbConn, role: Role) -> QueryResult<Vec<StaffMember>> {
    staff::table
        .filter(staff::role.eq(role))
        .filter(staff::disabled.eq(false))
        .order(staff::email.asc())
        .select(StaffMember::as_select())
        .load(conn)
}

pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    staff::table.count().get_result(conn)
}

/// Accounts with the slugs of the controllers each may see.
pub fn list_with_scopes(conn: &mut DbConn) -> QueryResult<Vec<(StaffMember, Vec<String>)>> {
    let members: Vec<StaffMember> = staff::table
        .order(staff::email.asc())
        .select(StaffMember::as_select())
        .load(conn)?;
    let scopes: Vec<(StaffId, String)> = staff_controllers::table
        .inner_join(controllers::table)
        .select((staff_controllers::staff_id, controllers::slug))
        .order(controllers::slug.asc())
        .load(conn)?;
    Ok(members
        .into_iter()
        .map(|m| {
            let slugs = scopes
                .iter()
                .filter(|(staff_id, _)| *staff_id == m.id)
                .map(|(_, slug)| slug.clone())
                .collect();
            (m, slugs)
        })
        .collect())
}

/// Disables an account and ends its sessions in the same transaction, so a
/// disabled account is locked out at once. Returns false when no such
/// account exists.
pub fn disable(
    conn: &mut DbConn,
    email: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<StaffMember>> {
    conn.transaction(|conn| {
        let Some(member) = find_by_email(conn, email)? else {
            return Ok(None);
        };
        diesel::update(staff::table.find(&member.id))
            .set((
                staff::disabled.eq(true),
                staff::disabled_at.eq(Some(now)),
                staff::updated_at.eq(now),
            ))
            .execute(conn)?;
        diesel::delete(staff_sessions::table.filter(staff_sessions::staff_id.eq(&member.id)))
            .execute(conn)?;
        Ok(Some(member))
    })
}

/// Records `step` as the account's last accepted TOTP step, only if it is
/// after the one recorded: false means another login used this code (or a
/// later one) first, and this one must be refused. The guard is in the
/// UPDATE itself so that two logins racing with one code cannot both pass.
pub fn record_totp_step(
    conn: &mut DbConn,
    staff_id: &StaffId,
    step: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(
        staff::table
            .find(staff_id)
            .filter(staff::totp_secret.is_not_null())
            .filter(
                staff::totp_last_step
                    .is_null()
                    .or(staff::totp_last_step.lt(step)),
            ),
    )
    .set((staff::totp_last_step.eq(step), staff::updated_at.eq(now)))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Turns TOTP on with a secret (already sealed) whose code of `step` was
/// just typed; that step counts as used. False when the account already
/// has a secret (set up meanwhile in another tab) or has since used a
/// later step.
pub fn enable_totp(
    conn: &mut DbConn,
    staff_id: &StaffId,
    sealed_secret: &str,
    step: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(
        staff::table
            .find(staff_id)
            .filter(staff::totp_secret.is_null())
            .filter(
                staff::totp_last_step
                    .is_null()
                    .or(staff::totp_last_step.lt(step)),
            ),
    )
    .set((
        staff::totp_secret.eq(Some(sealed_secret)),
        staff::totp_last_step.eq(Some(step)),
        staff::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Turns TOTP off. The last step is kept: should the same phone app be set
/// up again, its old codes stay used.
pub fn disable_totp(
    conn: &mut DbConn,
    staff_id: &StaffId,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(
        staff::table
            .find(staff_id)
            .filter(staff::totp_secret.is_not_null()),
    )
    .set((
        staff::totp_secret.eq(None::<String>),
        staff::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// For a lost phone: turns TOTP off and ends the account's sessions (one
/// may be the thief's), in one transaction. `None` when no such account.
pub fn reset_totp(
    conn: &mut DbConn,
    email: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<StaffMember>> {
    conn.transaction(|conn| {
        let Some(member) = find_by_email(conn, email)? else {
            return Ok(None);
        };
        disable_totp(conn, &member.id, now)?;
        diesel::delete(staff_sessions::table.filter(staff_sessions::staff_id.eq(&member.id)))
            .execute(conn)?;
        Ok(Some(member))
    })
}

/// Accounts with a stored TOTP secret: (staff id, sealed secret), for a
/// master key rotation.
pub fn totp_secrets(conn: &mut DbConn) -> QueryResult<Vec<(StaffId, String)>> {
    let rows: Vec<(StaffId, Option<String>)> = staff::table
        .filter(staff::totp_secret.is_not_null())
        .select((staff::id, staff::totp_secret))
        .order(staff::id.asc())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, s)| s.map(|s| (id, s)))
        .collect())
}

/// Replaces one account's sealed secret, only if it is still `old` (the
/// person may have turned TOTP off or set it up again meanwhile).
pub fn replace_totp_secret(
    conn: &mut DbConn,
    staff_id: &StaffId,
    old: &str,
    new: &str,
) -> QueryResult<bool> {
    let updated = diesel::update(
        staff::table
            .find(staff_id)
            .filter(staff::totp_secret.eq(old)),
    )
    .set(staff::totp_secret.eq(new))
    .execute(conn)?;
    Ok(updated == 1)
}

pub fn find_by_id(conn: &mut DbConn, id: &StaffId) -> QueryResult<Option<StaffMember>> {
    staff::table
        .find(id)
        .select(StaffMember::as_select())
        .first(conn)
        .optional()
}

/// Moves every TOTP secret sealed with `old` to `new` (a master key
/// rotation), in one transaction: there are a few dozen accounts at most.
/// Returns how many were moved and the ids of those that did not open
/// with `old` (altered rows), which stay as they are.
pub fn reseal_totp_secrets(
    conn: &mut DbConn,
    old: &crate::security::keys::MasterKey,
    new: &crate::security::keys::MasterKey,
) -> QueryResult<(usize, Vec<StaffId>)> {
    use crate::security::totp;
    conn.transaction(|conn| {
        let (mut moved, mut failed) = (0, Vec::new());
        for (staff_id, stored) in totp_secrets(conn)? {
            if totp::stored_key_id(&stored) != Some(old.id()) {
                continue;
            }
            match totp::open_stored(std::slice::from_ref(old), &staff_id, &stored) {
                Ok(secret) => {
                    let resealed = totp::seal_stored(new, &staff_id, &secret);
                    if replace_totp_secret(conn, &staff_id, &stored, &resealed)? {
                        moved += 1;
                    }
                }
                Err(_) => failed.push(staff_id),
            }
        }
        Ok((moved, failed))
    })
}

/// An account as the administrator's staff page shows it.
#[derive(Debug, Clone)]
pub struct Account {
    pub member: StaffMember,
    /// (id, slug) of the controllers in its scope, by slug.
    pub controllers: Vec<(ControllerId, String)>,
    /// The last successful login, from the login records (connection data,
    /// so it disappears with them after the purge).
    pub last_login: Option<NaiveDateTime>,
}

impl Account {
    pub fn scope(&self) -> super::scope::Scope {
        super::scope::Scope::from_rows(
            self.controllers.iter().map(|(id, _)| id.clone()).collect(),
            self.member.role(),
        )
    }
}

/// Every account with its scope and last login, by e-mail. The caller
/// keeps those its administrator may manage ([`super::scope::Scope::includes`]).
pub fn accounts(conn: &mut DbConn) -> QueryResult<Vec<Account>> {
    let members: Vec<StaffMember> = staff::table
        .order(staff::email.asc())
        .select(StaffMember::as_select())
        .load(conn)?;
    let scopes: Vec<(StaffId, ControllerId, String)> = staff_controllers::table
        .inner_join(controllers::table)
        .select((
            staff_controllers::staff_id,
            controllers::id,
            controllers::slug,
        ))
        .order(controllers::slug.asc())
        .load(conn)?;
    let logins: Vec<(Option<StaffId>, Option<NaiveDateTime>)> = login_records::table
        .filter(login_records::success.eq(true))
        .group_by(login_records::staff_id)
        .select((
            login_records::staff_id,
            diesel::dsl::max(login_records::occurred_at),
        ))
        .load(conn)?;
    Ok(members
        .into_iter()
        .map(|m| {
            let controllers = scopes
                .iter()
                .filter(|(staff_id, _, _)| *staff_id == m.id)
                .map(|(_, id, slug)| (id.clone(), slug.clone()))
                .collect();
            let last_login = logins
                .iter()
                .find(|(id, _)| id.as_ref() == Some(&m.id))
                .and_then(|(_, at)| *at);
            Account {
                member: m,
                controllers,
                last_login,
            }
        })
        .collect())
}

/// Replaces an account's role and controllers in one transaction. Sessions
/// read the scope at each request, so the change applies at the account's
/// next page.
pub fn set_role_and_scope(
    conn: &mut DbConn,
    staff_id: &StaffId,
    role: Role,
    controller_ids: &[ControllerId],
    now: NaiveDateTime,
) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::update(staff::table.find(staff_id))
            .set((staff::role.eq(role), staff::updated_at.eq(now)))
            .execute(conn)?;
        diesel::delete(staff_controllers::table.filter(staff_controllers::staff_id.eq(staff_id)))
            .execute(conn)?;
        for controller_id in controller_ids {
            diesel::insert_into(staff_controllers::table)
                .values((
                    staff_controllers::staff_id.eq(staff_id),
                    staff_controllers::controller_id.eq(controller_id),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}
