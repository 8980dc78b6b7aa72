//! The retention schedule the purge enforces.
//!
//! This file owns the retention settings of a controller (defaults from the
//! seeds' privacy policy, art. 8, with their bounds and legal basis), which
//! period applies to which request, and the cut-off arithmetic shared by the
//! purge (which deletes) and the desk (which shows "will be anonymised on …").
//!
//! # The cut-off rule
//!
//! An item whose reference instant `D` satisfies `D <= cutoff(now, period)`
//! is due for purge. The reference instant is:
//!
//! - closure or withdrawal, for identity proofs and the personal data of a
//!   request;
//! - creation, for suppression-list entries and connection data;
//! - submission, for unconfirmed web submissions.
//!
//! Subtracting the period from `now` once, instead of adding it to every
//! row, is what lets the purge ask the database for `reference <= :cutoff`
//! on an index rather than scan every row; the instant is computed here and
//! bound as a parameter, never `now()` in SQL, so both backends agree.
//!
//! [`purgeable_from`] answers the reverse question (from which instant is
//! this item due?) and is derived so that it agrees with the cut-off rule
//! exactly, month ends included.

use std::fmt;

use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use super::request::{RequestKind, Status};

/// The privacy policy keeps the record of an objection to marketing "at
/// least three years".
pub const MIN_SUPPRESSION_MONTHS: u32 = 36;
/// The privacy policy keeps audience and connection identifiers "at most
/// thirteen months".
pub const MAX_CONNECTION_DATA_MONTHS: u32 = 13;
/// Upper bound for proof and objection periods: ten years covers every
/// French limitation period that could justify keeping an identity proof,
/// and catches a value typed in days instead of months.
pub const MAX_PROOF_MONTHS: u32 = 120;
/// Upper bound of the grace period of an unconfirmed submission: beyond a
/// quarter, nobody is going to click the link.
pub const MAX_UNCONFIRMED_DAYS: u32 = 90;

/// A controller's retention periods. Each one is a setting because each
/// controller answers for its own schedule; the defaults are the seeds'.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RetentionSettings {
    /// Proofs and personal data of access, rectification, erasure,
    /// restriction and portability requests, after closure.
    pub proof_months: u32,
    /// Proofs and case file of an objection, after closure.
    pub objection_months: u32,
    /// Suppression-list entries (objection to marketing), after creation;
    /// never below [`MIN_SUPPRESSION_MONTHS`].
    pub suppression_months: u32,
    /// IP addresses, user agents, connection logs, after creation; never
    /// above [`MAX_CONNECTION_DATA_MONTHS`].
    pub connection_data_months: u32,
    /// Grace period of a web submission whose e-mail is not confirmed.
    pub unconfirmed_days: u32,
    /// Delete the identity proof as soon as the identity is accepted,
    /// instead of keeping it as evidence.
    pub delete_proof_on_identity_accepted: bool,
}

impl Default for RetentionSettings {
    /// The seeds' privacy policy, art. 8.
    fn default() -> Self {
        RetentionSettings {
            proof_months: 12,
            objection_months: 36,
            suppression_months: MIN_SUPPRESSION_MONTHS,
            connection_data_months: MAX_CONNECTION_DATA_MONTHS,
            unconfirmed_days: 7,
            delete_proof_on_identity_accepted: false,
        }
    }
}

super::vocabulary! {
    /// The settings of [`RetentionSettings`], named as their fields (and as
    /// the administrator's form fields).
    pub enum SettingField {
        /// [`RetentionSettings::proof_months`].
        ProofMonths,
        /// [`RetentionSettings::objection_months`].
        ObjectionMonths,
        /// [`RetentionSettings::suppression_months`].
        SuppressionMonths,
        /// [`RetentionSettings::connection_data_months`].
        ConnectionDataMonths,
        /// [`RetentionSettings::unconfirmed_days`].
        UnconfirmedDays,
        /// [`RetentionSettings::delete_proof_on_identity_accepted`].
        DeleteProofOnIdentityAccepted,
    }
}

