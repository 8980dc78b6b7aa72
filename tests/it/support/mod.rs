//! Test harness: a fresh migrated database per test (a SQLite file in a
//! temporary folder, or a new schema in the PostgreSQL test database), the
//! real server over it ([`app::TestApp`], with the desk's and the citizen's
//! helpers in [`desk`] and [`citizen`]), helpers to run the real binary,
//! and a real SMTP listener ([`smtp`]).

pub mod app;
pub mod citizen;
pub mod desk;
pub mod smtp;

pub use app::TestApp;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::Receiver;
use std::time::Duration;

use diesel::RunQueryDsl;
use dsr_tracker::db::{self, DatabaseUrl, DbConn, Pool};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database that exists for one test and is removed after it.
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    pub dir: tempfile::TempDir,
    pg: Option<PgSchema>,
}

struct PgSchema {
    admin_url: String,
    schema: String,
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = dir.path().join("test.sqlite").display().to_string();
        TestDb {
            backend: Backend::Sqlite,
            url,
            dir,
            pg: None,
        }
    }

    /// `None` when no server is configured. A configured server that does
    /// not answer fails the test: CI must never skip PostgreSQL silently.
    pub fn postgres() -> Option<TestDb> {
        let admin_url = std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())?;
        let schema = format!("t_{}", uuid::Uuid::now_v7().simple());
        let mut conn = DatabaseUrl::parse(&admin_url)
            .expect("TEST_DATABASE_URL")
            .establish()
            .unwrap_or_else(|e| panic!("TEST_DATABASE_URL is set but unreachable: {e}"));
        diesel::sql_query(format!("CREATE SCHEMA {schema}"))
            .execute(&mut conn)
            .expect("create test schema");
        let sep = if admin_url.contains('?') { '&' } else { '?' };
        let url = format!("{admin_url}{sep}options=-c%20search_path%3D{schema}");
        Some(TestDb {
            backend: Backend::Postgres,
            url,
            dir: tempfile::tempdir().expect("temp dir"),
            pg: Some(PgSchema { admin_url, schema }),
        })
    }

    pub fn database_url(&self) -> DatabaseUrl {
        DatabaseUrl::parse(&self.url).expect("test database URL")
    }

    /// A migrated pool on this database.
    pub fn pool(&self) -> Pool {
        let pool = db::build_pool(&self.database_url(), 4).expect("pool");
        db::run_migrations(&mut pool.get().expect("connection")).expect("migrations");
        pool
    }

    pub fn conn(&self) -> DbConn {
        self.database_url().establish().expect("connection")
    }

    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// Runs the real `dsr-tracker` binary against this database.
    pub fn cli(&self, args: &[&str], stdin: Option<&str>) -> CliOutput {
        run_binary(&self.url, self.data_dir(), args, stdin)
    }

    /// [`TestDb::cli`] with extra environment variables (e.g. `MASTER_KEY_FILE`).
    pub fn cli_env(&self, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> CliOutput {
        run_binary_env(&self.url, self.data_dir(), args, stdin, env)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(pg) = &self.pg
            && let Ok(mut conn) = DatabaseUrl::parse(&pg.admin_url).unwrap().establish()
        {
            let _ =
                diesel::sql_query(format!("DROP SCHEMA {} CASCADE", pg.schema)).execute(&mut conn);
        }
    }
}

pub struct CliOutput {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl CliOutput {
    pub fn ok(&self) -> bool {
        self.code == 0
    }

    /// The error line printed on failure (logs may precede it).
    pub fn error_line(&self) -> Option<&str> {
        self.stderr.lines().find(|l| l.starts_with("error: "))
    }
}

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_dsr-tracker"))
}

pub fn run_binary(url: &str, data_dir: &Path, args: &[&str], stdin: Option<&str>) -> CliOutput {
    run_binary_env(url, data_dir, args, stdin, &[])
}

