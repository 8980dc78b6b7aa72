//! The database: one connection type over SQLite and PostgreSQL, its pool,
//! and the embedded migrations.
//!
//! House rule for data code: functions in `store/` take `&mut DbConn` and
//! return `QueryResult`; handlers run them inside `web::block` and never hold
//! a pooled connection across an `.await`.

pub mod columns;
pub mod explain;
pub mod schema;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::R2D2Connection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// Every query in the crate runs on this type. The variant is chosen from the
/// URL scheme by [`DatabaseUrl`], never by `establish` guessing: SQLite would
/// happily accept a mistyped PostgreSQL URL as a file name.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

pub type Pool = r2d2::Pool<ConnectionManager>;
pub type PooledConn = r2d2::PooledConnection<ConnectionManager>;

/// Runs backend-specific code for the rare statement MultiConnection cannot
/// express (advisory locks, pragmas): `on_backend!(conn, pg => .., sqlite => ..)`.
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, $pg:ident => $pg_body:expr, $sqlite:ident => $sqlite_body:expr $(,)?) => {
        match $conn {
            $crate::db::DbConn::Postgres($pg) => $pg_body,
            $crate::db::DbConn::Sqlite($sqlite) => $sqlite_body,
        }
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl DbConn {
    pub fn backend(&self) -> Backend {
        match self {
            DbConn::Postgres(_) => Backend::Postgres,
            DbConn::Sqlite(_) => Backend::Sqlite,
        }
    }
}

/// A parsed `DATABASE_URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Postgres(String),
    Sqlite(PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum DatabaseUrlError {
    #[error(
        "unsupported database URL scheme `{0}:` (use postgres://… or a SQLite file path / sqlite://…)"
    )]
    UnsupportedScheme(String),
    #[error("empty database URL")]
    Empty,
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, DatabaseUrlError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(DatabaseUrlError::Empty);
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(raw.to_owned()));
        }
        if let Some(path) = raw.strip_prefix("sqlite://") {
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if let Some(path) = raw.strip_prefix("sqlite:") {
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if let Some((scheme, _)) = raw.split_once("://") {
            return Err(DatabaseUrlError::UnsupportedScheme(scheme.to_owned()));
        }
        Ok(DatabaseUrl::Sqlite(PathBuf::from(raw)))
    }

    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Postgres(_) => Backend::Postgres,
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// The URL without its password, for logs.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => redact_password(url),
        }
    }

    pub fn establish(&self) -> ConnectionResult<DbConn> {
        match self {
            DatabaseUrl::Postgres(url) => {
                let mut conn = diesel::PgConnection::establish(url)?;
                conn.batch_execute("SET TIME ZONE 'UTC'")
                    .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConn::Postgres(conn))
            }
            DatabaseUrl::Sqlite(path) => {
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    crate::config::create_private_dir(parent).map_err(|e| {
                        ConnectionError::BadConnection(format!(
                            "cannot create folder {}: {e}",
                            parent.display()
                        ))
                    })?;
                }
                private_sqlite_file(path).map_err(|e| {
                    ConnectionError::BadConnection(format!("cannot create {}: {e}", path.display()))
                })?;
                let url = path.to_string_lossy();
                let mut conn = diesel::SqliteConnection::establish(&url)?;
                // Without foreign_keys=ON, ON DELETE CASCADE silently does
                // nothing and deleting a request would leave its proofs.
                // synchronous=FULL: a purge or a receipt, once committed,
                // survives a power cut.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 10000; \
                     PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = FULL; \
                     PRAGMA foreign_keys = ON;",
                )
                .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }
}

/// Creates the database file readable by the service's user only (0600)
/// before SQLite opens it, and takes group and other access away from one
/// created otherwise: it holds personal data in clear. SQLite gives its
/// `-wal` and `-shm` files the mode of the database file.
///
/// An existing file is never opened here, only looked at and `chmod`ed:
/// closing any descriptor of a database file drops the POSIX locks every
/// SQLite connection of this process holds on it.
fn private_sqlite_file(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        // `:memory:` and URI names are not files of ours.
        let name = path.to_string_lossy();
        if name == ":memory:" || name.starts_with("file:") {
            return Ok(());
        }
        match std::fs::metadata(path) {
            Ok(meta) => {
                let mode = meta.permissions().mode();
                if mode & 0o077 != 0 {
                    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o700))?;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                match std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(path)
                {
                    // Another connection created it meanwhile: its mode is ours.
                    Ok(_) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                    Err(e) => return Err(e),
                }
            }
            Err(e) => return Err(e),
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            if userinfo.contains(':') {
                format!("{scheme}://{user}:***@{host}")
            } else {
                format!("{scheme}://{user}@{host}")
            }
        }
        None => url.to_owned(),
    }
}

