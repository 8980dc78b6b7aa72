//! A real SMTP server on a loopback port, small enough to read: it speaks
//! the ESMTP that lettre uses without TLS or AUTH (greeting, EHLO/HELO,
//! MAIL FROM, RCPT TO, DATA with dot-unstuffing, RSET, NOOP, QUIT) and keeps
//! every message it accepts. Mail code is tested against it, not against a
//! mock of lettre.
//!
//! Plain threads, no runtime: it works the same under a test's tokio
//! runtime or none, and stops (and frees its port) when dropped.

use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// One accepted message: the SMTP envelope and the raw DATA (dot-unstuffed,
/// CRLF line ends, without the final `.` line).
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    pub data: Vec<u8>,
}

impl ReceivedMail {
    /// The message parsed by an independent MIME parser (headers decoded
    /// from RFC 2047, body from its transfer encoding).
    pub fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(&self.data)
            .expect("a parsable message")
    }

    /// The decoded plain-text body.
    pub fn body(&self) -> String {
        self.parsed()
            .body_text(0)
            .map(|b| b.into_owned())
            .unwrap_or_default()
    }

    /// A raw header value as sent (not decoded), e.g. `Message-ID`.
    pub fn raw_header(&self, name: &str) -> Option<String> {
        let text = String::from_utf8_lossy(&self.data);
        let head = text.split("\r\n\r\n").next().unwrap_or_default();
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            if let Some(v) = value.as_mut()
                && line.starts_with([' ', '\t'])
            {
                v.push_str(line);
                continue;
            }
            if value.is_some() {
                break;
            }
            if let Some((n, v)) = line.split_once(':')
                && n.eq_ignore_ascii_case(name)
            {
                value = Some(v.trim().to_owned());
            }
        }
        value
    }
}

#[derive(Default)]
struct Shared {
    messages: Mutex<Vec<ReceivedMail>>,
    arrived: Condvar,
    /// Answer the next N `RCPT TO` with a transient failure.
    reject_rcpt: AtomicUsize,
    /// Recipients refused for good with `550` (an unknown mailbox).
    refused: Mutex<Vec<String>>,
    /// While set, every `RCPT TO` gets a transient `451` (a server in
    /// trouble), until [`SmtpSink::recover`].
    unavailable: AtomicBool,
    stopping: AtomicBool,
}

pub struct SmtpSink {
    port: u16,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl SmtpSink {
    /// Starts on a free loopback port.
    pub fn start() -> SmtpSink {
        SmtpSink::start_on(0).expect("start SMTP sink")
    }

    /// Starts on `port` (0: any free one), e.g. one that a test used while
    /// "the SMTP server was down".
    pub fn start_on(port: u16) -> std::io::Result<SmtpSink> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let port = listener.local_addr()?.port();
        let shared = Arc::new(Shared::default());
        let for_acceptor = shared.clone();
        let acceptor = std::thread::Builder::new()
            .name(format!("smtp-sink-{port}"))
            .spawn(move || accept_loop(listener, for_acceptor))?;
        Ok(SmtpSink {
            port,
            shared,
            acceptor: Some(acceptor),
        })
    }

    /// A loopback port with nothing listening on it (bound, then released):
    /// connecting to it is refused until a sink starts there.
    pub fn free_port() -> u16 {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind");
        listener.local_addr().expect("addr").port()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `smtp://127.0.0.1:PORT`, as `SMTP_URL` would say.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Everything received so far, in order of arrival.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.shared.messages.lock().unwrap().clone()
    }

    /// The next `n` recipients are refused with `451` (a transient error
    /// whose text quotes the address, as real servers do).
    pub fn reject_next_recipients(&self, n: usize) {
        self.shared.reject_rcpt.store(n, Ordering::SeqCst);
    }

    /// Refuses `address` permanently from now on: `550 5.1.1` quoting the
    /// address, as real servers do.
    pub fn refuse_recipient(&self, address: &str) {
        self.shared
            .refused
            .lock()
            .unwrap()
            .push(address.to_ascii_lowercase());
    }

    /// Accepts again the addresses of [`refuse_recipient`](Self::refuse_recipient)
    /// (the citizen's mailbox was fixed).
    pub fn clear_refusals(&self) {
        self.shared.refused.lock().unwrap().clear();
    }

    /// Answers every recipient with `451` until [`recover`](Self::recover).
    pub fn become_unavailable(&self) {
        self.shared.unavailable.store(true, Ordering::SeqCst);
    }

    pub fn recover(&self) {
        self.shared.unavailable.store(false, Ordering::SeqCst);
    }

