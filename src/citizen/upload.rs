//! Reading a multipart form with limits we choose, so that an oversized or
//! wrong file comes back as an error next to the field, with the citizen's
//! other entries kept, instead of a bare 413 page. A body that breaks off
//! or is not multipart at all still returns what was read before.
//!
//! Text fields are kept (bounded); files are kept up to the per-file and
//! per-request limits and otherwise drained and flagged. Past a hard cap the
//! rest of the body is not read at all.
//!
//! Every step is linear in the number of parts (sets, not lists, remember
//! which names were seen), and past [`MAX_PARTS`] parts the body is refused
//! before anything else: an anonymous body of 120,000 tiny fields once kept
//! a worker busy for 28 seconds (BENCHMARKS.md, "Many form fields").
//!
//! A text field holding a NUL character makes the whole body malformed:
//! PostgreSQL cannot store it, and no browser sends one.

use std::collections::{BTreeSet, HashMap};

use actix_multipart::Multipart;
use futures_util::StreamExt;

/// More parts than any of our forms has (the desk's registration, the
/// largest, has about twenty fields and a few files): beyond, the body is
/// not a form a person filled in.
pub const MAX_PARTS: usize = 200;

#[derive(Debug, Clone, Copy)]
pub struct UploadLimits {
    pub max_file_bytes: u64,
    pub max_total_bytes: u64,
    pub max_files: usize,
    pub max_text_bytes: usize,
}

impl UploadLimits {
    /// Beyond this we stop reading: an honest browser never sends it.
    fn hard_cap(&self) -> u64 {
        self.max_total_bytes + self.max_file_bytes + 1024 * 1024
    }
}

#[derive(Debug)]
pub struct UploadedFile {
    pub field: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Default)]
pub struct ParsedForm {
    pub fields: HashMap<String, String>,
    pub files: Vec<UploadedFile>,
    /// Text fields sent more than once: ambiguous, refused.
    pub duplicated: BTreeSet<String>,
    /// Text fields longer than allowed or not UTF-8.
    pub unreadable: BTreeSet<String>,
    pub file_too_large: bool,
    pub total_too_large: bool,
    pub too_many_files: bool,
    /// The body exceeded the hard cap and was not read to the end.
    pub aborted: bool,
}

impl ParsedForm {
    pub fn text(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }
}

/// The body is not a readable multipart form (wrong content type, broken
/// boundary, connection cut). What was read before the fault comes back,
/// so the form can be shown again with those entries kept.
#[derive(Debug, thiserror::Error)]
#[error("malformed multipart body")]
pub struct MalformedForm {
    pub partial: ParsedForm,
}

/// Reads the whole form. `file_fields` names the fields that carry files.
pub async fn read_form(
    mut payload: Multipart,
    limits: UploadLimits,
    file_fields: &[&str],
) -> Result<ParsedForm, MalformedForm> {
    let mut form = ParsedForm::default();
    let mut read_total: u64 = 0;
    let mut stored_file_bytes: u64 = 0;
    let mut parts: usize = 0;
    while let Some(item) = payload.next().await {
        parts += 1;
        if parts > MAX_PARTS {
            return Err(MalformedForm { partial: form });
        }
        let mut field = match item {
            Ok(field) => field,
            Err(_) => return Err(MalformedForm { partial: form }),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .map(str::to_owned);
        let is_file = file_fields.contains(&name.as_str()) && file_name.is_some();
        let mut buf: Vec<u8> = Vec::new();
        let mut overflow = false;
        let cap = if is_file {
            limits.max_file_bytes as usize
        } else {
            limits.max_text_bytes
        };
        while let Some(chunk) = field.next().await {
            let chunk = match chunk {
                Ok(chunk) => chunk,
                Err(_) => return Err(MalformedForm { partial: form }),
            };
            read_total += chunk.len() as u64;
            if read_total > limits.hard_cap() {
                form.aborted = true;
                return Ok(form);
            }
            if !overflow {
                if buf.len() + chunk.len() > cap {
                    overflow = true;
                    buf = Vec::new();
                } else {
                    buf.extend_from_slice(&chunk);
                }
            }
        }
        if is_file {
            let file_name = file_name.unwrap_or_default();
            // A file input left empty still sends an empty part.
            if file_name.is_empty() && buf.is_empty() && !overflow {
                continue;
            }
            if overflow {
                form.file_too_large = true;
                continue;
            }
            if form.files.len() >= limits.max_files {
                form.too_many_files = true;
                continue;
            }
            stored_file_bytes += buf.len() as u64;
            if stored_file_bytes > limits.max_total_bytes {
                form.total_too_large = true;
                continue;
            }
            form.files.push(UploadedFile {
                field: name,
                file_name,
                bytes: buf,
            });
        } else {
            if name.is_empty() {
                continue;
            }
            if buf.contains(&0) || name.contains('\0') {
                return Err(MalformedForm { partial: form });
            }
            let text = if overflow {
                None
            } else {
                String::from_utf8(buf).ok()
            };
            match text {
                Some(text) => {
                    if form.fields.insert(name.clone(), text).is_some() {
                        form.duplicated.insert(name);
                    }
                }
                None => {
                    form.unreadable.insert(name);
                }
            }
        }
    }
    Ok(form)
}
