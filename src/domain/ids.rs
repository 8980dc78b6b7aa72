//! Ids of the four things the rest of the code passes around most: requests,
//! controllers, staff accounts and identity proofs. Each is its own type so
//! that a request id handed where a controller id is expected (both were
//! `&str`) is a compile error, not a query that finds nothing or the wrong
//! row.
//!
//! They stay what they always were on the wire: the text of a UUID v7 made
//! by the application (MultiConnection has no RETURNING, so ids are chosen
//! before the insert), in a TEXT column on both backends (diesel impls in
//! `db::columns`), printed as-is in URLs, forms, templates and audit
//! records (`Display`, `serde(transparent)`). Parsing does not check the
//! UUID shape: a URL with a made-up id must reach the handler, which
//! answers with its own "not found" page, and rows seeded by hand (tests,
//! the demo) keep whatever id they were given.
//!
//! ```compile_fail
//! use dsr_tracker::domain::ids::{ControllerId, RequestId};
//! fn controller_page(_: &ControllerId) {}
//! controller_page(&RequestId::generate()); // a request id is no controller id
//! ```

use std::fmt;

use uuid::Uuid;

macro_rules! ids {
    ($($(#[$meta:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
            diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[serde(transparent)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub struct $name(String);

        impl $name {
            /// A fresh id for a row about to be inserted: UUID v7, so ids
            /// sort roughly by creation time (index locality).
            pub fn generate() -> Self {
                Self(Uuid::now_v7().to_string())
            }

            /// The stored text (database, URLs, audit records).
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The stored text, owned.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        /// Reads as its text (`&id` where a `&str` is wanted, `as_deref`
        /// on an `Option`), as vaultwarden's ids do; it never converts into
        /// another kind of id.
        impl std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    )+};
}

ids!(
    /// `requests.id`: also in the desk's URLs (`/desk/requests/{id}`).
    RequestId,
    /// `controllers.id` (the URL names a controller by its slug, not this).
    ControllerId,
    /// `staff.id`: the actor of staff audit events.
    StaffId,
    /// `identity_proofs.id`: in the proof download URL, and bound into the
    /// proof's encryption (its data key is wrapped with this id as context).
    ProofId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_its_text_everywhere() {
        let id = RequestId::from("0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b");
        assert_eq!(id.to_string(), "0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b");
        assert_eq!(id.as_str(), "0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b");
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b\"");
        assert_eq!(serde_json::from_str::<RequestId>(&json).unwrap(), id);
        // Not a UUID: still an id (the handler says "not found").
        assert_eq!(
            serde_json::from_str::<ProofId>("\"nope\"").unwrap(),
            ProofId::from("nope")
        );
    }

    #[test]
    fn generated_ids_are_uuid_v7_text() {
        let a = StaffId::generate();
        let b = StaffId::generate();
        assert_ne!(a, b);
        let parsed = Uuid::parse_str(a.as_str()).unwrap();
        assert_eq!(parsed.get_version_num(), 7);
        assert_eq!(parsed.to_string(), a.as_str());
    }
}
