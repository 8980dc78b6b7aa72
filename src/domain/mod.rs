//! The rules a lawyer would check, kept free of I/O so they can be read,
//! unit-tested and property-tested without a database or a clock.
//!
//! This module owns these things:
//!
//! - [`request`]: what a request is (kind, channel, status, outcome, refusal
//!   grounds) and the one table of transitions between statuses;
//! - [`deadline`]: the GDPR art. 12(3) calendar (one month, extensions,
//!   stop-the-clock) computed by EU Regulation 1182/71 with a controller's
//!   public holidays;
//! - [`retention`]: the retention schedule the nightly purge enforces, with
//!   the legal basis of every setting;
//! - [`values`]: small parsed value types (slug, e-mail address, locale,
//!   role, reference prefix);
//! - [`ids`]: one type per kind of id (request, controller, staff, proof).
//!
//! Nothing here reads the clock: every function takes the date or instant it
//! needs, so tests and the `purge --now` option can travel in time.
//!
//! Closed vocabularies (kind, status, channel, outcome, role, locale…) are
//! enums with one spelling per variant, the `snake_case` of its name unless
//! renamed, used alike by the database, forms, URLs and JSON: strum derives
//! `FromStr` (error [`UnknownValue`]), `Display` and the `const` string
//! behind `as_str()`, serde uses the same rename rule, and `ALL` lists the
//! variants; the `vocabulary!` macro writes these derives once. Those
//! stored in a column also derive diesel's
//! `AsExpression`/`FromSqlRow` (impls in `db::columns`), so a stored value
//! no variant spells is an error when the row is read, never a default.

/// Error of every `FromStr` of the fixed vocabularies in this module: the
/// value came from a form, a URL or a database column and names nothing we
/// know. It keeps the bad value so the caller can say which one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {type_name}: {value:?}")]
pub struct UnknownValue {
    /// The Rust type that was being parsed, e.g. `RequestKind`.
    pub type_name: &'static str,
    /// The rejected input, verbatim.
    pub value: String,
}

/// The `FromStr` error of a closed vocabulary (`#[strum(parse_err_fn)]`):
/// names the type without its module path, as `UnknownValue` always did.
pub(crate) fn unknown<T>(value: &str) -> UnknownValue {
    let path = std::any::type_name::<T>();
    UnknownValue {
        type_name: path.rsplit("::").next().unwrap_or(path),
        value: value.to_owned(),
    }
}

/// Every variant of a closed vocabulary in declaration order, as the array
/// its `ALL` constant is (`for s in Status::ALL` yields values). Checked
/// at compile time against the variants strum lists.
pub(crate) const fn all<T: strum::VariantArray + Copy, const N: usize>() -> [T; N] {
    let variants = T::VARIANTS;
    assert!(variants.len() == N, "ALL must list every variant");
    let mut all = [variants[0]; N];
    let mut i = 1;
    while i < N {
        all[i] = variants[i];
        i += 1;
    }
    all
}

/// A closed vocabulary: the derives and spelling rule above, written once.
/// `ALL` lists the variants in declaration order (for forms and tests) and
/// `as_str()` is the stable text encoding (database, forms, JSON). Extra
/// attributes (diesel's derives for a stored column, `#[strum(serialize)]`
/// and `#[serde(rename)]` on a variant) go on the enum as usual.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident { $($body:tt)* }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
            strum::EnumString, strum::IntoStaticStr, strum::Display,
            strum::VariantArray, strum::EnumCount,
        )]
        #[serde(rename_all = "snake_case")]
        #[strum(
            serialize_all = "snake_case",
            const_into_str,
            parse_err_ty = $crate::domain::UnknownValue,
            parse_err_fn = $crate::domain::unknown::<Self>
        )]
        $vis enum $name { $($body)* }

        impl $name {
            /// Every value, in declaration order (for forms and tests).
            pub const ALL: [$name; <$name as strum::EnumCount>::COUNT] = $crate::domain::all();

            /// The stable text encoding (database, forms, JSON).
            pub const fn as_str(self) -> &'static str {
                self.into_str()
            }
        }
    };
}
pub(crate) use vocabulary;

pub mod deadline;
pub mod ids;
pub mod receipt;
pub mod request;
pub mod retention;
pub mod values;

