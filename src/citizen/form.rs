//! The public form of one controller: show it, validate a submission, and
//! store it unconfirmed with its encrypted proofs and the confirmation mail,
//! all in one transaction.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::TimeDelta;
use diesel::Connection;

use super::pages::{FormPage, FormValues, KindOption, MessagePage, not_found, with_csrf_cookie};
use super::upload::{MalformedForm, ParsedForm, UploadLimits, read_form};
use super::{CONFIRM_LINK_HOURS, blocking, mails, owned_page_lang};
use crate::audit::{self, Actor, NewEvent};
use crate::domain::ids::RequestId;
use crate::domain::request::{Channel, RequestKind, Status};
use crate::domain::values::{self, EmailAddress, Locale, ValueError};
use crate::i18n::Tr;
use crate::security::csrf;
use crate::security::keys::{new_token, token_hash};
use crate::security::proofs::{self, ProofType};
use crate::store::controllers::{self, Controller};
use crate::store::requests::{self, NewRequest};
use crate::web::lang::visitor_lang;
use crate::web::pages::{html, see_other};
use crate::web::{AppState, PageResult};

pub const MAX_PROOFS: usize = 3;

async fn load_controller(
    state: &AppState,
    slug: String,
) -> Result<Option<Controller>, actix_web::Error> {
    blocking(state, move |conn| {
        Ok(controllers::find_by_slug(conn, &slug)?)
    })
    .await
}

