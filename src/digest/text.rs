//! The digest's wording, French and English: `templates/mail/digest.{fr,en}.txt`
//! (first line the subject, as for every mail) and the few phrases that
//! depend on a number.

use askama::Template;

use super::{Digest, Line};
use crate::domain::values::Locale;
use crate::i18n;
use crate::mail::RenderedMail;
use crate::mail::templates::finish;

/// A digest ready to render; links start with `public_url`.
pub struct DigestMail<'a> {
    pub digest: &'a Digest,
    pub public_url: &'a str,
}

/// One line of the mail.
struct LineView {
    reference: String,
    kind: String,
    when: String,
    suspended: bool,
    url: String,
}

#[derive(Template)]
#[template(path = "mail/digest.fr.txt", escape = "none")]
struct DigestFr {
    date: String,
    summary: String,
    overdue: Vec<LineView>,
    due_soon: Vec<LineView>,
    new: Vec<LineView>,
    queue_url: String,
}

#[derive(Template)]
#[template(path = "mail/digest.en.txt", escape = "none")]
struct DigestEn {
    date: String,
    summary: String,
    overdue: Vec<LineView>,
    due_soon: Vec<LineView>,
    new: Vec<LineView>,
    queue_url: String,
}

/// "en retard de 3 jours (échéance : …)" / "3 days overdue (due …)".
fn when(line: &Line, locale: Locale) -> String {
    let (Some(days), Some(due)) = (line.days_left, line.due_on) else {
        return match locale {
            Locale::Fr => "sans date limite".to_owned(),
            Locale::En => "no due date".to_owned(),
        };
    };
    let date = i18n::format_date(due, locale);
    match (locale, days) {
        (Locale::Fr, d) if d < -1 => format!("en retard de {} jours (date limite : {date})", -d),
        (Locale::Fr, -1) => format!("en retard d'un jour (date limite : {date})"),
        (Locale::Fr, 0) => format!("à rendre aujourd'hui, {date}"),
        (Locale::Fr, 1) => format!("à rendre demain, {date}"),
        (Locale::Fr, d) => format!("{d} jours restants (date limite : {date})"),
        (Locale::En, d) if d < -1 => format!("{} days overdue (due {date})", -d),
        (Locale::En, -1) => format!("1 day overdue (due {date})"),
        (Locale::En, 0) => format!("due today, {date}"),
        (Locale::En, 1) => format!("due tomorrow, {date}"),
        (Locale::En, d) => format!("{d} days left (due {date})"),
    }
}

/// The subject's counts: "1 en retard, 2 à rendre sous 7 jours, 1 nouvelle".
fn summary(digest: &Digest, locale: Locale) -> String {
    let c = digest.counts();
    let mut parts = Vec::new();
    match locale {
        Locale::Fr => {
            if c.overdue > 0 {
                parts.push(format!("{} en retard", c.overdue));
            }
            if c.due_soon > 0 {
                parts.push(format!("{} à rendre sous 7 jours", c.due_soon));
            }
            if c.new > 0 {
                let s = if c.new > 1 { "s" } else { "" };
                parts.push(format!("{} nouvelle{s}", c.new));
            }
        }
        Locale::En => {
            if c.overdue > 0 {
                parts.push(format!("{} overdue", c.overdue));
            }
            if c.due_soon > 0 {
                parts.push(format!("{} due within 7 days", c.due_soon));
            }
            if c.new > 0 {
                parts.push(format!("{} new", c.new));
            }
        }
    }
    parts.join(", ")
}

