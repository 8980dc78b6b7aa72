//! What the benchmarks share: a fresh database to seed (a temporary SQLite
//! file, or a new schema of the PostgreSQL database given, dropped at the
//! end) and the process's memory figures. The data itself is seeded by
//! `dsr_tracker::purge::seed`, the crate's one generator of bulk rows.

#![allow(dead_code)] // each example uses its part

use diesel::RunQueryDsl;
use dsr_tracker::db::{self, DatabaseUrl, DbConn};

/// A migrated, empty database for one benchmark run.
pub struct BenchDb {
    pub url: DatabaseUrl,
    /// The URL as text (PostgreSQL: with the schema as search path), to
    /// point `dsr-tracker serve` at the seeded data.
    pub url_text: String,
    /// The SQLite file, if any.
    pub file: Option<std::path::PathBuf>,
    /// PostgreSQL: the server URL and the schema to drop at the end.
    cleanup: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl BenchDb {
    /// `backend` is `sqlite` or `postgres`; `sqlite_file` keeps the SQLite
    /// database at that path instead of a temporary file.
    pub fn create(
        backend: &str,
        pg_url: Option<&str>,
        sqlite_file: Option<std::path::PathBuf>,
    ) -> BenchDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let (url, url_text, file, cleanup) = match backend {
            "sqlite" => {
                let path = sqlite_file.unwrap_or_else(|| dir.path().join("bench.sqlite"));
                (
                    DatabaseUrl::Sqlite(path.clone()),
                    format!("sqlite://{}", path.display()),
                    Some(path),
                    None,
                )
            }
            "postgres" => {
                let admin = pg_url.expect("--url or TEST_DATABASE_URL").to_owned();
                let schema = format!("bench_{}", uuid::Uuid::now_v7().simple());
                let mut conn = DatabaseUrl::parse(&admin).unwrap().establish().unwrap();
                diesel::sql_query(format!("CREATE SCHEMA {schema}"))
                    .execute(&mut conn)
                    .unwrap();
                let sep = if admin.contains('?') { '&' } else { '?' };
                let url = format!("{admin}{sep}options=-c%20search_path%3D{schema}");
                (
                    DatabaseUrl::parse(&url).unwrap(),
                    url,
                    None,
                    Some((admin, schema)),
                )
            }
            other => panic!("unknown backend {other}"),
        };
        let mut conn = url.establish().expect("connect");
        db::run_migrations(&mut conn).expect("migrations");
        BenchDb {
            url,
            url_text,
            file,
            cleanup,
            _dir: dir,
        }
    }

    pub fn connect(&self) -> DbConn {
        self.url.establish().expect("connect")
    }

    /// Keeps the PostgreSQL schema (to serve it afterwards).
    pub fn keep(&mut self) {
        self.cleanup = None;
    }
}

impl Drop for BenchDb {
    fn drop(&mut self) {
        if let Some((admin, schema)) = self.cleanup.take() {
            let mut conn = DatabaseUrl::parse(&admin).unwrap().establish().unwrap();
            diesel::sql_query(format!("DROP SCHEMA {schema} CASCADE"))
                .execute(&mut conn)
                .unwrap();
        }
    }
}

/// A status line of /proc/self/status, in kB.
pub fn proc_status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// The machine's 1-minute load average (other builds share the cores).
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// Median and 95th percentile of durations in milliseconds.
pub fn median_p95(mut ms: Vec<f64>) -> (f64, f64) {
    ms.sort_by(f64::total_cmp);
    if ms.is_empty() {
        return (0.0, 0.0);
    }
    let at = |q: f64| ms[((ms.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.95))
}
