//! The command line: `serve` (the default) and the operator's tools. Each
//! command validates all of its input before it writes anything, and a
//! refusal is one line on stderr with a non-zero exit.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, anyhow, bail};
use clap::{Parser, Subcommand};
use diesel::Connection;

use crate::audit::{self, Actor, ChainReport, NewEvent};
use crate::clock::{self, SharedClock};
use crate::config::{Config, Settings};
use crate::db::{self, DbConn, Pool};
use crate::domain::values::{self, EmailAddress, Locale, ReferencePrefix, Role, Slug};
use crate::security::keys::{self, KeyOrigin};
use crate::security::password;
use crate::store::{controllers, staff};
use crate::web::{AppState, Application};

#[derive(Debug, Parser)]
#[command(
    name = "dsr-tracker",
    version,
    about = "Citizens' GDPR requests to a public body: intake, DPO desk, deadlines and retention purge.",
    long_about = None,
    after_help = "Every option can also be set with the environment variable shown, or in the TOML \
file given with --config (keys are the option names with underscores, e.g. database_url). \
Flags win over environment variables, which win over the file."
)]
pub struct Cli {
    /// Optional TOML configuration file.
    #[arg(long, short = 'c', env = "DSR_CONFIG", global = true)]
    pub config: Option<PathBuf>,

    #[command(flatten)]
    pub settings: Settings,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web service (the default): applies migrations, then serves.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage controllers (the public bodies requests are addressed to).
    #[command(subcommand)]
    Controller(ControllerCommand),
    /// Manage staff accounts. Passwords are read from a prompt or stdin, never from arguments.
    #[command(subcommand)]
    Staff(StaffCommand),
    /// The tamper-evident audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Apply the retention schedule once and print what was purged, per rule and controller.
    Purge(crate::purge::cli::PurgeArgs),
    /// The suppression list of objections to direct marketing.
    #[command(subcommand)]
    Suppression(crate::purge::cli::SuppressionCommand),
}

#[derive(Debug, Subcommand)]
pub enum ControllerCommand {
    /// Create a controller with its public form at /c/SLUG/.
    Add {
        /// URL identifier: lowercase letters, digits and hyphens (e.g. issy).
        #[arg(long)]
        slug: String,
        /// Name shown to citizens (e.g. "Ville d'Issy-les-Moulineaux").
        #[arg(long)]
        name: String,
        /// Contact address of the data protection officer.
        #[arg(long)]
        dpo_email: String,
        /// Postal address for requests by letter.
        #[arg(long)]
        postal_address: Option<String>,
        /// Default language of the form and e-mails.
        #[arg(long, default_value = "fr")]
        locale: String,
        /// Letters in request references (default: the slug's first word in capitals).
        #[arg(long)]
        reference_prefix: Option<String>,
    },
    /// List controllers.
    List,
    /// Show a controller's retention settings with their legal basis, or change them.
    Settings(crate::purge::cli::SettingsArgs),
}

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Create a staff account; the password is prompted for (or read from stdin).
    Add {
        #[arg(long)]
        email: String,
        /// admin (controllers, staff, settings), dpo (handles requests) or viewer (reads).
        #[arg(long)]
        role: String,
        /// Slug of a controller this account may see; repeat for several. An
        /// admin with none administers every controller.
        #[arg(long = "controller")]
        controllers: Vec<String>,
    },
    /// List staff accounts with their role and scope.
    List,
    /// Disable an account and end its sessions at once.
    Disable {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain; exits non-zero if any event was edited, deleted or reordered.
    Verify,
}

/// Entry point used by `main`: runs the command, returns what to print on failure.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load(cli.settings, cli.config.as_deref())?;
    let clock = clock::system();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config, clock),
        Command::Migrate => {
            let pool = open_database(&config)?;
            drop(pool);
            println!(
                "database is up to date ({})",
                config.database_url.redacted()
            );
            Ok(())
        }
        Command::Controller(cmd) => controller_command(&config, &clock, cmd),
        Command::Staff(cmd) => staff_command(&config, &clock, cmd),
        Command::Audit(AuditCommand::Verify) => {
            let pool = open_database(&config)?;
            let mut conn = pool.get()?;
            match audit::verify(&mut conn)? {
                ChainReport::Intact { events } => {
                    println!("audit chain intact: {events} events");
                    Ok(())
                }
                ChainReport::Broken { at_seq, reason } => {
                    bail!("audit chain broken at event {at_seq}: {reason}")
                }
            }
        }
        Command::Purge(args) => crate::purge::cli::purge(&config, &clock, args),
        Command::Suppression(cmd) => crate::purge::cli::suppression_command(&config, cmd),
    }
}

