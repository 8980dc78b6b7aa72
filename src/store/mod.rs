//! Diesel queries, one file per table family. Functions take `&mut DbConn`
//! and return `QueryResult` (or a small error enum when a business rule can
//! refuse); they never read the clock themselves.

pub mod actions;
pub mod api_tokens;
pub mod controllers;
pub mod messages;
pub mod proofs;
pub mod queue;
pub mod requests;
pub mod scope;
pub mod secrets;
pub mod setup;
pub mod staff;
pub mod suppression;

/// True when the error is a unique-constraint violation, on either backend.
pub fn is_unique_violation(err: &diesel::result::Error) -> bool {
    matches!(
        err,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}
