//! Parse, don't validate: small types that can only hold an acceptable value
//! (slug, e-mail address, locale, role, reference). Each error carries its
//! message in French and English, because citizens and staff see them.

use std::fmt;
use std::str::FromStr;

use validator::ValidateEmail;

/// A refused value, with what to tell the person in their language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{en}")]
pub struct ValueError {
    pub en: String,
    pub fr: String,
}

impl ValueError {
    fn new(en: impl Into<String>, fr: impl Into<String>) -> Self {
        ValueError {
            en: en.into(),
            fr: fr.into(),
        }
    }

    pub fn message(&self, locale: Locale) -> &str {
        match locale {
            Locale::Fr => &self.fr,
            Locale::En => &self.en,
        }
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
        let ok = (2..=40).contains(&raw.len())
            && ok_chars
            && raw.starts_with(|c: char| c.is_ascii_lowercase())
            && !raw.ends_with('-')
            && !raw.contains("--");
        if ok {
            Ok(Slug(raw.to_owned()))
        } else {
            Err(ValueError::new(
                format!(
                    "invalid slug `{}`: use 2 to 40 lowercase letters, digits and single hyphens, starting with a letter",
                    printable(raw)
                ),
                format!(
                    "identifiant `{}` invalide : 2 à 40 lettres minuscules, chiffres et tirets simples, en commençant par une lettre",
                    printable(raw)
                ),
            ))
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
        let ok = (2..=10).contains(&raw.len())
            && raw
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && raw.starts_with(|c: char| c.is_ascii_uppercase());
        if ok {
            Ok(ReferencePrefix(raw.to_owned()))
        } else {
            Err(ValueError::new(
                format!(
                    "invalid reference prefix `{}`: 2 to 10 capital letters or digits, starting with a letter",
                    printable(raw)
                ),
                format!(
                    "préfixe de référence `{}` invalide : 2 à 10 majuscules ou chiffres, en commençant par une lettre",
                    printable(raw)
                ),
            ))
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
    /// RFC 5321 caps a path at 256 octets, so an address above 254 cannot
    /// receive mail; CR/LF are refused so nothing can reach a mail header.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(ValueError::new(
                "enter an e-mail address",
                "indiquez une adresse électronique",
            ));
        }
        if value.len() > 254 {
            return Err(ValueError::new(
                "this e-mail address is too long (254 characters at most)",
                "cette adresse électronique est trop longue (254 caractères au plus)",
            ));
        }
        if value.chars().any(char::is_control) || !value.validate_email() {
            return Err(ValueError::new(
                "enter a valid e-mail address, like name@example.fr",
                "indiquez une adresse électronique valide, par exemple nom@exemple.fr",
            ));
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

/// A single line of human text (a name, a title): trimmed, non-empty,
/// bounded, and without control characters, so it cannot split a mail
/// header or a log line.
pub fn single_line(raw: &str, max_chars: usize) -> Result<String, ValueError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(ValueError::new(
            "this field is required",
            "ce champ est obligatoire",
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(ValueError::new(
            "line breaks and control characters are not allowed here",
            "les retours à la ligne et caractères de contrôle ne sont pas autorisés ici",
        ));
    }
    if value.chars().count() > max_chars {
        return Err(ValueError::new(
            format!("{max_chars} characters at most"),
            format!("{max_chars} caractères au plus"),
        ));
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
        return Err(ValueError::new(
            format!("{max_chars} characters at most"),
            format!("{max_chars} caractères au plus"),
        ));
    }
    Ok(value)
}

/// Interface language: French first, English too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    Fr,
    En,
}

impl Locale {
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Fr => "fr",
            Locale::En => "en",
        }
    }
}

impl FromStr for Locale {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "fr" => Ok(Locale::Fr),
            "en" => Ok(Locale::En),
            other => Err(ValueError::new(
                format!("unknown locale `{}` (fr or en)", printable(other)),
                format!("langue `{}` inconnue (fr ou en)", printable(other)),
            )),
        }
    }
}

/// What a staff account may do. Scope (which controllers) is separate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Manages controllers, staff and retention settings.
    Admin,
    /// Handles requests.
    Dpo,
    /// Reads requests.
    Viewer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Dpo => "dpo",
            Role::Viewer => "viewer",
        }
    }

    pub fn can_act(self) -> bool {
        matches!(self, Role::Admin | Role::Dpo)
    }
}

impl FromStr for Role {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "admin" => Ok(Role::Admin),
            "dpo" => Ok(Role::Dpo),
            "viewer" => Ok(Role::Viewer),
            other => Err(ValueError::new(
                format!("unknown role `{}` (admin, dpo or viewer)", printable(other)),
                format!("rôle `{}` inconnu (admin, dpo ou viewer)", printable(other)),
            )),
        }
    }
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
            assert!(Slug::parse(bad).is_err(), "{bad}");
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
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?}");
        }
        let long = format!("{}@example.fr", "a".repeat(290));
        let err = EmailAddress::parse(&long).unwrap_err();
        assert!(err.fr.contains("trop longue"));
    }

    #[test]
    fn single_lines_refuse_crlf() {
        assert_eq!(single_line("  Jeanne ", 100).unwrap(), "Jeanne");
        assert!(single_line("Jeanne\r\nBcc: x", 100).is_err());
        assert!(single_line("   ", 100).is_err());
        assert!(single_line(&"é".repeat(101), 100).is_err());
        assert_eq!(multi_line("a\r\nb\u{7}", 10).unwrap(), "a\nb");
    }

    #[test]
    fn locales_and_roles() {
        assert_eq!("fr".parse::<Locale>().unwrap(), Locale::Fr);
        assert!("de".parse::<Locale>().is_err());
        assert_eq!("dpo".parse::<Role>().unwrap(), Role::Dpo);
        assert!("root".parse::<Role>().is_err());
        assert!(!Role::Viewer.can_act());
    }
}
