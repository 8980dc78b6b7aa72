//! Identity proofs: one encrypted row per uploaded file (see
//! `security::proofs` for the envelope). Rows are deleted with their
//! request (ON DELETE CASCADE) or by the purge, in the same transaction as
//! the rest of the request's data.
//!
//! Two rules every query here keeps:
//! - listing reads [`ProofMeta`] only, never the `ciphertext` column, so
//!   the desk can list proofs often without loading megabytes;
//! - a proof is read by its id **and** its request id, so a URL naming one
//!   request can never serve another request's file.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::identity_proofs;
use crate::domain::ids::{ProofId, RequestId};
use crate::security::keys::MasterKey;
use crate::security::proofs::{self, ProofError, ProofType, SealedProof};

/// Who uploaded a proof: the citizen with the form, or staff registering a
/// request received by post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadedBy {
    Citizen,
    Staff,
}

impl UploadedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            UploadedBy::Citizen => "citizen",
            UploadedBy::Staff => "staff",
        }
    }
}

/// Everything about a proof except its bytes.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, PartialEq, Eq)]
#[diesel(table_name = identity_proofs)]
pub struct ProofMeta {
    pub id: ProofId,
    pub request_id: RequestId,
    pub key_id: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub display_name: String,
    pub uploaded_by: String,
    pub created_at: NaiveDateTime,
}

impl ProofMeta {
    /// `None` only for a row this code did not write.
    pub fn proof_type(&self) -> Option<ProofType> {
        ProofType::from_content_type(&self.content_type)
    }
}

/// A file to store. `proof_type` comes from [`proofs::sniff`] on
/// `plaintext` (never from the browser); `display_name` is the name the
/// browser sent, sanitised here whether or not the caller already did.
/// The size stored is `plaintext.len()`. Size limits are the caller's
/// (check [`total_size_for_request`] in the same transaction).
#[derive(Clone, Copy)]
pub struct NewProof<'a> {
    pub request_id: &'a RequestId,
    pub proof_type: ProofType,
    pub display_name: &'a str,
    pub uploaded_by: UploadedBy,
    pub plaintext: &'a [u8],
}

/// Without the file or its name: a `{:?}` in a log must not dump an
/// identity document.
impl std::fmt::Debug for NewProof<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewProof")
            .field("request_id", &self.request_id)
            .field("proof_type", &self.proof_type)
            .field("uploaded_by", &self.uploaded_by)
            .field("size", &self.plaintext.len())
            .finish_non_exhaustive()
    }
}

/// Encrypts and stores a proof. The id (UUID v7) is generated before
/// sealing because it is part of the associated data.
pub fn insert(
    conn: &mut DbConn,
    master: &MasterKey,
    now: NaiveDateTime,
    new: &NewProof<'_>,
) -> QueryResult<ProofMeta> {
    debug_assert_eq!(
        proofs::sniff(new.plaintext),
        Some(new.proof_type),
        "proof_type must come from sniff(plaintext)"
    );
    let id = ProofId::generate();
    let sealed = proofs::seal(master, new.request_id, &id, new.plaintext);
    let display_name = proofs::sanitize_display_name(new.display_name, new.proof_type);
    let size = i64::try_from(new.plaintext.len()).unwrap_or(i64::MAX);
    diesel::insert_into(identity_proofs::table)
        .values((
            identity_proofs::id.eq(&id),
            identity_proofs::request_id.eq(new.request_id),
            identity_proofs::ciphertext.eq(&sealed.ciphertext),
            identity_proofs::nonce.eq(&sealed.nonce),
            identity_proofs::wrapped_key.eq(&sealed.wrapped_key),
            identity_proofs::key_id.eq(&sealed.key_id),
            identity_proofs::content_type.eq(new.proof_type.content_type()),
            identity_proofs::size_bytes.eq(size),
            identity_proofs::display_name.eq(&display_name),
            identity_proofs::uploaded_by.eq(new.uploaded_by.as_str()),
            identity_proofs::created_at.eq(now),
        ))
        .execute(conn)?;
    identity_proofs::table
        .find(&id)
        .select(ProofMeta::as_select())
        .first(conn)
}

/// A request's proofs, oldest first, without their bytes.
pub fn list_for_request(conn: &mut DbConn, request_id: &RequestId) -> QueryResult<Vec<ProofMeta>> {
    identity_proofs::table
        .filter(identity_proofs::request_id.eq(request_id))
        .order((identity_proofs::created_at.asc(), identity_proofs::id.asc()))
        .select(ProofMeta::as_select())
        .load(conn)
}

