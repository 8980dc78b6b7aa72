//! `/desk/account/tokens`: the logged-in person's API tokens
//! ([`crate::store::api_tokens`]), reached from the account page. A token
//! is created here with a name and an optional life in days and shown
//! once, on the answer to the creating form (never in a URL, never again);
//! the list shows when each was created, expires and was last used, and
//! revokes one at once. Every form carries the session's CSRF token.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::blocking;
use super::extract::StaffForm;
use super::pages::{StaffBar, lang_switch_to, page_title};
use crate::audit::Actor;
use crate::domain::values;
use crate::i18n::Tr;
use crate::security::session::StaffSession;
use crate::store::api_tokens::{self, ApiToken};
use crate::web::pages::{html, see_other};
use crate::web::{AppState, PageError, PageLang, PageResult};

pub struct TokenRow {
    pub name: String,
    pub created: String,
    pub expires: String,
    pub last_used: String,
    pub state: String,
    /// Where its revoke form posts, while it still works.
    pub revoke_url: Option<String>,
}

#[derive(Template)]
#[template(path = "desk/tokens.html")]
pub struct TokensPage {
    pub t: Tr,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub bar: Option<StaffBar>,
    pub tokens: Vec<TokenRow>,
    /// The token just created: shown this once.
    pub created: Option<String>,
    pub create_url: String,
    pub csrf: String,
    pub name: String,
    pub days: String,
    pub notice: Option<String>,
    pub alert: Option<String>,
    pub errors: Vec<(String, String)>,
}

impl TokensPage {
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

#[derive(serde::Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

#[derive(Default)]
struct View {
    created: Option<String>,
    name: String,
    days: String,
    notice: Option<String>,
    alert: Option<String>,
    errors: Vec<(String, String)>,
}

fn row(t: Tr, token: &ApiToken, now: chrono::NaiveDateTime) -> TokenRow {
    let day =
        |at: Option<chrono::NaiveDateTime>| at.map_or("—".to_owned(), |at| t.date(at.date()));
    let live = token.is_live(now);
    TokenRow {
        name: token.name.clone(),
        created: day(Some(token.created_at)),
        expires: day(token.expires_at),
        last_used: day(token.last_used_at),
        state: if token.revoked_at.is_some() {
            t.desk_token_revoked()
        } else if live {
            t.desk_token_active()
        } else {
            t.desk_token_expired()
        },
        revoke_url: live.then(|| {
            format!(
                "/desk/account/tokens/{}/revoke?lang={}",
                token.id,
                t.query_lang()
            )
        }),
    }
}

async fn page(
    state: &web::Data<AppState>,
    session: &StaffSession,
    t: Tr,
    view: View,
) -> Result<TokensPage, actix_web::Error> {
    let owner = session.staff.id.clone();
    let now = state.clock.now();
    let tokens = blocking(state, move |conn| Ok(api_tokens::of_staff(conn, &owner)?)).await?;
    let with_errors = !view.errors.is_empty() || view.alert.is_some();
    Ok(TokensPage {
        t,
        page_title: page_title(t, &t.desk_tokens_title(), with_errors),
        header_name: t.desk_header(),
        lang_switch_url: lang_switch_to("/desk/account/tokens", t),
        bar: Some(StaffBar::of(session, t)),
        tokens: tokens.iter().map(|k| row(t, k, now)).collect(),
        created: view.created,
        create_url: format!("/desk/account/tokens?lang={}", t.query_lang()),
        csrf: session.csrf_token.clone(),
        name: view.name,
        days: view.days,
        notice: view.notice,
        alert: view.alert,
        errors: view.errors,
    })
}

pub async fn show(
    lang: PageLang,
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<NoticeQuery>,
) -> Result<HttpResponse, actix_web::Error> {
    let t = lang.0;
    let notice = match query.notice.as_deref() {
        Some("revoked") => Some(t.desk_token_revoked_notice()),
        _ => None,
    };
    let view = View {
        notice,
        ..View::default()
    };
    Ok(html(
        StatusCode::OK,
        &page(&state, &session, t, view).await?,
    ))
}

pub async fn create(lang: PageLang, state: web::Data<AppState>, form: StaffForm) -> PageResult {
    let t = lang.0;
    let csrf_expired = form.csrf_expired();
    let (session, fields) = (form.session, form.fields);
    let name_typed = fields.get("name").unwrap_or_default().to_owned();
    let days_typed = fields.get("days").unwrap_or_default().trim().to_owned();
    let mut view = View {
        name: name_typed.clone(),
        days: days_typed.clone(),
        ..View::default()
    };
    if csrf_expired {
        view.alert = Some(t.desk_tokens_expired());
        let p = page(&state, &session, t, view).await?;
        return Err(PageError::page(StatusCode::FORBIDDEN, &p));
    }
    let name = values::single_line(&name_typed, api_tokens::MAX_NAME)
        .map_err(|e| view.errors.push(("name".to_owned(), t.value_error(&e))))
        .ok();
    let days = if days_typed.is_empty() {
        Some(None)
    } else {
        match days_typed.parse::<i64>() {
            Ok(d) if (1..=api_tokens::MAX_DAYS).contains(&d) => Some(Some(d)),
            _ => {
                view.errors.push((
                    "days".to_owned(),
                    t.desk_token_days_invalid(api_tokens::MAX_DAYS),
                ));
                None
            }
        }
    };
    let (Some(name), Some(days)) = (name, days) else {
        let p = page(&state, &session, t, view).await?;
        return Err(PageError::page(StatusCode::UNPROCESSABLE_ENTITY, &p));
    };
    let now = state.clock.now();
    let owner = session.staff.id.clone();
    let (_, secret) = blocking(&state, move |conn| {
        Ok(api_tokens::create(
            conn,
            &owner,
            &name,
            days,
            Actor::Staff(owner.clone()),
            now,
        )?)
    })
    .await?;
    let view = View {
        created: Some(secret),
        ..View::default()
    };
    Ok(html(
        StatusCode::OK,
        &page(&state, &session, t, view).await?,
    ))
}

pub async fn revoke(
    lang: PageLang,
    state: web::Data<AppState>,
    form: StaffForm,
    path: web::Path<(String,)>,
) -> PageResult {
    let t = lang.0;
    let session = form.session.clone();
    if form.csrf_expired() {
        let view = View {
            alert: Some(t.desk_tokens_expired()),
            ..View::default()
        };
        let p = page(&state, &session, t, view).await?;
        return Err(PageError::page(StatusCode::FORBIDDEN, &p));
    }
    let id = path.into_inner().0;
    let now = state.clock.now();
    let owner = session.staff.id.clone();
    // Only the owner's own tokens: another id revokes nothing.
    blocking(&state, move |conn| {
        Ok(api_tokens::revoke(
            conn,
            &id,
            Some(&owner),
            Actor::Staff(owner.clone()),
            now,
        )?)
    })
    .await?;
    Ok(see_other(&format!(
        "/desk/account/tokens?notice=revoked&lang={}",
        t.query_lang()
    )))
}