super::vocabulary! {
    /// The unit of a retention setting.
    pub enum PeriodUnit {
        Months,
        Days,
    }
}

impl SettingField {
    /// What the number of the setting counts; `None` for the switch.
    pub const fn unit(self) -> Option<PeriodUnit> {
        match self {
            SettingField::ProofMonths
            | SettingField::ObjectionMonths
            | SettingField::SuppressionMonths
            | SettingField::ConnectionDataMonths => Some(PeriodUnit::Months),
            SettingField::UnconfirmedDays => Some(PeriodUnit::Days),
            SettingField::DeleteProofOnIdentityAccepted => None,
        }
    }
}

/// The bound a refused setting breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// The value must be at least this.
    AtLeast(u32),
    /// The value must be at most this.
    AtMost(u32),
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bound::AtLeast(n) => write!(f, "at least {n}"),
            Bound::AtMost(n) => write!(f, "at most {n}"),
        }
    }
}

super::vocabulary! {
    /// Why a bound exists, as the administrator is told it.
    pub enum SettingReason {
        /// Zero would purge the data before anyone can use it.
        Zero,
        /// A longer period is almost certainly a typing mistake.
        Typo,
        /// The privacy policy keeps the suppression list at least three
        /// years.
        PolicyFloor,
        /// The privacy policy keeps connection data at most thirteen months.
        PolicyCeiling,
        /// The citizen needs time to click the confirmation link.
        ConfirmationTime,
        /// An unconfirmed submission is not a request and must not linger.
        UnconfirmedLinger,
    }
}

/// A refused value in the retention settings: which field, the bound it
/// breaks and why, worded by `Tr::setting_error` for the administrator's
/// page and the command line. `Display` is for logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: must be {bound} ({reason})")]
pub struct SettingError {
    /// The field name, as in [`SettingField::as_str`].
    pub field: &'static str,
    /// The bound the value breaks.
    pub bound: Bound,
    /// Why the bound exists.
    pub reason: SettingReason,
}

impl SettingError {
    /// The refused setting.
    pub fn setting(&self) -> Option<SettingField> {
        self.field.parse().ok()
    }

    /// What the bound counts.
    pub fn unit(&self) -> PeriodUnit {
        self.setting()
            .and_then(SettingField::unit)
            .unwrap_or(PeriodUnit::Months)
    }
}

/// Checks `value` in `min..=max`, with the reason for each bound.
fn check_range(
    errors: &mut Vec<SettingError>,
    field: SettingField,
    value: u32,
    (min, min_why): (u32, SettingReason),
    (max, max_why): (u32, SettingReason),
) {
    let refused = if value < min {
        Some((Bound::AtLeast(min), min_why))
    } else if value > max {
        Some((Bound::AtMost(max), max_why))
    } else {
        None
    };
    if let Some((bound, reason)) = refused {
        errors.push(SettingError {
            field: field.as_str(),
            bound,
            reason,
        });
    }
}

