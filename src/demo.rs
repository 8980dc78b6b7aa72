//! `dsr-tracker demo seed`: a realistic queue to try the desk on — requests
//! of every kind, channel and status, some overdue, some due this week, some
//! waiting for the citizen, some extended, some closed (with their answer,
//! a few under legal hold) — all computed with the real
//! deadline rules, for a controller of its own so no real data is touched.

use chrono::{Datelike, NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::audit::{self, Actor, NewEvent};
use crate::db::DbConn;
use crate::db::schema::requests as r;
use crate::domain::request::{Channel, Outcome, RequestKind, Status};
use crate::domain::values::{EmailAddress, Locale, ReferencePrefix, Slug};
use crate::store::controllers::{self, Controller, NewController};
use crate::store::messages::{self, Direction};
use crate::store::requests::{self, NewRequest};

const FIRST_NAMES: [&str; 12] = [
    "Camille", "Léa", "Hugo", "Chloé", "Louis", "Manon", "Gabriel", "Inès", "Jules", "Zoé",
    "Arthur", "Éloïse",
];
const LAST_NAMES: [&str; 12] = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Lefèvre",
];
const SERVICES: [&str; 6] = [
    "inscription à la cantine scolaire",
    "liste électorale",
    "état civil",
    "médiathèque municipale",
    "lettre d'information de la ville",
    "stationnement résidentiel",
];

const EXTENSION_REASON: &str =
    "Demande portant sur plusieurs services : délai nécessaire pour rassembler les données.";
const LEGAL_HOLD_REASON: &str = "Recours contentieux en cours devant le tribunal administratif.";

/// The statuses a seeded request ends in, in rotation.
const STATUSES: [Status; 5] = [
    Status::Received,
    Status::InProgress,
    Status::AwaitingInformation,
    Status::Closed,
    Status::Withdrawn,
];

/// The demo controller, created on first use.
pub fn demo_controller(
    conn: &mut DbConn,
    slug: &str,
    now: NaiveDateTime,
) -> anyhow::Result<Controller> {
    if let Some(c) = controllers::find_by_slug(conn, slug)? {
        return Ok(c);
    }
    let slug = Slug::parse(slug)?;
    Ok(controllers::create(
        conn,
        &NewController {
            reference_prefix: ReferencePrefix::from_slug(&slug),
            slug,
            name: "Ville de Démo".into(),
            dpo_email: EmailAddress::parse("dpo@demo.example")?,
            postal_address: Some("1 place de la Mairie\n00000 Démo".into()),
            locale: Locale::Fr,
        },
        now,
    )?)
}