    /// Blocks until at least `n` messages arrived; panics after `timeout`
    /// (a generous bound for a message that never comes, not a speed check).
    pub fn wait_for_messages(&self, n: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let deadline = Instant::now() + timeout;
        let mut messages = self.shared.messages.lock().unwrap();
        while messages.len() < n {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "SMTP sink: waited {timeout:?} for {n} messages, got {}",
                messages.len()
            );
            messages = self.shared.arrived.wait_timeout(messages, left).unwrap().0;
        }
        messages.clone()
    }

    /// [`wait_for_messages`](Self::wait_for_messages) for async tests:
    /// polls without blocking the runtime's thread.
    pub async fn wait_for_messages_async(&self, n: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let deadline = Instant::now() + timeout;
        loop {
            let messages = self.messages();
            if messages.len() >= n {
                return messages;
            }
            assert!(
                Instant::now() < deadline,
                "SMTP sink: waited {timeout:?} for {n} messages, got {}",
                messages.len()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Wakes the blocking accept() so the thread sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        let shared = shared.clone();
        let _ = std::thread::Builder::new()
            .name("smtp-sink-conn".into())
            .spawn(move || {
                let _ = serve_connection(stream, &shared);
            });
    }
}

/// The address inside `<…>` of `MAIL FROM:<a> BODY=8BITMIME`.
fn angle_address(args: &str) -> String {
    match (args.find('<'), args.find('>')) {
        (Some(start), Some(end)) if start < end => args[start + 1..end].to_owned(),
        _ => args
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned(),
    }
}

fn serve_connection(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut out = stream.try_clone()?;
    let mut input = BufReader::new(stream);
    let mut reply = |text: &str| -> std::io::Result<()> {
        out.write_all(text.as_bytes())?;
        out.flush()
    };
    reply("220 sink.test ESMTP test sink\r\n")?;

    let mut mail_from: Option<String> = None;
    let mut rcpt_to: Vec<String> = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        let (verb, args) = text.split_once(' ').unwrap_or((text, ""));
        // `MAIL FROM:` and `RCPT TO:` have their colon after a space-free word.
        let verb = verb
            .split(':')
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" => reply("250-sink.test greets you\r\n250-8BITMIME\r\n250 SIZE 52428800\r\n")?,
            "HELO" => reply("250 sink.test\r\n")?,
            "MAIL" => {
                mail_from = Some(angle_address(args));
                rcpt_to.clear();
                reply("250 2.1.0 OK\r\n")?;
            }
            "RCPT" => {
                let address = angle_address(args);
                let reject = shared
                    .reject_rcpt
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok();
                let refused = shared
                    .refused
                    .lock()
                    .unwrap()
                    .contains(&address.to_ascii_lowercase());
                if refused {
                    reply(&format!(
                        "550 5.1.1 <{address}>: recipient address rejected: user unknown\r\n"
                    ))?;
                } else if reject || shared.unavailable.load(Ordering::SeqCst) {
                    reply(&format!(
                        "451 4.2.0 <{address}>: mailbox temporarily unavailable\r\n"
                    ))?;
                } else if mail_from.is_none() {
                    reply("503 5.5.1 MAIL first\r\n")?;
                } else {
                    rcpt_to.push(address);
                    reply("250 2.1.5 OK\r\n")?;
                }
            }
            "DATA" => {
                let Some(from) = mail_from.take().filter(|_| !rcpt_to.is_empty()) else {
                    reply("503 5.5.1 MAIL and RCPT first\r\n")?;
                    continue;
                };
                reply("354 End data with <CR><LF>.<CR><LF>\r\n")?;
                let mut data = Vec::new();
                loop {
                    line.clear();
                    if input.read_until(b'\n', &mut line)? == 0 {
                        return Ok(());
                    }
                    if line == b".\r\n" || line == b".\n" {
                        break;
                    }
                    // RFC 5321 §4.5.2: a leading dot was doubled by the client.
                    let unstuffed = if line.starts_with(b".") {
                        &line[1..]
                    } else {
                        &line[..]
                    };
                    data.extend_from_slice(unstuffed);
                }
                let count = {
                    let mut messages = shared.messages.lock().unwrap();
                    messages.push(ReceivedMail {
                        mail_from: from,
                        rcpt_to: std::mem::take(&mut rcpt_to),
                        data,
                    });
                    shared.arrived.notify_all();
                    messages.len()
                };
                reply(&format!("250 2.0.0 OK queued as {count}\r\n"))?;
            }
            "RSET" => {
                mail_from = None;
                rcpt_to.clear();
                reply("250 2.0.0 OK\r\n")?;
            }
            "NOOP" => reply("250 2.0.0 OK\r\n")?,
            "QUIT" => {
                reply("221 2.0.0 Bye\r\n")?;
                let _ = input.get_ref().shutdown(Shutdown::Both);
                return Ok(());
            }
            _ => reply("502 5.5.2 Command not implemented\r\n")?,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sink itself, spoken to by hand: dot-unstuffing, RSET, NOOP and
    /// the envelope.
    #[test]
    fn sink_speaks_enough_smtp() {
        let sink = SmtpSink::start();
        let stream = TcpStream::connect(("127.0.0.1", sink.port())).unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut writer = stream;
        let mut read_reply = || {
            let mut all = String::new();
            loop {
                let mut l = String::new();
                reader.read_line(&mut l).unwrap();
                all.push_str(&l);
                if l.as_bytes().get(3) != Some(&b'-') {
                    return all;
                }
            }
        };
        assert!(read_reply().starts_with("220"));
        for (cmd, code) in [
            ("EHLO client.test\r\n", "250"),
            ("NOOP\r\n", "250"),
            ("MAIL FROM:<x@a.test>\r\n", "250"),
            ("RSET\r\n", "250"),
            ("DATA\r\n", "503"),
            ("MAIL FROM:<from@a.test> BODY=8BITMIME\r\n", "250"),
            ("RCPT TO:<to@b.test>\r\n", "250"),
            ("DATA\r\n", "354"),
            ("Subject: t\r\n\r\n..leading dot\r\nend\r\n.\r\n", "250"),
            ("QUIT\r\n", "221"),
        ] {
            writer.write_all(cmd.as_bytes()).unwrap();
            let r = read_reply();
            assert!(r.starts_with(code), "{cmd:?} -> {r:?}");
        }
        let got = sink.wait_for_messages(1, Duration::from_secs(10));
        assert_eq!(got[0].mail_from, "from@a.test");
        assert_eq!(got[0].rcpt_to, ["to@b.test"]);
        assert_eq!(
            String::from_utf8_lossy(&got[0].data),
            "Subject: t\r\n\r\n.leading dot\r\nend\r\n"
        );
    }
}
