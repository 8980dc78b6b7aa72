//! Outgoing e-mail: the outbox, the worker that empties it, the transports
//! and the messages' wording.
//!
//! How a message travels:
//! 1. A state change renders its message (see [`templates`]) and calls
//!    [`enqueue`] **inside its own transaction**: the mail exists if and only
//!    if the change committed. The Message-ID is fixed there, once.
//! 2. The worker started by `serve` ([`spawn_worker`]) polls the outbox every
//!    two seconds (or sooner after [`wake_worker`]), claims due rows, hands
//!    each to the [`Transport`] and records the result. A failure is retried
//!    with a backoff (30 s doubling up to an hour), so SMTP being down never
//!    fails a citizen's submission and never loses a message. A permanent
//!    refusal (SMTP 5xx), or [`GIVE_UP_AFTER_ATTEMPTS`] transient failures,
//!    mark the row failed (`mail.failed`): the DPO sees it on the request
//!    page and may send it again (`desk::mails`).
//! 3. A crash between the SMTP server's acceptance and the `sent_at` update
//!    re-sends the message after the claim's lease ends, with the **same
//!    Message-ID**, so the recipient's mail software can recognise the
//!    duplicate. That is the only way a message goes out twice.
//!
//! Privacy: logs and `last_error` carry the outbox id and attempt count,
//! never an address, a subject or a body. Sent rows stay in the outbox (they
//! record what the citizen was told). They hold an address and a body, so
//! they go with their request: `ON DELETE CASCADE` covers deletion, and the
//! purge must delete them itself when it anonymises a request instead.

pub mod outbox;
pub mod templates;
pub mod transport;
pub mod worker;

use std::sync::LazyLock;

use chrono::NaiveDateTime;
use diesel::QueryResult;
use tokio::sync::Notify;
use uuid::Uuid;

use crate::db::DbConn;
use crate::domain::ids::{ControllerId, RequestId};
use crate::web::AppState;

pub use templates::RegisteredAcknowledgmentMail;
pub use templates::{
    AcknowledgmentMail, ConfirmationMail, DecisionMail, ExtensionMail, InformationRequestMail,
    RenderedMail, WithdrawalMail,
};
pub use transport::{FailureClass, SendError, Transport, TransportConfigError};
pub use worker::{
    AfterFailure, GIVE_UP_AFTER_ATTEMPTS, RunReport, Worker, WorkerHandle, WorkerSettings,
    after_failure, backoff, run_worker,
};

/// A message to send, as a state change describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// One bare address (`name@example.fr`).
    pub to: String,
    /// One line; non-ASCII is fine (it is encoded when sent).
    pub subject: String,
    /// Plain text, `\n` line ends.
    pub body_text: String,
    /// The request it is about: the row is deleted with the request.
    pub request_id: Option<RequestId>,
    /// The controller it is sent for: its DPO's address becomes `Reply-To`,
    /// so a citizen who answers the e-mail reaches a person.
    pub controller_id: Option<ControllerId>,
}

impl OutgoingMail {
    /// A rendered message for `to` about `request_id` of `controller_id`.
    pub fn new(
        to: impl Into<String>,
        rendered: RenderedMail,
        request_id: Option<RequestId>,
        controller_id: Option<ControllerId>,
    ) -> OutgoingMail {
        OutgoingMail {
            to: to.into(),
            subject: rendered.subject,
            body_text: rendered.body,
            request_id,
            controller_id,
        }
    }
}

/// Why [`enqueue`] refused a message. It reaches the caller as
/// `diesel::result::Error::SerializationError` (so `?` works inside any
/// transaction and rolls it back); [`is_refused`] recognises it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnsafeMail {
    /// A control character (CR/LF above all) would let citizen input add
    /// headers or recipients.
    #[error("control character in the mail's `{0}` field")]
    ControlCharacter(&'static str),
    /// Not one address the product accepts (and so lettre can send to);
    /// kept out of the outbox rather than retried for ever.
    #[error("the mail's recipient is not a single valid address")]
    InvalidRecipient,
}

/// True when `err` is [`enqueue`] refusing an unsafe message (a bug or
/// hostile input upstream), not a database failure.
pub fn is_refused(err: &diesel::result::Error) -> bool {
    matches!(err, diesel::result::Error::SerializationError(inner) if inner.is::<UnsafeMail>())
}

pub(crate) fn has_control_chars(text: &str) -> bool {
    text.chars().any(char::is_control)
}

/// Checks that `to` and `subject` cannot smuggle headers in.
pub fn check_headers(to: &str, subject: &str) -> Result<(), UnsafeMail> {
    if has_control_chars(to) {
        return Err(UnsafeMail::ControlCharacter("to"));
    }
    if has_control_chars(subject) {
        return Err(UnsafeMail::ControlCharacter("subject"));
    }
    // The same parser as every form: what was accepted there passes here.
    if crate::domain::values::EmailAddress::parse(to).is_err() {
        return Err(UnsafeMail::InvalidRecipient);
    }
    Ok(())
}