/// One proof with its sealed bytes, if it exists **and** belongs to
/// `request_id`. Open it with [`proofs::open`] and the same ids.
pub fn load_sealed(
    conn: &mut DbConn,
    proof_id: &ProofId,
    request_id: &RequestId,
) -> QueryResult<Option<(ProofMeta, SealedProof)>> {
    /// ciphertext, nonce, wrapped key.
    type SealedColumns = (Vec<u8>, Vec<u8>, Vec<u8>);
    let row: Option<(ProofMeta, SealedColumns)> = identity_proofs::table
        .filter(identity_proofs::id.eq(proof_id))
        .filter(identity_proofs::request_id.eq(request_id))
        .select((
            ProofMeta::as_select(),
            (
                identity_proofs::ciphertext,
                identity_proofs::nonce,
                identity_proofs::wrapped_key,
            ),
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(meta, (ciphertext, nonce, wrapped_key))| {
        let sealed = SealedProof {
            ciphertext,
            nonce,
            wrapped_key,
            key_id: meta.key_id.clone(),
        };
        (meta, sealed)
    }))
}

/// Total plaintext size of a request's proofs, for the per-request cap.
pub fn total_size_for_request(conn: &mut DbConn, request_id: &RequestId) -> QueryResult<i64> {
    // Summed here rather than with SUM(): PostgreSQL's SUM(bigint) is a
    // numeric, which SQLite has no type for; a request has a few files.
    let sizes: Vec<i64> = identity_proofs::table
        .filter(identity_proofs::request_id.eq(request_id))
        .select(identity_proofs::size_bytes)
        .load(conn)?;
    Ok(sizes.into_iter().sum())
}

/// Deletes every proof of a request; returns how many.
pub fn delete_for_request(conn: &mut DbConn, request_id: &RequestId) -> QueryResult<usize> {
    diesel::delete(identity_proofs::table.filter(identity_proofs::request_id.eq(request_id)))
        .execute(conn)
}

/// How many proofs each master key id wraps, by key id.
pub fn count_by_key_id(conn: &mut DbConn) -> QueryResult<Vec<(String, i64)>> {
    identity_proofs::table
        .group_by(identity_proofs::key_id)
        .select((identity_proofs::key_id, diesel::dsl::count_star()))
        .order(identity_proofs::key_id.asc())
        .load(conn)
}

/// What one [`rewrap_batch`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RewrapBatch {
    /// Rows read (at most the limit); fewer than the limit means done.
    pub seen: usize,
    pub rewrapped: usize,
    /// Rows moved off the old key by someone else between read and write.
    pub skipped: usize,
    /// Rows on the old key whose wrapped key does not unwrap (altered):
    /// left untouched, reported by id.
    pub failed: Vec<(ProofId, ProofError)>,
    /// Id of the last row read: the `after` of the next batch.
    pub last_id: Option<ProofId>,
}

/// Key rotation, one batch: re-wraps the data keys of up to `limit` proofs
/// still on `old`'s key id whose id sorts after `after`, leaving their
/// ciphertext untouched. Run it inside a transaction, one per batch. Rows
/// already on another key are never read, so running a rotation again
/// does nothing more; the key id in the UPDATE's WHERE clause makes two
/// concurrent rotations harmless.
pub fn rewrap_batch(
    conn: &mut DbConn,
    old: &MasterKey,
    new: &MasterKey,
    after: Option<&ProofId>,
    limit: i64,
) -> QueryResult<RewrapBatch> {
    let mut query = identity_proofs::table
        .filter(identity_proofs::key_id.eq(old.id()))
        .select((identity_proofs::id, identity_proofs::wrapped_key))
        .order(identity_proofs::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(identity_proofs::id.gt(after));
    }
    let rows: Vec<(ProofId, Vec<u8>)> = query.load(conn)?;
    let mut batch = RewrapBatch {
        seen: rows.len(),
        last_id: rows.last().map(|(id, _)| id.clone()),
        ..RewrapBatch::default()
    };
    for (id, wrapped) in rows {
        match proofs::rewrap(old, new, &id, &wrapped) {
            Ok(rewrapped) => {
                let updated = diesel::update(
                    identity_proofs::table
                        .filter(identity_proofs::id.eq(&id))
                        .filter(identity_proofs::key_id.eq(old.id())),
                )
                .set((
                    identity_proofs::wrapped_key.eq(&rewrapped),
                    identity_proofs::key_id.eq(new.id()),
                ))
                .execute(conn)?;
                if updated == 1 {
                    batch.rewrapped += 1;
                } else {
                    batch.skipped += 1;
                }
            }
            Err(e) => batch.failed.push((id, e)),
        }
    }
    Ok(batch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_never_selects_the_file_bytes() {
        let sql = diesel::debug_query::<diesel::sqlite::Sqlite, _>(
            &identity_proofs::table.select(ProofMeta::as_select()),
        )
        .to_string();
        assert!(sql.contains("display_name"), "{sql}");
        assert!(!sql.contains("ciphertext"), "{sql}");
        assert!(!sql.contains("wrapped_key"), "{sql}");
    }
}
