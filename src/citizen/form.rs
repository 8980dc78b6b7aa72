//! The public form of one controller: show it, validate a submission, and
//! store it unconfirmed with its encrypted proofs and the confirmation mail,
//! all in one transaction.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, web};
use chrono::TimeDelta;
use diesel::Connection;

use super::pages::{FormPage, FormValues, KindOption, MessagePage};
use super::texts::{Texts, kind_description, texts};
use super::upload::{ParsedForm, UploadLimits, read_form};
use super::{CONFIRM_LINK_HOURS, blocking, chosen_locale, mails};
use crate::audit::{self, Actor, NewEvent};
use crate::domain::request::{Channel, RequestKind, Status};
use crate::domain::values::{self, EmailAddress, Locale, ValueError};
use crate::i18n::kind_label;
use crate::security::csrf;
use crate::security::keys::{new_token, token_hash};
use crate::security::proofs::{self, ProofType};
use crate::store::controllers::{self, Controller};
use crate::store::requests::{self, NewRequest};
use crate::web::AppState;
use crate::web::pages::{html, html_with, see_other};

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
) -> Result<HttpResponse, actix_web::Error> {
    let Some(controller) = load_controller(&state, path.into_inner()).await? else {
        return Ok(super::not_found_page(chosen_locale(&req, Locale::Fr)));
    };
    let locale = chosen_locale(&req, controller.locale());
    let https = state.config.is_https();
    let token = csrf::token_for(&req, https);
    let page = form_page(
        &controller,
        locale,
        FormValues::default(),
        Vec::new(),
        None,
        &token,
    );
    let mut builder = HttpResponse::Ok();
    builder.cookie(csrf::cookie(&token, https));
    Ok(html_with(builder, &page))
}

pub async fn submitted(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, actix_web::Error> {
    let Some(controller) = load_controller(&state, path.into_inner()).await? else {
        return Ok(super::not_found_page(chosen_locale(&req, Locale::Fr)));
    };
    let t = texts(chosen_locale(&req, controller.locale()));
    let page = MessagePage::new(t, &controller.name, t.submitted_title)
        .paragraph(t.submitted_body)
        .paragraph(t.submitted_spam);
    Ok(html(StatusCode::OK, &page))
}

pub(super) fn form_page<'a>(
    controller: &Controller,
    locale: Locale,
    values: FormValues,
    errors: Vec<(String, String)>,
    notice: Option<String>,
    csrf_token: &str,
) -> FormPage<'a> {
    let t = texts(locale);
    let kinds = RequestKind::ALL
        .iter()
        .map(|k| KindOption {
            value: k.as_str(),
            label: kind_label(*k, locale),
            article: k.article(),
            description: kind_description(*k, locale),
            checked: values.kind == k.as_str(),
        })
        .collect();
    let required = controller.proof_required_for();
    let proof_rule = if required.is_empty() {
        t.proof_not_required.to_owned()
    } else {
        let names: Vec<String> = required.iter().map(|k| kind_label(*k, locale)).collect();
        format!("{}{}.", t.proof_required_for, names.join(", "))
    };
    let title = if errors.is_empty() {
        format!("{} — {}", t.form_title, controller.name)
    } else {
        // Screen-reader users hear the page title first.
        format!(
            "{} — {} — {}",
            t.errors_title, t.form_title, controller.name
        )
    };
    FormPage {
        t,
        page_title: title,
        header_name: controller.name.clone(),
        lang_switch_url: Some(format!("/c/{}/?lang={}", controller.slug, t.other_lang)),
        action_url: format!("/c/{}/?lang={}", controller.slug, t.lang),
        controller_name: controller.name.clone(),
        dpo_email: controller.dpo_email.clone(),
        postal_address: controller.postal_address.clone(),
        kinds,
        values,
        errors,
        notice,
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

/// The checks shared by the form and the status-page reply: count, size,
/// and type by magic bytes (never by the browser's Content-Type or the name).
pub(crate) fn check_proofs(
    form: &mut ParsedForm,
    locale: Locale,
    limits: &UploadLimits,
) -> Result<Vec<CheckedProof>, String> {
    let fr = locale == Locale::Fr;
    let mb = |b: u64| human_size(b, fr);
    if form.file_too_large {
        return Err(if fr {
            format!(
                "Chaque fichier doit faire {} au plus.",
                mb(limits.max_file_bytes)
            )
        } else {
            format!("Each file must be {} at most.", mb(limits.max_file_bytes))
        });
    }
    if form.total_too_large {
        return Err(if fr {
            format!(
                "Les fichiers doivent faire {} au plus au total.",
                mb(limits.max_total_bytes)
            )
        } else {
            format!(
                "The files must be {} at most in total.",
                mb(limits.max_total_bytes)
            )
        });
    }
    if form.too_many_files {
        return Err(if fr {
            format!("Joignez {MAX_PROOFS} fichiers au plus.")
        } else {
            format!("Attach {MAX_PROOFS} files at most.")
        });
    }
    let mut checked = Vec::new();
    for file in std::mem::take(&mut form.files) {
        let Some(proof_type) = proofs::sniff(&file.bytes) else {
            let shown = proofs::sanitize_display_name(&file.file_name, ProofType::Pdf);
            return Err(if fr {
                format!("Le fichier « {shown} » n'est pas un PDF, un JPEG ou un PNG.")
            } else {
                format!("The file \"{shown}\" is not a PDF, JPEG or PNG.")
            });
        };
        checked.push(CheckedProof {
            proof_type,
            display_name: proofs::sanitize_display_name(&file.file_name, proof_type),
            bytes: file.bytes,
        });
    }
    Ok(checked)
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
fn human_size(bytes: u64, fr: bool) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        format!("{} {}", bytes / MB, if fr { "Mo" } else { "MB" })
    } else {
        format!("{} {}", bytes.div_ceil(1024), if fr { "Ko" } else { "KB" })
    }
}

