//! The JSON API for other systems of the controller (a mailing tool asking
//! whether it may write to an address).
//!
//! Authentication is HTTP Basic with a staff account's e-mail and password
//! for now (staff sessions come with the desk). The account must be
//! enabled and either scoped to the controller in the URL or an admin
//! without scope (who administers every controller). An unknown account
//! and a wrong password get the same 401 after the same argon2 work; a
//! controller that does not exist and one outside the account's scope get
//! the same 404, so the API does not reveal which controllers exist.
//!
//! | route | body | answer |
//! |---|---|---|
//! | `POST /api/v1/controllers/{slug}/suppression/check` | `{"email": "…"}` | `{"suppressed": true\|false}` |

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::staff_controllers;
use crate::domain::ids::ControllerId;
use crate::domain::values::Role;
use crate::security::password;
use crate::store::suppression;
use crate::store::{controllers, staff};
use crate::web::AppState;

/// Largest request body accepted: an e-mail address in JSON.
const MAX_BODY: usize = 4 * 1024;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/api/v1/controllers/{slug}/suppression/check")
            .app_data(web::PayloadConfig::new(MAX_BODY))
            .route(web::post().to(suppression_check)),
    );
}

#[derive(Debug, Deserialize)]
struct CheckBody {
    email: String,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct CheckAnswer {
    pub suppressed: bool,
}

fn json_error(status: actix_web::http::StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(serde_json::json!({ "error": message }))
}

fn unauthorized() -> HttpResponse {
    HttpResponse::Unauthorized()
        .insert_header((
            header::WWW_AUTHENTICATE,
            "Basic realm=\"dsr-tracker\", charset=\"UTF-8\"",
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(serde_json::json!({ "error": "authentication required" }))
}

/// `Authorization: Basic base64(email:password)`.
fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, pass) = text.split_once(':')?;
    Some((user.to_owned(), pass.to_owned()))
}

enum Answer {
    Unauthorized,
    NotFound,
    Suppressed(bool),
}

async fn suppression_check(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let Some((user, pass)) = basic_credentials(&req) else {
        return unauthorized();
    };
    let slug = slug.into_inner();
    let state = state.into_inner();
    // Body checked only after the credentials: an anonymous caller learns
    // nothing, not even what the body should look like.
    let parsed: Result<CheckBody, _> = serde_json::from_slice(&body);
    let answer = web::block(move || -> anyhow::Result<Result<Answer, &'static str>> {
        let mut conn = state.pool.get()?;
        let member = staff::find_by_email(&mut conn, &user)?;
        // Always one argon2 verification, account or not.
        let ok = password::verify(&pass, member.as_ref().map(|m| m.password_hash.as_str()));
        let member = match member {
            Some(m) if ok && !m.disabled => m,
            _ => return Ok(Ok(Answer::Unauthorized)),
        };
        let email = match parsed {
            Ok(b) if !suppression::normalise(&b.email).is_empty() => b.email,
            _ => return Ok(Err("expected a JSON body {\"email\": \"…\"}")),
        };
        let Some(controller) = controllers::find_by_slug(&mut conn, &slug)? else {
            return Ok(Ok(Answer::NotFound));
        };
        let scopes: Vec<ControllerId> = staff_controllers::table
            .filter(staff_controllers::staff_id.eq(&member.id))
            .select(staff_controllers::controller_id)
            .load(&mut conn)?;
        let allowed =
            scopes.contains(&controller.id) || (scopes.is_empty() && member.role() == Role::Admin);
        if !allowed {
            return Ok(Ok(Answer::NotFound));
        }
        let key = state.suppression_key.get(&mut conn, state.clock.now())?;
        Ok(Ok(Answer::Suppressed(suppression::is_suppressed(
            &mut conn,
            &key,
            &controller.id,
            &email,
        )?)))
    })
    .await;
    match answer {
        Ok(Ok(Ok(Answer::Suppressed(suppressed)))) => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(CheckAnswer { suppressed }),
        Ok(Ok(Ok(Answer::Unauthorized))) => unauthorized(),
        Ok(Ok(Ok(Answer::NotFound))) => {
            json_error(actix_web::http::StatusCode::NOT_FOUND, "no such controller")
        }
        Ok(Ok(Err(message))) => json_error(actix_web::http::StatusCode::BAD_REQUEST, message),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "suppression check failed");
            json_error(
                actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
                "temporarily unavailable",
            )
        }
        Err(_) => json_error(
            actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
            "temporarily unavailable",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn basic_credentials_are_parsed() {
        let encoded = base64::engine::general_purpose::STANDARD.encode("dpo@issy.fr:pa:ss word");
        let req = TestRequest::default()
            .insert_header((header::AUTHORIZATION, format!("Basic {encoded}")))
            .to_http_request();
        assert_eq!(
            basic_credentials(&req),
            Some(("dpo@issy.fr".into(), "pa:ss word".into()))
        );
        let bearer = TestRequest::default()
            .insert_header((header::AUTHORIZATION, "Bearer abc"))
            .to_http_request();
        assert_eq!(basic_credentials(&bearer), None);
        let garbage = TestRequest::default()
            .insert_header((header::AUTHORIZATION, "Basic ###"))
            .to_http_request();
        assert_eq!(basic_credentials(&garbage), None);
        assert_eq!(
            basic_credentials(&TestRequest::default().to_http_request()),
            None
        );
    }
}
