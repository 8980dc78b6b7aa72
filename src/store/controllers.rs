//! Controllers (responsables de traitement): the tenants. Each city has its
//! own form, DPO contact, holidays and retention settings.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::controllers;
use crate::domain::deadline::{HolidayCalendar, HolidayRegion};
use crate::domain::ids::ControllerId;
use crate::domain::retention::RetentionSettings;
use crate::domain::values::{EmailAddress, Locale, ReferencePrefix, Slug};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, PartialEq, Eq)]
#[diesel(table_name = controllers)]
pub struct Controller {
    pub id: ControllerId,
    pub slug: String,
    pub name: String,
    pub reference_prefix: String,
    pub dpo_email: String,
    pub dpo_name: Option<String>,
    pub postal_address: Option<String>,
    pub host_name: Option<String>,
    pub locale: Locale,
    pub time_zone: String,
    pub holiday_region: HolidayRegion,
    pub extra_holidays: String,
    pub proof_required_kinds: String,
    pub proof_retention_months: i64,
    pub objection_retention_months: i64,
    pub suppression_retention_months: i64,
    pub connection_data_retention_months: i64,
    pub unconfirmed_retention_days: i64,
    pub delete_proof_on_identity_accepted: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Controller {
    pub const fn locale(&self) -> Locale {
        self.locale
    }

    pub fn time_zone(&self) -> chrono_tz::Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::Europe::Paris)
    }

    /// The controller's public holidays. The region is a typed column (an
    /// unknown one fails the read); the extra dates were checked by
    /// [`HolidayCalendar::parse_extra`] before they were stored.
    pub fn holidays(&self) -> HolidayCalendar {
        let region = self.holiday_region;
        let extra = HolidayCalendar::parse_extra(&self.extra_holidays).unwrap_or_default();
        HolidayCalendar { region, extra }
    }

    pub fn retention(&self) -> RetentionSettings {
        let months = |v: i64| u32::try_from(v).unwrap_or(0);
        RetentionSettings {
            proof_months: months(self.proof_retention_months),
            objection_months: months(self.objection_retention_months),
            suppression_months: months(self.suppression_retention_months),
            connection_data_months: months(self.connection_data_retention_months),
            unconfirmed_days: months(self.unconfirmed_retention_days),
            delete_proof_on_identity_accepted: self.delete_proof_on_identity_accepted,
        }
    }
}

/// A controller to create, already validated.
#[derive(Debug, Clone)]
pub struct NewController {
    pub slug: Slug,
    pub name: String,
    pub reference_prefix: ReferencePrefix,
    pub dpo_email: EmailAddress,
    pub postal_address: Option<String>,
    pub locale: Locale,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateControllerError {
    #[error("a controller with slug `{0}` already exists")]
    DuplicateSlug(String),
    #[error(
        "the reference prefix {taken} is already used by controller `{owner}`; \
         choose another one, e.g. --reference-prefix {proposal}"
    )]
    DuplicatePrefix {
        taken: String,
        owner: String,
        proposal: String,
    },
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// Creates a controller with its time zone and the `controller.created`
/// audit event (`via=` says which door: cli, setup, desk), inside the
/// caller's transaction: the one way the command line and the browser add
/// a city.
pub fn create_audited(
    conn: &mut DbConn,
    new: &NewController,
    time_zone: chrono_tz::Tz,
    actor: crate::audit::Actor,
    via: &str,
    now: NaiveDateTime,
) -> Result<Controller, CreateControllerError> {
    let created = create(conn, new, now)?;
    let created = set_time_zone(conn, &created.id, time_zone, now)?;
    crate::audit::append(
        conn,
        now,
        crate::audit::NewEvent {
            actor,
            action: "controller.created",
            controller_id: Some(&created.id),
            request_id: None,
            detail: format!("via={via}"),
        },
    )?;
    Ok(created)
}

