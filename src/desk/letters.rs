//! Printable letters for the steps that mail the citizen: the request for
//! information, the extension notice and the decision. A request received
//! by post often has no e-mail address; even with one, a DPO may want
//! paper. Each letter carries the very text of the corresponding mail
//! (`crate::mail` renders it), inside the frame every letter shares
//! ([`LetterFrame`], `templates/desk/letter_frame.html`, also used by the
//! acknowledgment letter).
//!
//! | route | who | what |
//! |---|---|---|
//! | `GET /desk/requests/{id}/letters/decision` | staff in scope | the decision, once closed |
//! | `GET /desk/requests/{id}/letters/extension` | staff in scope | the extension notice, once extended |
//! | `GET /desk/requests/{id}/letters/information/{message_id}` | staff in scope | one request for information |
//!
//! - Any role may print (printing changes nothing); every display is
//!   audited as `request.letter_viewed` with the letter's kind.
//! - Another controller's request answers 404 and records
//!   `desk.out_of_scope_access`, like the acknowledgment letter; a step that
//!   did not happen answers 404.
//! - The mails point to the personal status link given in the
//!   acknowledgment mail. A requester without an e-mail address never had
//!   that link, so their letters say to write to the sender's address
//!   instead (`letters_texts::postal_replacements`).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use diesel::Connection;

use super::letters_texts::{LettersTexts, letters_texts, postal_replacements};
use super::pages::not_found;
use super::register_texts::letter_texts;
use super::texts::{Texts, texts};
use super::{blocking, chosen_locale};
use crate::audit::{self, Actor, NewEvent};
use crate::domain::request::RefusalGround;
use crate::domain::values::Locale;
use crate::i18n::format_date;
use crate::mail::{DecisionMail, ExtensionMail, InformationRequestMail, RenderedMail};
use crate::security::session::StaffSession;
use crate::store::controllers::{self, Controller};
use crate::store::messages::{self, Direction, Message};
use crate::store::queue;
use crate::store::requests::Request;
use crate::web::AppState;
use crate::web::pages::html;

/// The audit event of a display of a step's letter (`kind=...`).
pub const LETTER_VIEWED_EVENT: &str = "request.letter_viewed";

/// What every letter shows around its body: the controller and its DPO
/// as sender, the citizen as recipient, the date and the subject. All in
/// the request's language, except the link back to the desk.
pub struct LetterFrame {
    pub lang: &'static str,
    pub back_url: String,
    pub back_label: &'static str,
    pub print_hint: &'static str,
    pub controller_name: String,
    pub from_dpo: &'static str,
    pub dpo_name: Option<String>,
    pub controller_address: Option<String>,
    pub dpo_email: String,
    pub citizen_name: String,
    pub citizen_address: Option<String>,
    /// "Le lundi 2 mars 2026" / "Monday 2 March 2026": the day it is printed.
    pub date: String,
    pub subject: String,
}

impl LetterFrame {
    pub fn new(
        request: &Request,
        controller: &Controller,
        now: NaiveDateTime,
        staff_locale: Locale,
        subject: String,
    ) -> Self {
        let locale = request.locale();
        let l = letter_texts(locale);
        let citizen_name = [request.first_name.as_deref(), request.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        LetterFrame {
            lang: l.lang,
            back_url: format!(
                "/desk/requests/{}?lang={}",
                request.id,
                staff_locale.as_str()
            ),
            back_label: l.back,
            print_hint: l.print_hint,
            controller_name: controller.name.clone(),
            from_dpo: l.from_dpo,
            dpo_name: controller.dpo_name.clone(),
            controller_address: controller.postal_address.clone(),
            dpo_email: controller.dpo_email.clone(),
            citizen_name,
            citizen_address: request.postal_address.clone(),
            date: format!(
                "{}{}",
                l.place_date,
                format_date(controller.local_date(now), locale)
            ),
            subject,
        }
    }
}

/// The steps that have a letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LetterKind {
    Decision,
    Extension,
    /// The id of the DPO's message asking for information.
    Information(String),
}

impl LetterKind {
    fn code(&self) -> &'static str {
        match self {
            LetterKind::Decision => "decision",
            LetterKind::Extension => "extension",
            LetterKind::Information(_) => "information",
        }
    }

    fn url(&self, request_id: &str, locale: Locale) -> String {
        let lang = locale.as_str();
        match self {
            LetterKind::Information(id) => {
                format!("/desk/requests/{request_id}/letters/information/{id}?lang={lang}")
            }
            other => format!(
                "/desk/requests/{request_id}/letters/{}?lang={lang}",
                other.code()
            ),
        }
    }
}

fn to_citizen(messages: &[Message]) -> impl Iterator<Item = &Message> {
    messages
        .iter()
        .filter(|m| m.direction == Direction::ToCitizen.as_str())
}

