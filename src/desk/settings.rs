//! `/desk/controllers/{slug}/settings`: an administrator reads and changes a
//! controller's retention settings, each shown with its legal basis.
//!
//! Administrators only (others get a 403 page); the controller is looked up
//! within the account's scope, so one outside it is a 404. A POST must
//! carry the session's CSRF token (403 otherwise). Every value is checked
//! (whole numbers, then [`RetentionSettings::validate`]); a refusal answers
//! 422 with each message next to its field and in the summary, the typed
//! values kept, and nothing changed. An accepted change is stored with its
//! audit event (old and new values, numbers only) in one transaction.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::Connection;

use super::pages::{
    CheckboxView, SettingView, SettingsPage, StaffBar, forbidden, lang_switch, not_found,
};
use super::texts::{Texts, setting_label, setting_short_label, texts};
use super::{Fields, blocking, chosen_locale};
use crate::audit::{self, Actor, NewEvent};
use crate::domain::retention::{RetentionSettings, SettingField};
use crate::domain::values::Locale;
use crate::purge::settings::value_of;
use crate::security::session::StaffSession;
use crate::store::controllers::{self, Controller, UpdateRetentionError};
use crate::store::scope;
use crate::web::AppState;
use crate::web::pages::{html, see_other};

/// The numeric settings, in the order of the form.
const NUMERIC: [SettingField; 5] = [
    SettingField::ProofMonths,
    SettingField::ObjectionMonths,
    SettingField::SuppressionMonths,
    SettingField::ConnectionDataMonths,
    SettingField::UnconfirmedDays,
];

#[derive(serde::Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

fn numeric_value(s: &RetentionSettings, field: SettingField) -> u32 {
    match field {
        SettingField::ProofMonths => s.proof_months,
        SettingField::ObjectionMonths => s.objection_months,
        SettingField::SuppressionMonths => s.suppression_months,
        SettingField::ConnectionDataMonths => s.connection_data_months,
        SettingField::UnconfirmedDays => s.unconfirmed_days,
        SettingField::DeleteProofOnIdentityAccepted => {
            u32::from(s.delete_proof_on_identity_accepted)
        }
    }
}

fn set_numeric(s: &mut RetentionSettings, field: SettingField, value: u32) {
    match field {
        SettingField::ProofMonths => s.proof_months = value,
        SettingField::ObjectionMonths => s.objection_months = value,
        SettingField::SuppressionMonths => s.suppression_months = value,
        SettingField::ConnectionDataMonths => s.connection_data_months = value,
        SettingField::UnconfirmedDays => s.unconfirmed_days = value,
        SettingField::DeleteProofOnIdentityAccepted => {
            s.delete_proof_on_identity_accepted = value != 0
        }
    }
}

fn unit(field: SettingField, t: &Texts) -> &'static str {
    match field {
        SettingField::UnconfirmedDays => t.days,
        _ => t.months,
    }
}

fn legal_basis(field: SettingField, locale: Locale) -> &'static str {
    let (en, fr) = field.legal_basis();
    match locale {
        Locale::Fr => fr,
        Locale::En => en,
    }
}

/// What the form shows in its fields: the stored values, or what was typed.
struct Typed {
    numbers: Vec<(SettingField, String)>,
    delete_proof: bool,
}

impl Typed {
    fn from_settings(s: &RetentionSettings) -> Self {
        Typed {
            numbers: NUMERIC
                .iter()
                .map(|f| (*f, numeric_value(s, *f).to_string()))
                .collect(),
            delete_proof: s.delete_proof_on_identity_accepted,
        }
    }

    fn from_form(fields: &Fields) -> Self {
        Typed {
            numbers: NUMERIC
                .iter()
                .map(|f| (*f, fields.get(f.as_str()).unwrap_or_default().to_owned()))
                .collect(),
            delete_proof: fields
                .get(SettingField::DeleteProofOnIdentityAccepted.as_str())
                .is_some(),
        }
    }
}

struct View<'a> {
    session: &'a StaffSession,
    locale: Locale,
    controller: &'a Controller,
    typed: Typed,
    errors: Vec<(String, String)>,
    notice: Option<String>,
    alert: Option<String>,
}