/// Seals and stores the citizen's checked proofs, in the caller's
/// transaction.
pub(super) fn store_proofs(
    conn: &mut crate::db::DbConn,
    state: &AppState,
    request_id: &str,
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
    request_id: &str,
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
    locale: Locale,
    limits: &UploadLimits,
) -> Result<ValidSubmission, Vec<(String, String)>> {
    let t = texts(locale);
    let mut errors: Vec<(String, String)> = Vec::new();
    let msg = |e: ValueError| sentence(e.message(locale));
    for name in form.duplicated.clone() {
        let anchor = if name == "csrf" || name == "lang" {
            "kind".to_owned()
        } else {
            name.clone()
        };
        errors.push((
            anchor,
            match locale {
                Locale::Fr => format!(
                    "Le champ « {name} » a été envoyé plusieurs fois ; renvoyez le formulaire."
                ),
                Locale::En => {
                    format!("The field \"{name}\" was sent more than once; send the form again.")
                }
            },
        ));
    }
    for name in form.unreadable.clone() {
        errors.push((
            name.clone(),
            match locale {
                Locale::Fr => "Ce texte est trop long ou illisible.".to_owned(),
                Locale::En => "This text is too long or unreadable.".to_owned(),
            },
        ));
    }
    let kind = match form.text("kind") {
        "" => {
            errors.push((
                "kind".into(),
                match locale {
                    Locale::Fr => "Choisissez le droit que vous souhaitez exercer.".into(),
                    Locale::En => "Choose the right you want to exercise.".into(),
                },
            ));
            None
        }
        raw => match raw.parse::<RequestKind>() {
            Ok(k) => Some(k),
            Err(_) => {
                errors.push((
                    "kind".into(),
                    match locale {
                        Locale::Fr => {
                            "Ce type de demande n'existe pas : choisissez-en un dans la liste."
                                .into()
                        }
                        Locale::En => {
                            "This type of request does not exist: choose one from the list.".into()
                        }
                    },
                ));
                None
            }
        },
    };
    let first_name = values::single_line(form.text("first_name"), 100)
        .map_err(|e| {
            errors.push((
                "first_name".into(),
                format!("{} : {}", t.first_name, lower_sentence(e.message(locale))),
            ))
        })
        .ok();
    let last_name = values::single_line(form.text("last_name"), 100)
        .map_err(|e| {
            errors.push((
                "last_name".into(),
                format!("{} : {}", t.last_name, lower_sentence(e.message(locale))),
            ))
        })
        .ok();
    let email = EmailAddress::parse(form.text("email"))
        .map_err(|e| errors.push(("email".into(), msg(e))))
        .ok();
    let postal_address = values::multi_line(form.text("postal_address"), 500)
        .map_err(|e| {
            errors.push((
                "postal_address".into(),
                format!(
                    "{} : {}",
                    t.postal_address,
                    lower_sentence(e.message(locale))
                ),
            ))
        })
        .ok();
    let details = match values::multi_line(form.text("details"), 5000) {
        Ok(d) if d.is_empty() => {
            errors.push((
                "details".into(),
                match locale {
                    Locale::Fr => "Décrivez votre demande : quelles données, quel service.".into(),
                    Locale::En => "Describe your request: which data, which service.".into(),
                },
            ));
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            errors.push((
                "details".into(),
                format!("{} : {}", t.details, lower_sentence(e.message(locale))),
            ));
            None
        }
    };
    let grounds = match values::multi_line(form.text("grounds"), 5000) {
        Ok(g) => Some(g),
        Err(e) => {
            errors.push((
                "grounds".into(),
                format!("{} : {}", t.grounds, lower_sentence(e.message(locale))),
            ));
            None
        }
    };
    if kind.is_some_and(RequestKind::requires_grounds)
        && grounds.as_deref().is_some_and(str::is_empty)
    {
        errors.push(("grounds".into(), match locale {
            Locale::Fr => "Une opposition doit indiquer vos motifs : les raisons tenant à votre situation particulière.".into(),
            Locale::En => "An objection must state your grounds: the reasons relating to your particular situation.".into(),
        }));
    }
    let proofs = match check_proofs(form, locale, limits) {
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
        errors.push((
            "proof".into(),
            match locale {
                Locale::Fr => {
                    "Un justificatif d'identité est obligatoire pour ce type de demande.".into()
                }
                Locale::En => "A proof of identity is required for this type of request.".into(),
            },
        ));
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

pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    payload: Multipart,
) -> Result<HttpResponse, actix_web::Error> {
    let Some(controller) = load_controller(&state, path.into_inner()).await? else {
        return Ok(super::not_found_page(chosen_locale(&req, Locale::Fr)));
    };
    let https = state.config.is_https();
    let limits = upload_limits(&state);
    let query_locale = chosen_locale(&req, controller.locale());
    let mut form = match read_form(payload, limits, &["proof"]).await {
        Ok(f) => f,
        Err(_) => {
            return Ok(error_page(
                &controller,
                query_locale,
                StatusCode::BAD_REQUEST,
            ));
        }
    };
    let locale = form.text("lang").parse::<Locale>().unwrap_or(query_locale);
    let t = texts(locale);
    if form.aborted {
        return Ok(too_large_page(&controller, t));
    }
    let token = csrf::token_for(&req, https);
    let respond = |status: StatusCode, page: FormPage<'_>| {
        let mut builder = HttpResponseBuilder::new(status);
        builder.cookie(csrf::cookie(&token, https));
        html_with(builder, &page)
    };
    if !csrf::verify(&req, https, form.fields.get("csrf").map(String::as_str)) {
        let page = form_page(
            &controller,
            locale,
            values_of(&form),
            Vec::new(),
            Some(t.csrf_failed.to_owned()),
            &token,
        );
        return Ok(respond(StatusCode::FORBIDDEN, page));
    }
    if !form.text("website").is_empty() {
        // A bot filled the hidden field: look successful, store nothing.
        return Ok(see_other(&format!(
            "/c/{}/submitted?lang={}",
            controller.slug, t.lang
        )));
    }
    let valid = match validate(&mut form, &controller, locale, &limits) {
        Ok(v) => v,
        Err(errors) => {
            let page = form_page(&controller, locale, values_of(&form), errors, None, &token);
            return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, page));
        }
    };
    let now = state.clock.now();
    let ip = req.peer_addr().map(|a| a.ip().to_string());
    let email_key = format!("email:{}", valid.email.normalized());
    let ip_key = format!("ip:{}", ip.as_deref().unwrap_or("unknown"));
    if !state
        .submission_limiter
        .try_hit(&[&email_key, &ip_key], now)
    {
        let page = form_page(
            &controller,
            locale,
            values_of(&form),
            Vec::new(),
            Some(t.rate_limited.to_owned()),
            &token,
        );
        return Ok(respond(StatusCode::TOO_MANY_REQUESTS, page));
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
                    locale,
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
    Ok(see_other(&format!("/c/{slug}/submitted?lang={}", t.lang)))
}

pub(super) fn error_page(
    controller: &Controller,
    locale: Locale,
    status: StatusCode,
) -> HttpResponse {
    let t = texts(locale);
    let mut page = MessagePage::new(t, &controller.name, t.error_title).paragraph(t.error_body);
    page.link = Some((
        format!("/c/{}/?lang={}", controller.slug, t.lang),
        t.back_to_form.to_owned(),
    ));
    html(status, &page)
}

pub(super) fn too_large_page(controller: &Controller, t: &Texts) -> HttpResponse {
    let mut page =
        MessagePage::new(t, &controller.name, t.too_large_title).paragraph(t.too_large_body);
    page.link = Some((
        format!("/c/{}/?lang={}", controller.slug, t.lang),
        t.back_to_form.to_owned(),
    ));
    html(StatusCode::PAYLOAD_TOO_LARGE, &page)
}
