//! The citizen's side of the harness ([`TestApp`]): the request form of
//! Issy filled and sent with the app's own cookie jar (`app.client`), the
//! confirmation link read from the mail, and the rows a refused form must
//! not leave behind.
// Each test module uses its own part of the harness.
#![allow(dead_code)]

use std::time::Duration;

use diesel::prelude::*;
use dsr_tracker::db::schema::{events, identity_proofs, outbox, requests};
use reqwest::multipart::{Form, Part};

use super::TestDb;
use super::app::TestApp;

/// A minimal but real PDF header, with a marker to find it again.
pub fn pdf(marker: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {marker}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
        .into_bytes()
}

/// How many rows a submission can leave behind.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub struct Counts {
    pub requests: i64,
    pub proofs: i64,
    pub outbox: i64,
    pub events: i64,
}

pub fn extract(haystack: &str, start: &str, end: &str) -> Option<String> {
    let from = haystack.find(start)? + start.len();
    let to = haystack[from..].find(end)? + from;
    Some(haystack[from..to].to_owned())
}

/// The first URL in a mail body containing `path`.
pub fn extract_url(body: &str, path: &str) -> Option<String> {
    body.split_whitespace()
        .find(|w| w.contains(path) && w.starts_with("http"))
        .map(|w| w.trim_end_matches(['.', ',', ')', '>']).to_owned())
}

impl<S> TestApp<S> {
    /// A page, through the citizen's cookie jar: its status and body.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let res = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.text().await.unwrap())
    }

    /// Loads the form (setting the CSRF cookie) and returns the token.
    pub async fn csrf(&self, path: &str) -> String {
        let (status, body) = self.get(path).await;
        assert_eq!(status, 200, "{body}");
        extract(&body, "name=\"csrf\" value=\"", "\"").expect("csrf field")
    }

    /// Issy's form, filled in French for an access request.
    pub fn valid_form(&self, csrf: &str) -> Form {
        Form::new()
            .text("csrf", csrf.to_owned())
            .text("lang", "fr")
            .text("kind", "access")
            .text("first_name", "Jeanne")
            .text("last_name", "Dupont")
            .text("email", "jeanne.dupont@example.fr")
            .text("postal_address", "")
            .text(
                "details",
                "Mes données d'inscription à la cantine scolaire.",
            )
            .text("grounds", "")
            .text("website", "")
    }

    /// Sends `form` to Issy: the status, the body and the redirect.
    pub async fn post_form(&self, form: Form) -> (u16, String, Option<String>) {
        let res = self
            .client
            .post(format!("{}/c/issy/", self.base))
            .multipart(form)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let location = res
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned());
        (status, res.text().await.unwrap(), location)
    }

    pub fn count(&self, db: &TestDb) -> Counts {
        let mut conn = db.conn();
        Counts {
            requests: requests::table.count().get_result(&mut conn).unwrap(),
            proofs: identity_proofs::table
                .count()
                .get_result(&mut conn)
                .unwrap(),
            outbox: outbox::table.count().get_result(&mut conn).unwrap(),
            events: events::table.count().get_result(&mut conn).unwrap(),
        }
    }

    /// Submits the valid form and returns the confirmation URL from the mail.
    pub async fn submit_and_read_confirmation(&self) -> String {
        let csrf = self.csrf("/c/issy/").await;
        let form = self.valid_form(&csrf).part(
            "proof",
            Part::bytes(pdf("citizen-proof"))
                .file_name("carte.pdf")
                .mime_str("application/pdf")
                .unwrap(),
        );
        let (status, body, location) = self.post_form(form).await;
        assert_eq!(status, 303, "{body}");
        assert_eq!(location.as_deref(), Some("/c/issy/submitted?lang=fr"));
        let mails = self
            .smtp
            .wait_for_messages_async(1, Duration::from_secs(20))
            .await;
        let body = mails.last().unwrap().body();
        let url = extract_url(&body, "/c/issy/confirm/").expect("confirmation link");
        url.replace(&self.state.config.public_url, "")
    }
}