fn render(status: StatusCode, v: View<'_>) -> HttpResponse {
    let t = texts(v.locale);
    let current = v.controller.retention();
    let error_of = |field: SettingField| {
        v.errors
            .iter()
            .find(|(f, _)| f == field.as_str())
            .map(|(_, m)| m.clone())
    };
    let fields = v
        .typed
        .numbers
        .iter()
        .map(|(field, value)| SettingView {
            name: field.as_str(),
            label: setting_label(*field, v.locale),
            unit: unit(*field, t),
            current: format!("{} {}", numeric_value(&current, *field), unit(*field, t)),
            value: value.clone(),
            legal_basis: legal_basis(*field, v.locale),
            note: (*field == SettingField::ObjectionMonths)
                .then_some((t.objection_note_title, t.objection_note)),
            error: error_of(*field),
        })
        .collect();
    let delete = SettingField::DeleteProofOnIdentityAccepted;
    let checkbox = CheckboxView {
        name: delete.as_str(),
        label: setting_label(delete, v.locale),
        current: if current.delete_proof_on_identity_accepted {
            t.yes
        } else {
            t.no
        },
        checked: v.typed.delete_proof,
        legal_basis: legal_basis(delete, v.locale),
        error: error_of(delete),
    };
    let path = format!("/desk/controllers/{}/settings", v.controller.slug);
    let title = format!(
        "{} — {} — {}",
        t.settings_title, v.controller.name, t.header
    );
    let page = SettingsPage {
        t,
        page_title: if v.errors.is_empty() && v.alert.is_none() {
            title
        } else {
            format!("{} — {title}", t.errors_title)
        },
        header_name: t.header.to_owned(),
        lang_switch_url: lang_switch(&path, t),
        bar: Some(StaffBar::new(v.session, v.locale)),
        controller_name: v.controller.name.clone(),
        action_url: format!("{path}?lang={}", t.lang),
        csrf: v.session.csrf_token.clone(),
        notice: v.notice,
        alert: v.alert,
        errors: v.errors,
        fields,
        checkbox,
    };
    html(status, &page)
}

async fn load(
    state: &AppState,
    session: &StaffSession,
    slug: String,
) -> Result<Option<Controller>, actix_web::Error> {
    let in_scope = session.scope.clone();
    blocking(state, move |conn| {
        Ok(scope::controller_by_slug(conn, &in_scope, &slug)?)
    })
    .await
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<String>,
    query: web::Query<NoticeQuery>,
) -> Result<HttpResponse, actix_web::Error> {
    let locale = chosen_locale(&req);
    let t = texts(locale);
    if !session.is_admin() {
        return Ok(forbidden(&session, locale, t.forbidden_settings));
    }
    let Some(controller) = load(&state, &session, path.into_inner()).await? else {
        return Ok(not_found(Some(&session), locale));
    };
    let notice = match query.notice.as_deref() {
        Some("saved") => Some(t.settings_saved.to_owned()),
        Some("unchanged") => Some(t.settings_unchanged.to_owned()),
        _ => None,
    };
    Ok(render(
        StatusCode::OK,
        View {
            session: &session,
            locale,
            typed: Typed::from_settings(&controller.retention()),
            controller: &controller,
            errors: Vec::new(),
            notice,
            alert: None,
        },
    ))
}

/// Parses the form into settings, or the refusals: one per field, in form
/// order, with the field's short name. A value that is not a whole number
/// is refused as such; the others still go through
/// [`RetentionSettings::validate`] so every problem shows at once.
fn parse(
    typed: &Typed,
    current: &RetentionSettings,
    locale: Locale,
) -> Result<RetentionSettings, Vec<(String, String)>> {
    let t = texts(locale);
    let label = |field: SettingField, message: &str| {
        let stop = if message.ends_with('.') { "" } else { "." };
        crate::i18n::labelled(
            setting_short_label(field, locale),
            &format!("{message}{stop}"),
            locale,
        )
    };
    let mut candidate = current.clone();
    let mut unparsed = Vec::new();
    for (field, raw) in &typed.numbers {
        match raw.trim().parse::<u32>() {
            Ok(value) => set_numeric(&mut candidate, *field, value),
            Err(_) => unparsed.push(*field),
        }
    }
    candidate.delete_proof_on_identity_accepted = typed.delete_proof;
    let refused = candidate.validate().err().unwrap_or_default();
    let mut errors = Vec::new();
    for field in SettingField::ALL {
        if unparsed.contains(&field) {
            errors.push((field.as_str().to_owned(), label(field, t.not_a_number)));
        } else if let Some(e) = refused.iter().find(|e| e.field == field.as_str()) {
            let message = match locale {
                Locale::Fr => e.message_fr(),
                Locale::En => e.message_en(),
            };
            errors.push((field.as_str().to_owned(), label(field, &message)));
        }
    }
    if errors.is_empty() {
        Ok(candidate)
    } else {
        Err(errors)
    }
}

