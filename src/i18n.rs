//! Words and dates as a citizen reads them, in French or English: shared by
//! the e-mails (`mail/`) and the web pages, so a due date reads the same in
//! the acknowledgment and on the status page.
//!
//! The names of rights, statuses and outcomes live with their enums in
//! `domain::request` (`label_fr()` / `label_en()`); this file only picks the
//! one for a [`Locale`] and adds what the domain has no label for (refusal
//! grounds).

use chrono::{Datelike, NaiveDate, Weekday};

use crate::domain::request::{Outcome, RefusalGround, RequestKind, Status};
use crate::domain::values::Locale;

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn weekday_fr(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "lundi",
        Weekday::Tue => "mardi",
        Weekday::Wed => "mercredi",
        Weekday::Thu => "jeudi",
        Weekday::Fri => "vendredi",
        Weekday::Sat => "samedi",
        Weekday::Sun => "dimanche",
    }
}

fn weekday_en(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// A date in full, as in a letter: "lundi 2 mars 2026" (with "1er" for the
/// first of the month, as French typography wants) or "Monday 2 March 2026".
/// Written out rather than numeric, so "02/03" cannot be read as 3 February.
/// A field's label and its error message, with each language's
/// punctuation: "Prénom : …" (French puts a space before the colon),
/// "First name: …".
pub fn labelled(label: &str, message: &str, locale: Locale) -> String {
    match locale {
        Locale::Fr => format!("{label} : {message}"),
        Locale::En => format!("{label}: {message}"),
    }
}

pub fn format_date(date: NaiveDate, locale: Locale) -> String {
    let month = date.month0() as usize;
    match locale {
        Locale::Fr => {
            let day = match date.day() {
                1 => "1er".to_owned(),
                d => d.to_string(),
            };
            format!(
                "{} {} {} {}",
                weekday_fr(date.weekday()),
                day,
                MONTHS_FR[month],
                date.year()
            )
        }
        Locale::En => format!(
            "{} {} {} {}",
            weekday_en(date.weekday()),
            date.day(),
            MONTHS_EN[month],
            date.year()
        ),
    }
}

/// The name of the right exercised.
pub fn kind_label(kind: RequestKind, locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => kind.label_fr(),
        Locale::En => kind.label_en(),
    }
}

pub fn status_label(status: Status, locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => status.label_fr(),
        Locale::En => status.label_en(),
    }
}

pub fn outcome_label(outcome: Outcome, locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => outcome.label_fr(),
        Locale::En => outcome.label_en(),
    }
}

/// A refusal ground as the citizen is told it (art. 12(4): the reasons must
/// be given), with the article relied on when there is one. `Other` is the
/// DPO's own words.
pub fn refusal_ground_label(ground: &RefusalGround, locale: Locale) -> String {
    let text = match (ground, locale) {
        (RefusalGround::IdentityNotEstablished, Locale::Fr) => {
            "votre identité n'a pas pu être établie".to_owned()
        }
        (RefusalGround::IdentityNotEstablished, Locale::En) => {
            "your identity could not be established".to_owned()
        }
        (RefusalGround::ManifestlyUnfoundedOrExcessive, Locale::Fr) => {
            "demande manifestement infondée ou excessive".to_owned()
        }
        (RefusalGround::ManifestlyUnfoundedOrExcessive, Locale::En) => {
            "the request is manifestly unfounded or excessive".to_owned()
        }
        (RefusalGround::ErasureException(letter), Locale::Fr) => {
            format!("effacement non applicable : {}", letter.label_fr())
        }
        (RefusalGround::ErasureException(letter), Locale::En) => {
            format!("erasure does not apply: {}", letter.label_en())
        }
        (RefusalGround::PortabilityPublicTask, Locale::Fr) => {
            "le droit à la portabilité ne s'applique pas à un traitement nécessaire à une \
             mission d'intérêt public"
                .to_owned()
        }
        (RefusalGround::PortabilityPublicTask, Locale::En) => {
            "the right to data portability does not apply to processing necessary for a task \
             carried out in the public interest"
                .to_owned()
        }
        (RefusalGround::NoDataHeld, Locale::Fr) => {
            "nous ne détenons aucune donnée vous concernant".to_owned()
        }
        (RefusalGround::NoDataHeld, Locale::En) => "we hold no data about you".to_owned(),
        (RefusalGround::Other(reason), _) => reason.clone(),
    };
    match (ground.article(), locale) {
        (Some(article), Locale::Fr) => format!("{text} (article {article} du RGPD)"),
        (Some(article), Locale::En) => format!("{text} (GDPR article {article})"),
        (None, _) => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::request::Art17_3Letter;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_read_as_in_a_letter() {
        assert_eq!(format_date(d(2026, 3, 2), Locale::Fr), "lundi 2 mars 2026");
        assert_eq!(
            format_date(d(2026, 3, 2), Locale::En),
            "Monday 2 March 2026"
        );
        assert_eq!(
            format_date(d(2026, 3, 1), Locale::Fr),
            "dimanche 1er mars 2026"
        );
        assert_eq!(
            format_date(d(2026, 8, 15), Locale::Fr),
            "samedi 15 août 2026"
        );
        assert_eq!(
            format_date(d(2026, 12, 31), Locale::En),
            "Thursday 31 December 2026"
        );
    }

    #[test]
    fn every_month_and_weekday_has_a_name() {
        let mut day = d(2026, 1, 1);
        while day.year() == 2026 {
            for locale in [Locale::Fr, Locale::En] {
                let text = format_date(day, locale);
                assert_eq!(text.split(' ').count(), 4, "{text}");
            }
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn refusal_grounds_cite_their_article() {
        let g = RefusalGround::ErasureException(Art17_3Letter::B);
        assert_eq!(
            refusal_ground_label(&g, Locale::Fr),
            "effacement non applicable : obligation légale ou mission d'intérêt public \
             (article 17(3)(b) du RGPD)"
        );
        assert!(refusal_ground_label(&g, Locale::En).ends_with("(GDPR article 17(3)(b))"));
        let other = RefusalGround::Other("Dossier archivé".into());
        assert_eq!(refusal_ground_label(&other, Locale::Fr), "Dossier archivé");
        assert_eq!(
            kind_label(RequestKind::Erasure, Locale::Fr),
            "Droit à l'effacement"
        );
        assert_eq!(outcome_label(Outcome::Refused, Locale::En), "Refused");
        assert_eq!(
            status_label(Status::InProgress, Locale::Fr),
            "En cours de traitement"
        );
    }
}
