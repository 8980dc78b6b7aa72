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
use actix_web::web;
use diesel::Connection;

use super::super::extract::StaffForm;
use super::super::pages::{
    CheckboxView, SettingView, SettingsPage, StaffBar, forbidden_error, lang_switch_to,
    not_found_error, page_title,
};
use super::super::{Fields, blocking};
use crate::audit::{self, Actor, NewEvent};
use crate::domain::retention::{
    MAX_CONNECTION_DATA_MONTHS, MAX_PROOF_MONTHS, MAX_UNCONFIRMED_DAYS, MIN_SUPPRESSION_MONTHS,
    RetentionSettings, SettingField,
};
use crate::i18n::Tr;
use crate::purge::settings::value_of;
use crate::security::session::StaffSession;
use crate::store::controllers::{self, Controller, UpdateRetentionError};
use crate::store::scope;
use crate::web::pages::{html, see_other};
use crate::web::{AppState, PageError, PageLang, PageResult};

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

/// The unit of a numeric setting, as the catalogue's selector names it.
fn unit(field: SettingField) -> &'static str {
    match field {
        SettingField::UnconfirmedDays => "days",
        _ => "months",
    }
}

/// The bounds [`RetentionSettings::validate`] holds each setting to, so a
/// refusal can say which one was crossed (the test below keeps the two in
/// step).
fn bounds(field: SettingField) -> (u32, u32) {
    match field {
        SettingField::ProofMonths | SettingField::ObjectionMonths => (1, MAX_PROOF_MONTHS),
        SettingField::SuppressionMonths => (MIN_SUPPRESSION_MONTHS, u32::MAX),
        SettingField::ConnectionDataMonths => (1, MAX_CONNECTION_DATA_MONTHS),
        SettingField::UnconfirmedDays => (1, MAX_UNCONFIRMED_DAYS),
        SettingField::DeleteProofOnIdentityAccepted => (0, 1),
    }
}

/// Why `value` was refused for `field`: below its floor or above its
/// ceiling, with the reason the policy gives.
fn refusal(t: Tr, field: SettingField, value: u32) -> String {
    let (min, max) = bounds(field);
    if value < min {
        t.desk_setting_too_low(field.as_str(), min)
    } else {
        t.desk_setting_too_high(field.as_str(), max)
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
    t: Tr,
    controller: &'a Controller,
    typed: Typed,
    errors: Vec<(String, String)>,
    notice: Option<String>,
    alert: Option<String>,
}

fn page(v: View<'_>) -> SettingsPage {
    let t = v.t;
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
            label: t.desk_setting_label(field.as_str()),
            unit: t.desk_settings_unit(unit(*field)),
            current: t.desk_settings_period(unit(*field), numeric_value(&current, *field)),
            value: value.clone(),
            legal_basis: t.desk_setting_basis(field.as_str()),
            note: *field == SettingField::ObjectionMonths,
            error: error_of(*field),
        })
        .collect();
    let delete = SettingField::DeleteProofOnIdentityAccepted;
    let checkbox = CheckboxView {
        name: delete.as_str(),
        label: t.desk_setting_label(delete.as_str()),
        current: if current.delete_proof_on_identity_accepted {
            t.desk_settings_yes()
        } else {
            t.desk_settings_no()
        },
        checked: v.typed.delete_proof,
        legal_basis: t.desk_setting_basis(delete.as_str()),
        error: error_of(delete),
    };
    let path = format!("/desk/controllers/{}/settings", v.controller.slug);
    let with_errors = !v.errors.is_empty() || v.alert.is_some();
    SettingsPage {
        t,
        page_title: page_title(t, &t.desk_settings_heading(&v.controller.name), with_errors),
        header_name: t.desk_header(),
        lang_switch_url: lang_switch_to(&path, t),
        bar: Some(StaffBar::of(v.session, t)),
        controller_name: v.controller.name.clone(),
        action_url: format!("{path}?lang={}", t.query_lang()),
        csrf: v.session.csrf_token.clone(),
        notice: v.notice,
        alert: v.alert,
        errors: v.errors,
        fields,
        checkbox,
    }
}

async fn load(
    state: &AppState,
    session: &StaffSession,
    slug: String,
) -> PageResult<Option<Controller>> {
    let in_scope = session.scope.clone();
    let found = blocking(state, move |conn| {
        Ok(scope::controller_by_slug(conn, &in_scope, &slug)?)
    })
    .await?;
    Ok(found)
}

/// An administrator's controller within scope: 403 for another role, 404
/// outside the scope.
async fn admin_controller(
    t: Tr,
    state: &AppState,
    session: &StaffSession,
    slug: String,
) -> PageResult<Controller> {
    if !session.is_admin() {
        return Err(forbidden_error(session, t, &t.desk_settings_forbidden()));
    }
    load(state, session, slug)
        .await?
        .ok_or_else(|| not_found_error(Some(session), t))
}