impl RetentionSettings {
    /// Refuses a schedule the privacy policy does not allow (the floor of the
    /// suppression list, the ceiling of connection data) and values that can
    /// only be typing mistakes. Every problem is reported at once so the
    /// form can show them all.
    pub fn validate(&self) -> Result<(), Vec<SettingError>> {
        use SettingReason as R;
        let mut errors = Vec::new();
        check_range(
            &mut errors,
            SettingField::ProofMonths,
            self.proof_months,
            (1, R::Zero),
            (MAX_PROOF_MONTHS, R::Typo),
        );
        check_range(
            &mut errors,
            SettingField::ObjectionMonths,
            self.objection_months,
            (1, R::Zero),
            (MAX_PROOF_MONTHS, R::Typo),
        );
        check_range(
            &mut errors,
            SettingField::SuppressionMonths,
            self.suppression_months,
            (MIN_SUPPRESSION_MONTHS, R::PolicyFloor),
            (u32::MAX, R::Typo),
        );
        check_range(
            &mut errors,
            SettingField::ConnectionDataMonths,
            self.connection_data_months,
            (1, R::Zero),
            (MAX_CONNECTION_DATA_MONTHS, R::PolicyCeiling),
        );
        check_range(
            &mut errors,
            SettingField::UnconfirmedDays,
            self.unconfirmed_days,
            (1, R::ConfirmationTime),
            (MAX_UNCONFIRMED_DAYS, R::UnconfirmedLinger),
        );
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Months after closure (or withdrawal) at which the identity proofs of a
/// request are deleted and its personal data anonymised. The seeds keep the
/// proof of an objection for the art. 8 CPP period and every other proof
/// for the art. 9 CPP period; the personal data of the request goes on the
/// same horizon, since it is what the proof proves.
pub const fn retention_months_for(kind: RequestKind, settings: &RetentionSettings) -> u32 {
    if kind.is_objection() {
        settings.objection_months
    } else {
        settings.proof_months
    }
}

/// The last nanosecond of a day: a clamped cut-off covers the whole last
/// day of the shorter month (see [`cutoff`]).
const END_OF_DAY: NaiveTime = match NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_999) {
    Some(time) => time,
    None => NaiveTime::MIN,
};

/// `now` minus `months` calendar months (chrono's `checked_sub_months`):
/// see the module doc for the rule. Before the start of chrono's range, the
/// minimum instant (nothing is due).
///
/// When the target month is shorter and the day is clamped to its last day
/// (31 October − 4 months = 30 June), the cut-off is the **end** of that
/// day, not the same time of day. chrono keeps the time of day, which makes
/// the cut-off go backwards: at 30 October 23:59:59 it would be 30 June
/// 23:59:59, one second later (31 October 00:00) 30 June 00:00, so an item
/// of 30 June 23:00 would become due, then not due for a day, then due
/// again, and a nightly purge would keep it one day too long depending on
/// the hour it runs. Rounding up is not premature: every instant of 30 June
/// plus 4 months falls on or before 30 October, so it was already due.
/// With this, the cut-off never decreases as `now` grows, and
/// [`purgeable_from`] is its exact inverse.
///
/// The nanoseconds are truncated to microseconds when bound for PostgreSQL
/// (diesel truncates, PostgreSQL stores microseconds), which changes nothing
/// since no stored instant lies between.
pub fn cutoff(now: NaiveDateTime, months: u32) -> NaiveDateTime {
    match now.checked_sub_months(Months::new(months)) {
        Some(back) if back.day() != now.day() => back.date().and_time(END_OF_DAY),
        Some(back) => back,
        None => NaiveDateTime::MIN,
    }
}

/// `now` minus `days` whole days: see the module doc for the rule.
pub fn cutoff_days(now: NaiveDateTime, days: u32) -> NaiveDateTime {
    now.checked_sub_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDateTime::MIN)
}

/// The earliest instant `t` at which an item with reference instant
/// `reference` is due, i.e. `reference <= cutoff(t, months)`; so
/// `purgeable_from(D, m) <= now` exactly when `D <= cutoff(now, m)`.
///
/// It is `reference + months` unless that lands on a shorter month and is
/// clamped (31 March + 1 month = 30 April): `cutoff(30 April, 1)` is
/// 30 March, still before 31 March, and the item becomes due only at the
/// first instant of the following month, 1 May 00:00, which is also when a
/// 1182/71 period of one month from 31 March expires (end of 30 April).
///
/// `None` when the instant is beyond chrono's range.
pub fn purgeable_from(reference: NaiveDateTime, months: u32) -> Option<NaiveDateTime> {
    let naive = reference.checked_add_months(Months::new(months))?;
    if naive.day() == reference.day() {
        return Some(naive);
    }
    let first_of_clamped_month = NaiveDate::from_ymd_opt(naive.year(), naive.month(), 1)?;
    let next_month = first_of_clamped_month.checked_add_months(Months::new(1))?;
    Some(next_month.and_time(NaiveTime::MIN))
}

