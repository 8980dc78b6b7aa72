//! The retention commands of the command line: `purge`, `controller
//! settings` and `suppression check`. `src/cli.rs` only routes to them.

use std::io::IsTerminal;

use anyhow::{Context, anyhow, bail};
use chrono::{DateTime, NaiveDateTime, SubsecRound, TimeDelta};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use super::lock::PurgeLock;
use super::settings::{flag_of, unit_of, value_of};
use super::{Progress, PurgeOptions, Trigger};
use crate::audit::Actor;
use crate::clock::SharedClock;
use crate::config::{Config, MasterKeySource};
use crate::db::open_database;
use crate::domain::retention::{RetentionSettings, SettingError, SettingField};
use crate::domain::values::Slug;
use crate::security::keys::{self, MasterKey};
use crate::store::controllers::{self, Controller, UpdateRetentionError};
use crate::store::suppression;

/// Below this many candidates no progress bar is drawn: the run is over
/// before anyone would read it.
pub const PROGRESS_BAR_FROM: u64 = 1000;

/// `dsr-tracker purge`.
#[derive(Debug, Clone, Args)]
pub struct PurgeArgs {
    /// Count what would be purged and change nothing (the run is still
    /// recorded in purge_runs, marked as a dry run).
    #[arg(long)]
    pub dry_run: bool,
    /// Apply the schedule as of this instant (RFC 3339, e.g.
    /// 2027-03-11T03:00:00+01:00) instead of now: what a future date would purge.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Only this controller (slug). Staff login records and sessions are
    /// purged by every run, with the strictest controller's period.
    #[arg(long, value_name = "SLUG")]
    pub controller: Option<String>,
}

/// `dsr-tracker controller settings`.
#[derive(Debug, Clone, Args)]
pub struct SettingsArgs {
    /// The controller.
    #[arg(long)]
    pub slug: String,
    /// Identity proofs and personal data of access, rectification, erasure,
    /// restriction and portability requests, months after closure (1-120).
    #[arg(long, value_name = "N")]
    pub proof_retention_months: Option<u32>,
    /// Identity proofs and case file of objections, months after closure (1-120).
    #[arg(long, value_name = "N")]
    pub objection_retention_months: Option<u32>,
    /// Suppression-list entries (objections to marketing), months; at least 36.
    #[arg(long, value_name = "N")]
    pub suppression_retention_months: Option<u32>,
    /// IP addresses, user agents and login records, months; at most 13.
    #[arg(long, value_name = "N")]
    pub connection_data_retention_months: Option<u32>,
    /// Grace period of unconfirmed web submissions, days (1-90).
    #[arg(long, value_name = "N")]
    pub unconfirmed_retention_days: Option<u32>,
    /// Delete identity proofs as soon as the identity is accepted.
    #[arg(long, value_name = "true|false")]
    pub delete_proof_on_identity_accepted: Option<bool>,
}

impl SettingsArgs {
    fn any_value(&self) -> bool {
        self.proof_retention_months.is_some()
            || self.objection_retention_months.is_some()
            || self.suppression_retention_months.is_some()
            || self.connection_data_retention_months.is_some()
            || self.unconfirmed_retention_days.is_some()
            || self.delete_proof_on_identity_accepted.is_some()
    }

    fn apply_to(&self, current: &RetentionSettings) -> RetentionSettings {
        RetentionSettings {
            proof_months: self.proof_retention_months.unwrap_or(current.proof_months),
            objection_months: self
                .objection_retention_months
                .unwrap_or(current.objection_months),
            suppression_months: self
                .suppression_retention_months
                .unwrap_or(current.suppression_months),
            connection_data_months: self
                .connection_data_retention_months
                .unwrap_or(current.connection_data_months),
            unconfirmed_days: self
                .unconfirmed_retention_days
                .unwrap_or(current.unconfirmed_days),
            delete_proof_on_identity_accepted: self
                .delete_proof_on_identity_accepted
                .unwrap_or(current.delete_proof_on_identity_accepted),
        }
    }
}

