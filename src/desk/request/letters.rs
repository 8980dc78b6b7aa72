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
//!   instead (the mails' `render_letter`, a variant of the same catalogue
//!   message).
//! - The words are in `i18n/<language>/letters.ftl` (the frame, the
//!   acknowledgment letter, the request page's block) and `mail.ftl` (the
//!   steps' text).

use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::Connection;

use super::super::blocking;
use super::super::pages::not_found_error;
use crate::audit::{self, Actor, NewEvent};
use crate::domain::ids::RequestId;
use crate::domain::request::RefusalGround;
use crate::i18n::Tr;
use crate::mail::{DecisionMail, ExtensionMail, InformationRequestMail, RenderedMail};
use crate::security::session::StaffSession;
use crate::store::controllers::{self, Controller};
use crate::store::messages::{self, Direction, Message};
use crate::store::queue;
use crate::store::requests::Request;
use crate::web::lang::PageLang;
use crate::web::pages::html;
use crate::web::{AppState, PageResult};

/// The audit event of a display of a step's letter (`kind=...`).
pub const LETTER_VIEWED_EVENT: &str = "request.letter_viewed";

/// What every letter shows around its body: the controller and its DPO
/// as sender, the citizen as recipient, the date and the subject. The
/// page's `t` is the request's language; only the link back to the desk
/// keeps the staff member's `?lang=` (their page's [`Tr::query_lang`]).
pub struct LetterFrame {
    pub back_url: String,
    pub controller_name: String,
    pub dpo_name: Option<String>,
    pub controller_address: Option<String>,
    pub dpo_email: String,
    pub citizen_name: String,
    pub citizen_address: Option<String>,
    /// The day it is printed, in the controller's calendar.
    pub date: NaiveDate,
    pub subject: String,
}