/// The earliest instant `t` with `reference <= cutoff_days(t, days)`.
pub fn purgeable_from_days(reference: NaiveDateTime, days: u32) -> Option<NaiveDateTime> {
    reference.checked_add_days(Days::new(u64::from(days)))
}

/// When the proofs and personal data of a request become purgeable, for the
/// desk's "will be anonymised on …". `closed_at` is the instant of closure
/// or withdrawal. `None` while the request is not closed or withdrawn (its
/// retention has not started). A legal hold postpones the purge whatever
/// this says; the page shows the hold instead.
pub fn schedule(
    kind: RequestKind,
    status: Status,
    closed_at: Option<NaiveDateTime>,
    settings: &RetentionSettings,
) -> Option<NaiveDateTime> {
    if !status.is_terminal() {
        return None;
    }
    purgeable_from(closed_at?, retention_months_for(kind, settings))
}

super::vocabulary! {
    /// The rules of one purge run; the purge report and the audit trail
    /// count items per rule, without personal data.
    pub enum PurgeRule {
        /// Identity proofs of closed or withdrawn requests.
        Proof,
        /// Personal data of closed or withdrawn requests (anonymised; kind,
        /// dates and outcome stay for statistics).
        PersonalData,
        /// Web submissions whose e-mail address was never confirmed.
        UnconfirmedSubmission,
        /// Suppression-list entries from objections to direct marketing.
        SuppressionEntry,
        /// IP addresses, user agents and connection logs.
        ConnectionData,
        /// Identity proofs deleted as soon as the identity was accepted.
        ProofAfterIdentityAccepted,
    }
}

impl PurgeRule {
    /// One line for the purge report.
    pub const fn description(self) -> &'static str {
        match self {
            PurgeRule::Proof => {
                "identity proofs of requests closed or withdrawn before their retention period"
            }
            PurgeRule::PersonalData => {
                "personal data of requests closed or withdrawn before their retention period \
                 (anonymised)"
            }
            PurgeRule::UnconfirmedSubmission => {
                "web submissions whose e-mail address was not confirmed within the grace period"
            }
            PurgeRule::SuppressionEntry => {
                "suppression-list entries older than their retention period"
            }
            PurgeRule::ConnectionData => {
                "IP addresses, user agents and connection logs older than their retention period"
            }
            PurgeRule::ProofAfterIdentityAccepted => {
                "identity proofs of requests whose identity has been accepted"
            }
        }
    }
}

/// Every cut-off instant of one purge run, computed once from `now` and the
/// controller's settings, and bound as query parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cutoffs {
    /// The instant of the run (given, never read from a clock here).
    pub now: NaiveDateTime,
    /// Non-objection requests closed or withdrawn at or before this instant
    /// lose their proofs and personal data.
    pub request: NaiveDateTime,
    /// Same, for objections (both kinds).
    pub objection: NaiveDateTime,
    /// Suppression-list entries created at or before this instant go.
    pub suppression_entry: NaiveDateTime,
    /// Connection data created at or before this instant goes.
    pub connection_data: NaiveDateTime,
    /// Unconfirmed submissions made at or before this instant go.
    pub unconfirmed_submission: NaiveDateTime,
    /// With [`RetentionSettings::delete_proof_on_identity_accepted`], proofs
    /// of requests whose identity was accepted at or before this instant go
    /// (at the first run after acceptance); `None` when the setting is off.
    pub proof_after_identity_accepted: Option<NaiveDateTime>,
}

