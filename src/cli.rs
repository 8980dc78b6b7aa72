//! The command line: `serve` (the default) and the operator's tools. Each
//! command validates all of its input before it writes anything, and a
//! refusal is one line on stderr with a non-zero exit.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

use anyhow::{Context, anyhow, bail};
use clap::{Parser, Subcommand};
use diesel::Connection;

use crate::audit::{self, Actor, ChainReport, NewEvent};
use crate::clock::{self, SharedClock};
use crate::config::{Config, Settings};
use crate::db::open_database;
use crate::db::{DbConn, Pool};
use crate::domain::ids::{ControllerId, ProofId};
use crate::domain::values::{self, EmailAddress, Locale, ReferencePrefix, Role, Slug};
use crate::security::keys::{self, KeyOrigin};
use crate::security::password;
use crate::server::Application;
use crate::store::{controllers, staff};
use crate::web::AppState;

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
    /// API tokens (for `/api/v1/…`): create, list, revoke. A token acts with
    /// its staff member's role and controllers.
    #[command(subcommand)]
    Token(TokenCommand),
    /// The tamper-evident audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Demonstration data for trying the desk.
    #[command(subcommand)]
    Demo(DemoCommand),
    /// The master key that encrypts identity proofs: status, new key, rotation.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Apply the retention schedule once and print what was purged, per rule and controller.
    Purge(crate::purge::cli::PurgeArgs),
    /// The suppression list of objections to direct marketing.
    #[command(subcommand)]
    Suppression(crate::purge::cli::SuppressionCommand),
    /// The DPOs' daily digest e-mail.
    #[command(subcommand)]
    Digest(DigestCommand),
}

