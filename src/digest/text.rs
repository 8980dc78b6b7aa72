//! The digest as a mail: `templates/mail/digest.txt` (first line the
//! subject, as for every mail) with the words of `i18n/<language>/digest.ftl`,
//! in the staff member's language.

use askama::Template;

use super::{Digest, Line};
use crate::domain::values::Locale;
use crate::i18n::Tr;
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
#[template(path = "mail/digest.txt", escape = "none")]
struct DigestText {
    t: Tr,
    date: chrono::NaiveDate,
    summary: String,
    overdue: Vec<LineView>,
    due_soon: Vec<LineView>,
    new: Vec<LineView>,
    queue_url: String,
}

/// "en retard de 3 jours (date limite : …)" / "3 days overdue (due …)".
fn when(line: &Line, t: Tr) -> String {
    match (line.days_left, line.due_on) {
        (Some(days), Some(due)) if days < 0 => t.digest_overdue_by(-days, due),
        (Some(days), Some(due)) => t.digest_due_in(days, due),
        _ => t.digest_no_due_date(),
    }
}

/// The subject's counts: "1 en retard, 2 à rendre sous 7 jours, 1 nouvelle"
/// (a section left out when empty).
fn summary(digest: &Digest, t: Tr) -> String {
    let c = digest.counts();
    [
        (c.overdue > 0).then(|| t.digest_count_overdue(c.overdue)),
        (c.due_soon > 0).then(|| t.digest_count_due_soon(c.due_soon)),
        (c.new > 0).then(|| t.digest_count_new(c.new)),
    ]
    .into_iter()
    .flatten()
    .reduce(|list, item| t.digest_list(list, item))
    .unwrap_or_default()
}

impl DigestMail<'_> {
    pub fn render(&self) -> RenderedMail {
        let d = self.digest;
        let t = Tr::new(d.locale);
        // The desk's pages speak the default language unless `?lang=` says
        // otherwise.
        let lang = if d.locale == Locale::default() {
            String::new()
        } else {
            format!("?lang={}", d.locale.as_str())
        };
        let base = self.public_url.trim_end_matches('/');
        let views = |lines: &[Line]| -> Vec<LineView> {
            lines
                .iter()
                .map(|l| LineView {
                    reference: l.reference.clone(),
                    kind: t.kind(l.kind),
                    when: when(l, t),
                    suspended: l.suspended(),
                    url: format!("{base}/desk/requests/{}{lang}", l.request_id),
                })
                .collect()
        };
        finish(
            DigestText {
                t,
                date: d.local_date,
                summary: summary(d, t),
                overdue: views(&d.overdue),
                due_soon: views(&d.due_soon),
                new: views(&d.new),
                queue_url: format!("{base}/desk/queue{lang}"),
            }
            .render(),
        )
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
            request_id: format!("id-{reference}").into(),
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
            "Demandes RGPD au lundi 2 mars 2026\u{202f}: 1 en retard, 1 à rendre sous 7 jours, \
             1 nouvelle"
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
        assert!(
            fr.subject.ends_with("2026\u{202f}: 1 nouvelle"),
            "{}",
            fr.subject
        );
    }

    fn as_read(mail: &RenderedMail) -> String {
        format!("Subject: {}\n\n{}", mail.subject, mail.body)
    }

    /// The whole digest as the DPO reads it, in each language, with a
    /// line of every kind (overdue, due tomorrow, today, suspended, new,
    /// no due date).
    #[test]
    fn the_digest_reads_as_reviewed() {
        for locale in [Locale::Fr, Locale::En] {
            let mut d = digest(locale);
            d.overdue.push(line("ISSY-2026-0004", -1, Status::Received));
            d.due_soon
                .push(line("ISSY-2026-0005", 0, Status::InProgress));
            d.due_soon
                .push(line("ISSY-2026-0006", 1, Status::InProgress));
            let mut undated = line("ISSY-2026-0007", 0, Status::Received);
            undated.due_on = None;
            undated.days_left = None;
            d.new.push(undated);
            let mail = DigestMail {
                digest: &d,
                public_url: "https://dsr.example.fr",
            }
            .render();
            insta::assert_snapshot!(format!("digest_{}", locale.as_str()), as_read(&mail));
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
                as_read(&mail)
            );
        }
    }
}