impl Cutoffs {
    /// The cut-offs of a run at `now`.
    pub fn new(now: NaiveDateTime, settings: &RetentionSettings) -> Self {
        Cutoffs {
            now,
            request: cutoff(now, settings.proof_months),
            objection: cutoff(now, settings.objection_months),
            suppression_entry: cutoff(now, settings.suppression_months),
            connection_data: cutoff(now, settings.connection_data_months),
            unconfirmed_submission: cutoff_days(now, settings.unconfirmed_days),
            proof_after_identity_accepted: settings
                .delete_proof_on_identity_accepted
                .then_some(now),
        }
    }

    /// The closure cut-off that applies to a request of `kind`.
    pub const fn for_kind(&self, kind: RequestKind) -> NaiveDateTime {
        if kind.is_objection() {
            self.objection
        } else {
            self.request
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").expect("test instant")
    }

    fn due(reference: &str, now: &str, months: u32) -> bool {
        t(reference) <= cutoff(t(now), months)
    }

    #[test]
    fn defaults_are_the_seeds_and_valid() {
        let s = RetentionSettings::default();
        assert_eq!(s.proof_months, 12);
        assert_eq!(s.objection_months, 36);
        assert_eq!(s.suppression_months, 36);
        assert_eq!(s.connection_data_months, 13);
        assert_eq!(s.unconfirmed_days, 7);
        assert!(!s.delete_proof_on_identity_accepted);
        assert_eq!(s.validate(), Ok(()));
    }

    #[test]
    fn validation_refuses_what_the_policy_forbids() {
        let refused = |settings: RetentionSettings| -> Vec<&'static str> {
            settings
                .validate()
                .err()
                .unwrap_or_default()
                .iter()
                .map(|e| e.field)
                .collect()
        };
        let base = RetentionSettings::default();
        for (settings, field) in [
            (
                RetentionSettings {
                    suppression_months: 35,
                    ..base.clone()
                },
                "suppression_months",
            ),
            (
                RetentionSettings {
                    connection_data_months: 14,
                    ..base.clone()
                },
                "connection_data_months",
            ),
            (
                RetentionSettings {
                    connection_data_months: 0,
                    ..base.clone()
                },
                "connection_data_months",
            ),
            (
                RetentionSettings {
                    proof_months: 0,
                    ..base.clone()
                },
                "proof_months",
            ),
            (
                RetentionSettings {
                    proof_months: 121,
                    ..base.clone()
                },
                "proof_months",
            ),
            (
                RetentionSettings {
                    objection_months: 0,
                    ..base.clone()
                },
                "objection_months",
            ),
            (
                RetentionSettings {
                    objection_months: 121,
                    ..base.clone()
                },
                "objection_months",
            ),
            (
                RetentionSettings {
                    unconfirmed_days: 0,
                    ..base.clone()
                },
                "unconfirmed_days",
            ),
            (
                RetentionSettings {
                    unconfirmed_days: 91,
                    ..base.clone()
                },
                "unconfirmed_days",
            ),
        ] {
            assert_eq!(refused(settings), [field]);
        }
        for settings in [
            RetentionSettings {
                suppression_months: 600,
                ..base.clone()
            },
            RetentionSettings {
                objection_months: 72,
                ..base.clone()
            },
            RetentionSettings {
                proof_months: 120,
                unconfirmed_days: 90,
                ..base.clone()
            },
            RetentionSettings {
                connection_data_months: 1,
                delete_proof_on_identity_accepted: true,
                ..base.clone()
            },
        ] {
            assert_eq!(settings.validate(), Ok(()), "{settings:?}");
        }

        let all_wrong = RetentionSettings {
            proof_months: 0,
            objection_months: 0,
            suppression_months: 12,
            connection_data_months: 24,
            unconfirmed_days: 0,
            delete_proof_on_identity_accepted: false,
        };
        let errors = all_wrong.validate().expect_err("everything is wrong");
        assert_eq!(errors.len(), 5);
        let suppression = errors
            .iter()
            .find(|e| e.field == "suppression_months")
            .expect("suppression error");
        assert_eq!(suppression.bound, Bound::AtLeast(MIN_SUPPRESSION_MONTHS));
        assert_eq!(suppression.reason, SettingReason::PolicyFloor);
        assert_eq!(suppression.unit(), PeriodUnit::Months);
        assert!(suppression.to_string().starts_with("suppression_months: "));
        let unconfirmed = errors
            .iter()
            .find(|e| e.field == "unconfirmed_days")
            .expect("unconfirmed error");
        assert_eq!(unconfirmed.bound, Bound::AtLeast(1));
        assert_eq!(unconfirmed.reason, SettingReason::ConfirmationTime);
        assert_eq!(unconfirmed.unit(), PeriodUnit::Days);
        let connection = errors
            .iter()
            .find(|e| e.field == "connection_data_months")
            .expect("connection error");
        assert_eq!(connection.bound, Bound::AtMost(MAX_CONNECTION_DATA_MONTHS));
    }