#[derive(Debug, Subcommand)]
pub enum DigestCommand {
    /// Queue today's digest now, whatever DIGEST_HOUR, for every DPO who has
    /// not had it today; prints counts only. `serve` sends the queued mail.
    Send {
        /// Compute and print the counts, write nothing.
        #[arg(long)]
        dry_run: bool,
    },
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
        /// IANA time zone of the controller: its calendar days decide the
        /// deadlines, the nightly purge and the digest hour.
        #[arg(long, default_value = "Europe/Paris")]
        time_zone: String,
    },
    /// Give a controller another reference prefix (its next references use
    /// it; those already issued keep theirs).
    SetPrefix {
        #[arg(long)]
        slug: String,
        /// Capital letters and digits, starting with a letter; no other
        /// controller may use it.
        #[arg(long)]
        reference_prefix: String,
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
    /// Turn off an account's two-step verification (lost phone) and end its
    /// sessions; the person sets it up again from their account page.
    TotpReset {
        /// The account's e-mail address.
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Fill a demo controller with requests of every kind, channel and status
    /// (some overdue, some due this week, some waiting for the citizen).
    Seed {
        /// Slug of the demo controller (created if missing).
        #[arg(long, default_value = "demo")]
        controller: String,
        /// How many requests.
        #[arg(long, default_value_t = 200)]
        count: usize,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token for a staff account and print it, alone on the last
    /// line. It is shown this once: only its hash is kept.
    Create {
        /// E-mail of the (enabled) staff account the token acts for.
        #[arg(long)]
        staff: String,
        /// What the token is for (e.g. "newsletter tool").
        #[arg(long, default_value = "api")]
        name: String,
        /// Days until it stops working (default: until revoked).
        #[arg(long, value_parser = clap::value_parser!(i64).range(1..=crate::store::api_tokens::MAX_DAYS))]
        expires_in_days: Option<i64>,
    },
    /// List tokens (never their value): id, owner, name, created, expiry, last use, state.
    List,
    /// Revoke a token at once, by the id `token list` shows.
    Revoke { id: String },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain; exits non-zero if any event was edited, deleted or reordered.
    Verify {
        /// A line printed by `audit checkpoint` earlier: also checks that the
        /// chain still holds those events unchanged (catches a database
        /// replaced or rolled back as a whole).
        #[arg(long)]
        checkpoint: Option<audit::Checkpoint>,
    },
    /// Verify the chain, then print its checkpoint (events, head hash, date)
    /// alone on the last line, for the DPO to keep outside the database.
    Checkpoint,
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Print the configured master key's id and how many proofs each key id wraps.
    Status,
    /// Write a new random master key (base64, mode 0600) to a file that must not exist yet.
    Generate {
        #[arg(long)]
        out: PathBuf,
    },
    /// Re-wrap every proof's data key from the configured master key to a new
    /// one, in batches (one transaction each); the files are not re-encrypted.
    /// Staff TOTP secrets are re-sealed to the new key as well.
    /// Safe to run again: proofs already on the new key are skipped.
    Rotate {
        /// File holding the new master key (see `keys generate`).
        #[arg(long)]
        new_key_file: PathBuf,
        /// Proofs re-wrapped per transaction.
        #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(i64).range(1..=100_000))]
        batch_size: i64,
    },
}

/// Entry point used by `main`: runs the command, returns what to print on failure.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load(cli.settings, cli.config.as_deref())?;
    let clock = clock::system();
    // Commands that append audit events need the chain's key, sealed under
    // the master key: the configured one, never a generated one.
    // A key that does not load is left to the commands that need it.
    if let Ok(Some(master)) = configured_master_key(&config) {
        audit::use_master_key(master);
    }
    // And the service's default key file, when another key is configured
    // for this command (a rotation run with the old key after the service
    // was restarted on the new one).
    let default_file = config.data_dir.join("master.key");
    if !matches!(
        &config.master_key,
        crate::config::MasterKeySource::DefaultFile(_)
    ) && let Ok((master, _)) =
        keys::load_master_key(&crate::config::MasterKeySource::File(default_file))
    {
        audit::use_master_key(master);
    }
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config, clock),
        Command::Migrate => {
            let pool = open_database(&config.database_url, config.db_pool_size)?;
            refuse_shared_prefixes(&pool)?;
            drop(pool);
            println!(
                "database is up to date ({})",
                config.database_url.redacted()
            );
            Ok(())
        }
        Command::Controller(cmd) => controller_command(&config, &clock, cmd),
        Command::Staff(cmd) => staff_command(&config, &clock, cmd),
        Command::Demo(DemoCommand::Seed { controller, count }) => {
            if count == 0 || count > 100_000 {
                bail!("--count must be between 1 and 100000");
            }
            let pool = open_database(&config.database_url, config.db_pool_size)?;
            let mut conn = pool.get()?;
            let now = clock.now();
            let c = crate::demo::demo_controller(&mut conn, &controller, now)?;
            let made = crate::demo::seed(&mut conn, &c, count, now)?;
            println!(
                "seeded {made} requests into controller {} (form at {}/c/{}/, queue at {}/desk/queue)",
                c.slug, config.public_url, c.slug, config.public_url
            );
            Ok(())
        }
        Command::Audit(cmd) => {
            let pool = open_database(&config.database_url, config.db_pool_size)?;
            let mut conn = pool.get()?;
            let events = match audit::verify(&mut conn)? {
                ChainReport::Intact { events } => events,
                ChainReport::Broken { at_seq, reason } => {
                    bail!("audit chain broken at event {at_seq}: {reason}")
                }
            };
            match cmd {
                AuditCommand::Verify { checkpoint: None } => {
                    println!("audit chain intact: {events} events");
                }
                AuditCommand::Verify {
                    checkpoint: Some(kept),
                } => match audit::matches_checkpoint(&mut conn, &kept)? {
                    ChainReport::Intact { .. } => println!(
                        "audit chain intact: {events} events, the first {} as at the checkpoint of {}",
                        kept.events,
                        kept.at.format("%Y-%m-%d %H:%M")
                    ),
                    ChainReport::Broken { at_seq, reason } => {
                        bail!("audit chain broken at event {at_seq}: {reason}")
                    }
                },
                AuditCommand::Checkpoint => {
                    let cp = audit::checkpoint(&mut conn, clock.now())?;
                    println!(
                        "audit chain intact: {} events, head {}; keep this line outside the \
                         database and check it later with `dsr-tracker audit verify --checkpoint`:",
                        cp.events, cp.head
                    );
                    println!("{cp}");
                }
            }
            Ok(())
        }
        Command::Token(cmd) => token_command(&config, &clock, cmd),
        Command::Keys(cmd) => keys_command(&config, &clock, cmd),
        Command::Purge(args) => crate::purge::cli::purge(&config, &clock, args),
        Command::Suppression(cmd) => crate::purge::cli::suppression_command(&config, &clock, cmd),
        Command::Digest(DigestCommand::Send { dry_run }) => {
            crate::digest::send_command(&config, &clock, dry_run)
        }
    }
}

