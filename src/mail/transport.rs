//! Where a message goes: an SMTP server (lettre's async transport) or, with
//! no `SMTP_URL`, one `.eml` file per message under `DATA_DIR/mail`, so a
//! newcomer can read what would have been sent.
//!
//! Messages are built here from an outbox row with lettre's builder, which
//! encodes non-ASCII headers (RFC 2047) and bodies for us. The Message-ID
//! and the Date are the row's, fixed at enqueue time: a retry is the same
//! message, not a new one.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chrono::NaiveDateTime;
use lettre::message::header::{ContentTransferEncoding, ContentType, MessageId};
use lettre::message::{Body, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::has_control_chars;
use super::outbox::OutboxRow;
use crate::config::Config;

/// An SMTP exchange that takes longer than this is abandoned and retried
/// later; it also bounds how long a stopping server waits for the worker.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// The folder the `.eml` files go to (`DATA_DIR/mail`).
    Files(PathBuf),
}

impl std::fmt::Debug for Transport {
    /// Never prints the SMTP URL: it may hold a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Transport::Smtp(_) => f.write_str("Transport::Smtp"),
            Transport::Files(dir) => write!(f, "Transport::Files({})", dir.display()),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TransportConfigError {
    /// lettre's message may quote the URL, password included, so only the
    /// scheme rules are repeated here.
    #[error(
        "invalid SMTP_URL: use smtp://HOST:PORT (optionally ?tls=required or ?tls=opportunistic) \
         or smtps://USER:PASSWORD@HOST:PORT"
    )]
    SmtpUrl,
    #[error("invalid MAIL_FROM `{0}`: use an address, or `Name <address>`")]
    From(String),
}

/// Why one message could not be handed over. The text is safe to store and
/// log: no address, no body, no server reply (which may quote an address).
#[derive(Debug, thiserror::Error)]
#[error("{reason}")]
pub struct SendError {
    pub reason: String,
    pub class: FailureClass,
}

/// What kind of failure it was, which decides whether retrying can help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureClass {
    /// The server refused for good (SMTP 5xx: unknown mailbox, domain
    /// without mail…): the same message will be refused again.
    Permanent,
    /// The server said "later" (SMTP 4xx).
    Transient,
    /// No answer: connection refused, timeout, TLS, unreadable reply, or the
    /// file transport's disk. Retried like a 4xx.
    Network,
    /// The row itself cannot be made into a message (a recipient address
    /// that does not parse): no retry can fix it.
    Invalid,
}

impl FailureClass {
    /// Whether the worker gives up at once instead of retrying.
    pub fn is_permanent(self) -> bool {
        matches!(self, FailureClass::Permanent | FailureClass::Invalid)
    }

    /// The code class for the audit trail (`mail.failed`): no server text.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureClass::Permanent => "5xx",
            FailureClass::Transient => "4xx",
            FailureClass::Network => "network",
            FailureClass::Invalid => "invalid",
        }
    }

    /// The class of an error text as [`SendError`] wrote it into
    /// `last_error`, for the desk's short reason.
    pub fn of_stored(last_error: &str) -> FailureClass {
        if last_error.starts_with(PERMANENT_PREFIX) {
            FailureClass::Permanent
        } else if last_error.starts_with(TRANSIENT_PREFIX) {
            FailureClass::Transient
        } else if last_error.starts_with(INVALID_PREFIX) {
            FailureClass::Invalid
        } else {
            FailureClass::Network
        }
    }
}

const PERMANENT_PREFIX: &str = "smtp: permanent error";
const TRANSIENT_PREFIX: &str = "smtp: transient error";
const INVALID_PREFIX: &str = "invalid message";

impl SendError {
    fn invalid(what: &str) -> SendError {
        SendError {
            reason: format!("{INVALID_PREFIX}: {what}"),
            class: FailureClass::Invalid,
        }
    }

    fn network(reason: String) -> SendError {
        SendError {
            reason,
            class: FailureClass::Network,
        }
    }

    fn smtp(err: &lettre::transport::smtp::Error) -> SendError {
        SendError {
            reason: describe_smtp_error(err),
            class: classify_smtp_error(err),
        }
    }
}

/// A 5xx reply is permanent, a 4xx transient; an error without a reply
/// (connection, timeout, TLS) is a network one.
pub fn classify_smtp_error(err: &lettre::transport::smtp::Error) -> FailureClass {
    if err.is_permanent() {
        FailureClass::Permanent
    } else if err.is_transient() {
        FailureClass::Transient
    } else {
        FailureClass::Network
    }
}

impl Transport {
    /// `SMTP_URL` set: SMTP; unset: `.eml` files under `DATA_DIR/mail`.
    pub fn from_config(config: &Config) -> Result<Transport, TransportConfigError> {
        match &config.smtp_url {
            Some(url) => Transport::smtp(url),
            None => Ok(Transport::Files(config.mail_dir())),
        }
    }