/// Closing a request stores the answer as the last message to the citizen.
fn decision_answer<'a>(request: &Request, messages: &'a [Message]) -> Option<&'a Message> {
    request.closed_at?;
    to_citizen(messages).last()
}

/// The other messages to the citizen are the requests for information.
fn information_messages<'a>(request: &Request, messages: &'a [Message]) -> Vec<&'a Message> {
    let answer = decision_answer(request, messages).map(|m| m.id.as_str());
    to_citizen(messages)
        .filter(|m| Some(m.id.as_str()) != answer)
        .collect()
}

/// The mail of a step, as sent (or as it would have been), or `None` when
/// the step did not happen.
fn rendered(
    request: &Request,
    controller: &Controller,
    messages: &[Message],
    kind: &LetterKind,
) -> Option<RenderedMail> {
    let reference = request.reference.clone()?;
    let controller_name = controller.name.clone();
    let mail = match kind {
        LetterKind::Decision => {
            let outcome = request.outcome?;
            let answer = decision_answer(request, messages)?;
            DecisionMail {
                controller_name,
                reference,
                outcome,
                answer: answer.body.clone(),
                refusal_ground: request.refusal_ground.as_deref().and_then(|c| {
                    RefusalGround::from_parts(c, request.refusal_detail.as_deref()).ok()
                }),
                status_url: String::new(),
                dpo_email: controller.dpo_email.clone(),
            }
            .render(request.locale())
        }
        LetterKind::Extension => {
            if request.extension_months == 0 {
                return None;
            }
            ExtensionMail {
                controller_name,
                reference,
                new_due_on: request.due_on?,
                reason: request.extension_reason.clone()?,
                status_url: String::new(),
            }
            .render(request.locale())
        }
        LetterKind::Information(id) => {
            let message = information_messages(request, messages)
                .into_iter()
                .find(|m| &m.id == id)?;
            InformationRequestMail {
                controller_name,
                reference,
                message: message.body.clone(),
                status_url: String::new(),
            }
            .render(request.locale())
        }
    };
    Some(mail)
}

