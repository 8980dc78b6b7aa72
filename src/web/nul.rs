//! Refuses a request carrying a NUL character in its path, headers or form
//! body, before any handler sees it: PostgreSQL cannot
//! store or even compare a text holding one (the query fails, the visitor
//! got a 500, even on `/c/ville%00/` without a session), and no person
//! types one. The visitor gets a 400 page in their language instead.
//!
//! Multipart bodies are not scanned here, since their files hold NUL bytes
//! of their own: their text fields are checked where they are read
//! (`citizen::upload`). The query string is left to the pages that read it:
//! a language or notice parameter that does not parse is ignored there,
//! as it always was.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{ResponseError, web};
use futures_util::StreamExt;

use super::PageError;
use super::pages::RefusedPage;

/// Wraps every route (`crate::server`).
pub async fn refuse_nul(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let mut refused = has_nul(req.uri().path().as_bytes(), b"%00")
        || req.headers().iter().any(|(_, v)| v.as_bytes().contains(&0));
    if !refused && let Some(pattern) = escaped_nul(&req) {
        let mut payload = req.parts_mut().1.take();
        let mut body = web::BytesMut::new();
        while let Some(chunk) = payload.next().await {
            body.extend_from_slice(&chunk?);
            // Past the limit the form extractor refuses the body anyway.
            if body.len() > crate::server::FORM_LIMIT_BYTES {
                break;
            }
        }
        refused = has_nul(&body, pattern);
        req.set_payload(Payload::from(body.freeze()));
    }
    if refused {
        let page = refusal(req.request());
        return Ok(req.into_response(page.error_response()));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// How a NUL is written in this request's body, for the bodies that are
/// text: `%00` in a form, `\u0000` in JSON.
fn escaped_nul(req: &ServiceRequest) -> Option<&'static [u8]> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())?
        .to_ascii_lowercase();
    let declared_length = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared_length.is_some_and(|n| n > crate::server::FORM_LIMIT_BYTES) {
        return None;
    }
    // A compressed body holds zero bytes of its own; browsers never send one.
    if req
        .headers()
        .get(header::CONTENT_ENCODING)
        .is_some_and(|v| v.as_bytes() != b"identity")
    {
        return None;
    }
    if content_type.starts_with("application/x-www-form-urlencoded") {
        Some(b"%00")
    } else if content_type.starts_with("application/json") || content_type.contains("+json") {
        Some(b"\\u0000")
    } else {
        None
    }
}

/// A raw NUL byte, or `escaped` (ASCII, compared without case).
fn has_nul(bytes: &[u8], escaped: &[u8]) -> bool {
    bytes.contains(&0)
        || bytes
            .windows(escaped.len())
            .any(|w| w.eq_ignore_ascii_case(escaped))
}

fn refusal(req: &actix_web::HttpRequest) -> PageError {
    let t = if req.path().starts_with("/desk") {
        super::lang::page_lang(req)
    } else {
        super::lang::visitor_lang(req)
    };
    let heading = t.request_nul_title();
    let page = RefusedPage {
        t,
        page_title: heading.clone(),
        header_name: t.site_name(),
        lang_switch_url: None,
        heading,
        body: t.request_nul_body(),
        back_url: None,
    };
    PageError::page(StatusCode::BAD_REQUEST, &page)
}

#[cfg(test)]
mod tests {
    use super::has_nul;

    #[test]
    fn escaped_and_raw_nul_are_found() {
        assert!(has_nul(b"/c/ville%00/", b"%00"));
        assert!(has_nul(b"email=a\0b", b"%00"));
        assert!(has_nul(br#"{"email":"a\u0000b"}"#, b"\\u0000"));
        assert!(!has_nul(b"email=a%2500b", b"%00"));
        assert!(!has_nul(b"/c/ville/", b"%00"));
    }
}