/// [`run_binary`] with extra environment variables, set last so they win.
pub fn run_binary_env(
    url: &str,
    data_dir: &Path,
    args: &[&str],
    stdin: Option<&str>,
    env: &[(&str, &str)],
) -> CliOutput {
    use std::io::Write;
    let mut child = Command::new(binary())
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", url)
        .env("DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn dsr-tracker");
    {
        let mut input = child.stdin.take().expect("stdin");
        if let Some(text) = stdin
            && let Err(e) = input.write_all(text.as_bytes())
        {
            // A command that refuses its arguments may exit before reading
            // its input: the test then checks what it said and did.
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
        }
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().expect("wait dsr-tracker");
    CliOutput {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// The real binary serving, as an operator starts it, its stderr read
/// line by line.
pub struct Served {
    pub child: Child,
    pub lines: Receiver<String>,
    pub port: u16,
    /// What it logged until it listened.
    pub log: Vec<String>,
}

/// Starts `dsr-tracker` with nothing in its environment but `DATA_DIR`,
/// `BIND_ADDR=127.0.0.1:0`, `RUST_LOG=info` and `env`; returns once it
/// says where it listens.
pub fn serve(data_dir: &Path, env: &[(&str, &str)]) -> Served {
    let mut child = Command::new(binary())
        .env_clear()
        .env("DATA_DIR", data_dir)
        .env("BIND_ADDR", "127.0.0.1:0")
        .envs(env.iter().copied())
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut log = Vec::new();
    let port = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("server did not start: {log:#?}"));
        log.push(line.clone());
        if let Some(rest) = line.split("listening on 127.0.0.1:").nth(1) {
            break rest
                .split_whitespace()
                .next()
                .unwrap()
                .parse::<u16>()
                .unwrap();
        }
    };
    Served {
        child,
        lines: rx,
        port,
        log,
    }
}

impl Served {
    /// SIGTERM once the server answers (before that, the signal handlers
    /// may not be installed yet); a graceful stop exits 0.
    pub async fn stop(mut self) {
        let url = format!("http://127.0.0.1:{}/healthz", self.port);
        let up = reqwest::get(url).await.map(|r| r.status().as_u16());
        assert_eq!(up.ok(), Some(200));
        let killed = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let exit = self.child.wait().unwrap();
        assert!(exit.success(), "graceful stop should exit 0, got {exit:?}");
        drop(self.lines);
    }
}

/// The runtime of one test: the server and the mail worker run on it.
pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

impl TestDb {
    /// A database on `backend`; `None` (said on stderr) for PostgreSQL
    /// when `TEST_DATABASE_URL` is not set.
    pub fn on(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => Some(TestDb::sqlite()),
            Backend::Postgres => {
                let db = TestDb::postgres();
                if db.is_none() {
                    eprintln!("PostgreSQL skipped: TEST_DATABASE_URL is not set");
                }
                db
            }
        }
    }
}

/// Defines a test that runs once on SQLite and once on PostgreSQL (the
/// latter only when `TEST_DATABASE_URL` is set).
///
/// `db_test!(name, async |db| { … })`: the body is async and runs on
/// [`rt`], built here; `db` is the test's [`TestDb`], which outlives the
/// runtime (the server is stopped before its database goes).
/// `db_test!(name, |db| { … })`: a plain body, for tests without a server.
#[macro_export]
macro_rules! db_test {
    ($name:ident, async |$db:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            fn run(backend: $crate::support::Backend) {
                let Some($db) = $crate::support::TestDb::on(backend) else {
                    return;
                };
                $crate::support::rt().block_on(async { $body });
            }

            #[test]
            fn sqlite() {
                run($crate::support::Backend::Sqlite);
            }

            #[test]
            fn postgres() {
                run($crate::support::Backend::Postgres);
            }
        }
    };
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[test]
            fn sqlite() {
                let run: fn($crate::support::TestDb) = $body;
                run($crate::support::TestDb::sqlite());
            }

            #[test]
            fn postgres() {
                let run: fn($crate::support::TestDb) = $body;
                match $crate::support::TestDb::postgres() {
                    Some(db) => run(db),
                    None => eprintln!("PostgreSQL skipped: TEST_DATABASE_URL is not set"),
                }
            }
        }
    };
}