pub async fn show(
    lang: PageLang,
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<String>,
    query: web::Query<NoticeQuery>,
) -> PageResult {
    let t = lang.0;
    let controller = admin_controller(t, &state, &session, path.into_inner()).await?;
    let notice = match query.notice.as_deref() {
        Some("saved") => Some(t.desk_settings_saved()),
        Some("unchanged") => Some(t.desk_settings_unchanged()),
        _ => None,
    };
    let page = page(View {
        session: &session,
        t,
        typed: Typed::from_settings(&controller.retention()),
        controller: &controller,
        errors: Vec::new(),
        notice,
        alert: None,
    });
    Ok(html(StatusCode::OK, &page))
}

/// Parses the form into settings, or the refusals: one per field, in form
/// order, with the field's short name. A value that is not a whole number
/// is refused as such; the others still go through
/// [`RetentionSettings::validate`] so every problem shows at once.
fn parse(
    typed: &Typed,
    current: &RetentionSettings,
    t: Tr,
) -> Result<RetentionSettings, Vec<(String, String)>> {
    let labelled = |field: SettingField, message: &str| {
        t.labelled(&t.desk_setting_short_label(field.as_str()), message)
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
        let message = if unparsed.contains(&field) {
            t.desk_settings_not_a_number()
        } else if refused.iter().any(|e| e.field == field.as_str()) {
            refusal(t, field, numeric_value(&candidate, field))
        } else {
            continue;
        };
        errors.push((field.as_str().to_owned(), labelled(field, &message)));
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
    lang: PageLang,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: StaffForm,
) -> PageResult {
    let t = lang.0;
    let csrf_expired = form.csrf_expired();
    let (session, fields) = (form.session, form.fields);
    let slug = path.into_inner();
    let controller = admin_controller(t, &state, &session, slug.clone()).await?;
    let typed = Typed::from_form(&fields);
    let refused = |status, typed, errors, alert| {
        let page = page(View {
            session: &session,
            t,
            controller: &controller,
            typed,
            errors,
            notice: None,
            alert,
        });
        PageError::page(status, &page)
    };
    if csrf_expired {
        return Err(refused(
            StatusCode::FORBIDDEN,
            typed,
            Vec::new(),
            Some(t.desk_settings_expired()),
        ));
    }
    let settings = match parse(&typed, &controller.retention(), t) {
        Ok(s) => s,
        Err(errors) => {
            return Err(refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                typed,
                errors,
                None,
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
        Saved::Gone => return Err(not_found_error(Some(&session), t)),
    };
    Ok(see_other(&format!(
        "/desk/controllers/{}/settings?lang={}&notice={notice}",
        controller.slug,
        t.query_lang()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::values::Locale;

    const FR: Tr = Tr::new(Locale::Fr);
    const EN: Tr = Tr::new(Locale::En);

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
        let ok = parse(&typed(["18", "72", "36", "12", " 7 "], true), &current, FR).unwrap();
        assert_eq!(ok.proof_months, 18);
        assert_eq!(ok.objection_months, 72);
        assert_eq!(ok.unconfirmed_days, 7);
        assert!(ok.delete_proof_on_identity_accepted);

        let errors = parse(
            &typed(["douze", "36", "35", "14", "-1"], false),
            &current,
            FR,
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
        assert!(errors[3].1.contains("nombre entier"), "{}", errors[3].1);
        assert!(errors.iter().all(|(_, m)| m.ends_with('.')), "{errors:?}");
        let zero = parse(&typed(["12", "36", "36", "13", "0"], false), &current, FR).unwrap_err();
        assert_eq!(
            zero[0].1,
            "Demandes non confirmées\u{202f}: doit être d'au moins 1 jour\u{202f}: la personne \
             doit avoir le temps de cliquer sur le lien de confirmation."
        );

        let en = parse(&typed(["12", "36", "35", "13", "7"], false), &current, EN).unwrap_err();
        assert_eq!(en.len(), 1);
        assert!(
            en[0]
                .1
                .starts_with("Suppression list: must be at least 36 months")
        );
    }

    /// [`bounds`] says which limit a refused value crossed: it must be
    /// exactly what [`RetentionSettings::validate`] refuses.
    #[test]
    fn the_bounds_are_those_of_the_policy() {
        for field in NUMERIC {
            let (min, max) = bounds(field);
            let probes = [0, 1, min.saturating_sub(1), min, max, max.saturating_add(1)];
            for value in probes {
                let mut s = RetentionSettings::default();
                set_numeric(&mut s, field, value);
                let refused = s
                    .validate()
                    .err()
                    .is_some_and(|e| e.iter().any(|e| e.field == field.as_str()));
                assert_eq!(refused, value < min || value > max, "{field:?} = {value}");
            }
        }
    }

    #[test]
    fn every_refusal_is_a_sentence_in_each_language() {
        for t in [FR, EN] {
            for field in NUMERIC {
                let (min, max) = bounds(field);
                for value in [min.saturating_sub(1), max.saturating_add(1)] {
                    if (min..=max).contains(&value) {
                        continue;
                    }
                    let text = refusal(t, field, value);
                    assert!(
                        text.starts_with("doit") || text.starts_with("must"),
                        "{text}"
                    );
                    assert!(text.ends_with('.'), "{text}");
                    assert!(!text.contains(crate::i18n::MISSING_MARK), "{text}");
                }
            }
        }
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