    #[test]
    fn setting_fields_parse_from_their_codes() {
        assert_eq!(
            "unconfirmed_days".parse::<SettingField>(),
            Ok(SettingField::UnconfirmedDays)
        );
    }

    #[test]
    fn settings_deserialize_with_defaults() {
        let partial: RetentionSettings =
            serde_json::from_str(r#"{"objection_months": 72}"#).expect("json");
        assert_eq!(
            partial,
            RetentionSettings {
                objection_months: 72,
                ..RetentionSettings::default()
            }
        );
    }

    #[test]
    fn period_per_kind() {
        let settings = RetentionSettings {
            proof_months: 10,
            objection_months: 50,
            ..RetentionSettings::default()
        };
        for kind in RequestKind::ALL {
            let expected = if kind.is_objection() { 50 } else { 10 };
            assert_eq!(retention_months_for(kind, &settings), expected, "{kind}");
        }
    }

    #[test]
    fn proof_boundaries_twelve_months() {
        let closed = "2026-03-10T10:00:00";
        assert!(!due(closed, "2027-03-09T10:00:00", 12));
        assert!(!due(closed, "2027-03-10T09:59:59", 12));
        assert!(due(closed, "2027-03-10T10:00:00", 12));
        assert!(due(closed, "2027-03-11T10:00:00", 12));
    }

    #[test]
    fn objection_boundaries_thirty_six_months() {
        let closed = "2026-03-10T10:00:00";
        assert!(!due(closed, "2029-03-09T10:00:00", 36));
        assert!(due(closed, "2029-03-11T10:00:00", 36));
    }

    #[test]
    fn suppression_entry_kept_at_least_three_years() {
        let created = "2026-03-10T10:00:00";
        // 2 years and 364 days later (2028 is a leap year: 2028-03-10 +
        // 364 days is 2029-03-09).
        assert!(!due(created, "2029-03-09T10:00:00", MIN_SUPPRESSION_MONTHS));
        assert!(due(created, "2029-03-10T10:00:00", MIN_SUPPRESSION_MONTHS));
    }

    #[test]
    fn connection_data_at_most_thirteen_months() {
        let created = "2026-03-10T10:00:00";
        assert!(!due(created, "2027-04-10T09:59:59", 13));
        assert!(due(created, "2027-04-10T10:00:00", 13));
    }

    #[test]
    fn unconfirmed_after_seven_days() {
        let submitted = t("2026-03-10T10:00:00");
        assert!(submitted > cutoff_days(t("2026-03-17T09:59:59"), 7));
        assert!(submitted <= cutoff_days(t("2026-03-17T10:00:00"), 7));
        assert_eq!(
            purgeable_from_days(submitted, 7),
            Some(t("2026-03-17T10:00:00"))
        );
    }

    #[test]
    fn month_end_clamping() {
        // 31 March + 1 month: the cut-off of any instant of 30 April is
        // 30 March, before the reference, so the item is due on 1 May.
        let reference = t("2026-03-31T12:00:00");
        assert!(!due("2026-03-31T12:00:00", "2026-04-30T23:59:59", 1));
        assert!(due("2026-03-31T12:00:00", "2026-05-01T00:00:00", 1));
        assert_eq!(purgeable_from(reference, 1), Some(t("2026-05-01T00:00:00")));
        // Leap day + 1 year.
        assert_eq!(
            purgeable_from(t("2024-02-29T08:00:00"), 12),
            Some(t("2025-03-01T00:00:00"))
        );
        assert_eq!(
            purgeable_from(t("2026-03-10T10:00:00"), 12),
            Some(t("2027-03-10T10:00:00"))
        );
        assert_eq!(purgeable_from(NaiveDateTime::MAX, 1), None);
    }

    #[test]
    fn clamped_cutoff_covers_the_whole_last_day() {
        // chrono alone would give 2000-06-30T00:00:00 here, earlier than the
        // cut-off one second before (2000-06-30T23:59:59).
        let before = cutoff(t("2005-10-30T23:59:59"), 64);
        let after = cutoff(t("2005-10-31T00:00:00"), 64);
        assert_eq!(before, t("2000-06-30T23:59:59"));
        assert!(after >= before);
        assert_eq!(after.date(), t("2000-06-30T00:00:00").date());
        assert_eq!(
            cutoff(t("2005-11-01T00:00:00"), 64),
            t("2000-07-01T00:00:00")
        );
        // The item of 30 June 23:59:59 stays due from 30 October on.
        let reference = t("2000-06-30T23:59:59");
        assert_eq!(
            purgeable_from(reference, 64),
            Some(t("2005-10-30T23:59:59"))
        );
        assert!(reference <= after);
        // 31 March − 1 month (within the same year): end of 28 February.
        assert_eq!(
            cutoff(t("2026-03-31T08:00:00"), 1),
            t("2026-02-28T23:59:59") + chrono::TimeDelta::nanoseconds(999_999_999)
        );
        assert_eq!(cutoff(NaiveDateTime::MIN, 1), NaiveDateTime::MIN);
    }

    #[test]
    fn schedule_only_for_terminal_requests() {
        let settings = RetentionSettings::default();
        let closed = Some(t("2026-03-10T10:00:00"));
        assert_eq!(
            schedule(RequestKind::Access, Status::Closed, closed, &settings),
            Some(t("2027-03-10T10:00:00"))
        );
        assert_eq!(
            schedule(RequestKind::Objection, Status::Withdrawn, closed, &settings),
            Some(t("2029-03-10T10:00:00"))
        );
        assert_eq!(
            schedule(RequestKind::Access, Status::InProgress, closed, &settings),
            None
        );
        assert_eq!(
            schedule(RequestKind::Access, Status::Closed, None, &settings),
            None
        );
    }

    #[test]
    fn cutoffs_of_a_run() {
        let now = t("2027-03-10T10:00:00");
        let settings = RetentionSettings {
            delete_proof_on_identity_accepted: true,
            ..RetentionSettings::default()
        };
        let c = Cutoffs::new(now, &settings);
        assert_eq!(c.request, t("2026-03-10T10:00:00"));
        assert_eq!(c.objection, t("2024-03-10T10:00:00"));
        assert_eq!(c.for_kind(RequestKind::MarketingObjection), c.objection);
        assert_eq!(c.for_kind(RequestKind::Erasure), c.request);
        assert_eq!(c.suppression_entry, t("2024-03-10T10:00:00"));
        assert_eq!(c.connection_data, t("2026-02-10T10:00:00"));
        assert_eq!(c.unconfirmed_submission, t("2027-03-03T10:00:00"));
        assert_eq!(c.proof_after_identity_accepted, Some(now));
        let off = Cutoffs::new(now, &RetentionSettings::default());
        assert_eq!(off.proof_after_identity_accepted, None);
    }

    #[test]
    fn purge_rules_have_names_and_descriptions() {
        for rule in PurgeRule::ALL {
            assert_eq!(rule.as_str().parse::<PurgeRule>(), Ok(rule));
            assert!(!rule.description().is_empty());
        }
    }

    fn any_instant() -> impl Strategy<Value = NaiveDateTime> {
        // 2000-01-01 to about 2100, to the second.
        (0i64..(100 * 366 * 86_400))
            .prop_map(|secs| t("2000-01-01T00:00:00") + chrono::TimeDelta::seconds(secs))
    }

    /// Instants at the edges that matter: ends and starts of months,
    /// midnight and the second before it.
    fn edgy_instant() -> impl Strategy<Value = NaiveDateTime> {
        (
            2000i32..2100,
            1u32..=12,
            26u32..=31,
            prop_oneof![Just(0u32), Just(86_399u32), 0u32..86_400],
        )
            .prop_filter_map("valid day", |(y, m, d, secs)| {
                let date = NaiveDate::from_ymd_opt(y, m, d)?;
                let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, 0)?;
                Some(date.and_time(time))
            })
    }