pub use deadline::{
    Deadline, ExtensionError, HolidayCalendar, HolidayRegion, ParseHolidaysError, Suspension,
    Urgency, add_months, can_extend, days_left, due_on, easter_sunday, first_month_end,
};
pub use ids::{ControllerId, ProofId, RequestId, StaffId};
pub use request::{
    Action, Art17_3Letter, Channel, Outcome, RefusalGround, RefusalGroundError, RequestKind,
    RequestState, Status, TRANSITIONS, TransitionError, allowed_actions, apply,
};
pub use retention::{
    Cutoffs, PurgeRule, RetentionSettings, SettingError, SettingField, cutoff, cutoff_days,
    purgeable_from, purgeable_from_days, retention_months_for, schedule,
};

#[cfg(test)]
mod tests {
    use super::*;

    /// The spellings are stored in the database and used in forms, URLs
    /// and JSON: written out here so a renamed variant cannot change them,
    /// and checked to be the same for `as_str`, `Display`, `FromStr` and
    /// serde.
    macro_rules! spelled {
        ($t:ty, [$($s:literal),+ $(,)?]) => {{
            let expected: &[&str] = &[$($s),+];
            let actual: Vec<&str> = <$t>::ALL.iter().map(|v| v.as_str()).collect();
            assert_eq!(actual, expected, "{}", stringify!($t));
            for v in <$t>::ALL {
                let s = v.as_str();
                assert_eq!(v.to_string(), s);
                assert_eq!(s.parse::<$t>(), Ok(v));
                assert_eq!(serde_json::to_string(&v).unwrap(), format!("\"{s}\""));
                assert_eq!(serde_json::from_str::<$t>(&format!("\"{s}\"")).unwrap(), v);
            }
            assert_eq!(
                "Nope".parse::<$t>(),
                Err(UnknownValue {
                    type_name: stringify!($t),
                    value: "Nope".to_owned(),
                })
            );
        }};
    }

    #[test]
    fn every_vocabulary_keeps_its_spelling() {
        use deadline::{HolidayRegion, Urgency};
        use request::{Art17_3Letter, Channel, Outcome, RequestKind, Status};
        use retention::{PeriodUnit, PurgeRule, SettingField, SettingReason};
        spelled!(
            RequestKind,
            [
                "access",
                "rectification",
                "erasure",
                "restriction",
                "portability",
                "objection",
                "marketing_objection",
            ]
        );
        spelled!(Channel, ["web", "email", "post", "in_person"]);
        spelled!(
            Status,
            [
                "unconfirmed",
                "received",
                "awaiting_information",
                "in_progress",
                "closed",
                "withdrawn",
            ]
        );
        spelled!(Outcome, ["granted", "partially_granted", "refused"]);
        spelled!(Art17_3Letter, ["a", "b", "c", "d", "e"]);
        spelled!(HolidayRegion, ["fr", "fr-alsace-moselle", "none"]);
        spelled!(Urgency, ["overdue", "due_soon", "on_track"]);
        spelled!(
            SettingField,
            [
                "proof_months",
                "objection_months",
                "suppression_months",
                "connection_data_months",
                "unconfirmed_days",
                "delete_proof_on_identity_accepted",
            ]
        );
        spelled!(
            PurgeRule,
            [
                "proof",
                "personal_data",
                "unconfirmed_submission",
                "suppression_entry",
                "connection_data",
                "proof_after_identity_accepted",
            ]
        );
        spelled!(PeriodUnit, ["months", "days"]);
        spelled!(
            SettingReason,
            [
                "zero",
                "typo",
                "policy_floor",
                "policy_ceiling",
                "confirmation_time",
                "unconfirmed_linger",
            ]
        );
    }

    #[test]
    fn locales_and_roles_keep_their_spelling() {
        use values::{Locale, Role, ValueErrorKind};
        let locales: Vec<_> = Locale::ALL.iter().map(|l| l.as_str()).collect();
        assert_eq!(locales, ["fr", "en"]);
        let roles: Vec<_> = Role::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(roles, ["admin", "dpo", "viewer"]);
        for l in Locale::ALL {
            assert_eq!(l.as_str().parse::<Locale>(), Ok(l));
            assert_eq!(l.to_string(), l.as_str());
        }
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(r));
            assert_eq!(r.to_string(), r.as_str());
        }
        // Case matters, as it always did: the column holds lower case.
        assert_eq!(
            "FR".parse::<Locale>().unwrap_err().kind,
            ValueErrorKind::UnknownLocale { value: "FR".into() }
        );
        assert_eq!(Locale::default(), Locale::Fr);
    }
}