fn serve(config: Config, clock: SharedClock) -> anyhow::Result<()> {
    let pool = open_database(&config.database_url, config.db_pool_size)?;
    refuse_shared_prefixes(&pool)?;
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
    announce_setup_link(&pool, &config, &clock)?;
    let state = AppState::new(pool, config, clock, master_key);
    // Loaded now so that a secret sealed with another master key (a
    // rotation whose new key was not configured) stops the start with a
    // clear message, rather than the first closed marketing objection.
    state
        .suppression_key
        .get(&mut *state.pool.get()?, state.clock.now())
        .context("cannot load the suppression list's key")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        // actix-web's server already stops gracefully on SIGINT/SIGTERM,
        // finishing requests in flight (up to 30 s).
        let app = Application::build(state.clone())?;
        let mail_worker = crate::mail::spawn_worker(&state)?;
        let _nightly_purge = crate::purge::scheduler::spawn(&state);
        let _daily_digest = crate::digest::scheduler::spawn(&state);
        tracing::info!(
            "dsr-tracker listening on {} (public URL {}, database {})",
            state.config.bind_addr.ip().to_string() + ":" + &app.port.to_string(),
            state.config.public_url,
            state.config.database_url.redacted()
        );
        app.server.await?;
        mail_worker.stop().await;
        tracing::info!("dsr-tracker stopped");
        anyhow::Ok(())
    })
}

/// Two controllers sharing a reference prefix (a database from before the
/// check) means the second one's confirmations fail for ever: the start is
/// refused with the command that repairs it, rather than guessing a new
/// prefix that letters and phone calls would not know.
fn refuse_shared_prefixes(pool: &Pool) -> anyhow::Result<()> {
    let clashes = controllers::prefix_clashes(&mut *pool.get()?)?;
    if clashes.is_empty() {
        return Ok(());
    }
    let fixes: Vec<String> = clashes
        .iter()
        .map(|c| {
            format!(
                "{prefix} is used by `{keeper}` and `{slug}`: run `dsr-tracker controller \
                 set-prefix --slug {slug} --reference-prefix {proposal}`",
                prefix = c.prefix,
                keeper = c.keeper,
                slug = c.slug,
                proposal = c.proposal
            )
        })
        .collect();
    bail!(
        "reference prefixes must be unique (references are): {}",
        fixes.join("; ")
    )
}