/// `dsr-tracker suppression …`.
#[derive(Debug, Clone, Subcommand)]
pub enum SuppressionCommand {
    /// Whether an address objected to direct marketing: prints "suppressed"
    /// or "not suppressed" (exit 0 either way).
    Check {
        /// The controller (slug).
        #[arg(long, value_name = "SLUG")]
        controller: String,
        /// The e-mail address (compared trimmed and lowercased).
        email: String,
    },
}

/// Parses `--now`; instants are kept to the microsecond like the clock's.
pub fn parse_now(text: &str) -> anyhow::Result<NaiveDateTime> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.naive_utc().trunc_subsecs(6))
        .map_err(|e| {
            anyhow!("--now: `{text}` is not an RFC 3339 instant (e.g. 2027-03-11T03:00:00Z): {e}")
        })
}

pub fn purge(config: &Config, clock: &SharedClock, args: PurgeArgs) -> anyhow::Result<()> {
    let now = match &args.now {
        Some(text) => parse_now(text)?,
        None => clock.now(),
    };
    if let Some(slug) = &args.controller {
        Slug::parse(slug).map_err(|e| anyhow!("--controller: {e}"))?;
    }
    let pool = open_database(&config.database_url, config.db_pool_size)?;
    let Some(_lock) = PurgeLock::try_acquire(&config.database_url)? else {
        println!("another purge is running");
        return Ok(());
    };
    if !args.dry_run && now > clock.now() + TimeDelta::minutes(1) {
        eprintln!(
            "warning: --now is in the future: data is purged ahead of its retention schedule"
        );
    }
    let mut conn = pool.get()?;
    let options = PurgeOptions {
        dry_run: args.dry_run,
        controller: args.controller.clone(),
        trigger: Trigger::Cli,
        clock: clock.clone(),
        mail_dir: Some(config.mail_dir()),
        ..PurgeOptions::default()
    };
    let terminal = std::io::stderr().is_terminal();
    let mut bar: Option<ProgressBar> = None;
    let mut done = 0_u64;
    let mut progress = |p: Progress<'_>| match p {
        Progress::Planned { total } => match &bar {
            Some(b) => b.set_length(total),
            None if terminal && total.saturating_sub(done) >= PROGRESS_BAR_FROM => {
                let b = ProgressBar::new(total);
                b.set_style(
                    ProgressStyle::with_template(
                        "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} ({per_sec}, eta {eta}) {msg}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                b.set_position(done);
                bar = Some(b);
            }
            None => {}
        },
        Progress::Advanced {
            controller,
            rule,
            items,
        } => {
            done += items;
            if let Some(b) = &bar {
                b.set_message(format!("{controller} {rule}"));
                b.inc(items);
            }
        }
    };
    let report = super::run(&mut conn, now, &options, &mut progress)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    print!("{}", report.render_table());
    Ok(())
}

fn find_controller(
    conn: &mut crate::db::DbConn,
    raw_slug: &str,
    flag: &str,
) -> anyhow::Result<Controller> {
    let slug = Slug::parse(raw_slug).map_err(|e| anyhow!("{flag}: {e}"))?;
    controllers::find_by_slug(conn, slug.as_str())?
        .ok_or_else(|| anyhow!("unknown controller `{slug}` (see `dsr-tracker controller list`)"))
}

/// One line naming every refused value by its flag.
fn refusal_line(slug: &str, errors: &[SettingError]) -> String {
    let parts: Vec<String> = errors
        .iter()
        .map(|e| {
            let flag = e
                .field
                .parse::<SettingField>()
                .map(flag_of)
                .unwrap_or(e.field);
            format!(
                "{flag} {}",
                crate::i18n::Tr::new(crate::i18n::Locale::En).setting_error(e)
            )
        })
        .collect();
    format!(
        "retention settings of {slug} refused, nothing was changed: {}",
        parts.join("; ")
    )
}

fn print_settings(c: &Controller) {
    let s = c.retention();
    println!("retention settings of {} ({})", c.slug, c.name);
    for field in SettingField::ALL {
        let unit = unit_of(field);
        let value = value_of(&s, field);
        // The command line speaks English; the words are the settings page's.
        let basis =
            crate::i18n::Tr::new(crate::i18n::Locale::En).desk_setting_basis(field.as_str());
        if unit.is_empty() {
            println!("{} {value}", flag_of(field));
        } else {
            println!("{} {value} {unit}", flag_of(field));
        }
        println!("    {basis}");
    }
}

pub fn settings(config: &Config, clock: &SharedClock, args: SettingsArgs) -> anyhow::Result<()> {
    let pool = open_database(&config.database_url, config.db_pool_size)?;
    let mut conn = pool.get()?;
    let c = find_controller(&mut conn, &args.slug, "--slug")?;
    if !args.any_value() {
        print_settings(&c);
        return Ok(());
    }
    let wanted = args.apply_to(&c.retention());
    match super::settings::change(&mut conn, &c.id, &wanted, Actor::System, clock.now()) {
        Ok(updated) => {
            println!("updated the retention settings of {}", updated.slug);
            print_settings(&updated);
            Ok(())
        }
        Err(UpdateRetentionError::Invalid(errors)) => bail!(refusal_line(&c.slug, &errors)),
        Err(e) => Err(e.into()),
    }
}

/// The master key that seals the suppression list's key. Unlike `serve`, a
/// command that only reads never generates one: a fresh key would make
/// every entry unrecognisable and answer "not suppressed" for everyone.
fn existing_master_key(config: &Config) -> anyhow::Result<MasterKey> {
    if let MasterKeySource::DefaultFile(path) = &config.master_key
        && !path.exists()
    {
        bail!(
            "no master key at {}: the suppression list's key is sealed under it (run `serve` \
             once, or set MASTER_KEY_FILE or MASTER_KEY)",
            path.display()
        );
    }
    Ok(keys::load_master_key(&config.master_key)?.0)
}

pub fn suppression_command(
    config: &Config,
    clock: &SharedClock,
    cmd: SuppressionCommand,
) -> anyhow::Result<()> {
    match cmd {
        SuppressionCommand::Check { controller, email } => {
            if suppression::normalise(&email).is_empty() {
                bail!("EMAIL must not be empty");
            }
            let pool = open_database(&config.database_url, config.db_pool_size)?;
            let mut conn = pool.get()?;
            let c = find_controller(&mut conn, &controller, "--controller")?;
            let key = suppression::load_key(&mut conn, &existing_master_key(config)?, clock.now())
                .context("cannot read the suppression list's key")?;
            let listed = suppression::is_suppressed(&mut conn, &key, &c.id, &email)
                .context("cannot read the suppression list")?;
            println!(
                "{}",
                if listed {
                    "suppressed"
                } else {
                    "not suppressed"
                }
            );
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_is_rfc3339_in_utc() {
        let t = parse_now("2027-03-11T03:00:00+01:00").unwrap();
        assert_eq!(t.to_string(), "2027-03-11 02:00:00");
        assert!(parse_now("2027-03-11").is_err());
        assert!(
            parse_now("tomorrow")
                .unwrap_err()
                .to_string()
                .contains("--now")
        );
    }

    #[test]
    fn refusals_name_the_flag() {
        let wrong = RetentionSettings {
            suppression_months: 24,
            connection_data_months: 14,
            ..RetentionSettings::default()
        };
        let line = refusal_line("issy", &wrong.validate().unwrap_err());
        assert!(line.contains("--suppression-retention-months must be at least 36 months"));
        assert!(line.contains("--connection-data-retention-months must be at most 13 months"));
        assert!(!line.contains('\n'));
    }
}