/// r2d2 manager that establishes connections through [`DatabaseUrl`], so the
/// backend choice and the per-connection pragmas live in one place.
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: DatabaseUrl,
}

impl ConnectionManager {
    pub fn new(url: DatabaseUrl) -> Self {
        Self { url }
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConn;
    type Error = ConnectionError;

    fn connect(&self) -> Result<DbConn, ConnectionError> {
        self.url.establish()
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), ConnectionError> {
        conn.ping()
            .map_err(|e| ConnectionError::BadConnection(e.to_string()))
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        conn.is_broken()
    }
}

/// Builds the pool. SQLite gets few connections: it has one writer anyway,
/// and WAL lets readers proceed while it writes.
pub fn build_pool(url: &DatabaseUrl, max_size: u32) -> Result<Pool, r2d2::Error> {
    let size = match url.backend() {
        Backend::Sqlite => max_size.min(8),
        Backend::Postgres => max_size,
    };
    r2d2::Pool::builder()
        .max_size(size.max(1))
        .connection_timeout(Duration::from_secs(10))
        .build(ConnectionManager::new(url.clone()))
}

/// Applies pending migrations; returns the names of those applied.
pub fn run_migrations(conn: &mut DbConn) -> anyhow::Result<Vec<String>> {
    let applied = on_backend!(conn,
        pg => pg.run_pending_migrations(POSTGRES_MIGRATIONS),
        sqlite => sqlite.run_pending_migrations(SQLITE_MIGRATIONS),
    )
    .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
    Ok(applied.into_iter().map(|v| v.to_string()).collect())
}

/// Cheap liveness probe used by `/healthz`.
pub fn ping(conn: &mut DbConn) -> QueryResult<()> {
    diesel::sql_query("SELECT 1").execute(conn).map(|_| ())
}

/// Default SQLite file inside a data folder.
pub fn default_sqlite_path(data_dir: &Path) -> PathBuf {
    data_dir.join("dsr-tracker.sqlite")
}

/// Opens the pool and applies pending migrations, so every command works
/// on a fresh database.
pub fn open_database(url: &DatabaseUrl, pool_size: u32) -> anyhow::Result<Pool> {
    let pool = build_pool(url, pool_size)
        .with_context(|| format!("cannot connect to the database {}", url.redacted()))?;
    let mut conn = pool.get()?;
    let applied = run_migrations(&mut conn)?;
    for name in applied {
        tracing::info!(migration = %name, "applied migration");
    }
    Ok(pool)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_scheme_decides_the_backend() {
        assert_eq!(
            DatabaseUrl::parse("postgres://u:p@h/db").unwrap().backend(),
            Backend::Postgres
        );
        assert_eq!(
            DatabaseUrl::parse("postgresql://h/db").unwrap().backend(),
            Backend::Postgres
        );
        assert_eq!(
            DatabaseUrl::parse("./data/x.sqlite").unwrap(),
            DatabaseUrl::Sqlite(PathBuf::from("./data/x.sqlite"))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///var/lib/x.db").unwrap(),
            DatabaseUrl::Sqlite(PathBuf::from("/var/lib/x.db"))
        );
        assert!(matches!(
            DatabaseUrl::parse("mysql://h/db"),
            Err(DatabaseUrlError::UnsupportedScheme(_))
        ));
        assert!(DatabaseUrl::parse("  ").is_err());
    }

    #[test]
    fn passwords_never_reach_the_log() {
        let url = DatabaseUrl::parse("postgres://app:s3cret@db:5432/dsr").unwrap();
        assert_eq!(url.redacted(), "postgres://app:***@db:5432/dsr");
    }
}