impl DigestMail<'_> {
    pub fn render(&self) -> RenderedMail {
        let d = self.digest;
        let locale = d.locale;
        let lang = match locale {
            Locale::Fr => "",
            Locale::En => "?lang=en",
        };
        let base = self.public_url.trim_end_matches('/');
        let views = |lines: &[Line]| -> Vec<LineView> {
            lines
                .iter()
                .map(|l| LineView {
                    reference: l.reference.clone(),
                    kind: i18n::kind_label(l.kind, locale),
                    when: when(l, locale),
                    suspended: l.suspended(),
                    url: format!("{base}/desk/requests/{}{lang}", l.request_id),
                })
                .collect()
        };
        let date = i18n::format_date(d.local_date, locale);
        let summary = summary(d, locale);
        let queue_url = format!("{base}/desk/queue{lang}");
        finish(match locale {
            Locale::Fr => DigestFr {
                date,
                summary,
                overdue: views(&d.overdue),
                due_soon: views(&d.due_soon),
                new: views(&d.new),
                queue_url,
            }
            .render(),
            Locale::En => DigestEn {
                date,
                summary,
                overdue: views(&d.overdue),
                due_soon: views(&d.due_soon),
                new: views(&d.new),
                queue_url,
            }
            .render(),
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::request::{RequestKind, Status};

    fn line(reference: &str, days: i64, status: Status) -> Line {
        let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        Line {
            request_id: format!("id-{reference}"),
            reference: reference.into(),
            kind: RequestKind::Access,
            status,
            due_on: Some(today + chrono::TimeDelta::days(days)),
            days_left: Some(days),
        }
    }

    fn digest(locale: Locale) -> Digest {
        Digest {
            staff_id: "s".into(),
            to: "dpo@example.fr".into(),
            locale,
            local_date: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            overdue: vec![line("ISSY-2026-0001", -3, Status::Received)],
            due_soon: vec![line("ISSY-2026-0002", 5, Status::AwaitingInformation)],
            new: vec![line("ISSY-2026-0003", 30, Status::Received)],
        }
    }

    #[test]
    fn french_and_english_digests() {
        let fr = DigestMail {
            digest: &digest(Locale::Fr),
            public_url: "https://dsr.example.fr/",
        }
        .render();
        assert_eq!(
            fr.subject,
            "Demandes RGPD au lundi 2 mars 2026 : 1 en retard, 1 à rendre sous 7 jours, 1 nouvelle"
        );
        assert!(
            fr.body.contains("EN RETARD (1)\n- ISSY-2026-0001 — "),
            "{}",
            fr.body
        );
        assert!(fr.body.contains("en retard de 3 jours"), "{}", fr.body);
        assert!(fr.body.contains("5 jours restants"), "{}", fr.body);
        assert!(fr.body.contains("délai suspendu"), "{}", fr.body);
        assert!(
            fr.body
                .contains("  https://dsr.example.fr/desk/requests/id-ISSY-2026-0003\n")
        );
        assert!(fr.body.contains("https://dsr.example.fr/desk/queue\n"));

        let en = DigestMail {
            digest: &digest(Locale::En),
            public_url: "https://dsr.example.fr",
        }
        .render();
        assert_eq!(
            en.subject,
            "GDPR requests on Monday 2 March 2026: 1 overdue, 1 due within 7 days, 1 new"
        );
        assert!(en.body.contains("3 days overdue"), "{}", en.body);
        assert!(en.body.contains("NEW REQUESTS (1)"), "{}", en.body);
        assert!(en.body.contains("/desk/requests/id-ISSY-2026-0001?lang=en"));
        assert!(!en.body.contains("jours"));
    }

    #[test]
    fn empty_sections_are_left_out() {
        let mut d = digest(Locale::Fr);
        d.overdue.clear();
        d.due_soon.clear();
        let fr = DigestMail {
            digest: &d,
            public_url: "http://x",
        }
        .render();
        assert!(!fr.body.contains("EN RETARD"));
        assert!(!fr.body.contains("SOUS 7 JOURS"));
        assert!(fr.subject.ends_with(": 1 nouvelle"), "{}", fr.subject);
    }

    /// The whole digest as the DPO reads it, in each language, with a
    /// line of every kind (overdue, due tomorrow, today, suspended, new,
    /// no due date).
    #[test]
    fn the_digest_reads_as_reviewed() {
        for locale in [Locale::Fr, Locale::En] {
            let mut d = digest(locale);
            d.overdue.push(line("ISSY-2026-0004", -1, Status::Received));
            d.due_soon.push(line("ISSY-2026-0005", 0, Status::InProgress));
            d.due_soon.push(line("ISSY-2026-0006", 1, Status::InProgress));
            let mut undated = line("ISSY-2026-0007", 0, Status::Received);
            undated.due_on = None;
            undated.days_left = None;
            d.new.push(undated);
            let mail = DigestMail {
                digest: &d,
                public_url: "https://dsr.example.fr",
            }
            .render();
            insta::assert_snapshot!(
                format!("digest_{}", locale.as_str()),
                format!("Subject: {}\n\n{}", mail.subject, mail.body)
            );
            d.overdue.clear();
            d.due_soon.clear();
            d.new.truncate(1);
            let mail = DigestMail {
                digest: &d,
                public_url: "https://dsr.example.fr",
            }
            .render();
            insta::assert_snapshot!(
                format!("digest_new_only_{}", locale.as_str()),
                format!("Subject: {}\n\n{}", mail.subject, mail.body)
            );
        }
    }

}
