//! The rules a lawyer would check, kept free of I/O so they can be read,
//! unit-tested and property-tested without a database or a clock.
//!
//! This module owns three things:
//!
//! - [`request`]: what a request is (kind, channel, status, outcome, refusal
//!   grounds) and the one table of transitions between statuses;
//! - [`deadline`]: the GDPR art. 12(3) calendar (one month, extensions,
//!   stop-the-clock) computed by EU Regulation 1182/71 with a controller's
//!   public holidays;
//! - [`retention`]: the retention schedule the nightly purge enforces, with
//!   the legal basis of every setting;
//! - [`values`]: small parsed value types (slug, e-mail address, locale,
//!   role, reference prefix).
//!
//! Nothing here reads the clock: every function takes the date or instant it
//! needs, so tests and the `purge --now` option can travel in time.

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

/// A closed vocabulary stored as text (database columns, form values, JSON).
///
/// The string of each variant is written once, here, and used by `as_str`,
/// `Display`, `FromStr` and serde alike, so the three encodings cannot drift
/// apart.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $s:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $s)] $variant ),+
        }

        impl $name {
            /// Every value, in declaration order (for forms and tests).
            pub const ALL: [$name; [$($s),+].len()] = [$($name::$variant),+];

            /// The stable text encoding (database, forms, JSON).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $s),+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::domain::UnknownValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($s => Ok($name::$variant),)+
                    other => Err($crate::domain::UnknownValue {
                        type_name: stringify!($name),
                        value: other.to_owned(),
                    }),
                }
            }
        }
    };
}

pub mod deadline;
pub mod receipt;
pub mod request;
pub mod retention;
pub mod values;

pub use deadline::{
    Deadline, ExtensionError, HolidayCalendar, HolidayRegion, ParseHolidaysError, Suspension,
    Urgency, add_months, can_extend, days_left, due_on, easter_sunday, first_month_end,
};
pub use request::{
    Action, Art17_3Letter, Channel, Outcome, RefusalGround, RefusalGroundError, RequestKind,
    RequestState, Status, TRANSITIONS, TransitionError, allowed_actions, apply,
};
pub use retention::{
    Cutoffs, PurgeRule, RetentionSettings, SettingError, SettingField, cutoff, cutoff_days,
    purgeable_from, purgeable_from_days, retention_months_for, schedule,
};