/// First run: with no staff account, prints the one-time link that creates
/// the first controller and administrator in the browser. A new link at
/// every such start (the older one stops working); not personal data, so it
/// goes to the log as well as to stderr, where an operator looks.
fn announce_setup_link(pool: &Pool, config: &Config, clock: &SharedClock) -> anyhow::Result<()> {
    let mut conn = pool.get()?;
    let Some(token) = crate::desk::setup::announce(&mut conn, clock.now())? else {
        return Ok(());
    };
    let link = format!("{}{}", config.public_url, crate::desk::setup::path(&token));
    tracing::warn!(
        "NO STAFF ACCOUNT YET: open the one-time setup link to create the first controller and \
         administrator: {link}"
    );
    eprintln!(
        "\n  ==> First run: create your controller and administrator at\n\n      {link}\n\n      \
         (valid until used; a restart without staff prints a new one and the old one stops \
         working; `dsr-tracker controller add` / `staff add` also work)\n"
    );
    Ok(())
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
            time_zone,
        } => {
            let slug = Slug::parse(&slug)?;
            let time_zone: chrono_tz::Tz = time_zone.trim().parse().map_err(|_| {
                anyhow!(
                    "--time-zone: `{}` is not an IANA time zone (e.g. Europe/Paris, \
                     Indian/Reunion, America/Cayenne)",
                    time_zone.trim()
                )
            })?;
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
            let pool = open_database(&config.database_url, config.db_pool_size)?;
            let mut conn = pool.get()?;
            let now = clock.now();
            let created = conn.transaction::<_, anyhow::Error, _>(|conn| {
                Ok(controllers::create_audited(
                    conn,
                    &new,
                    time_zone,
                    Actor::System,
                    "cli",
                    now,
                )?)
            })?;
            println!(
                "created controller {} ({}, {}), form at {}/c/{}/",
                created.slug,
                created.reference_prefix,
                created.time_zone,
                config.public_url,
                created.slug
            );
            Ok(())
        }
        ControllerCommand::SetPrefix {
            slug,
            reference_prefix,
        } => {
            let prefix = ReferencePrefix::parse(&reference_prefix)
                .map_err(|e| anyhow!("--reference-prefix: {e}"))?;
            let pool = open_database(&config.database_url, config.db_pool_size)?;
            let mut conn = pool.get()?;
            let changed =
                match controllers::set_reference_prefix(&mut conn, &slug, &prefix, clock.now()) {
                    Err(controllers::CreateControllerError::Db(
                        diesel::result::Error::NotFound,
                    )) => {
                        bail!("no controller with slug `{slug}`")
                    }
                    other => other?,
                };
            println!(
                "controller {} now uses the reference prefix {}",
                changed.slug, changed.reference_prefix
            );
            Ok(())
        }
        ControllerCommand::Settings(args) => crate::purge::cli::settings(config, clock, args),
        ControllerCommand::List => {
            let pool = open_database(&config.database_url, config.db_pool_size)?;
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
            let pool = open_database(&config.database_url, config.db_pool_size)?;
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
            let pool = open_database(&config.database_url, config.db_pool_size)?;
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
            let pool = open_database(&config.database_url, config.db_pool_size)?;
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
        StaffCommand::TotpReset { email } => {
            let email = EmailAddress::parse(&email).map_err(|e| anyhow!("EMAIL: {e}"))?;
            let pool = open_database(&config.database_url, config.db_pool_size)?;
            let mut conn = pool.get()?;
            let now = clock.now();
            let reset = conn.transaction::<_, anyhow::Error, _>(|conn| {
                let Some(m) = staff::reset_totp(conn, &email.normalized(), now)? else {
                    return Ok(None);
                };
                audit::append(
                    conn,
                    now,
                    NewEvent {
                        actor: Actor::System,
                        action: "staff.totp_reset",
                        controller_id: None,
                        request_id: None,
                        detail: format!(
                            "staff={} had_totp={} via=cli",
                            m.id,
                            m.totp_secret.is_some()
                        ),
                    },
                )?;
                Ok(Some(m))
            })?;
            match reset {
                Some(m) if m.totp_secret.is_some() => {
                    println!(
                        "turned off two-step verification for {} and ended its sessions",
                        m.email
                    );
                    Ok(())
                }
                Some(m) => {
                    println!(
                        "{} had no two-step verification; its sessions were ended",
                        m.email
                    );
                    Ok(())
                }
                None => bail!("no staff account with e-mail {}", email.normalized()),
            }
        }
    }
}

/// `keys status|generate|rotate`. The configured key is read, never
/// generated here: a rotation from a key that did not exist would be a
/// mistake, not a first start.
/// The configured master key, `None` when the default file does not exist
/// (generating one is `serve`'s first start, not a side effect of a tool).
fn configured_master_key(config: &Config) -> anyhow::Result<Option<keys::MasterKey>> {
    use crate::config::MasterKeySource;
    let source = match &config.master_key {
        MasterKeySource::DefaultFile(path) if !path.exists() => return Ok(None),
        MasterKeySource::DefaultFile(path) => MasterKeySource::File(path.clone()),
        other => other.clone(),
    };
    Ok(Some(keys::load_master_key(&source)?.0))
}

fn token_command(config: &Config, clock: &SharedClock, cmd: TokenCommand) -> anyhow::Result<()> {
    use crate::store::api_tokens;
    let pool = open_database(&config.database_url, config.db_pool_size)?;
    let mut conn = pool.get()?;
    let now = clock.now();
    let when = |t: Option<chrono::NaiveDateTime>| {
        t.map_or("-".to_owned(), |t| t.format("%Y-%m-%d %H:%M").to_string())
    };
    match cmd {
        TokenCommand::Create {
            staff: email,
            name,
            expires_in_days,
        } => {
            let email = EmailAddress::parse(&email).map_err(|e| anyhow!("--staff: {e}"))?;
            let name = values::single_line(&name, api_tokens::MAX_NAME)
                .map_err(|e| anyhow!("--name: {e}"))?;
            let member = staff::find_by_email(&mut conn, &email.normalized())?
                .ok_or_else(|| anyhow!("no staff account with e-mail {email}"))?;
            if member.disabled {
                bail!("the staff account {email} is disabled: it can have no token");
            }
            let (token, secret) = api_tokens::create(
                &mut conn,
                &member.id,
                &name,
                expires_in_days,
                Actor::System,
                now,
            )?;
            println!(
                "token {} for {email} ({}), expires {}; it is shown once, keep it now:",
                token.id,
                member.role,
                when(token.expires_at)
            );
            println!("{secret}");
            Ok(())
        }
        TokenCommand::List => {
            let all = api_tokens::all(&mut conn)?;
            if all.is_empty() {
                println!("no API tokens: create one with `dsr-tracker token create`");
            }
            for (t, email) in all {
                let state = if t.revoked_at.is_some() {
                    "revoked"
                } else if !t.is_live(now) {
                    "expired"
                } else {
                    "active"
                };
                println!(
                    "{}\t{email}\t{}\tcreated {}\texpires {}\tlast used {}\t{state}",
                    t.id,
                    t.name,
                    when(Some(t.created_at)),
                    when(t.expires_at),
                    when(t.last_used_at)
                );
            }
            Ok(())
        }
        TokenCommand::Revoke { id } => {
            if !api_tokens::revoke(&mut conn, &id, None, Actor::System, now)? {
                bail!("no active token with id {id} (see `dsr-tracker token list`)");
            }
            println!("token {id} revoked");
            Ok(())
        }
    }
}

