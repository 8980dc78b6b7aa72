//! The JSON API for other systems of the controller (a mailing tool asking
//! whether it may write to an address).
//!
//! Authentication is an API token (`Authorization: Bearer dsr_…`), created
//! on the desk's account page or with `dsr-tracker token create`
//! ([`crate::store::api_tokens`]): never a staff password, so the API
//! offers no way to guess one and no way around two-step verification;
//! HTTP Basic is answered 401 like a missing token. The token acts with
//! its owner's role and scope: the controller in the URL must be in the
//! owner's scope (an admin without scope administers every controller).
//! A controller that does not exist and one outside the scope get the same
//! 404, so the API does not reveal which controllers exist. Each answered
//! check is an audit event (`api.suppression_checked`, token and owner
//! ids); after [`FAILURES_PER_WINDOW`] refused tokens from one address in
//! [`FAILURE_WINDOW`], that address gets 429 until the window passes.
//!
//! | route | body | answer |
//! |---|---|---|
//! | `POST /api/v1/controllers/{slug}/suppression/check` | `{"email": "…"}` | `{"suppressed": true\|false}` |

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use crate::audit::{self, Actor, NewEvent};
use crate::store::{api_tokens, controllers, scope, suppression};
use crate::web::AppState;

/// Refused tokens allowed per client address and [`FAILURE_WINDOW`].
pub const FAILURES_PER_WINDOW: u32 = 10;
pub const FAILURE_WINDOW: TimeDelta = TimeDelta::minutes(15);

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
        .insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"dsr-tracker\""))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(serde_json::json!({ "error": "an API token is required (Authorization: Bearer …)" }))
}

/// `Authorization: Bearer <token>`; any other scheme (Basic included) is
/// no credential at all.
fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    Some(token.trim().to_owned())
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
    let now = state.clock.now();
    // Behind a trusted proxy, the client's own address (`TRUSTED_PROXIES`).
    let address = crate::web::client_ip(&req).unwrap_or_default();
    let limit_key = format!("api:{address}");
    if state.api_failures.exhausted(&limit_key, now) {
        return HttpResponse::TooManyRequests()
            .insert_header((
                header::RETRY_AFTER,
                FAILURE_WINDOW.num_seconds().to_string(),
            ))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(serde_json::json!({ "error": "too many refused tokens; try again later" }));
    }
    let Some(presented) = bearer_token(&req) else {
        state.api_failures.try_hit(&[&limit_key], now);
        return unauthorized();
    };
    let slug = slug.into_inner();
    let inner = state.clone().into_inner();
    // Body checked only after the token: an anonymous caller learns
    // nothing, not even what the body should look like.
    let parsed: Result<CheckBody, _> = serde_json::from_slice(&body);
    let answer = web::block(move || -> anyhow::Result<Result<Answer, &'static str>> {
        let state = inner;
        let mut conn = state.pool.get()?;
        let Some((token, owner)) = api_tokens::authenticate(&mut conn, &presented, now)? else {
            return Ok(Ok(Answer::Unauthorized));
        };
        let email = match parsed {
            Ok(b) if !suppression::normalise(&b.email).is_empty() => b.email,
            _ => return Ok(Err("expected a JSON body {\"email\": \"…\"}")),
        };
        let Some(controller) = controllers::find_by_slug(&mut conn, &slug)? else {
            return Ok(Ok(Answer::NotFound));
        };
        if !scope::of(&mut conn, &owner.id, owner.role())?.allows(&controller.id) {
            return Ok(Ok(Answer::NotFound));
        }
        let key = state.suppression_key.get(&mut conn, now)?;
        let suppressed = suppression::is_suppressed(&mut conn, &key, &controller.id, &email)?;
        audit::append(
            &mut conn,
            now,
            NewEvent {
                actor: Actor::Staff(owner.id.clone()),
                action: "api.suppression_checked",
                controller_id: Some(&controller.id),
                request_id: None,
                detail: format!("token={}", token.id),
            },
        )?;
        Ok(Ok(Answer::Suppressed(suppressed)))
    })
    .await;
    match answer {
        Ok(Ok(Ok(Answer::Suppressed(suppressed)))) => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(CheckAnswer { suppressed }),
        Ok(Ok(Ok(Answer::Unauthorized))) => {
            state.api_failures.try_hit(&[&limit_key], now);
            unauthorized()
        }
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
    fn only_bearer_tokens_are_credentials() {
        let bearer = TestRequest::default()
            .insert_header((header::AUTHORIZATION, "Bearer dsr_abc"))
            .to_http_request();
        assert_eq!(bearer_token(&bearer).as_deref(), Some("dsr_abc"));
        let basic = TestRequest::default()
            .insert_header((header::AUTHORIZATION, "Basic ZHBvQGlzc3kuZnI6cGFzcw=="))
            .to_http_request();
        assert_eq!(bearer_token(&basic), None);
        assert_eq!(
            bearer_token(&TestRequest::default().to_http_request()),
            None
        );
    }
}