    fn around(anchor: NaiveDateTime) -> impl Strategy<Value = NaiveDateTime> {
        prop_oneof![
            (-3i64..=3).prop_map(move |s| anchor + chrono::TimeDelta::seconds(s)),
            (-3i64..=3).prop_map(move |d| anchor + chrono::TimeDelta::days(d)),
        ]
    }

    proptest! {
        #[test]
        fn schedule_agrees_with_cutoff_anywhere(
            reference in prop_oneof![any_instant(), edgy_instant()],
            now in prop_oneof![any_instant(), edgy_instant()],
            months in 0u32..=120,
        ) {
            let from = purgeable_from(reference, months).expect("in range");
            prop_assert_eq!(from <= now, reference <= cutoff(now, months));
        }

        #[test]
        fn schedule_agrees_with_cutoff_at_the_boundary(
            (reference, months, now) in (prop_oneof![any_instant(), edgy_instant()], 0u32..=120)
                .prop_flat_map(|(reference, months)| {
                    let from = purgeable_from(reference, months).expect("in range");
                    (Just(reference), Just(months), around(from))
                }),
        ) {
            let from = purgeable_from(reference, months).expect("in range");
            prop_assert_eq!(from <= now, reference <= cutoff(now, months));
            // It is the earliest such instant.
            prop_assert!(reference <= cutoff(from, months));
            let just_before = from - chrono::TimeDelta::nanoseconds(1);
            prop_assert!(reference > cutoff(just_before, months));
        }

        #[test]
        fn request_schedule_agrees_with_cutoffs(
            closed_at in prop_oneof![any_instant(), edgy_instant()],
            now in prop_oneof![any_instant(), edgy_instant()],
            kind in proptest::sample::select(RequestKind::ALL.to_vec()),
            proof_months in 1u32..=120,
            objection_months in 1u32..=120,
        ) {
            let settings = RetentionSettings {
                proof_months,
                objection_months,
                ..RetentionSettings::default()
            };
            let at = schedule(kind, Status::Closed, Some(closed_at), &settings)
                .expect("terminal");
            let cutoffs = Cutoffs::new(now, &settings);
            prop_assert_eq!(at <= now, closed_at <= cutoffs.for_kind(kind));
        }

        #[test]
        fn days_schedule_agrees_with_cutoff(
            reference in any_instant(),
            now in any_instant(),
            days in 0u32..=90,
        ) {
            let from = purgeable_from_days(reference, days).expect("in range");
            prop_assert_eq!(from <= now, reference <= cutoff_days(now, days));
        }

        #[test]
        fn cutoff_is_monotone(
            a in prop_oneof![any_instant(), edgy_instant()],
            b in prop_oneof![any_instant(), edgy_instant()],
            months in 0u32..=120,
        ) {
            let (early, late) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(cutoff(early, months) <= cutoff(late, months));
        }
    }
}