/// Seeds `count` requests into `controller`; returns how many were made.
pub fn seed(
    conn: &mut DbConn,
    controller: &Controller,
    count: usize,
    now: NaiveDateTime,
) -> anyhow::Result<usize> {
    conn.transaction::<_, anyhow::Error, _>(|conn| {
        for i in 0..count {
            let kind = RequestKind::ALL[i % RequestKind::ALL.len()];
            let channel = [Channel::Web, Channel::Web, Channel::Email, Channel::Post][i % 4];
            let status = STATUSES[(i / 7) % STATUSES.len()];
            // Received between 0 and 75 days ago: some overdue, some due soon.
            let received =
                now - TimeDelta::days(((i * 37) % 76) as i64) - TimeDelta::hours((i % 9) as i64);
            let first = FIRST_NAMES[i % FIRST_NAMES.len()];
            let last = LAST_NAMES[(i / 3) % LAST_NAMES.len()];
            let year = controller.local_date(received).year();
            let number = requests::next_reference_number(conn, &controller.id, year)?;
            let reference = ReferencePrefix::parse(&controller.reference_prefix)
                .map(|p| p.reference(year, number))
                .unwrap_or_else(|_| format!("DEMO-{year}-{number:04}"));
            let email = format!("{}.{}{}@example.org", ascii(first), ascii(last), i);
            let request = requests::insert(
                conn,
                &NewRequest {
                    controller_id: controller.id.clone(),
                    kind,
                    channel,
                    status: Status::Received,
                    locale: if i % 10 == 9 { Locale::En } else { Locale::Fr },
                    first_name: first.into(),
                    last_name: last.into(),
                    email: (channel != Channel::Post || i % 2 == 0).then_some(email),
                    postal_address: (channel == Channel::Post)
                        .then(|| format!("{} rue de la République\n00000 Démo", 1 + i % 90)),
                    details: format!("Demande concernant : {}.", SERVICES[i % SERVICES.len()]),
                    objection_grounds: kind.requires_grounds().then(|| {
                        "Je déménage et ne souhaite plus figurer dans ce fichier.".to_owned()
                    }),
                    submitted_at: received,
                    received_at: Some(received),
                    due_on: None,
                    reference: Some(reference),
                    confirm_token_hash: None,
                    confirm_token_expires_at: None,
                    status_token_hash: None,
                    submitter_ip: None,
                    submitter_user_agent: None,
                },
            )?;
            let mut closed_at = None;
            let mut outcome = None;
            let mut identity_accepted_at = None;
            match status {
                Status::InProgress => identity_accepted_at = Some(received + TimeDelta::days(2)),
                Status::AwaitingInformation => {
                    let asked = received + TimeDelta::days(3);
                    requests::start_suspension(conn, &request.id, asked.min(now))?;
                    messages::add(
                        conn,
                        &request.id,
                        Direction::ToCitizen,
                        None,
                        "Merci de nous transmettre une copie d'un justificatif d'identité.",
                        asked.min(now),
                    )?;
                }
                Status::Closed => {
                    identity_accepted_at = Some(received + TimeDelta::days(1));
                    closed_at = Some((received + TimeDelta::days(20)).min(now));
                    outcome = Some(
                        [
                            Outcome::Granted,
                            Outcome::PartiallyGranted,
                            Outcome::Refused,
                        ][i % 3],
                    );
                }
                Status::Withdrawn => closed_at = Some((received + TimeDelta::days(5)).min(now)),
                _ => {}
            }
            // Every third request being worked on was extended, during its
            // first month as the rules require: the desk shows extensions
            // too, not only plain deadlines.
            if status == Status::InProgress && (i / 7) % 3 == 0 {
                let months = 1 + (i % 2) as i64;
                diesel::update(r::table.find(&request.id))
                    .set((
                        r::extension_months.eq(months),
                        r::extension_reason.eq(EXTENSION_REASON),
                        r::extended_at.eq((received + TimeDelta::days(10)).min(now)),
                    ))
                    .execute(conn)?;
            }
            if let (Some(at), Some(o)) = (closed_at, outcome) {
                // The answer the citizen received, as the close action
                // stores it, so a closed request reads like one.
                messages::add(conn, &request.id, Direction::ToCitizen, None, answer(o), at)?;
                if i % 4 == 0 {
                    diesel::update(r::table.find(&request.id))
                        .set((
                            r::legal_hold.eq(true),
                            r::legal_hold_reason.eq(LEGAL_HOLD_REASON),
                            r::legal_hold_at.eq(at),
                        ))
                        .execute(conn)?;
                }
            }
            let fresh = requests::find(conn, &request.id)?;
            let due_on = requests::compute_due_on(conn, &fresh, controller, now)?;
            let refused = outcome == Some(Outcome::Refused);
            diesel::update(r::table.find(&request.id))
                .set((
                    r::status.eq(status),
                    r::confirmed_at.eq((channel == Channel::Web).then_some(received)),
                    r::due_on.eq(due_on),
                    r::identity_accepted_at.eq(identity_accepted_at),
                    r::closed_at.eq(closed_at),
                    r::outcome.eq(outcome),
                    r::refusal_ground.eq(refused.then_some("no_data_held")),
                ))
                .execute(conn)?;
        }
        audit::append(
            conn,
            now,
            NewEvent {
                actor: Actor::System,
                action: "demo.seeded",
                controller_id: Some(&controller.id),
                request_id: None,
                detail: format!("requests={count}"),
            },
        )?;
        Ok(count)
    })
}

/// A short answer of each outcome, in the words the templates use.
fn answer(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Granted => {
            "Nous avons fait droit à votre demande. Vous trouverez ci-joint les informations demandées."
        }
        Outcome::PartiallyGranted => {
            "Nous avons fait droit à une partie de votre demande ; pour le reste, les motifs figurent ci-dessous. Vous pouvez saisir la CNIL (www.cnil.fr) et former un recours juridictionnel."
        }
        Outcome::Refused => {
            "Nous ne détenons aucune donnée vous concernant. Vous pouvez saisir la CNIL (www.cnil.fr) et former un recours juridictionnel."
        }
    }
}

/// `Éloïse` → `eloise`, for made-up addresses.
fn ascii(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'É' => 'e',
            'ï' | 'î' => 'i',
            'ô' => 'o',
            other => other.to_ascii_lowercase(),
        })
        .filter(char::is_ascii_alphanumeric)
        .collect()
}
