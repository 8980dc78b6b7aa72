//! Parse, don't validate: small types that can only hold an acceptable value
//! (slug, e-mail address, locale, role, reference). A refusal is a code
//! ([`ValueErrorKind`]) with what its sentence needs; the catalogues word it
//! (`i18n/*/errors.ftl`, `Tr::value_error`), because citizens and staff see
//! it. `Display` is a short English line for logs and the command line.

use std::fmt;
use std::ops::RangeInclusive;

use validator::ValidateEmail;

/// The length of a [`Slug`], in characters.
pub const SLUG_LEN: RangeInclusive<usize> = 2..=40;
/// The length of a [`ReferencePrefix`], in characters.
pub const REFERENCE_PREFIX_LEN: RangeInclusive<usize> = 2..=10;
/// RFC 5321 caps a path at 256 octets, so an address above 254 cannot
/// receive mail.
pub const MAX_EMAIL_LEN: usize = 254;

/// What was wrong with a refused value, with the data its sentence needs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueErrorKind {
    /// Not a [`Slug`]; `value` is the input made printable.
    #[error(
        "invalid slug `{value}`: use {} to {} lowercase letters, digits and single hyphens, \
         starting with a letter",
        SLUG_LEN.start(),
        SLUG_LEN.end()
    )]
    Slug { value: String },
    /// Not a [`ReferencePrefix`].
    #[error(
        "invalid reference prefix `{value}`: {} to {} capital letters or digits, starting with a \
         letter",
        REFERENCE_PREFIX_LEN.start(),
        REFERENCE_PREFIX_LEN.end()
    )]
    ReferencePrefix { value: String },
    /// An e-mail address field left blank.
    #[error("enter an e-mail address")]
    EmailMissing,
    /// Longer than [`MAX_EMAIL_LEN`].
    #[error("this e-mail address is too long ({max} characters at most)")]
    EmailTooLong { max: usize },
    /// Not a well-formed address.
    #[error("enter a valid e-mail address, like name@example.fr")]
    EmailInvalid,
    /// A required field left blank.
    #[error("this field is required")]
    Required,
    /// A line break or control character in a single-line field.
    #[error("line breaks and control characters are not allowed here")]
    ControlCharacters,
    /// More than `max` characters.
    #[error("{max} characters at most")]
    TooLong { max: usize },
    /// Not a language the product speaks.
    #[error("unknown locale `{value}` (fr or en)")]
    UnknownLocale { value: String },
    /// Not a staff role.
    #[error("unknown role `{value}` (admin, dpo or viewer)")]
    UnknownRole { value: String },
}

/// A refused value. The sentence for a person is `Tr::value_error(&e)`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct ValueError {
    /// What was wrong.
    pub kind: ValueErrorKind,
}

impl From<ValueErrorKind> for ValueError {
    fn from(kind: ValueErrorKind) -> Self {
        ValueError { kind }
    }
}

/// The part of a controller's URL after `/c/`: stable, readable, ASCII.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);

