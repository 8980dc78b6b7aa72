//! Changing a controller's retention settings: the one function the CLI
//! and the administrator's page both call, so a refused schedule is refused
//! the same way everywhere and every change is in the audit trail.

use chrono::NaiveDateTime;
use diesel::Connection;

use crate::audit::{self, Actor, NewEvent};
use crate::db::DbConn;
use crate::domain::ids::ControllerId;
use crate::domain::retention::{RetentionSettings, SettingField};
use crate::store::controllers::{self, Controller, UpdateRetentionError};

/// Validates and stores `settings` for `controller_id`, and appends the
/// audit event `controller.retention_updated` (the new values, which are
/// numbers) in the same transaction. A refused schedule
/// ([`UpdateRetentionError::Invalid`], one message per problem, English and
/// French) changes nothing.
pub fn change(
    conn: &mut DbConn,
    controller_id: &ControllerId,
    settings: &RetentionSettings,
    actor: Actor,
    now: NaiveDateTime,
) -> Result<Controller, UpdateRetentionError> {
    settings.validate().map_err(UpdateRetentionError::Invalid)?;
    conn.transaction(|conn| {
        let updated = controllers::update_retention(conn, controller_id, settings, now)?;
        audit::append(
            conn,
            now,
            NewEvent {
                actor,
                action: "controller.retention_updated",
                controller_id: Some(controller_id),
                request_id: None,
                detail: describe_values(settings),
            },
        )?;
        Ok(updated)
    })
}

/// `proof_months=12 objection_months=36 …`: the audit detail.
pub fn describe_values(s: &RetentionSettings) -> String {
    SettingField::ALL
        .iter()
        .map(|f| format!("{}={}", f.as_str(), value_of(s, *f)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The value of one setting, as text.
pub fn value_of(s: &RetentionSettings, field: SettingField) -> String {
    match field {
        SettingField::ProofMonths => s.proof_months.to_string(),
        SettingField::ObjectionMonths => s.objection_months.to_string(),
        SettingField::SuppressionMonths => s.suppression_months.to_string(),
        SettingField::ConnectionDataMonths => s.connection_data_months.to_string(),
        SettingField::UnconfirmedDays => s.unconfirmed_days.to_string(),
        SettingField::DeleteProofOnIdentityAccepted => {
            s.delete_proof_on_identity_accepted.to_string()
        }
    }
}

/// The unit shown after a value.
pub const fn unit_of(field: SettingField) -> &'static str {
    match field {
        SettingField::UnconfirmedDays => "days",
        SettingField::DeleteProofOnIdentityAccepted => "",
        _ => "months",
    }
}

/// The command-line flag of a setting (`controller settings --…`).
pub const fn flag_of(field: SettingField) -> &'static str {
    match field {
        SettingField::ProofMonths => "--proof-retention-months",
        SettingField::ObjectionMonths => "--objection-retention-months",
        SettingField::SuppressionMonths => "--suppression-retention-months",
        SettingField::ConnectionDataMonths => "--connection-data-retention-months",
        SettingField::UnconfirmedDays => "--unconfirmed-retention-days",
        SettingField::DeleteProofOnIdentityAccepted => "--delete-proof-on-identity-accepted",
    }
}
