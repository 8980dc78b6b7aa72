//! The form parts the setup page and the administrators' pages share: a
//! controller's fields (setup and "add a controller" are the same form) and
//! a new account's e-mail and password. Values go through the same types
//! and checks as `dsr-tracker controller add` / `staff add`
//! ([`Slug`], [`ReferencePrefix`], [`EmailAddress`], [`values::single_line`],
//! [`password::check_policy`]), so the browser and the command line accept
//! exactly the same things.

use chrono::NaiveDateTime;

use super::super::Fields;
use crate::audit::Actor;
use crate::db::DbConn;
use crate::domain::values::{self, EmailAddress, Locale, ReferencePrefix, Slug, ValueError};
use crate::i18n::Tr;
use crate::security::password::{self, PasswordError};
use crate::store::controllers::{self, Controller, CreateControllerError, NewController};

/// Refusals, each with the field it belongs to (its `id` in the page), in
/// form order: shown next to the field and in the summary at the top.
#[derive(Debug, Default, Clone)]
pub struct Errors {
    pub list: Vec<(String, String)>,
}

impl Errors {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.list
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The field's label and the message, as a sentence, with the
    /// language's punctuation ("Label : message." in French).
    pub fn push(&mut self, t: Tr, field: &str, label: &str, message: impl AsRef<str>) {
        let message = message.as_ref();
        let stop = if message.ends_with('.') { "" } else { "." };
        let text = t.labelled(label, &format!("{message}{stop}"));
        self.list.push((field.to_owned(), text));
    }

    /// A value the domain refused, in the page's language.
    fn push_value(&mut self, t: Tr, field: &str, label: &str, e: &ValueError) {
        self.push(t, field, label, t.value_error(e));
    }
}

/// A controller's fields as typed (shown again on a refusal).
#[derive(Debug, Clone)]
pub struct ControllerFields {
    pub name: String,
    pub slug: String,
    pub reference_prefix: String,
    pub dpo_email: String,
    pub postal_address: String,
    pub time_zone: String,
    pub locale: String,
}

impl Default for ControllerFields {
    fn default() -> Self {
        ControllerFields {
            name: String::new(),
            slug: String::new(),
            reference_prefix: String::new(),
            dpo_email: String::new(),
            postal_address: String::new(),
            time_zone: "Europe/Paris".to_owned(),
            locale: "fr".to_owned(),
        }
    }
}

/// A controller ready to create.
#[derive(Debug, Clone)]
pub struct ValidController {
    pub new: NewController,
    pub time_zone: chrono_tz::Tz,
}

impl ControllerFields {
    pub fn from_form(fields: &Fields) -> Self {
        let get = |n: &str| fields.get(n).unwrap_or_default().to_owned();
        ControllerFields {
            name: get("c_name"),
            slug: get("c_slug").trim().to_owned(),
            reference_prefix: get("c_prefix").trim().to_owned(),
            dpo_email: get("c_dpo_email").trim().to_owned(),
            postal_address: get("c_postal"),
            time_zone: get("c_time_zone").trim().to_owned(),
            locale: get("c_locale"),
        }
    }

    /// Every field is checked, so all problems show at once; `errors`
    /// receives them under the field ids `c_name`, `c_slug`, …
    pub fn parse(&self, t: Tr, errors: &mut Errors) -> Option<ValidController> {
        let name = values::single_line(&self.name, 200)
            .map_err(|e| errors.push_value(t, "c_name", &t.admin_field_name(), &e))
            .ok();
        // An empty field says "required", like the others, rather than
        // "identifier `` invalid".
        let slug = values::single_line(&self.slug, 40)
            .and_then(|s| Slug::parse(&s))
            .map_err(|e| errors.push_value(t, "c_slug", &t.admin_field_slug(), &e))
            .ok();
        let prefix = if self.reference_prefix.is_empty() {
            slug.as_ref().map(ReferencePrefix::from_slug)
        } else {
            ReferencePrefix::parse(&self.reference_prefix)
                .map_err(|e| errors.push_value(t, "c_prefix", &t.admin_field_prefix(), &e))
                .ok()
        };
        let dpo_email = EmailAddress::parse(&self.dpo_email)
            .map_err(|e| errors.push_value(t, "c_dpo_email", &t.admin_field_dpo_email(), &e))
            .ok();
        let postal = values::multi_line(&self.postal_address, 500)
            .map_err(|e| errors.push_value(t, "c_postal", &t.admin_field_postal(), &e))
            .ok();
        let tz = self
            .time_zone
            .parse::<chrono_tz::Tz>()
            .map_err(|_| {
                errors.push(
                    t,
                    "c_time_zone",
                    &t.admin_field_time_zone(),
                    t.admin_time_zone_unknown(),
                )
            })
            .ok();
        let form_locale = self
            .locale
            .parse::<Locale>()
            .map_err(|_| {
                errors.push(
                    t,
                    "c_locale",
                    &t.admin_field_locale(),
                    t.admin_locale_unknown(),
                )
            })
            .ok();
        Some(ValidController {
            new: NewController {
                slug: slug?,
                name: name?,
                reference_prefix: prefix?,
                dpo_email: dpo_email?,
                postal_address: Some(postal?).filter(|p| !p.is_empty()),
                locale: form_locale?,
            },
            time_zone: tz?,
        })
    }
}

/// What another controller already has: its slug, or its reference
/// prefix (with a free one to propose).
#[derive(Debug, Clone)]
pub enum Taken {
    Slug,
    Prefix { taken: String, proposal: String },
}