/// Opens the pool and applies pending migrations, so every command works
/// on a fresh database.
pub fn open_database(config: &Config) -> anyhow::Result<Pool> {
    let pool = db::build_pool(&config.database_url, config.db_pool_size).with_context(|| {
        format!(
            "cannot connect to the database {}",
            config.database_url.redacted()
        )
    })?;
    let mut conn = pool.get()?;
    let applied = db::run_migrations(&mut conn)?;
    for name in applied {
        tracing::info!(migration = %name, "applied migration");
    }
    Ok(pool)
}

fn serve(config: Config, clock: SharedClock) -> anyhow::Result<()> {
    let pool = open_database(&config)?;
    let (master_key, origin) = keys::load_master_key(&config.master_key)?;
    match origin {
        KeyOrigin::Generated => tracing::warn!(
            key_id = master_key.id(),
            "NO MASTER KEY WAS CONFIGURED: generated a new one in {}. Identity proofs are \
             encrypted with it: back it up apart from the database, or they are lost with it.",
            config.data_dir.join("master.key").display()
        ),
        KeyOrigin::File | KeyOrigin::Inline => {
            tracing::info!(key_id = master_key.id(), "master key loaded")
        }
    }
    let state = AppState {
        pool,
        config: Arc::new(config),
        clock,
        master_key: Arc::new(master_key),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        // actix-web's server already stops gracefully on SIGINT/SIGTERM,
        // finishing requests in flight (up to 30 s).
        let app = Application::build(state.clone())?;
        let _nightly_purge = crate::purge::scheduler::spawn(&state);
        tracing::info!(
            "dsr-tracker listening on {} (public URL {}, database {})",
            state.config.bind_addr.ip().to_string() + ":" + &app.port.to_string(),
            state.config.public_url,
            state.config.database_url.redacted()
        );
        app.server.await?;
        tracing::info!("dsr-tracker stopped");
        anyhow::Ok(())
    })
}

fn controller_command(
    config: &Config,
    clock: &SharedClock,
    cmd: ControllerCommand,
) -> anyhow::Result<()> {
    match cmd {
        ControllerCommand::Add {
            slug,
            name,
            dpo_email,
            postal_address,
            locale,
            reference_prefix,
        } => {
            let slug = Slug::parse(&slug)?;
            let name = values::single_line(&name, 200).map_err(|e| anyhow!("--name: {e}"))?;
            let dpo_email =
                EmailAddress::parse(&dpo_email).map_err(|e| anyhow!("--dpo-email: {e}"))?;
            let postal_address = postal_address
                .map(|a| values::multi_line(&a, 500))
                .transpose()
                .map_err(|e| anyhow!("--postal-address: {e}"))?
                .filter(|a| !a.is_empty());
            let locale: Locale = locale.parse()?;
            let reference_prefix = match reference_prefix {
                Some(p) => ReferencePrefix::parse(&p)?,
                None => ReferencePrefix::from_slug(&slug),
            };
            let new = controllers::NewController {
                slug,
                name,
                reference_prefix,
                dpo_email,
                postal_address,
                locale,
            };
            let pool = open_database(config)?;
            let mut conn = pool.get()?;
            let now = clock.now();
            let created = conn.transaction::<_, anyhow::Error, _>(|conn| {
                let c = controllers::create(conn, &new, now)?;
                audit::append(
                    conn,
                    now,
                    NewEvent {
                        actor: Actor::System,
                        action: "controller.created",
                        controller_id: Some(&c.id),
                        request_id: None,
                        detail: "cli".into(),
                    },
                )?;
                Ok(c)
            })?;
            println!(
                "created controller {} ({}), form at {}/c/{}/",
                created.slug, created.reference_prefix, config.public_url, created.slug
            );
            Ok(())
        }
        ControllerCommand::Settings(args) => crate::purge::cli::settings(config, clock, args),
        ControllerCommand::List => {
            let pool = open_database(config)?;
            let mut conn = pool.get()?;
            let all = controllers::list(&mut conn)?;
            if all.is_empty() {
                println!("no controllers yet: add one with `dsr-tracker controller add`");
            }
            for c in all {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    c.slug, c.reference_prefix, c.locale, c.dpo_email, c.name
                );
            }
            Ok(())
        }
    }
}