pub async fn redirect_to_slash(path: web::Path<String>) -> HttpResponse {
    see_other(&format!("/c/{}/", path.into_inner()))
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> PageResult {
    let Some(controller) = load_controller(&state, path.into_inner()).await? else {
        return Err(not_found(visitor_lang(&req)));
    };
    let t = owned_page_lang(&req, controller.locale());
    let https = state.config.is_https();
    let token = csrf::token_for(&req, https);
    let page = form_page(
        &controller,
        t,
        FormValues::default(),
        Vec::new(),
        None,
        &token,
    );
    Ok(with_csrf_cookie(StatusCode::OK, &page, &token, https))
}

pub async fn submitted(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> PageResult {
    let Some(controller) = load_controller(&state, path.into_inner()).await? else {
        return Err(not_found(visitor_lang(&req)));
    };
    let t = owned_page_lang(&req, controller.locale());
    let page = MessagePage::new(t, &controller.name, t.citizen_submitted_title())
        .paragraph(t.citizen_submitted_body())
        .paragraph(t.citizen_submitted_spam(CONFIRM_LINK_HOURS));
    Ok(html(StatusCode::OK, &page))
}

pub(super) fn form_page(
    controller: &Controller,
    t: Tr,
    values: FormValues,
    errors: Vec<(String, String)>,
    notice: Option<String>,
    csrf_token: &str,
) -> FormPage {
    let kinds = RequestKind::ALL
        .iter()
        .map(|k| KindOption {
            value: k.as_str(),
            label: t.kind(*k),
            article: t.citizen_kind_article(k.article()),
            description: t.citizen_kind_description(k.as_str()),
            checked: values.kind == k.as_str(),
        })
        .collect();
    let required = controller.proof_required_for();
    let proof_rule = if required.is_empty() {
        t.citizen_proof_not_required()
    } else {
        let names: Vec<String> = required.iter().map(|k| t.kind(*k)).collect();
        t.citizen_proof_required_for(names.join(&t.citizen_list_separator()))
    };
    let title = t.citizen_page_title(t.citizen_form_title(), &controller.name);
    let title = if errors.is_empty() {
        title
    } else {
        // Screen-reader users hear the page title first.
        t.citizen_page_title(t.citizen_errors_title(), title)
    };
    FormPage {
        t,
        page_title: title,
        header_name: controller.name.clone(),
        lang_switch_url: Some(format!("/c/{}/?lang={}", controller.slug, t.other_lang())),
        action_url: format!("/c/{}/?lang={}", controller.slug, t.query_lang()),
        lang_field: t.query_lang(),
        controller_name: controller.name.clone(),
        dpo_email: controller.dpo_email.clone(),
        postal_address: controller.postal_address.clone(),
        kinds,
        max_proofs: MAX_PROOFS,
        values,
        errors,
        notice,
        files_again: false,
        csrf: csrf_token.to_owned(),
        proof_rule,
    }
}

pub(crate) fn upload_limits(state: &AppState) -> UploadLimits {
    UploadLimits {
        max_file_bytes: state.config.proof_max_file_bytes,
        max_total_bytes: state.config.proof_max_total_bytes,
        max_files: MAX_PROOFS,
        max_text_bytes: 64 * 1024,
    }
}

/// A proof that passed every check, ready to be sealed.
pub(crate) struct CheckedProof {
    pub proof_type: ProofType,
    pub display_name: String,
    pub bytes: Vec<u8>,
}

/// The checks shared by the form and the status-page reply (and the desk's
/// registration of a letter): count, size, and type by magic bytes (never
/// by the browser's Content-Type or the name). The error is the message to
/// show next to the file field, in `t`'s language.
pub(crate) fn check_proofs(
    form: &mut ParsedForm,
    t: Tr,
    limits: &UploadLimits,
) -> Result<Vec<CheckedProof>, String> {
    if form.file_too_large {
        return Err(t.citizen_error_file_too_large(human_size(t, limits.max_file_bytes)));
    }
    if form.total_too_large {
        return Err(t.citizen_error_files_too_large(human_size(t, limits.max_total_bytes)));
    }
    if form.too_many_files {
        return Err(t.citizen_error_too_many_files(limits.max_files));
    }
    let mut checked = Vec::new();
    for file in std::mem::take(&mut form.files) {
        let Some(proof_type) = proofs::sniff(&file.bytes) else {
            let shown = proofs::sanitize_display_name(&file.file_name, ProofType::Pdf);
            return Err(t.citizen_error_not_a_proof(shown));
        };
        checked.push(CheckedProof {
            proof_type,
            display_name: proofs::sanitize_display_name(&file.file_name, proof_type),
            bytes: file.bytes,
        });
    }
    Ok(checked)
}

/// The message for an upload so large it was not read to the end.
pub(crate) fn upload_too_large(t: Tr, limits: &UploadLimits) -> String {
    t.citizen_error_upload_too_large(
        human_size(t, limits.max_file_bytes),
        human_size(t, limits.max_total_bytes),
    )
}

/// Whether the citizen had attached files, which a form shown again cannot
/// give back.
pub(crate) fn had_files(form: &ParsedForm) -> bool {
    !form.files.is_empty()
        || form.file_too_large
        || form.total_too_large
        || form.too_many_files
        || form.aborted
}

/// A message as a sentence: capital first letter, final full stop (the
/// value messages are written lower-case so the CLI can prefix them).
pub(crate) fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// After "Field : ", the message keeps its lower case but ends with a stop.
pub(crate) fn lower_sentence(message: &str) -> String {
    if message.ends_with(['.', '!', '?']) {
        message.to_owned()
    } else {
        format!("{message}.")
    }
}

/// "10 Mo" / "10 MB", or kilobytes below a megabyte.
fn human_size(t: Tr, bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        t.citizen_size_mb(bytes / MB)
    } else {
        t.citizen_size_kb(bytes.div_ceil(1024))
    }
}

/// Seals and stores the citizen's checked proofs, in the caller's
/// transaction.
pub(super) fn store_proofs(
    conn: &mut crate::db::DbConn,
    state: &AppState,
    request_id: &RequestId,
    proofs: &[CheckedProof],
    now: chrono::NaiveDateTime,
) -> diesel::QueryResult<()> {
    store_proofs_by(
        conn,
        state,
        request_id,
        proofs,
        crate::store::proofs::UploadedBy::Citizen,
        now,
    )
}

/// [`store_proofs`] for any uploader: staff attach the scanned letter of a
/// request received by post through the same checks and encryption.
pub(crate) fn store_proofs_by(
    conn: &mut crate::db::DbConn,
    state: &AppState,
    request_id: &RequestId,
    proofs: &[CheckedProof],
    uploaded_by: crate::store::proofs::UploadedBy,
    now: chrono::NaiveDateTime,
) -> diesel::QueryResult<()> {
    for proof in proofs {
        crate::store::proofs::insert(
            conn,
            &state.master_key,
            now,
            &crate::store::proofs::NewProof {
                request_id,
                proof_type: proof.proof_type,
                display_name: &proof.display_name,
                uploaded_by,
                plaintext: &proof.bytes,
            },
        )?;
    }
    Ok(())
}

/// A submission that passed validation.
struct ValidSubmission {
    kind: RequestKind,
    first_name: String,
    last_name: String,
    email: EmailAddress,
    postal_address: Option<String>,
    details: String,
    grounds: Option<String>,
    proofs: Vec<CheckedProof>,
}

fn validate(
    form: &mut ParsedForm,
    controller: &Controller,
    t: Tr,
    limits: &UploadLimits,
) -> Result<ValidSubmission, Vec<(String, String)>> {
    let mut errors: Vec<(String, String)> = Vec::new();
    // "Prénom : trop long (100 caractères au plus)."
    let labelled =
        |label: String, e: ValueError| t.labelled(&label, &lower_sentence(&t.value_error(&e)));
    for name in form.duplicated.clone() {
        let anchor = if name == "csrf" || name == "lang" {
            "kind".to_owned()
        } else {
            name.clone()
        };
        errors.push((anchor, t.citizen_error_duplicated(&name)));
    }
    for name in form.unreadable.clone() {
        errors.push((name, t.citizen_error_unreadable()));
    }
    let kind = match form.text("kind") {
        "" => {
            errors.push(("kind".into(), t.citizen_error_kind_missing()));
            None
        }
        raw => match raw.parse::<RequestKind>() {
            Ok(k) => Some(k),
            Err(_) => {
                errors.push(("kind".into(), t.citizen_error_kind_unknown()));
                None
            }
        },
    };
    let first_name = values::single_line(form.text("first_name"), 100)
        .map_err(|e| errors.push(("first_name".into(), labelled(t.citizen_first_name(), e))))
        .ok();
    let last_name = values::single_line(form.text("last_name"), 100)
        .map_err(|e| errors.push(("last_name".into(), labelled(t.citizen_last_name(), e))))
        .ok();
    let email = EmailAddress::parse(form.text("email"))
        .map_err(|e| errors.push(("email".into(), sentence(&t.value_error(&e)))))
        .ok();
    let postal_address = values::multi_line(form.text("postal_address"), 500)
        .map_err(|e| {
            errors.push((
                "postal_address".into(),
                labelled(t.citizen_postal_address(), e),
            ))
        })
        .ok();
    let details = match values::multi_line(form.text("details"), 5000) {
        Ok(d) if d.is_empty() => {
            errors.push(("details".into(), t.citizen_error_details_missing()));
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            errors.push(("details".into(), labelled(t.citizen_details(), e)));
            None
        }
    };
    let grounds = match values::multi_line(form.text("grounds"), 5000) {
        Ok(g) => Some(g),
        Err(e) => {
            errors.push(("grounds".into(), labelled(t.citizen_grounds(), e)));
            None
        }
    };
    if kind.is_some_and(RequestKind::requires_grounds)
        && grounds.as_deref().is_some_and(str::is_empty)
    {
        errors.push(("grounds".into(), t.citizen_error_grounds_missing()));
    }
    let proofs = match check_proofs(form, t, limits) {
        Ok(p) => p,
        Err(e) => {
            errors.push(("proof".into(), e));
            Vec::new()
        }
    };
    if let Some(k) = kind
        && proofs.is_empty()
        && !errors.iter().any(|(f, _)| f == "proof")
        && controller.proof_required_for().contains(&k)
    {
        errors.push(("proof".into(), t.citizen_error_proof_required()));
    }
    match (
        kind,
        first_name,
        last_name,
        email,
        postal_address,
        details,
        grounds,
    ) {
        (
            Some(kind),
            Some(first_name),
            Some(last_name),
            Some(email),
            Some(postal_address),
            Some(details),
            Some(grounds),
        ) if errors.is_empty() => {
            Ok(ValidSubmission {
                kind,
                first_name,
                last_name,
                email,
                postal_address: Some(postal_address).filter(|a| !a.is_empty()),
                details,
                // Grounds belong to an objection only; elsewhere they are dropped.
                grounds: Some(grounds).filter(|g| kind.requires_grounds() && !g.is_empty()),
                proofs,
            })
        }
        _ => Err(errors),
    }
}

fn values_of(form: &ParsedForm) -> FormValues {
    FormValues {
        kind: form.text("kind").to_owned(),
        first_name: form.text("first_name").to_owned(),
        last_name: form.text("last_name").to_owned(),
        email: form.text("email").to_owned(),
        postal_address: form.text("postal_address").to_owned(),
        details: form.text("details").to_owned(),
        grounds: form.text("grounds").to_owned(),
    }
}

/// The language of a submitted form: its hidden `lang` field, else the
/// page's (the pseudo-language travels in the query).
fn submitted_lang(form: &ParsedForm, page: Tr) -> Tr {
    form.text("lang")
        .parse::<Locale>()
        .map(Tr::new)
        .unwrap_or(page)
}

pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    payload: Multipart,
) -> PageResult {
    let Some(controller) = load_controller(&state, path.into_inner()).await? else {
        return Err(not_found(visitor_lang(&req)));
    };
    let https = state.config.is_https();
    let limits = upload_limits(&state);
    let token = csrf::token_for(&req, https);
    // A body that is not a readable form still gives back what could be
    // read before the fault.
    let (mut form, malformed) = match read_form(payload, limits, &["proof"]).await {
        Ok(f) => (f, false),
        Err(MalformedForm { partial }) => (partial, true),
    };
    let t = submitted_lang(&form, owned_page_lang(&req, controller.locale()));
    let files_again = had_files(&form) || malformed;
    // The form again, with what was typed; files must be chosen again.
    let again = |status: StatusCode,
                 form: &ParsedForm,
                 errors: Vec<(String, String)>,
                 notice: Option<String>| {
        let mut page = form_page(&controller, t, values_of(form), errors, notice, &token);
        page.files_again = files_again;
        with_csrf_cookie(status, &page, &token, https)
    };
    if form.aborted {
        let errors = vec![("proof".to_owned(), upload_too_large(t, &limits))];
        return Ok(again(StatusCode::PAYLOAD_TOO_LARGE, &form, errors, None));
    }
    if malformed {
        let notice = Some(t.citizen_error_form_unreadable());
        return Ok(again(StatusCode::BAD_REQUEST, &form, Vec::new(), notice));
    }
    if !csrf::verify(&req, https, form.fields.get("csrf").map(String::as_str)) {
        let notice = Some(t.citizen_csrf_failed());
        return Ok(again(StatusCode::FORBIDDEN, &form, Vec::new(), notice));
    }
    if !form.text("website").is_empty() {
        // A bot filled the hidden field: look successful, store nothing.
        return Ok(see_other(&format!(
            "/c/{}/submitted?lang={}",
            controller.slug,
            t.query_lang()
        )));
    }
    let valid = match validate(&mut form, &controller, t, &limits) {
        Ok(v) => v,
        Err(errors) => {
            return Ok(again(StatusCode::UNPROCESSABLE_ENTITY, &form, errors, None));
        }
    };
    let now = state.clock.now();
    let ip = crate::web::client_ip(&req);
    let email_key = format!("email:{}", valid.email.normalized());
    let ip_key = format!("ip:{}", ip.as_deref().unwrap_or("unknown"));
    if !state
        .submission_limiter
        .try_hit(&[&email_key, &ip_key], now)
    {
        let notice = Some(t.citizen_rate_limited());
        return Ok(again(
            StatusCode::TOO_MANY_REQUESTS,
            &form,
            Vec::new(),
            notice,
        ));
    }

    let confirm_token = new_token();
    let user_agent = req
        .headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(300).collect::<String>());
    let slug = controller.slug.clone();
    let confirm_url = format!(
        "{}/c/{}/confirm/{}",
        state.config.public_url, slug, confirm_token
    );
    let app = state.clone();
    blocking(&state, move |conn| {
        conn.transaction::<_, anyhow::Error, _>(|conn| {
            let request = requests::insert(
                conn,
                &NewRequest {
                    controller_id: controller.id.clone(),
                    kind: valid.kind,
                    channel: Channel::Web,
                    status: Status::Unconfirmed,
                    locale: t.locale(),
                    first_name: valid.first_name,
                    last_name: valid.last_name,
                    email: Some(valid.email.as_str().to_owned()),
                    postal_address: valid.postal_address,
                    details: valid.details,
                    objection_grounds: valid.grounds,
                    submitted_at: now,
                    received_at: None,
                    due_on: None,
                    reference: None,
                    confirm_token_hash: Some(token_hash(&confirm_token)),
                    confirm_token_expires_at: Some(now + TimeDelta::hours(CONFIRM_LINK_HOURS)),
                    status_token_hash: None,
                    submitter_ip: ip,
                    submitter_user_agent: user_agent,
                },
            )?;
            store_proofs(conn, &app, &request.id, &valid.proofs, now)?;
            mails::confirmation(conn, &app, &controller, &request, &confirm_url, now)?;
            audit::append(
                conn,
                now,
                NewEvent {
                    actor: Actor::Citizen,
                    action: "request.submitted",
                    controller_id: Some(&controller.id),
                    request_id: Some(&request.id),
                    detail: format!(
                        "kind={} channel=web proofs={}",
                        valid.kind.as_str(),
                        valid.proofs.len()
                    ),
                },
            )?;
            Ok(())
        })
    })
    .await?;
    crate::mail::wake_worker();
    Ok(see_other(&format!(
        "/c/{slug}/submitted?lang={}",
        t.query_lang()
    )))
}