/// `proof_months=12->18 objection_months=36->36 …`: the audit detail,
/// numbers (and one yes/no) only.
fn describe_change(old: &RetentionSettings, new: &RetentionSettings) -> String {
    SettingField::ALL
        .iter()
        .map(|f| {
            format!(
                "{}={}->{}",
                f.as_str(),
                value_of(old, *f),
                value_of(new, *f)
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

enum Saved {
    Changed,
    Unchanged,
    Gone,
}

pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, actix_web::Error> {
    let fields = Fields::from(form);
    let locale = chosen_locale(&req);
    let t = texts(locale);
    if !session.is_admin() {
        return Ok(forbidden(&session, locale, t.forbidden_settings));
    }
    let slug = path.into_inner();
    let Some(controller) = load(&state, &session, slug.clone()).await? else {
        return Ok(not_found(Some(&session), locale));
    };
    let typed = Typed::from_form(&fields);
    if !session.csrf_matches(fields.get("csrf")) {
        return Ok(render(
            StatusCode::FORBIDDEN,
            View {
                session: &session,
                locale,
                controller: &controller,
                typed,
                errors: Vec::new(),
                notice: None,
                alert: Some(t.settings_csrf.to_owned()),
            },
        ));
    }
    let settings = match parse(&typed, &controller.retention(), locale) {
        Ok(s) => s,
        Err(errors) => {
            return Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                View {
                    session: &session,
                    locale,
                    controller: &controller,
                    typed,
                    errors,
                    notice: None,
                    alert: None,
                },
            ));
        }
    };

    let now = state.clock.now();
    let in_scope = session.scope.clone();
    let staff_id = session.staff.id.clone();
    let saved = blocking(&state, move |conn| {
        conn.transaction::<_, anyhow::Error, _>(|conn| {
            // Read again inside the transaction: the old values in the audit
            // event are the ones this change replaces.
            let Some(current) = scope::controller_by_slug(conn, &in_scope, &slug)? else {
                return Ok(Saved::Gone);
            };
            let old = current.retention();
            if old == settings {
                return Ok(Saved::Unchanged);
            }
            match controllers::update_retention(conn, &current.id, &settings, now) {
                Ok(_) => {}
                Err(UpdateRetentionError::NotFound) => return Ok(Saved::Gone),
                Err(e) => return Err(e.into()),
            }
            audit::append(
                conn,
                now,
                NewEvent {
                    actor: Actor::Staff(staff_id),
                    action: "controller.retention_updated",
                    controller_id: Some(&current.id),
                    request_id: None,
                    detail: describe_change(&old, &settings),
                },
            )?;
            Ok(Saved::Changed)
        })
    })
    .await?;
    let notice = match saved {
        Saved::Changed => "saved",
        Saved::Unchanged => "unchanged",
        Saved::Gone => return Ok(not_found(Some(&session), locale)),
    };
    Ok(see_other(&format!(
        "/desk/controllers/{}/settings?lang={}&notice={notice}",
        controller.slug, t.lang
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(values: [&str; 5], delete_proof: bool) -> Typed {
        Typed {
            numbers: NUMERIC
                .iter()
                .zip(values)
                .map(|(f, v)| (*f, v.to_owned()))
                .collect(),
            delete_proof,
        }
    }

    #[test]
    fn whole_numbers_then_the_policy() {
        let current = RetentionSettings::default();
        let ok = parse(
            &typed(["18", "72", "36", "12", " 7 "], true),
            &current,
            Locale::Fr,
        )
        .unwrap();
        assert_eq!(ok.proof_months, 18);
        assert_eq!(ok.objection_months, 72);
        assert_eq!(ok.unconfirmed_days, 7);
        assert!(ok.delete_proof_on_identity_accepted);

        let errors = parse(
            &typed(["douze", "36", "35", "14", "-1"], false),
            &current,
            Locale::Fr,
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "proof_months",
                "suppression_months",
                "connection_data_months",
                "unconfirmed_days"
            ]
        );
        assert!(errors[0].1.contains("nombre entier"), "{}", errors[0].1);
        assert!(
            errors[1]
                .1
                .starts_with("Liste d'opposition\u{202f}: doit être d'au moins 36 mois")
        );
        assert!(errors[2].1.contains("treize mois au plus"));

        let en = parse(
            &typed(["12", "36", "35", "13", "7"], false),
            &current,
            Locale::En,
        )
        .unwrap_err();
        assert_eq!(en.len(), 1);
        assert!(
            en[0]
                .1
                .starts_with("Suppression list: must be at least 36 months")
        );
    }

    #[test]
    fn the_audit_detail_has_numbers_only() {
        let old = RetentionSettings::default();
        let new = RetentionSettings {
            proof_months: 18,
            ..old.clone()
        };
        assert_eq!(
            describe_change(&old, &new),
            "proof_months=12->18 objection_months=36->36 suppression_months=36->36 \
             connection_data_months=13->13 unconfirmed_days=7->7 \
             delete_proof_on_identity_accepted=false->false"
        );
    }
}