fn staff_command(config: &Config, clock: &SharedClock, cmd: StaffCommand) -> anyhow::Result<()> {
    match cmd {
        StaffCommand::Add {
            email,
            role,
            controllers: slugs,
        } => {
            let email = EmailAddress::parse(&email).map_err(|e| anyhow!("--email: {e}"))?;
            let role: Role = role.parse()?;
            if role != Role::Admin && slugs.is_empty() {
                bail!(
                    "a {} account needs at least one --controller SLUG",
                    role.as_str()
                );
            }
            let pool = open_database(config)?;
            let mut conn = pool.get()?;
            let controller_ids = resolve_slugs(&mut conn, &slugs)?;
            if staff::find_by_email(&mut conn, &email.normalized())?.is_some() {
                bail!(
                    "a staff account with e-mail {} already exists",
                    email.normalized()
                );
            }
            let password = read_new_password()?;
            let hash = password::hash(&password);
            let now = clock.now();
            let member = conn.transaction::<_, anyhow::Error, _>(|conn| {
                let m = staff::create(conn, &email, role, &hash, &controller_ids, now)?;
                audit::append(
                    conn,
                    now,
                    NewEvent {
                        actor: Actor::System,
                        action: "staff.created",
                        controller_id: None,
                        request_id: None,
                        detail: format!("staff={} role={} via=cli", m.id, role.as_str()),
                    },
                )?;
                Ok(m)
            })?;
            println!("created {} account {}", member.role, member.email);
            Ok(())
        }
        StaffCommand::List => {
            let pool = open_database(config)?;
            let mut conn = pool.get()?;
            let all = staff::list_with_scopes(&mut conn)?;
            if all.is_empty() {
                println!("no staff accounts yet: add one with `dsr-tracker staff add`");
            }
            for (m, scopes) in all {
                let scope = if scopes.is_empty() {
                    if m.role() == Role::Admin {
                        "(all controllers)".to_owned()
                    } else {
                        "(none)".to_owned()
                    }
                } else {
                    scopes.join(",")
                };
                let state = if m.disabled { "disabled" } else { "active" };
                println!("{}\t{}\t{}\t{}", m.email, m.role, state, scope);
            }
            Ok(())
        }
        StaffCommand::Disable { email } => {
            let email = EmailAddress::parse(&email).map_err(|e| anyhow!("--email: {e}"))?;
            let pool = open_database(config)?;
            let mut conn = pool.get()?;
            let now = clock.now();
            let disabled = conn.transaction::<_, anyhow::Error, _>(|conn| {
                let Some(m) = staff::disable(conn, &email.normalized(), now)? else {
                    return Ok(None);
                };
                audit::append(
                    conn,
                    now,
                    NewEvent {
                        actor: Actor::System,
                        action: "staff.disabled",
                        controller_id: None,
                        request_id: None,
                        detail: format!("staff={} via=cli", m.id),
                    },
                )?;
                Ok(Some(m))
            })?;
            match disabled {
                Some(m) => {
                    println!("disabled {} and ended its sessions", m.email);
                    Ok(())
                }
                None => bail!("no staff account with e-mail {}", email.normalized()),
            }
        }
    }
}

fn resolve_slugs(conn: &mut DbConn, slugs: &[String]) -> anyhow::Result<Vec<String>> {
    let mut ids = Vec::new();
    for raw in slugs {
        let slug = Slug::parse(raw)?;
        let Some(c) = controllers::find_by_slug(conn, slug.as_str())? else {
            bail!("unknown controller `{slug}` (see `dsr-tracker controller list`)");
        };
        if !ids.contains(&c.id) {
            ids.push(c.id);
        }
    }
    Ok(ids)
}

/// Prompts twice on a terminal; otherwise reads one line from stdin (for
/// scripts: `printf '%s\n' "$PW" | dsr-tracker staff add …`).
fn read_new_password() -> anyhow::Result<String> {
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let second = rpassword::prompt_password("Password again: ")?;
        if first != second {
            bail!("the two passwords differ");
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    password::check_policy(&password)?;
    Ok(password)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn no_subcommand_means_serve() {
        let cli = Cli::try_parse_from(["dsr-tracker"]).unwrap();
        assert!(cli.command.is_none());
        let cli = Cli::try_parse_from([
            "dsr-tracker",
            "staff",
            "add",
            "--email",
            "a@b.fr",
            "--role",
            "dpo",
            "--controller",
            "issy",
            "--controller",
            "vanves",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Staff(StaffCommand::Add { ref controllers, .. })) if controllers.len() == 2
        ));
    }

    #[test]
    fn passwords_cannot_be_given_as_arguments() {
        assert!(
            Cli::try_parse_from([
                "dsr-tracker",
                "staff",
                "add",
                "--email",
                "a@b.fr",
                "--role",
                "admin",
                "--password",
                "x"
            ])
            .is_err()
        );
    }
}
