//! Staff sessions, stored server-side so that logging out or disabling an
//! account ends them at once.
//!
//! The cookie holds a random 256-bit token; the `staff_sessions` row is keyed
//! by its SHA-256, so a copy of the database opens no session. Each session
//! has its own CSRF token, which every state-changing staff form carries.
//!
//! A session ends after [`IDLE_TIMEOUT`] without a request or
//! [`ABSOLUTE_TIMEOUT`] after login, whichever comes first, both measured on
//! the injected clock; an expired row is deleted when it is presented. To
//! spare the database a write per page, `last_seen_at` is moved at most once
//! per [`TOUCH_INTERVAL`], so the idle timeout is enforced to within that
//! interval. Rows never presented again are connection data and go with
//! the purge (13 months at most).
//!
//! [`StaffSession`] is the extractor handlers take: it loads the session and
//! the account off the async threads, refuses disabled accounts, and sends
//! anyone without a valid session to `/desk/login` (303).

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::dev::Payload;
use actix_web::error::InternalError;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::keys::{new_token, token_hash};
use crate::db::DbConn;
use crate::db::schema::{login_records, staff, staff_sessions};
use crate::domain::ids::StaffId;
use crate::domain::values::Role;
use crate::store::scope::{self, Scope};
use crate::store::staff::StaffMember;
use crate::web::AppState;

/// A session unused for this long is over.
pub const IDLE_TIMEOUT: TimeDelta = TimeDelta::minutes(30);
/// A session is over this long after login, however busy.
pub const ABSOLUTE_TIMEOUT: TimeDelta = TimeDelta::hours(12);
/// `last_seen_at` is written at most this often.
pub const TOUCH_INTERVAL: TimeDelta = TimeDelta::minutes(1);
/// User agents are cut to this many characters before they are stored.
pub const USER_AGENT_MAX_CHARS: usize = 300;

/// Where unauthenticated staff are sent.
pub const LOGIN_PATH: &str = "/desk/login";

/// Cookie name: `__Host-` (Secure, Path=/, no Domain) when the service is
/// served over https, so a sibling subdomain cannot plant or read it.
pub fn cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-dsr_session"
    } else {
        "dsr_session"
    }
}

/// The session cookie: no expiry (it dies with the browser; the server
/// enforces the timeouts), HttpOnly, SameSite=Strict, Secure over https.
pub fn cookie(token: &str, https: bool) -> Cookie<'static> {
    Cookie::build(cookie_name(https), token.to_owned())
        .path("/")
        .http_only(true)
        .secure(https)
        .same_site(SameSite::Strict)
        .finish()
}

/// A cookie that makes the browser forget the session cookie.
pub fn removal_cookie(https: bool) -> Cookie<'static> {
    Cookie::build(cookie_name(https), "")
        .path("/")
        .http_only(true)
        .secure(https)
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::ZERO)
        .finish()
}

