//! The action forms of the request page: which ones the page offers now,
//! and what was typed in one that was refused, so the page can show it
//! again filled in with each message beside its field. Shared by the page
//! (`page.rs`, which draws the forms) and the actions (`actions.rs`, which
//! refuse actix_web::http::StatusCode;
use super::super::Fields;
use crate::domain::request::{Action, Outcome, allowed_actions};
use crate::store::requests::Request;

/// The actions a staff member performs from the request page (the others
/// belong to the citizen or to the retention job).
pub const DESK_ACTIONS: [Action; 11] = [
    Action::AcceptIdentity,
    Action::RequestInformation,
    Action::ResumeClock,
    Action::Extend,
    Action::Close(Outcome::Granted),
    Action::Close(Outcome::PartiallyGranted),
    Action::Close(Outcome::Refused),
    Action::AddNote,
    Action::NotifyRecipients,
    Action::PlaceLegalHold,
    Action::LiftLegalHold,
];

/// The refusal grounds the close form offers, by code (the empty option,
/// "no ground", comes first in the template).
pub const GROUND_CODES: [&str; 6] = [
    "identity_not_established",
    "manifestly_unfounded",
    "art17_3",
    "art20_3",
    "no_data_held",
    "other",
];

/// The action codes the request page offers now (`allowed` of the
/// `desk/request_actions.html` partial): the desk's actions that
/// [`allowed_actions`] accepts, without art. 19 for kinds it does not
/// concern; empty for an account that cannot act.
pub fn allowed_codes(request: &Request, can_act: bool) -> Vec<&'static str> {
    if !can_act {
        return Vec::new();
    }
    let kind = request.kind();
    allowed_actions(request.state())
        .into_iter()
        .filter(|a| DESK_ACTIONS.contains(a))
        .filter(|a| *a != Action::NotifyRecipients || kind.notifies_recipients())
        .map(Action::as_str)
        .collect()
}

/// The form of the request page an action code is posted from: one form
/// closes the request whatever the outcome.
fn form_of(code: &str) -> &str {
    match code {
        "close_granted" | "close_partially_granted" | "close_refused" => "close",
        other => other,
    }
}

/// The free-text fields of the forms: what must never be lost.
const TYPED_FIELDS: [&str; 6] = [
    "message",
    "answer",
    "refusal_detail",
    "reason",
    "note",
    "recipients",
];

/// What went wrong with an action, beyond its fields: the summary at the
/// top of the request page.
#[derive(Debug, Clone)]
pub struct Problem {
    pub title: String,
    /// Sentences that belong to no single field.
    pub messages: Vec<String>,
    /// Whether to add that nothing was changed (the stale and expired
    /// messages already say so in their own words).
    pub nothing_changed: bool,
}

/// One action form as it was sent, and what was wrong with it: the request
/// page shows that form again filled with it, each message beside its
/// field. Empty on a plain visit of the page.
#[derive(Debug, Clone, Default)]
pub struct ActionForm {
    /// The form sent (see [`form_of`]); empty when none.
    form: String,
    /// Its fields as sent, first value of each name.
    values: Vec<(String, String)>,
    /// `(field id, message)` in the order of the form.
    pub errors: Vec<(&'static str, String)>,
    pub problem: Option<Problem>,
    /// The texts typed in a form the request no longer offers (it changed
    /// meanwhile): shown in the summary, to be copied.
    pub kept: Vec<String>,
    /// Whether what was typed is back in its form.
    pub typed_in_form: bool,
}

impl ActionForm {
    /// The form of `code`, filled with `fields` as sent.
    pub(super) fn sent(code: &str, fields: &Fields) -> ActionForm {
        let mut values: Vec<(String, String)> = Vec::new();
        for (name, value) in &fields.0 {
            if name == "csrf" || values.iter().any(|(n, _)| n == name) {
                continue;
            }
            values.push((name.clone(), value.replace("\r\n", "\n")));
        }
        // `close_granted` and the like name their outcome in the URL.
        if let Some(outcome) = code.strip_prefix("close_")
            && !values.iter().any(|(n, _)| n == "outcome")
        {
            values.push(("outcome".to_owned(), outcome.to_owned()));
        }
        ActionForm {
            form: form_of(code).to_owned(),
            values,
            ..ActionForm::default()
        }
    }

    /// What was typed in field `name` of `form`; empty for another form.
    pub fn value(&self, form: &str, name: &str) -> &str {
        if self.form != form {
            return "";
        }
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Whether `form` is the one sent.
    pub fn is(&self, form: &str) -> bool {
        self.form == form
    }

    /// Whether `value` was chosen in the select or radio `name` of `form`.
    pub fn selected(&self, form: &str, name: &str, value: &str) -> bool {
        self.form == form && self.value(form, name).trim() == value
    }

    /// The message beside field `id`.
    pub fn error(&self, id: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, m)| m.as_str())
    }

    /// The texts typed, in the order of [`TYPED_FIELDS`].
    pub(super) fn typed(&self) -> Vec<String> {
        TYPED_FIELDS
            .iter()
            .map(|name| self.value(&self.form, name).trim())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// Settles where what was typed shows, once the page knows the forms it
    /// offers (`allowed`, as [`allowed_codes`]): back in its form, or in
    /// the summary when that form is gone.
    pub fn place_typed(&mut self, allowed: &[&str]) {
        if self.problem.is_none() {
            return;
        }
        let typed = self.typed();
        let shown = match self.form.as_str() {
            "close" => allowed.iter().any(|a| a.starts_with("close_")),
            form => allowed.contains(&form),
        };
        if shown {
            self.typed_in_form = !typed.is_empty();
        } else {
            self.kept = typed;
            self.errors.clear();
        }
    }
}