impl Taken {
    /// The refusal, next to its field.
    pub fn push(&self, t: Tr, errors: &mut Errors) {
        match self {
            Taken::Slug => errors.push(t, "c_slug", &t.admin_field_slug(), t.admin_slug_taken()),
            Taken::Prefix { taken, proposal } => errors.push(
                t,
                "c_prefix",
                &t.admin_field_prefix(),
                t.admin_prefix_taken(taken, proposal),
            ),
        }
    }
}

/// Creates the controller with its time zone and its audit event, inside
/// the caller's transaction. `Err(Taken)` when the slug or the prefix is
/// another controller's: a refusal of that field, and the caller rolls
/// back.
pub fn create_controller(
    conn: &mut DbConn,
    valid: &ValidController,
    actor: Actor,
    via: &str,
    now: NaiveDateTime,
) -> anyhow::Result<Result<Controller, Taken>> {
    match controllers::create_audited(conn, &valid.new, valid.time_zone, actor, via, now) {
        Ok(c) => Ok(Ok(c)),
        Err(CreateControllerError::DuplicateSlug(_)) => Ok(Err(Taken::Slug)),
        Err(CreateControllerError::DuplicatePrefix {
            taken, proposal, ..
        }) => Ok(Err(Taken::Prefix { taken, proposal })),
        Err(e) => Err(e.into()),
    }
}

/// Why a transaction was rolled back on purpose (a refusal to show the
/// person), as opposed to a failure.
pub enum Tx<R> {
    Refused(R),
    Failed(anyhow::Error),
}

impl<R> From<diesel::result::Error> for Tx<R> {
    fn from(e: diesel::result::Error) -> Self {
        Tx::Failed(e.into())
    }
}

impl<R> From<anyhow::Error> for Tx<R> {
    fn from(e: anyhow::Error) -> Self {
        Tx::Failed(e)
    }
}

/// Runs `f` in one transaction: `Ok(Err(r))` when `f` refused with `r`
/// (everything it wrote is rolled back), `Err` on a real failure.
pub fn refusable<T, R>(
    conn: &mut DbConn,
    f: impl FnOnce(&mut DbConn) -> Result<T, Tx<R>>,
) -> anyhow::Result<Result<T, R>> {
    use diesel::Connection;
    match conn.transaction(f) {
        Ok(v) => Ok(Ok(v)),
        Err(Tx::Refused(r)) => Ok(Err(r)),
        Err(Tx::Failed(e)) => Err(e),
    }
}

/// A new account's e-mail, checked like `staff add --email`.
pub fn parse_email(raw: &str, t: Tr, errors: &mut Errors) -> Option<EmailAddress> {
    EmailAddress::parse(raw)
        .map_err(|e| errors.push_value(t, "email", &t.admin_field_email(), &e))
        .ok()
}

/// The initial password typed twice, with the CLI's length policy. The
/// password is never shown again, so both fields come back empty.
pub fn parse_new_password(first: &str, second: &str, t: Tr, errors: &mut Errors) -> Option<String> {
    if first.is_empty() {
        errors.push(
            t,
            "password",
            &t.admin_field_password(),
            t.admin_password_missing(),
        );
        return None;
    }
    match password::check_policy(first) {
        Ok(()) => {}
        Err(PasswordError::TooShort) => {
            errors.push(
                t,
                "password",
                &t.admin_field_password(),
                t.admin_password_too_short(password::MIN_LEN),
            );
            return None;
        }
        Err(PasswordError::TooLong) => {
            errors.push(
                t,
                "password",
                &t.admin_field_password(),
                t.admin_password_too_long(password::MAX_LEN),
            );
            return None;
        }
    }
    if first != second {
        errors.push(
            t,
            "password2",
            &t.admin_field_password2(),
            t.admin_passwords_differ(),
        );
        return None;
    }
    Some(first.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed() -> ControllerFields {
        ControllerFields {
            name: " Ville de Vanves ".into(),
            slug: "vanves".into(),
            dpo_email: "dpo@vanves.example.fr".into(),
            ..ControllerFields::default()
        }
    }

    #[test]
    fn a_controller_parses_with_defaults() {
        let mut errors = Errors::default();
        let v = typed().parse(Tr::new(Locale::Fr), &mut errors).unwrap();
        assert!(errors.is_empty());
        assert_eq!(v.new.name, "Ville de Vanves");
        assert_eq!(v.new.reference_prefix.as_str(), "VANVES");
        assert_eq!(v.new.postal_address, None);
        assert_eq!(v.time_zone, chrono_tz::Europe::Paris);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let bad = ControllerFields {
            name: String::new(),
            slug: "Vanves!".into(),
            reference_prefix: "v".into(),
            dpo_email: "pas une adresse".into(),
            postal_address: String::new(),
            time_zone: "Mars/Olympus".into(),
            locale: "de".into(),
        };
        let mut errors = Errors::default();
        assert!(bad.parse(Tr::new(Locale::En), &mut errors).is_none());
        let fields: Vec<&str> = errors.list.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "c_name",
                "c_slug",
                "c_prefix",
                "c_dpo_email",
                "c_time_zone",
                "c_locale"
            ]
        );
        assert_eq!(
            errors.get("c_name"),
            Some("Name shown to citizens: this field is required.")
        );
    }

    #[test]
    fn passwords_follow_the_cli_policy() {
        let t = Tr::new(Locale::Fr);
        let mut errors = Errors::default();
        assert!(parse_new_password("court", "court", t, &mut errors).is_none());
        assert!(errors.get("password").unwrap().contains("12 caractères"));
        let mut errors = Errors::default();
        let long = "correct horse battery staple";
        assert!(parse_new_password(long, "autre chose longue", t, &mut errors).is_none());
        assert!(errors.has("password2"));
        let mut errors = Errors::default();
        assert_eq!(
            parse_new_password(long, long, t, &mut errors).as_deref(),
            Some(long)
        );
    }
}
