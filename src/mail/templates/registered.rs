//! The acknowledgment of a request registered by staff from a letter or an
//! e-mail. Unlike the web acknowledgment it carries no status link: only
//! the hash of a status token is ever stored, and a staff-registered
//! request has none, so the citizen is told to write to the DPO instead.

use askama::Template;
use chrono::NaiveDate;

use super::{finish, indented, right_with_article};
use crate::domain::request::{Channel, RequestKind};
use crate::i18n::Tr;

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
#[template(path = "mail/registered_acknowledgment.txt", escape = "none")]
struct RegisteredText<'a> {
    t: Tr,
    m: &'a RegisteredAcknowledgmentMail,
    right: String,
    postal: Option<String>,
}

impl RegisteredAcknowledgmentMail {
    pub fn render(&self, locale: impl Into<Tr>) -> super::RenderedMail {
        let t: Tr = locale.into();
        finish(
            RegisteredText {
                t,
                m: self,
                right: right_with_article(t, self.kind),
                postal: self
                    .dpo_postal_address
                    .as_deref()
                    .map(indented)
                    .filter(|a| !a.is_empty()),
            }
            .render(),
        )
    }
}
