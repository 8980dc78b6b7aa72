//! The acknowledgment of a request registered by staff from a letter or an
//! e-mail. Unlike the web acknowledgment it carries no status link: only
//! the hash of a status token is ever stored, and a staff-registered
//! request has none, so the citizen is told to write to the DPO instead.

use askama::Template;
use chrono::NaiveDate;

use super::{finish, indented};
use crate::domain::request::{Channel, RequestKind};
use crate::domain::values::Locale;
use crate::i18n;

#[derive(Debug, Clone)]
pub struct RegisteredAcknowledgmentMail {
    pub controller_name: String,
    pub reference: String,
    pub kind: RequestKind,
    pub channel: Channel,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    pub dpo_email: String,
    pub dpo_postal_address: Option<String>,
}

#[derive(Template)]
#[template(path = "mail/registered_acknowledgment.fr.txt", escape = "none")]
struct Fr<'a> {
    m: &'a RegisteredAcknowledgmentMail,
    channel: &'static str,
    kind: String,
    article: &'static str,
    received_on: String,
    due_on: String,
    postal: Option<String>,
}

#[derive(Template)]
#[template(path = "mail/registered_acknowledgment.en.txt", escape = "none")]
struct En<'a> {
    m: &'a RegisteredAcknowledgmentMail,
    channel: &'static str,
    kind: String,
    article: &'static str,
    received_on: String,
    due_on: String,
    postal: Option<String>,
}

impl RegisteredAcknowledgmentMail {
    pub fn render(&self, locale: Locale) -> super::RenderedMail {
        let kind = i18n::kind_label(self.kind, locale);
        let article = self.kind.article();
        let received_on = i18n::format_date(self.received_on, locale);
        let due_on = i18n::format_date(self.due_on, locale);
        let postal = self
            .dpo_postal_address
            .as_deref()
            .map(indented)
            .filter(|a| !a.is_empty());
        let channel = match (self.channel, locale) {
            (Channel::Email, Locale::Fr) => "par courrier électronique",
            (Channel::Email, Locale::En) => "by e-mail",
            (Channel::InPerson, Locale::Fr) => "en personne",
            (Channel::InPerson, Locale::En) => "in person",
            (Channel::Web, Locale::Fr) => "en ligne",
            (Channel::Web, Locale::En) => "online",
            (Channel::Post, Locale::Fr) => "par courrier postal",
            (Channel::Post, Locale::En) => "by post",
        };
        finish(match locale {
            Locale::Fr => Fr {
                m: self,
                channel,
                kind,
                article,
                received_on,
                due_on,
                postal,
            }
            .render(),
            Locale::En => En {
                m: self,
                channel,
                kind,
                article,
                received_on,
                due_on,
                postal,
            }
            .render(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail() -> RegisteredAcknowledgmentMail {
        RegisteredAcknowledgmentMail {
            controller_name: "Ville d'Issy".into(),
            reference: "ISSY-2026-0007".into(),
            kind: RequestKind::Access,
            channel: Channel::Post,
            received_on: NaiveDate::from_ymd_opt(2026, 2, 9).unwrap(),
            due_on: NaiveDate::from_ymd_opt(2026, 3, 9).unwrap(),
            dpo_email: "dpo@issy.example.fr".into(),
            dpo_postal_address: Some("Hôtel de ville\n62 rue du Général Leclerc".into()),
        }
    }

    #[test]
    fn both_languages_give_reference_dates_and_the_cnil() {
        let fr = mail().render(Locale::Fr);
        assert_eq!(
            fr.subject,
            "Accusé de réception de votre demande ISSY-2026-0007"
        );
        assert!(fr.body.contains("par courrier postal"));
        assert!(fr.body.contains("lundi 9 février 2026"));
        assert!(fr.body.contains("lundi 9 mars 2026"));
        assert!(fr.body.contains("CNIL"));
        assert!(fr.body.contains("  62 rue du Général Leclerc"));
        let en = mail().render(Locale::En);
        assert_eq!(en.subject, "Acknowledgment of your request ISSY-2026-0007");
        assert!(en.body.contains("Monday 9 March 2026"));
        assert!(en.body.contains("by post"));
        assert!(en.body.contains("CNIL"));
    }
}