pub fn create(
    conn: &mut DbConn,
    new: &NewController,
    now: NaiveDateTime,
) -> Result<Controller, CreateControllerError> {
    if find_by_slug(conn, new.slug.as_str())?.is_some() {
        return Err(CreateControllerError::DuplicateSlug(
            new.slug.as_str().to_owned(),
        ));
    }
    if let Some(owner) = prefix_owner(conn, new.reference_prefix.as_str(), None)? {
        return Err(CreateControllerError::DuplicatePrefix {
            taken: new.reference_prefix.as_str().to_owned(),
            owner,
            proposal: free_prefix(conn, &new.slug, &new.reference_prefix)?,
        });
    }
    let id = ControllerId::generate();
    let defaults = RetentionSettings::default();
    let inserted = diesel::insert_into(controllers::table)
        .values((
            controllers::id.eq(&id),
            controllers::slug.eq(new.slug.as_str()),
            controllers::name.eq(&new.name),
            controllers::reference_prefix.eq(new.reference_prefix.as_str()),
            controllers::dpo_email.eq(new.dpo_email.as_str()),
            controllers::dpo_name.eq(None::<String>),
            controllers::postal_address.eq(&new.postal_address),
            controllers::host_name.eq(None::<String>),
            controllers::locale.eq(new.locale),
            controllers::time_zone.eq("Europe/Paris"),
            controllers::holiday_region.eq(HolidayRegion::France),
            controllers::extra_holidays.eq(""),
            controllers::proof_required_kinds.eq(""),
            controllers::proof_retention_months.eq(i64::from(defaults.proof_months)),
            controllers::objection_retention_months.eq(i64::from(defaults.objection_months)),
            controllers::suppression_retention_months.eq(i64::from(defaults.suppression_months)),
            controllers::connection_data_retention_months
                .eq(i64::from(defaults.connection_data_months)),
            controllers::unconfirmed_retention_days.eq(i64::from(defaults.unconfirmed_days)),
            controllers::delete_proof_on_identity_accepted
                .eq(defaults.delete_proof_on_identity_accepted),
            controllers::created_at.eq(now),
            controllers::updated_at.eq(now),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(find_by_id(conn, &id)?),
        Err(e) if super::is_unique_violation(&e) => Err(CreateControllerError::DuplicateSlug(
            new.slug.as_str().to_owned(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// The slug of the controller (other than `except`) using `prefix`.
/// Checked before every insert and change: no unique index can be added
/// while an older database still holds duplicates, so [`prefix_clashes`]
/// stops the start until they are fixed.
fn prefix_owner(
    conn: &mut DbConn,
    prefix: &str,
    except: Option<&str>,
) -> QueryResult<Option<String>> {
    controllers::table
        .filter(controllers::reference_prefix.eq(prefix))
        .filter(controllers::id.ne(except.unwrap_or("")))
        .select(controllers::slug)
        .first(conn)
        .optional()
}

/// The first of [`ReferencePrefix::alternatives`] no controller uses.
pub fn free_prefix(conn: &mut DbConn, slug: &Slug, taken: &ReferencePrefix) -> QueryResult<String> {
    let used: Vec<String> = controllers::table
        .select(controllers::reference_prefix)
        .load(conn)?;
    Ok(ReferencePrefix::alternatives(slug, taken)
        .map(|p| p.as_str().to_owned())
        .find(|p| !used.contains(p))
        .unwrap_or_else(|| "DSR".to_owned()))
}

/// A prefix two controllers share (stored before uniqueness was checked):
/// the controller that must change it, and a free one to propose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefixClash {
    pub prefix: String,
    pub keeper: String,
    pub slug: String,
    pub proposal: String,
}

/// Every shared prefix. The controller that keeps it is the one that
/// already issued references with it (the other could not: references are
/// unique), else the older one.
pub fn prefix_clashes(conn: &mut DbConn) -> QueryResult<Vec<PrefixClash>> {
    use crate::db::schema::requests;
    let all: Vec<(String, String, String, NaiveDateTime)> = controllers::table
        .order((controllers::created_at.asc(), controllers::id.asc()))
        .select((
            controllers::id,
            controllers::slug,
            controllers::reference_prefix,
            controllers::created_at,
        ))
        .load(conn)?;
    let mut clashes = Vec::new();
    for (i, (_, _, prefix, _)) in all.iter().enumerate() {
        if all[..i].iter().any(|(_, _, p, _)| p == prefix) {
            continue;
        }
        let sharing: Vec<&(String, String, String, NaiveDateTime)> =
            all.iter().filter(|(_, _, p, _)| p == prefix).collect();
        if sharing.len() < 2 {
            continue;
        }
        let mut keeper = sharing[0];
        for c in &sharing {
            let issued: i64 = requests::table
                .filter(requests::controller_id.eq(&c.0))
                .filter(requests::reference.is_not_null())
                .count()
                .get_result(conn)?;
            if issued > 0 {
                keeper = *c;
                break;
            }
        }
        for c in sharing.iter().filter(|c| c.0 != keeper.0) {
            let taken = ReferencePrefix::parse(prefix).unwrap_or_else(|_| {
                ReferencePrefix::from_slug(&Slug::parse(&c.1).expect("a stored slug"))
            });
            let slug = Slug::parse(&c.1).expect("a stored slug");
            let mut proposal = free_prefix(conn, &slug, &taken)?;
            // Two clashing controllers must not be told the same one.
            let proposed: Vec<&String> =
                clashes.iter().map(|k: &PrefixClash| &k.proposal).collect();
            if proposed.contains(&&proposal) {
                proposal = ReferencePrefix::alternatives(&slug, &taken)
                    .map(|p| p.as_str().to_owned())
                    .find(|p| *p != proposal && !proposed.contains(&p))
                    .unwrap_or(proposal);
            }
            clashes.push(PrefixClash {
                prefix: prefix.clone(),
                keeper: keeper.1.clone(),
                slug: c.1.clone(),
                proposal,
            });
        }
    }
    Ok(clashes)
}

/// Gives the controller `slug` a new reference prefix (the repair
/// [`prefix_clashes`] asks for); its next references use it, those already
/// issued keep theirs. Refused when another controller uses it.
pub fn set_reference_prefix(
    conn: &mut DbConn,
    slug: &str,
    prefix: &ReferencePrefix,
    now: NaiveDateTime,
) -> Result<Controller, CreateControllerError> {
    conn.transaction(|conn| {
        let c = find_by_slug(conn, slug)?.ok_or(diesel::result::Error::NotFound)?;
        if let Some(owner) = prefix_owner(conn, prefix.as_str(), Some(&c.id))? {
            let slug = Slug::parse(&c.slug).expect("a stored slug");
            return Err(CreateControllerError::DuplicatePrefix {
                taken: prefix.as_str().to_owned(),
                owner,
                proposal: free_prefix(conn, &slug, prefix)?,
            });
        }
        diesel::update(controllers::table.find(&c.id))
            .set((
                controllers::reference_prefix.eq(prefix.as_str()),
                controllers::updated_at.eq(now),
            ))
            .execute(conn)?;
        crate::audit::append(
            conn,
            now,
            crate::audit::NewEvent {
                actor: crate::audit::Actor::System,
                action: "controller.prefix_changed",
                controller_id: Some(&c.id),
                request_id: None,
                detail: format!("from={} to={}", c.reference_prefix, prefix.as_str()),
            },
        )?;
        Ok(find_by_id(conn, &c.id)?)
    })
}

pub fn find_by_id(conn: &mut DbConn, id: &ControllerId) -> QueryResult<Controller> {
    controllers::table
        .find(id)
        .select(Controller::as_select())
        .first(conn)
}

pub fn find_by_slug(conn: &mut DbConn, slug: &str) -> QueryResult<Option<Controller>> {
    controllers::table
        .filter(controllers::slug.eq(slug))
        .select(Controller::as_select())
        .first(conn)
        .optional()
}

pub fn list(conn: &mut DbConn) -> QueryResult<Vec<Controller>> {
    controllers::table
        .order(controllers::slug.asc())
        .select(Controller::as_select())
        .load(conn)
}

impl Controller {
    /// The calendar day an instant falls on for this controller: a letter
    /// received at 23:30 UTC on the 31st was received on the 1st in Paris.
    pub fn local_date(&self, instant: NaiveDateTime) -> chrono::NaiveDate {
        use chrono::TimeZone;
        self.time_zone().from_utc_datetime(&instant).date_naive()
    }

    /// Kinds for which the form requires an identity proof.
    pub fn proof_required_for(&self) -> Vec<crate::domain::request::RequestKind> {
        self.proof_required_kinds
            .split(',')
            .filter_map(|k| k.trim().parse().ok())
            .collect()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum UpdateRetentionError {
    /// The schedule breaks the privacy policy's floor or ceiling, or has a
    /// value that can only be a typing mistake; every problem is listed.
    #[error("retention settings refused: {}", join_setting_errors(.0))]
    Invalid(Vec<crate::domain::retention::SettingError>),
    #[error("no such controller")]
    NotFound,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

fn join_setting_errors(errors: &[crate::domain::retention::SettingError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Replaces a controller's retention settings after
/// [`RetentionSettings::validate`]: a refused schedule changes nothing. Used
/// by `dsr-tracker controller settings` and the administrator's page; the
/// caller appends the audit event in the same transaction
/// (`purge::settings::change` does both).
pub fn update_retention(
    conn: &mut DbConn,
    controller_id: &ControllerId,
    settings: &RetentionSettings,
    now: NaiveDateTime,
) -> Result<Controller, UpdateRetentionError> {
    settings.validate().map_err(UpdateRetentionError::Invalid)?;
    let updated = diesel::update(controllers::table.find(controller_id))
        .set((
            controllers::proof_retention_months.eq(i64::from(settings.proof_months)),
            controllers::objection_retention_months.eq(i64::from(settings.objection_months)),
            controllers::suppression_retention_months.eq(i64::from(settings.suppression_months)),
            controllers::connection_data_retention_months
                .eq(i64::from(settings.connection_data_months)),
            controllers::unconfirmed_retention_days.eq(i64::from(settings.unconfirmed_days)),
            controllers::delete_proof_on_identity_accepted
                .eq(settings.delete_proof_on_identity_accepted),
            controllers::updated_at.eq(now),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Err(UpdateRetentionError::NotFound);
    }
    Ok(find_by_id(conn, controller_id)?)
}

/// Sets a controller's time zone (creation defaults to Europe/Paris); the
/// value is a valid IANA name, checked by the caller's parse.
pub fn set_time_zone(
    conn: &mut DbConn,
    controller_id: &ControllerId,
    tz: chrono_tz::Tz,
    now: NaiveDateTime,
) -> QueryResult<Controller> {
    diesel::update(controllers::table.find(controller_id))
        .set((
            controllers::time_zone.eq(tz.name()),
            controllers::updated_at.eq(now),
        ))
        .execute(conn)?;
    find_by_id(conn, controller_id)
}