/// Writes `mail` to the outbox, due at once; returns the outbox id. Call it
/// inside the transaction of the state change that causes the mail.
///
/// The Message-ID `<{outbox id}@{message_id_domain}>` is chosen here and
/// never changes, so every attempt sends the same message.
pub fn enqueue(
    conn: &mut DbConn,
    now: NaiveDateTime,
    message_id_domain: &str,
    mail: &OutgoingMail,
) -> QueryResult<String> {
    check_headers(&mail.to, &mail.subject)
        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    let id = Uuid::now_v7().to_string();
    let message_id = format!("<{id}@{message_id_domain}>");
    outbox::insert(
        conn,
        &outbox::NewOutboxRow {
            id: &id,
            request_id: mail.request_id.as_ref(),
            controller_id: mail.controller_id.as_ref(),
            to_address: &mail.to,
            subject: &mail.subject,
            body_text: &mail.body_text,
            message_id: &message_id,
            now,
        },
    )?;
    Ok(id)
}

/// The right-hand side of our Message-IDs: the host of `PUBLIC_URL`
/// (`https://dsr.example.fr:8443/x` → `dsr.example.fr`), or `localhost`
/// when it has none usable.
pub fn message_id_domain(public_url: &str) -> String {
    let rest = public_url
        .split_once("://")
        .map_or(public_url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = if host_port.starts_with('[') {
        // An IPv6 literal keeps its brackets: `[::1]` is a valid id-right.
        match host_port.find(']') {
            Some(end) => &host_port[..=end],
            None => "",
        }
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let valid = if host.starts_with('[') {
        host.len() > 2
            && host[1..host.len() - 1]
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
    } else {
        !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
            && !host.starts_with(['.', '-'])
            && !host.contains("..")
    };
    if valid { host } else { "localhost".to_owned() }
}

/// Set by [`wake_worker`]; the worker waits on it between polls.
static WAKE: LazyLock<Notify> = LazyLock::new(Notify::new);

/// Asks the worker(s) of this process to look at the outbox now rather than
/// at the next poll. Call it after the transaction that enqueued commits;
/// forgetting it only delays the mail by one poll interval.
pub fn wake_worker() {
    WAKE.notify_waiters();
}

pub(crate) fn wake_signal() -> &'static Notify {
    &WAKE
}

/// Starts the mail worker for `serve` on the current tokio runtime, with
/// the transport `SMTP_URL` chooses. Stop it with [`WorkerHandle::stop`].
pub fn spawn_worker(state: &AppState) -> anyhow::Result<WorkerHandle> {
    let transport = Transport::from_config(&state.config)?;
    match &transport {
        Transport::Smtp(_) => tracing::info!("mail: sending through the SMTP server of SMTP_URL"),
        Transport::Files(dir) => tracing::warn!(
            "mail: SMTP_URL is not set, messages are written as .eml files in {}",
            dir.display()
        ),
    }
    let worker = Worker::new(
        state.pool.clone(),
        transport,
        state.clock.clone(),
        &state.config.mail_from,
    )?;
    Ok(worker.spawn())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_id_domain_is_the_public_host() {
        for (url, want) in [
            ("https://dsr.example.fr", "dsr.example.fr"),
            ("https://DSR.Example.fr:8443/base/", "dsr.example.fr"),
            ("http://127.0.0.1:8080", "127.0.0.1"),
            ("http://[::1]:8080/", "[::1]"),
            ("http://user:pw@host.fr/x", "host.fr"),
            ("", "localhost"),
            ("http://", "localhost"),
            ("http://bad host/", "localhost"),
            ("http://a..b/", "localhost"),
        ] {
            assert_eq!(message_id_domain(url), want, "{url}");
        }
    }

    #[test]
    fn headers_cannot_be_smuggled() {
        assert!(check_headers("jeanne@example.fr", "Votre demande été").is_ok());
        assert_eq!(
            check_headers("jeanne@example.fr\r\nBcc: x@evil.test", "s"),
            Err(UnsafeMail::ControlCharacter("to"))
        );
        assert_eq!(
            check_headers("jeanne@example.fr", "Objet\nBcc: x@evil.test"),
            Err(UnsafeMail::ControlCharacter("subject"))
        );
        assert_eq!(
            check_headers("a@b.fr, c@d.fr", "s"),
            Err(UnsafeMail::InvalidRecipient)
        );
        assert_eq!(
            check_headers("Jeanne <jeanne@example.fr>", "s"),
            Err(UnsafeMail::InvalidRecipient)
        );
        // What the forms refuse, the mailer refuses: one parser.
        assert_eq!(
            check_headers("jean@[127.0.0.1]", "s"),
            Err(UnsafeMail::InvalidRecipient)
        );
    }
}