impl Slug {
    pub fn parse(raw: &str) -> Result<Slug, ValueError> {
        let ok_chars = raw
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        let ok = SLUG_LEN.contains(&raw.len())
            && ok_chars
            && raw.starts_with(|c: char| c.is_ascii_lowercase())
            && !raw.ends_with('-')
            && !raw.contains("--");
        if ok {
            Ok(Slug(raw.to_owned()))
        } else {
            Err(ValueErrorKind::Slug {
                value: printable(raw),
            }
            .into())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The letters before the year in a request reference (`ISSY-2026-0042`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferencePrefix(String);

impl ReferencePrefix {
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let ok = REFERENCE_PREFIX_LEN.contains(&raw.len())
            && raw
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && raw.starts_with(|c: char| c.is_ascii_uppercase());
        if ok {
            Ok(ReferencePrefix(raw.to_owned()))
        } else {
            Err(ValueErrorKind::ReferencePrefix {
                value: printable(raw),
            }
            .into())
        }
    }

    /// `issy-les-moulineaux` → `ISSY`: the first word of the slug, which is
    /// what a DPO would say on the phone.
    pub fn from_slug(slug: &Slug) -> Self {
        let first: String = slug
            .as_str()
            .split('-')
            .next()
            .unwrap_or_default()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .take(10)
            .collect::<String>()
            .to_ascii_uppercase();
        Self::parse(&first).unwrap_or_else(|_| ReferencePrefix("DSR".to_owned()))
    }

    /// Prefixes to propose when `taken` (the slug's default, or what was
    /// typed) belongs to another controller, best first: every word of
    /// the slug (`saint-ouen` → `SAINTOUEN`), then `taken` with a number.
    /// References are unique across controllers, so two cities must never
    /// share a prefix.
    pub fn alternatives(slug: &Slug, taken: &ReferencePrefix) -> impl Iterator<Item = Self> {
        let whole: String = slug
            .as_str()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .take(10)
            .collect::<String>()
            .to_ascii_uppercase();
        let stem: String = taken.0.chars().take(8).collect();
        std::iter::once(whole)
            .chain((2..100).map(move |n| format!("{stem}{n}")))
            .filter_map(|p| Self::parse(&p).ok())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `ISSY-2026-0042`; numbers past 9999 simply grow wider.
    pub fn reference(&self, year: i32, number: i64) -> String {
        format!("{}-{year}-{number:04}", self.0)
    }
}

/// An e-mail address as typed (trimmed), known to be well-formed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// At most [`MAX_EMAIL_LEN`] bytes; CR/LF are refused so nothing can
    /// reach a mail header. This is the one parser of addresses (the
    /// public form, the desk, the command line and the mailer's last check
    /// all call it), so an address the product accepts can always be
    /// mailed: it must also be one lettre builds a message to, and its
    /// domain a name, not an address literal (`jean@[127.0.0.1]`), which
    /// relays refuse and which would hide a confirmation that never leaves.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(ValueErrorKind::EmailMissing.into());
        }
        if value.len() > MAX_EMAIL_LEN {
            return Err(ValueErrorKind::EmailTooLong { max: MAX_EMAIL_LEN }.into());
        }
        if value.chars().any(char::is_control)
            || !value.validate_email()
            || value.parse::<lettre::Address>().is_err()
            || value.rsplit_once('@').is_none_or(|(_, domain)| {
                domain.starts_with('[') || domain.chars().any(char::is_whitespace)
            })
        {
            return Err(ValueErrorKind::EmailInvalid.into());
        }
        Ok(EmailAddress(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Lower-cased: the form used for staff logins and the suppression-list
    /// hash (mail providers treat addresses case-insensitively in practice).
    pub fn normalized(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Invisible formatting characters (zero-width, bidi overrides, soft
/// hyphen, variation selectors, BOM). Removed without leaving a gap from
/// file names and one-line fields, so `carte\u{202E}fdp.exe` or a name
/// with a right-to-left override cannot display as something else.
pub fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}'
        | '\u{061C}'
        | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}')
}

/// A single line of human text (a name, a title): without invisible
/// formatting characters, trimmed, non-empty, bounded, and without control
/// characters, so it cannot split a mail header or a log line.
pub fn single_line(raw: &str, max_chars: usize) -> Result<String, ValueError> {
    let visible: String = raw.chars().filter(|c| !is_invisible_format(*c)).collect();
    let value = visible.trim();
    if value.is_empty() {
        return Err(ValueErrorKind::Required.into());
    }
    if value.chars().any(char::is_control) {
        return Err(ValueErrorKind::ControlCharacters.into());
    }
    if value.chars().count() > max_chars {
        return Err(ValueErrorKind::TooLong { max: max_chars }.into());
    }
    Ok(value.to_owned())
}

/// Free text (details, an address): line breaks allowed, other control
/// characters dropped, length bounded.
pub fn multi_line(raw: &str, max_chars: usize) -> Result<String, ValueError> {
    let value: String = raw
        .trim()
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| *c == '\n' || *c == '\t' || !c.is_control())
        .collect();
    if value.chars().count() > max_chars {
        return Err(ValueErrorKind::TooLong { max: max_chars }.into());
    }
    Ok(value)
}

/// Interface language: French first, English too. Stored with a request
/// and a controller, as its code (`fr`, `en`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
    strum::EnumCount,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[strum(
    serialize_all = "snake_case",
    const_into_str,
    parse_err_ty = ValueError,
    parse_err_fn = unknown_locale
)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum Locale {
    #[default]
    Fr,
    En,
}

impl Locale {
    /// Every language the product speaks.
    pub const ALL: [Locale; <Locale as strum::EnumCount>::COUNT] = super::all();

    pub const fn as_str(self) -> &'static str {
        self.into_str()
    }
}

fn unknown_locale(value: &str) -> ValueError {
    ValueErrorKind::UnknownLocale {
        value: printable(value),
    }
    .into()
}

/// What a staff account may do. Scope (which controllers) is separate.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
    strum::EnumCount,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[strum(
    serialize_all = "snake_case",
    const_into_str,
    parse_err_ty = ValueError,
    parse_err_fn = unknown_role
)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum Role {
    /// Manages controllers, staff and retention settings.
    Admin,
    /// Handles requests.
    Dpo,
    /// Reads requests.
    Viewer,
}

impl Role {
    /// Every role, from the most to the least powerful.
    pub const ALL: [Role; <Role as strum::EnumCount>::COUNT] = super::all();

    pub const fn as_str(self) -> &'static str {
        self.into_str()
    }

    pub fn can_act(self) -> bool {
        matches!(self, Role::Admin | Role::Dpo)
    }
}

fn unknown_role(value: &str) -> ValueError {
    ValueErrorKind::UnknownRole {
        value: printable(value),
    }
    .into()
}

/// Echoes user input in an error without letting it break the line.
fn printable(raw: &str) -> String {
    raw.chars()
        .take(60)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for ok in ["issy", "issy-les-moulineaux", "paris15", "ab"] {
            assert!(Slug::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "a",
            "Issy",
            "issy_",
            "-issy",
            "issy-",
            "is--sy",
            "1issy",
            "issy/../x",
            "é",
        ] {
            assert_eq!(
                Slug::parse(bad).unwrap_err().kind,
                ValueErrorKind::Slug { value: bad.into() },
                "{bad}"
            );
        }
        assert!(Slug::parse(&"a".repeat(41)).is_err());
    }

    #[test]
    fn reference_prefix_from_slug() {
        let slug = Slug::parse("issy-les-moulineaux").unwrap();
        let prefix = ReferencePrefix::from_slug(&slug);
        assert_eq!(prefix.as_str(), "ISSY");
        assert_eq!(prefix.reference(2026, 42), "ISSY-2026-0042");
        assert_eq!(prefix.reference(2026, 12345), "ISSY-2026-12345");
        assert!(ReferencePrefix::parse("issy").is_err());
    }

    #[test]
    fn email_addresses() {
        assert!(EmailAddress::parse(" jeanne@example.fr ").is_ok());
        assert_eq!(
            EmailAddress::parse("Jeanne@Example.FR")
                .unwrap()
                .normalized(),
            "jeanne@example.fr"
        );
        for bad in [
            "",
            "jeanne",
            "jeanne@",
            "@example.fr",
            "a@b\r\nBcc: x@y.fr",
            "jeanne @example.fr",
            "jean@[127.0.0.1]",
            "x@a b[127.0.0.1]",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?}");
        }
        let long = format!("{}@example.fr", "a".repeat(290));
        let err = EmailAddress::parse(&long).unwrap_err();
        assert_eq!(err.kind, ValueErrorKind::EmailTooLong { max: 254 });
        assert_eq!(
            EmailAddress::parse("jeanne").unwrap_err().kind,
            ValueErrorKind::EmailInvalid
        );
        assert_eq!(
            EmailAddress::parse("  ").unwrap_err().kind,
            ValueErrorKind::EmailMissing
        );
    }

    #[test]
    fn single_lines_refuse_crlf() {
        assert_eq!(single_line("  Jeanne ", 100).unwrap(), "Jeanne");
        let kind = |r: Result<String, ValueError>| r.unwrap_err().kind;
        assert_eq!(
            kind(single_line("Jeanne\r\nBcc: x", 100)),
            ValueErrorKind::ControlCharacters
        );
        assert_eq!(kind(single_line("   ", 100)), ValueErrorKind::Required);
        assert_eq!(
            single_line("\u{200B}Jea\u{202E}nne\u{FEFF} ", 100).unwrap(),
            "Jeanne"
        );
        assert_eq!(
            kind(single_line("\u{200B}\u{2066}", 100)),
            ValueErrorKind::Required
        );
        assert_eq!(
            kind(single_line(&"é".repeat(101), 100)),
            ValueErrorKind::TooLong { max: 100 }
        );
        assert_eq!(
            kind(multi_line(&"é".repeat(11), 10)),
            ValueErrorKind::TooLong { max: 10 }
        );
        assert_eq!(multi_line("a\r\nb\u{7}", 10).unwrap(), "a\nb");
    }

    #[test]
    fn locales_and_roles() {
        assert_eq!("fr".parse::<Locale>().unwrap(), Locale::Fr);
        assert_eq!(
            "de".parse::<Locale>().unwrap_err().kind,
            ValueErrorKind::UnknownLocale { value: "de".into() }
        );
        assert_eq!(
            "root\n".parse::<Role>().unwrap_err().kind,
            ValueErrorKind::UnknownRole {
                value: "root?".into()
            }
        );
        assert_eq!("dpo".parse::<Role>().unwrap(), Role::Dpo);
        assert!("root".parse::<Role>().is_err());
        assert!(!Role::Viewer.can_act());
    }
}
