//! Only one purge at a time, across processes and instances.
//!
//! - **PostgreSQL**: a session-level `pg_try_advisory_lock` taken on a
//!   connection of its own, opened for the lock and held for the whole run
//!   (never a pooled connection, which would keep the lock after being
//!   handed back). Every instance sharing the database sees it; a process
//!   that dies loses its session and with it the lock. Advisory locks are
//!   per database; the key also carries a hash of the current schema, so
//!   two deployments in two schemas of one database (or two test schemas)
//!   do not block each other.
//! - **SQLite**: the database has one writer anyway, so two runs could not
//!   corrupt anything, but they would do the same work twice. An exclusive
//!   `flock` on `<database file>.purge-lock`, beside the database rather
//!   than in `DATA_DIR`, so two processes configured with different data
//!   folders but the same database still exclude each other. The kernel
//!   releases it when the process dies, even by SIGKILL, so a killed run
//!   never blocks the next one. The (empty) file is left in place.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::PathBuf;

use diesel::prelude::*;
use diesel::sql_types::{Bool, Integer};

use crate::db::{DatabaseUrl, DbConn};

/// First half of the purge's two-part advisory-lock key ("dsrp" in
/// ASCII); the second half is `hashtext(current_schema())`.
pub const PG_LOCK_CLASS: i32 = 0x6473_7270;

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("cannot open a connection for the purge lock: {0}")]
    Connect(#[from] diesel::ConnectionError),
    #[error("cannot take the purge lock: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("cannot use the purge lock file {path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
}

/// Held for the duration of a run; dropping it releases the lock.
pub struct PurgeLock {
    held: Held,
}

enum Held {
    Postgres(DbConn),
    Sqlite { _file: File, path: PathBuf },
}

impl std::fmt::Debug for PurgeLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.held {
            Held::Postgres(_) => f.write_str("PurgeLock(postgres advisory lock)"),
            Held::Sqlite { path, .. } => write!(f, "PurgeLock({})", path.display()),
        }
    }
}

#[derive(QueryableByName)]
struct Locked {
    #[diesel(sql_type = Bool)]
    locked: bool,
}

impl PurgeLock {
    /// Takes the lock, or `None` when another run holds it. Never waits.
    pub fn try_acquire(url: &DatabaseUrl) -> Result<Option<PurgeLock>, LockError> {
        match url {
            DatabaseUrl::Postgres(_) => {
                let mut conn = url.establish()?;
                let locked = crate::on_backend!(&mut conn,
                    pg => diesel::sql_query(
                        "SELECT pg_try_advisory_lock($1, hashtext(current_schema())) AS locked",
                    )
                        .bind::<Integer, _>(PG_LOCK_CLASS)
                        .get_result::<Locked>(pg)?
                        .locked,
                    _sqlite => unreachable!("a postgres:// URL opens a PostgreSQL connection"),
                );
                Ok(locked.then_some(PurgeLock {
                    held: Held::Postgres(conn),
                }))
            }
            DatabaseUrl::Sqlite(db_path) => {
                let mut name = db_path.file_name().unwrap_or_default().to_os_string();
                name.push(".purge-lock");
                let path = db_path.with_file_name(name);
                let file_error = |source| LockError::File {
                    path: path.display().to_string(),
                    source,
                };
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    crate::config::create_private_dir(parent).map_err(file_error)?;
                }
                let file = OpenOptions::new()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .open(&path)
                    .map_err(file_error)?;
                match file.try_lock() {
                    Ok(()) => Ok(Some(PurgeLock {
                        held: Held::Sqlite { _file: file, path },
                    })),
                    Err(TryLockError::WouldBlock) => Ok(None),
                    Err(TryLockError::Error(e)) => Err(file_error(e)),
                }
            }
        }
    }
}

impl Drop for PurgeLock {
    fn drop(&mut self) {
        if let Held::Postgres(conn) = &mut self.held {
            // Closing the session would release it too; say it explicitly so
            // the lock is gone even if the connection lingers.
            let _ = diesel::sql_query(
                "SELECT pg_advisory_unlock($1, hashtext(current_schema())) AS locked",
            )
            .bind::<Integer, _>(PG_LOCK_CLASS)
            .get_result::<Locked>(conn);
        }
    }
}