/// The session token the request carries, if any.
pub fn token_from(req: &HttpRequest, https: bool) -> Option<String> {
    req.cookie(cookie_name(https))
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

#[derive(Debug, Clone, Queryable, Selectable, PartialEq, Eq)]
#[diesel(table_name = staff_sessions)]
pub struct SessionRow {
    /// SHA-256 (hex) of the cookie token.
    pub id: String,
    pub staff_id: StaffId,
    pub csrf_token: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl SessionRow {
    pub fn is_expired(&self, now: NaiveDateTime) -> bool {
        now >= self.created_at + ABSOLUTE_TIMEOUT || now >= self.last_seen_at + IDLE_TIMEOUT
    }
}

/// A session just created: `token` goes into the cookie and nowhere else.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub id: String,
    pub csrf_token: String,
}

/// Cuts a user agent to what is worth keeping.
pub fn truncate_user_agent(ua: &str) -> String {
    ua.chars().take(USER_AGENT_MAX_CHARS).collect()
}

/// Starts a session for an account whose password was just verified, and
/// removes that account's sessions that have already expired.
pub fn create(
    conn: &mut DbConn,
    staff_id: &StaffId,
    ip: Option<&str>,
    user_agent: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<NewSession> {
    diesel::delete(
        staff_sessions::table
            .filter(staff_sessions::staff_id.eq(staff_id))
            .filter(
                staff_sessions::created_at
                    .le(now - ABSOLUTE_TIMEOUT)
                    .or(staff_sessions::last_seen_at.le(now - IDLE_TIMEOUT)),
            ),
    )
    .execute(conn)?;
    let token = new_token();
    let session = NewSession {
        id: token_hash(&token),
        token,
        csrf_token: new_token(),
    };
    diesel::insert_into(staff_sessions::table)
        .values((
            staff_sessions::id.eq(&session.id),
            staff_sessions::staff_id.eq(staff_id),
            staff_sessions::csrf_token.eq(&session.csrf_token),
            staff_sessions::created_at.eq(now),
            staff_sessions::last_seen_at.eq(now),
            staff_sessions::ip.eq(ip),
            staff_sessions::user_agent.eq(user_agent.map(truncate_user_agent)),
        ))
        .execute(conn)?;
    Ok(session)
}

/// The live session behind a cookie token, with its account and scope, or
/// `None` when there is none: unknown token, expired (the row is deleted),
/// or disabled account (its sessions are deleted). Moves `last_seen_at`
/// when it is more than [`TOUCH_INTERVAL`] old.
pub fn lookup(
    conn: &mut DbConn,
    token: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<StaffSession>> {
    let id = token_hash(token);
    let Some(row) = staff_sessions::table
        .find(&id)
        .select(SessionRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    if row.is_expired(now) {
        delete(conn, &row.id)?;
        return Ok(None);
    }
    let Some(member) = staff::table
        .find(&row.staff_id)
        .select(StaffMember::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    if member.disabled {
        // `store::staff::disable` already removed them; be sure.
        diesel::delete(staff_sessions::table.filter(staff_sessions::staff_id.eq(&member.id)))
            .execute(conn)?;
        return Ok(None);
    }
    if now >= row.last_seen_at + TOUCH_INTERVAL {
        diesel::update(staff_sessions::table.find(&row.id))
            .set(staff_sessions::last_seen_at.eq(now))
            .execute(conn)?;
    }
    let scope = scope::of(conn, &member.id, member.role())?;
    Ok(Some(StaffSession {
        staff: member,
        session_id: row.id,
        csrf_token: row.csrf_token,
        scope,
    }))
}

/// Ends one session (logout).
pub fn delete(conn: &mut DbConn, session_id: &str) -> QueryResult<usize> {
    diesel::delete(staff_sessions::table.find(session_id)).execute(conn)
}

/// One login attempt, successful or not: connection data, kept at most as
/// long as the controller's connection-data setting (13 months at most).
pub fn record_login(
    conn: &mut DbConn,
    staff_id: Option<&StaffId>,
    success: bool,
    ip: Option<&str>,
    user_agent: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(login_records::table)
        .values((
            login_records::id.eq(Uuid::now_v7().to_string()),
            login_records::staff_id.eq(staff_id),
            login_records::occurred_at.eq(now),
            login_records::success.eq(success),
            login_records::ip.eq(ip),
            login_records::user_agent.eq(user_agent.map(truncate_user_agent)),
        ))
        .execute(conn)?;
    Ok(())
}

/// A logged-in staff member, as handlers receive it.
#[derive(Debug, Clone)]
pub struct StaffSession {
    pub staff: StaffMember,
    /// The `staff_sessions` row id (hash of the cookie token).
    pub session_id: String,
    /// The token every state-changing form of this session must carry.
    pub csrf_token: String,
    /// The controllers this account may see, read at this request.
    pub scope: Scope,
}

impl StaffSession {
    pub fn role(&self) -> Role {
        self.staff.role()
    }

    pub fn is_admin(&self) -> bool {
        self.role() == Role::Admin
    }

    /// True when a submitted form field equals this session's CSRF token.
    pub fn csrf_matches(&self, submitted: Option<&str>) -> bool {
        let Some(submitted) = submitted else {
            return false;
        };
        let expected = self.csrf_token.as_bytes();
        !expected.is_empty() && bool::from(expected.ct_eq(submitted.as_bytes()))
    }
}

/// 303 to the login page; a stale cookie is removed and the page told why.
fn to_login(https: bool, had_cookie: bool) -> actix_web::Error {
    let mut res = HttpResponse::SeeOther();
    res.insert_header((header::CACHE_CONTROL, "no-store"));
    if had_cookie {
        res.cookie(removal_cookie(https));
        res.insert_header((header::LOCATION, format!("{LOGIN_PATH}?notice=expired")));
    } else {
        res.insert_header((header::LOCATION, LOGIN_PATH));
    }
    InternalError::from_response("login required", res.finish()).into()
}

impl FromRequest for StaffSession {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let req = req.clone();
        Box::pin(async move {
            let Some(state) = state else {
                return Err(actix_web::error::ErrorInternalServerError(
                    "application state missing",
                ));
            };
            let https = state.config.is_https();
            let Some(token) = token_from(&req, https) else {
                return Err(to_login(https, false));
            };
            let now = state.clock.now();
            let pool = state.pool.clone();
            let found = web::block(move || -> anyhow::Result<Option<StaffSession>> {
                let mut conn = pool.get()?;
                Ok(lookup(&mut conn, &token, now)?)
            })
            .await?
            .map_err(|e| {
                tracing::error!(error = %e, "session lookup failed");
                actix_web::error::ErrorInternalServerError("internal error")
            })?;
            found.ok_or_else(|| to_login(https, true))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn t(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, 2)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    fn row(created: NaiveDateTime, seen: NaiveDateTime) -> SessionRow {
        SessionRow {
            id: "x".into(),
            staff_id: "s".into(),
            csrf_token: "c".into(),
            created_at: created,
            last_seen_at: seen,
            ip: None,
            user_agent: None,
        }
    }

    #[test]
    fn idle_and_absolute_timeouts() {
        let r = row(t(8, 0), t(8, 0));
        assert!(!r.is_expired(t(8, 29)));
        assert!(r.is_expired(t(8, 30)));
        // Busy all day: still over after twelve hours.
        let busy = row(t(8, 0), t(19, 59));
        assert!(!busy.is_expired(t(19, 59)));
        assert!(busy.is_expired(t(20, 0)));
    }

    #[test]
    fn cookies_follow_the_scheme() {
        let secure = cookie("tok", true);
        assert_eq!(secure.name(), "__Host-dsr_session");
        assert_eq!(secure.secure(), Some(true));
        assert_eq!(secure.http_only(), Some(true));
        assert_eq!(secure.same_site(), Some(SameSite::Strict));
        assert_eq!(secure.path(), Some("/"));
        assert_eq!(secure.domain(), None);
        let plain = cookie("tok", false);
        assert_eq!(plain.name(), "dsr_session");
        assert_eq!(plain.http_only(), Some(true));
        assert_eq!(plain.same_site(), Some(SameSite::Strict));
        assert_eq!(removal_cookie(false).max_age(), Some(CookieDuration::ZERO));
    }
}