fn keys_command(config: &Config, clock: &SharedClock, cmd: KeysCommand) -> anyhow::Result<()> {
    use crate::config::MasterKeySource;
    use crate::security::keys::MasterKey;
    use crate::store::{proofs, secrets, suppression};

    let configured = || -> anyhow::Result<Option<MasterKey>> {
        let source = match &config.master_key {
            MasterKeySource::DefaultFile(path) if !path.exists() => return Ok(None),
            MasterKeySource::DefaultFile(path) => MasterKeySource::File(path.clone()),
            other => other.clone(),
        };
        Ok(Some(keys::load_master_key(&source)?.0))
    };
    match cmd {
        KeysCommand::Status => {
            let current = configured()?;
            let pool = open_database(&config.database_url, config.db_pool_size)?;
            let mut conn = pool.get()?;
            let counts = proofs::count_by_key_id(&mut conn)?;
            match &current {
                Some(key) => println!("current master key: {}", key.id()),
                None => println!(
                    "current master key: none yet ({} is created on first start)",
                    config.data_dir.join("master.key").display()
                ),
            }
            let current_id = current.as_ref().map(MasterKey::id);
            match secrets::find(&mut conn, suppression::KEY_PURPOSE)? {
                Some(row) => {
                    let mark = if Some(row.key_id.as_str()) == current_id {
                        "current"
                    } else {
                        "OTHER KEY: configure it, or rotate from it"
                    };
                    println!(
                        "suppression-list secret: sealed with {}\t{mark}",
                        row.key_id
                    );
                }
                None => println!(
                    "suppression-list secret: not created yet (made from the master key on first use)"
                ),
            }
            if counts.is_empty() {
                println!("no identity proofs stored");
            }
            for (key_id, count) in counts {
                let mark = if Some(key_id.as_str()) == current_id {
                    "\tcurrent"
                } else {
                    "\tOTHER KEY: keep it until these are re-wrapped"
                };
                println!("{key_id}\t{count} proofs{mark}");
            }
            Ok(())
        }
        KeysCommand::Generate { out } => {
            if out.exists() {
                bail!(
                    "{} already exists: an existing key file is never overwritten",
                    out.display()
                );
            }
            let (key, _) = keys::load_master_key(&MasterKeySource::DefaultFile(out.clone()))?;
            println!("wrote new master key {} to {}", key.id(), out.display());
            Ok(())
        }
        KeysCommand::Rotate {
            new_key_file,
            batch_size,
        } => {
            let Some(old) = configured()? else {
                bail!(
                    "no master key is configured ({} does not exist): nothing to rotate from",
                    config.data_dir.join("master.key").display()
                );
            };
            let (new, _) = keys::load_master_key(&MasterKeySource::File(new_key_file.clone()))
                .context("--new-key-file")?;
            if new.id() == old.id() {
                bail!(
                    "--new-key-file holds key {}, which is already the configured master key",
                    new.id()
                );
            }
            let pool = open_database(&config.database_url, config.db_pool_size)?;
            let mut conn = pool.get()?;
            // Both keys open the audit trail's key while it moves.
            audit::use_master_key(new.clone());
            // The suppression list's secret first: when it does not open,
            // the rotation stops before anything was moved.
            use crate::store::secrets::Resealed;
            match suppression::reseal_key(&mut conn, &old, &new, clock.now())
                .context("the suppression list's secret cannot be re-sealed")?
            {
                Resealed::Moved | Resealed::Absent => println!(
                    "re-sealed the suppression-list secret from key {} to key {}",
                    old.id(),
                    new.id()
                ),
                Resealed::AlreadyOnNew => println!(
                    "the suppression-list secret is already sealed with key {}",
                    new.id()
                ),
            }
            secrets::reseal(&mut conn, audit::key::PURPOSE, &old, &new, clock.now())
                .context("the audit trail's key cannot be re-sealed")?;
            let count_on = |conn: &mut DbConn, id: &str| -> anyhow::Result<i64> {
                Ok(proofs::count_by_key_id(conn)?
                    .into_iter()
                    .find(|(k, _)| k == id)
                    .map_or(0, |(_, n)| n))
            };
            let already = count_on(&mut conn, new.id())?;
            let (mut rewrapped, mut skipped, mut batches) = (0_usize, 0_usize, 0_usize);
            let mut failed = Vec::new();
            let mut after: Option<ProofId> = None;
            loop {
                let now = clock.now();
                let batch = conn.transaction::<_, anyhow::Error, _>(|conn| {
                    let batch = proofs::rewrap_batch(conn, &old, &new, after.as_ref(), batch_size)?;
                    if batch.rewrapped > 0 {
                        audit::append(
                            conn,
                            now,
                            NewEvent {
                                actor: Actor::System,
                                action: "keys.rewrapped",
                                controller_id: None,
                                request_id: None,
                                detail: format!(
                                    "from={} to={} proofs={} via=cli",
                                    old.id(),
                                    new.id(),
                                    batch.rewrapped
                                ),
                            },
                        )?;
                    }
                    Ok(batch)
                })?;
                batches += 1;
                rewrapped += batch.rewrapped;
                skipped += batch.skipped;
                failed.extend(batch.failed);
                tracing::info!(batch = batches, total = rewrapped, "re-wrapped a batch");
                if batch.seen < usize::try_from(batch_size).unwrap_or(usize::MAX) {
                    break;
                }
                after = batch.last_id;
            }
            // Staff TOTP secrets are sealed under the master key too.
            let (resealed, unopened) = staff::reseal_totp_secrets(&mut conn, &old, &new)?;
            if resealed > 0 {
                audit::append(
                    &mut conn,
                    clock.now(),
                    NewEvent {
                        actor: Actor::System,
                        action: "keys.totp_resealed",
                        controller_id: None,
                        request_id: None,
                        detail: format!(
                            "from={} to={} accounts={resealed} via=cli",
                            old.id(),
                            new.id()
                        ),
                    },
                )?;
            }
            println!(
                "re-sealed {resealed} staff TOTP secrets from key {} to key {}",
                old.id(),
                new.id()
            );
            if !unopened.is_empty() {
                println!(
                    "{} staff TOTP secrets do not open with key {} and stay on it; reset them \
                     with `dsr-tracker staff totp-reset EMAIL`",
                    unopened.len(),
                    old.id()
                );
            }
            let left = count_on(&mut conn, old.id())?;
            println!(
                "re-wrapped {rewrapped} proofs from key {} to key {}; {already} were already on \
                 the new key; {left} proofs left on key {}",
                old.id(),
                new.id(),
                old.id()
            );
            if skipped > 0 {
                println!(
                    "{skipped} proofs were moved off key {} meanwhile by another process",
                    old.id()
                );
            }
            for (key_id, count) in proofs::count_by_key_id(&mut conn)? {
                if key_id != old.id() && key_id != new.id() {
                    println!(
                        "{count} proofs are on another key {key_id}: configure it as the master \
                         key and rotate again to move them"
                    );
                }
            }
            if !failed.is_empty() {
                let ids: Vec<&str> = failed.iter().map(|(id, _)| id.as_str()).collect();
                bail!(
                    "{} proofs could not be re-wrapped (their wrapped key does not open with key \
                     {}; altered rows?) and stay on it: {}",
                    failed.len(),
                    old.id(),
                    ids.join(", ")
                );
            }
            if left == 0 {
                println!(
                    "next: make {} the master key (MASTER_KEY_FILE) and restart; keep the old \
                     key as long as database backups taken before now are kept",
                    new_key_file.display()
                );
            } else {
                println!(
                    "{left} proofs were added on key {} during the rotation: run it again",
                    old.id()
                );
            }
            Ok(())
        }
    }
}

fn resolve_slugs(conn: &mut DbConn, slugs: &[String]) -> anyhow::Result<Vec<ControllerId>> {
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