/// The mail's body as the letter's paragraphs; for a requester without an
/// e-mail address, the sentences about the status link are replaced.
fn paragraphs(body: &str, postal: bool, locale: Locale) -> Vec<String> {
    let mut body = body.to_owned();
    if postal {
        for (mail, letter) in postal_replacements(locale) {
            body = body.replace(mail, letter);
        }
    }
    body.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

// ------------------------------------------------------- request page block

pub struct LetterLink {
    pub label: String,
    pub url: String,
}

/// The request page's "Letters" block.
pub struct LettersPanel {
    pub t: &'static LettersTexts,
    /// Nothing reaches the requester unless printed: the block says so.
    pub no_email: bool,
    pub links: Vec<LetterLink>,
}

/// `None` for a request without reference (not yet confirmed) or
/// anonymised: there is nobody to write to.
pub fn panel(
    request: &Request,
    controller: &Controller,
    messages: &[Message],
    locale: Locale,
) -> Option<LettersPanel> {
    if request.reference.is_none() || request.anonymised_at.is_some() {
        return None;
    }
    let t = letters_texts(locale);
    let mut links: Vec<LetterLink> = information_messages(request, messages)
        .into_iter()
        .map(|m| LetterLink {
            label: format!(
                "{} {}",
                t.information,
                format_date(controller.local_date(m.created_at), locale)
            ),
            url: LetterKind::Information(m.id.clone()).url(&request.id, locale),
        })
        .collect();
    for (kind, label) in [
        (LetterKind::Extension, t.extension),
        (LetterKind::Decision, t.decision),
    ] {
        if rendered(request, controller, messages, &kind).is_some() {
            links.push(LetterLink {
                label: label.to_owned(),
                url: kind.url(&request.id, locale),
            });
        }
    }
    Some(LettersPanel {
        t,
        no_email: request.email.is_none(),
        links,
    })
}

// -------------------------------------------------------------------- page

#[derive(Template)]
#[template(path = "desk/step_letter.html")]
pub struct StepLetterPage {
    /// For the layout: the letter's language, not the staff member's.
    pub t: &'static Texts,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub f: LetterFrame,
    pub paragraphs: Vec<String>,
}

/// `GET /desk/requests/{id}/letters/{decision|extension}`.
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, actix_web::Error> {
    let (id, kind) = path.into_inner();
    let kind = match kind.as_str() {
        "decision" => Some(LetterKind::Decision),
        "extension" => Some(LetterKind::Extension),
        _ => None,
    };
    serve(req, state, session, id, kind).await
}

/// `GET /desk/requests/{id}/letters/information/{message_id}`.
pub async fn show_information(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, actix_web::Error> {
    let (id, message_id) = path.into_inner();
    serve(
        req,
        state,
        session,
        id,
        Some(LetterKind::Information(message_id)),
    )
    .await
}

async fn serve(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
    id: String,
    kind: Option<LetterKind>,
) -> Result<HttpResponse, actix_web::Error> {
    let locale = chosen_locale(&req);
    let in_scope = session.scope.clone();
    let staff_id = session.staff.id.clone();
    let now = state.clock.now();
    let found = blocking(&state, move |conn| {
        let Some(request) = queue::find_in_scope(conn, &in_scope, &id)? else {
            let detail = format!("letter={}", kind.as_ref().map_or("?", LetterKind::code));
            conn.transaction::<_, anyhow::Error, _>(|conn| {
                super::register::audit_out_of_scope(
                    conn,
                    &staff_id,
                    &id,
                    "desk.out_of_scope_access",
                    &detail,
                    now,
                )
            })?;
            return Ok(None);
        };
        let Some(kind) = kind else {
            return Ok(None);
        };
        if request.anonymised_at.is_some() {
            return Ok(None);
        }
        let controller = controllers::find_by_id(conn, &request.controller_id)?;
        let messages = messages::list_for_citizen(conn, &request.id)?;
        let Some(mail) = rendered(&request, &controller, &messages, &kind) else {
            return Ok(None);
        };
        let mut detail = format!("kind={}", kind.code());
        if let LetterKind::Information(message_id) = &kind {
            detail.push_str(&format!(" message={message_id}"));
        }
        conn.transaction::<_, anyhow::Error, _>(|conn| {
            audit::append(
                conn,
                now,
                NewEvent {
                    actor: Actor::Staff(staff_id.clone()),
                    action: LETTER_VIEWED_EVENT,
                    controller_id: Some(&controller.id),
                    request_id: Some(&request.id),
                    detail,
                },
            )?;
            Ok(())
        })?;
        Ok(Some((request, controller, mail)))
    })
    .await?;
    let Some((request, controller, mail)) = found else {
        return Ok(not_found(Some(&session), locale));
    };
    let letter_locale = request.locale();
    let lt = letters_texts(letter_locale);
    let paragraphs = paragraphs(&mail.body, request.email.is_none(), letter_locale);
    let page = StepLetterPage {
        t: texts(letter_locale),
        page_title: format!("{} — {}", mail.subject, controller.name),
        header_name: controller.name.clone(),
        lang_switch_url: None,
        f: LetterFrame::new(
            &request,
            &controller,
            now,
            locale,
            format!("{}{}", lt.subject_prefix, mail.subject),
        ),
        paragraphs,
    };
    Ok(html(StatusCode::OK, &page))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::request::Art17_3Letter;
    use crate::domain::request::Outcome;

    /// The replaced sentences must still be the mails' own: a reworded
    /// mail would otherwise silently send postal requesters to a link
    /// they never received.
    #[test]
    fn every_status_link_sentence_is_replaced_in_postal_letters() {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 4, 2).unwrap();
        for locale in [Locale::Fr, Locale::En] {
            let bodies = [
                InformationRequestMail {
                    controller_name: "Ville de Vanves".into(),
                    reference: "VANVES-2026-0001".into(),
                    message: "Votre date de naissance ?".into(),
                    status_url: String::new(),
                }
                .render(locale)
                .body,
                ExtensionMail {
                    controller_name: "Ville de Vanves".into(),
                    reference: "VANVES-2026-0001".into(),
                    new_due_on: date,
                    reason: "Plusieurs services.".into(),
                    status_url: String::new(),
                }
                .render(locale)
                .body,
                DecisionMail {
                    controller_name: "Ville de Vanves".into(),
                    reference: "VANVES-2026-0001".into(),
                    outcome: Outcome::Refused,
                    answer: "Données nécessaires.".into(),
                    refusal_ground: Some(RefusalGround::ErasureException(Art17_3Letter::B)),
                    status_url: String::new(),
                    dpo_email: "dpo@vanves.example.fr".into(),
                }
                .render(locale)
                .body,
            ];
            for (body, (mail, letter)) in bodies.iter().zip(postal_replacements(locale)) {
                assert!(body.contains(mail), "{mail:?} not in\n{body}");
                let postal = paragraphs(body, true, locale).join("\n\n");
                assert!(postal.contains(letter), "{postal}");
                for link in ["lien personnel", "personal link"] {
                    assert!(!postal.contains(link), "{postal}");
                }
                // With an e-mail address, the mail's text is kept as is.
                assert_eq!(paragraphs(body, false, locale).join("\n\n"), body.trim());
            }
        }
    }
}
