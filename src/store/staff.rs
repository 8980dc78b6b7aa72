//! Staff accounts and the controllers each one may see.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::DbConn;
use crate::db::schema::{controllers, staff, staff_controllers, staff_sessions};
use crate::domain::values::{EmailAddress, Role};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, PartialEq, Eq)]
#[diesel(table_name = staff)]
pub struct StaffMember {
    pub id: String,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub disabled: bool,
    pub disabled_at: Option<NaiveDateTime>,
    pub totp_secret: Option<String>,
    pub totp_last_step: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl StaffMember {
    /// A stored role we cannot parse grants nothing beyond reading.
    pub fn role(&self) -> Role {
        self.role.parse().unwrap_or(Role::Viewer)
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
    controller_ids: &[String],
    now: NaiveDateTime,
) -> Result<StaffMember, CreateStaffError> {
    let id = Uuid::now_v7().to_string();
    let email = email.normalized();
    conn.transaction(|conn| {
        let inserted = diesel::insert_into(staff::table)
            .values((
                staff::id.eq(&id),
                staff::email.eq(&email),
                staff::password_hash.eq(password_hash),
                staff::role.eq(role.as_str()),
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
        .filter(staff::role.eq(role.as_str()))
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
    let scopes: Vec<(String, String)> = staff_controllers::table
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