impl LetterFrame {
    pub fn new(
        request: &Request,
        controller: &Controller,
        now: NaiveDateTime,
        staff: Tr,
        subject: String,
    ) -> Self {
        let citizen_name = [request.first_name.as_deref(), request.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        LetterFrame {
            back_url: format!("/desk/requests/{}?lang={}", request.id, staff.query_lang()),
            controller_name: controller.name.clone(),
            dpo_name: controller.dpo_name.clone(),
            controller_address: controller.postal_address.clone(),
            dpo_email: controller.dpo_email.clone(),
            citizen_name,
            citizen_address: request.postal_address.clone(),
            date: controller.local_date(now),
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

    /// The letter's page, reached from a desk page in `t`'s language.
    fn url(&self, request_id: &RequestId, t: Tr) -> String {
        let lang = t.query_lang();
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

/// The text of a step's letter in `t`'s language: its mail as sent (or as
/// it would have been), worded for paper, or `None` when the step did not
/// happen.
fn rendered(
    request: &Request,
    controller: &Controller,
    messages: &[Message],
    kind: &LetterKind,
    t: Tr,
) -> Option<RenderedMail> {
    let reference = request.reference.clone()?;
    let has_email = request.email.is_some();
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
            .render_letter(t, has_email)
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
            .render_letter(t, has_email)
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
            .render_letter(t, has_email)
        }
    };
    Some(mail)
}

/// The mail's body as the letter's paragraphs.
fn paragraphs(body: &str) -> Vec<String> {
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

/// The request page's "Letters" block, in the page's language.
pub struct LettersPanel {
    pub t: Tr,
    /// Nothing reaches the requester unless printed: the block says so.
    pub no_email: bool,
    pub links: Vec<LetterLink>,
}

/// `None` for a request without reference (not yet confirmed) or
/// anonymised: there is nobody to write to. `t` is the request page's
/// language.
pub fn panel(
    request: &Request,
    controller: &Controller,
    messages: &[Message],
    t: Tr,
) -> Option<LettersPanel> {
    if request.reference.is_none() || request.anonymised_at.is_some() {
        return None;
    }
    let mut links: Vec<LetterLink> = information_messages(request, messages)
        .into_iter()
        .map(|m| LetterLink {
            label: t.letter_print_information(controller.local_date(m.created_at)),
            url: LetterKind::Information(m.id.clone()).url(&request.id, t),
        })
        .collect();
    for (kind, label) in [
        (LetterKind::Extension, t.letter_print_extension()),
        (LetterKind::Decision, t.letter_print_decision()),
    ] {
        if rendered(request, controller, messages, &kind, t).is_some() {
            links.push(LetterLink {
                label,
                url: kind.url(&request.id, t),
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
    /// The letter's language (the layout's too), not the staff member's.
    pub t: Tr,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub f: LetterFrame,
    pub paragraphs: Vec<String>,
}

/// `GET /desk/requests/{id}/letters/{decision|extension}`.
pub async fn show(
    lang: PageLang,
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<(RequestId, String)>,
) -> PageResult {
    let (id, kind) = path.into_inner();
    let kind = match kind.as_str() {
        "decision" => Some(LetterKind::Decision),
        "extension" => Some(LetterKind::Extension),
        _ => None,
    };
    serve(lang, state, session, id, kind).await
}

/// `GET /desk/requests/{id}/letters/information/{message_id}`.
pub async fn show_information(
    lang: PageLang,
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<(RequestId, String)>,
) -> PageResult {
    let (id, message_id) = path.into_inner();
    serve(
        lang,
        state,
        session,
        id,
        Some(LetterKind::Information(message_id)),
    )
    .await
}

async fn serve(
    lang: PageLang,
    state: web::Data<AppState>,
    session: StaffSession,
    id: RequestId,
    kind: Option<LetterKind>,
) -> PageResult {
    let PageLang(staff) = lang;
    let in_scope = session.scope.clone();
    let staff_id = session.staff.id.clone();
    let now = state.clock.now();
    let found = blocking(&state, move |conn| {
        let Some(request) = queue::find_in_scope(conn, &in_scope, &id)? else {
            let detail = format!("letter={}", kind.as_ref().map_or("?", LetterKind::code));
            conn.transaction::<_, anyhow::Error, _>(|conn| {
                super::audit_out_of_scope(
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
        // The requester's language, as the letter goes to them.
        let t = staff.written_to(request.locale());
        let Some(mail) = rendered(&request, &controller, &messages, &kind, t) else {
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
        Ok(Some((request, controller, mail, t)))
    })
    .await?;
    let Some((request, controller, mail, t)) = found else {
        return Err(not_found_error(Some(&session), staff));
    };
    let page = StepLetterPage {
        t,
        page_title: format!("{} — {}", mail.subject, controller.name),
        header_name: controller.name.clone(),
        lang_switch_url: None,
        f: LetterFrame::new(
            &request,
            &controller,
            now,
            staff,
            t.letter_subject(&mail.subject),
        ),
        paragraphs: paragraphs(&mail.body),
    };
    Ok(html(StatusCode::OK, &page))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::request::{Art17_3Letter, Outcome, RequestKind};
    use crate::domain::values::Locale;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// A frame as `LetterFrame::new` fills it, without a database.
    fn frame(subject: String, controller_address: bool) -> LetterFrame {
        LetterFrame {
            back_url: "/desk/requests/r1?lang=fr".into(),
            controller_name: "Ville de Vanves".into(),
            dpo_name: Some("Jeanne Martin".into()),
            controller_address: controller_address
                .then(|| "Hôtel de ville\n1 place de la Mairie\n92170 Vanves".into()),
            dpo_email: "dpo@vanves.example.fr".into(),
            citizen_name: "Marie Curie".into(),
            citizen_address: Some("12 rue des Lilas\n92170 Vanves".into()),
            date: d(2026, 4, 2),
            subject,
        }
    }

    /// The printed part of a letter page (and the screen-only hint above
    /// it), as a snapshot shows it.
    fn letter_of(page: &str) -> String {
        let start = page.find("<div class=\"screen-only\">").unwrap();
        let end = page.find("</article>").unwrap() + "</article>".len();
        page[start..end].to_owned()
    }

    /// Each step's letter, to a requester with and without an e-mail
    /// address, in each language: one reviewed file each under
    /// `src/desk/snapshots/`.
    #[test]
    fn every_step_letter_reads_as_reviewed() {
        for locale in [Locale::Fr, Locale::En] {
            let t = Tr::new(locale);
            for has_email in [true, false] {
                let letters = [
                    (
                        "information",
                        InformationRequestMail {
                            controller_name: "Ville de Vanves".into(),
                            reference: "VANVES-2026-0001".into(),
                            message: "Votre date de naissance ?".into(),
                            status_url: String::new(),
                        }
                        .render_letter(t, has_email),
                    ),
                    (
                        "extension",
                        ExtensionMail {
                            controller_name: "Ville de Vanves".into(),
                            reference: "VANVES-2026-0001".into(),
                            new_due_on: d(2026, 4, 2),
                            reason: "Plusieurs services.".into(),
                            status_url: String::new(),
                        }
                        .render_letter(t, has_email),
                    ),
                    (
                        "decision",
                        DecisionMail {
                            controller_name: "Ville de Vanves".into(),
                            reference: "VANVES-2026-0001".into(),
                            outcome: Outcome::Refused,
                            answer: "Données nécessaires.".into(),
                            refusal_ground: Some(RefusalGround::ErasureException(Art17_3Letter::B)),
                            status_url: String::new(),
                            dpo_email: "dpo@vanves.example.fr".into(),
                        }
                        .render_letter(t, has_email),
                    ),
                ];
                for (name, mail) in letters {
                    let page = StepLetterPage {
                        t,
                        page_title: format!("{} — Ville de Vanves", mail.subject),
                        header_name: "Ville de Vanves".into(),
                        lang_switch_url: None,
                        f: frame(t.letter_subject(&mail.subject), !has_email),
                        paragraphs: paragraphs(&mail.body),
                    }
                    .render()
                    .unwrap();
                    assert!(
                        page.starts_with(&format!("<!DOCTYPE html>\n<html lang=\"{}\">", t.lang()))
                    );
                    let letter = letter_of(&page);
                    if !has_email {
                        for link in ["lien personnel", "personal link"] {
                            assert!(!letter.contains(link), "{letter}");
                        }
                    }
                    let to = if has_email { "email" } else { "postal" };
                    insta::assert_snapshot!(format!("{name}_{to}_{}", t.lang()), letter);
                }
            }
        }
    }

    /// The acknowledgment letter of a request registered by staff
    /// (`desk::register::letter`), with the remedies and the articles.
    #[test]
    fn the_acknowledgment_letter_reads_as_reviewed() {
        for locale in [Locale::Fr, Locale::En] {
            let t = Tr::new(locale);
            let page = super::super::acknowledgment::LetterPage {
                t,
                page_title: format!(
                    "{} — Ville de Vanves",
                    t.letter_ack_title("VANVES-2026-0001")
                ),
                header_name: "Ville de Vanves".into(),
                lang_switch_url: None,
                f: frame(t.letter_ack_subject("VANVES-2026-0001"), true),
                reference: "VANVES-2026-0001".into(),
                kind: t.with_gdpr_article(
                    t.kind(RequestKind::Erasure),
                    RequestKind::Erasure.article(),
                ),
                received: t.date(d(2026, 3, 2)),
                due: t.date(d(2026, 4, 2)),
            }
            .render()
            .unwrap();
            let letter = letter_of(&page);
            for needle in [
                "CNIL",
                "3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07",
                "12(3)",
                "15",
            ] {
                assert!(letter.contains(needle), "{needle} in {letter}");
            }
            insta::assert_snapshot!(format!("acknowledgment_{}", t.lang()), letter);
        }
    }
}