    /// `smtp://host:port` (plain, or `?tls=opportunistic|required` for
    /// STARTTLS) or `smtps://user:pass@host:port` (TLS from the start).
    pub fn smtp(url: &str) -> Result<Transport, TransportConfigError> {
        let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|_| TransportConfigError::SmtpUrl)?;
        Ok(Transport::Smtp(builder.timeout(Some(SMTP_TIMEOUT)).build()))
    }

    pub fn files(data_dir: &Path) -> Transport {
        Transport::Files(data_dir.join("mail"))
    }

    /// Hands `row` over. Ok means the SMTP server accepted it (or the file is
    /// complete on disk).
    pub async fn send(
        &self,
        row: &OutboxRow,
        from: &Mailbox,
        reply_to: Option<&Mailbox>,
    ) -> Result<(), SendError> {
        match self {
            Transport::Smtp(smtp) => {
                let message = build_message(
                    row,
                    from,
                    reply_to,
                    ContentTransferEncoding::QuotedPrintable,
                )?;
                smtp.send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| SendError::smtp(&e))
            }
            Transport::Files(dir) => {
                // `binary` (raw UTF-8, any line length) keeps the French
                // readable in a text editor; the file is never relayed, so
                // the 7-bit constraints of SMTP do not apply.
                let message = build_message(row, from, reply_to, ContentTransferEncoding::Binary)?;
                let dir = dir.clone();
                let id = row.id.clone();
                tokio::task::spawn_blocking(move || write_eml(&dir, &id, &message.formatted()))
                    .await
                    .map_err(|_| SendError::network("file transport: task failed".into()))?
                    .map_err(|e| SendError::network(format!("file transport: {}", e.kind())))
            }
        }
    }
}

/// The message as the citizen receives it. `encoding` is the body's
/// transfer encoding; one that cannot carry the text (7bit or 8bit with
/// non-ASCII or long lines) gives way to lettre's choice.
pub fn build_message(
    row: &OutboxRow,
    from: &Mailbox,
    reply_to: Option<&Mailbox>,
    encoding: ContentTransferEncoding,
) -> Result<Message, SendError> {
    // Checked at enqueue too; checked again because a row is data.
    if has_control_chars(&row.to_address) || has_control_chars(&row.subject) {
        return Err(SendError::invalid("control character in a header"));
    }
    let to: Mailbox = row
        .to_address
        .parse()
        .map_err(|_| SendError::invalid("recipient address"))?;
    let body = Body::new_with_encoding(row.body_text.clone(), encoding)
        .unwrap_or_else(|_| Body::new(row.body_text.clone()));
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(row.subject.clone())
        .header(MessageId::from(row.message_id.clone()))
        .date(system_time(row.created_at))
        .header(ContentType::TEXT_PLAIN);
    if let Some(reply_to) = reply_to {
        builder = builder.reply_to(reply_to.clone());
    }
    builder
        .body(body)
        .map_err(|_| SendError::invalid("cannot build it"))
}

fn system_time(at: NaiveDateTime) -> SystemTime {
    SystemTime::from(at.and_utc())
}

/// Deletes the `.eml` copies in `dir` whose outbox row is gone. The purge
/// deletes a request's outbox rows with its personal data, and a copy holds
/// the same address, answers and status link, so it must go too. Comparing
/// the folder with the table, rather than deleting the purged rows' files
/// one by one, also catches copies left by a crash between the purge's
/// commit and the deletion, and rows deleted by any other way. A copy being
/// written (its temporary name) is left to its writer. Returns how many
/// copies were deleted.
pub fn remove_orphan_copies(conn: &mut crate::db::DbConn, dir: &Path) -> anyhow::Result<u64> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e.into()),
    };
    let mut copies: Vec<String> = Vec::new();
    for entry in entries {
        let name = entry?.file_name();
        if let Some(id) = name.to_str().and_then(|n| n.strip_suffix(".eml"))
            && !id.starts_with('.')
        {
            copies.push(id.to_owned());
        }
    }
    let mut removed = 0;
    for chunk in copies.chunks(500) {
        let ids: Vec<&str> = chunk.iter().map(String::as_str).collect();
        let kept: std::collections::HashSet<String> = super::outbox::existing_ids(conn, &ids)?
            .into_iter()
            .collect();
        for id in ids.into_iter().filter(|id| !kept.contains(*id)) {
            match std::fs::remove_file(dir.join(format!("{id}.eml"))) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(removed)
}

/// Writes `{dir}/{id}.eml` through a temporary name and a rename, so a
/// reader (or a crash) never sees half a message; a retry overwrites.
fn write_eml(dir: &Path, id: &str, bytes: &[u8]) -> std::io::Result<()> {
    crate::config::create_private_dir(dir)?;
    let final_path = dir.join(format!("{id}.eml"));
    let tmp_path = dir.join(format!(".{id}.eml.tmp"));
    {
        let mut file = private_file(&tmp_path)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    std::fs::rename(&tmp_path, &final_path)
}

fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// A short, storable description of an SMTP failure: its class and reply
/// code, or the kind of network error. Never the server's reply text, which
/// often quotes the recipient ("550 <jeanne@…>: unknown user").
pub fn describe_smtp_error(err: &lettre::transport::smtp::Error) -> String {
    let code = err.status().map(|c| c.to_string());
    if err.is_permanent() {
        return format!("{PERMANENT_PREFIX} {}", code.unwrap_or_default());
    }
    if err.is_transient() {
        return format!("{TRANSIENT_PREFIX} {}", code.unwrap_or_default());
    }
    if err.is_timeout() {
        return "smtp: timed out".into();
    }
    if err.is_tls() {
        return "smtp: TLS error".into();
    }
    if err.is_response() {
        return "smtp: unreadable server response".into();
    }
    if err.is_client() {
        return "smtp: client error".into();
    }
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        if let Some(io) = inner.downcast_ref::<std::io::Error>() {
            return format!("smtp: connection failed ({})", io.kind());
        }
        source = inner.source();
    }
    "smtp: connection failed".into()
}
