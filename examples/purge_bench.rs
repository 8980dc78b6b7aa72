//! Purge benchmark (not a test): seeds N requests of which M are due,
//! runs the purge, then runs it again with nothing due, and prints wall
//! time, rows per second, peak memory and the query plans.
//!
//! ```sh
//! cargo run --release --example purge_bench -- --backend sqlite
//! cargo run --release --example purge_bench -- --backend postgres \
//!     --url postgres://postgres@127.0.0.1:5432/dsr_tracker_test
//! # options: --total 1000000 --due 100000 --per-transaction 100 --batch 500
//! # seed a SQLite file to try `dsr-tracker purge` on, and stop:
//! cargo run --release --example purge_bench -- --seed-only /tmp/try.sqlite --total 20000 --due 5000
//! ```
//!
//! SQLite runs on a temporary file; PostgreSQL in a fresh schema of the
//! given database, dropped at the end. Results are recorded in
//! BENCHMARKS.md.

mod common;

use std::time::Instant;

use chrono::NaiveDateTime;
use common::{BenchDb, proc_status_kb};
use dsr_tracker::db::DbConn;
use dsr_tracker::domain::retention::PurgeRule;
use dsr_tracker::purge::{self, PurgeOptions, PurgeReport, queries, seed};

struct Args {
    backend: String,
    url: Option<String>,
    total: u64,
    due: u64,
    per_transaction: usize,
    batch: i64,
    seed_only: Option<std::path::PathBuf>,
}

fn parse_args() -> Args {
    let mut args = Args {
        backend: "sqlite".into(),
        url: std::env::var("TEST_DATABASE_URL").ok(),
        total: 1_000_000,
        due: 100_000,
        per_transaction: 100,
        batch: 500,
        seed_only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--backend" => args.backend = value,
            "--url" => args.url = Some(value),
            "--total" => args.total = value.parse().expect("--total"),
            "--due" => args.due = value.parse().expect("--due"),
            "--per-transaction" => args.per_transaction = value.parse().expect("--per-transaction"),
            "--batch" => args.batch = value.parse().expect("--batch"),
            "--seed-only" => args.seed_only = Some(value.into()),
            other => panic!("unknown option {other}"),
        }
    }
    args
}

/// Resets VmHWM to the current RSS (Linux), so the peak measured next is
/// the purge's, not the seeding's.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn print_plans(conn: &mut DbConn, controller_id: &str, now: NaiveDateTime) {
    for p in queries::explain(conn, controller_id, now).expect("explain") {
        println!("\n#### {}\n", p.name);
        println!("```sql\n{}\n```", p.sql);
        println!("```\n{}\n```", p.plan.join("\n"));
    }
}

fn summary(label: &str, report: &PurgeReport, seconds: f64) {
    let requests = report.purged(PurgeRule::PersonalData);
    println!(
        "{label}: {seconds:.2} s; requests anonymised {requests}, proofs deleted {}, items purged {}, \
         {:.0} requests/s; found {}",
        report.purged(PurgeRule::Proof),
        report.total_purged(),
        requests as f64 / seconds.max(1e-9),
        report.total_found()
    );
}

fn main() {
    let args = parse_args();
    let bench = BenchDb::create(
        if args.seed_only.is_some() {
            "sqlite"
        } else {
            &args.backend
        },
        args.url.as_deref(),
        args.seed_only.clone(),
    );
    let mut conn = bench.connect();
    let now: NaiveDateTime = "2027-06-01T03:00:00".parse().unwrap();

    println!(
        "## {} — {} requests, {} due (per transaction {}, batch {})\n",
        args.backend, args.total, args.due, args.per_transaction, args.batch
    );
    let started = Instant::now();
    seed::controller(&mut conn, "bench", "bench", now).unwrap();
    seed::requests(
        &mut conn,
        &seed::Seed {
            prefix: "r",
            controller_id: "bench",
            total: args.total,
            due: args.due,
            now,
        },
    )
    .expect("seed");
    println!(
        "seeded in {:.1} s (peak RSS so far {} kB)",
        started.elapsed().as_secs_f64(),
        proc_status_kb("VmHWM:")
    );
    if let Some(path) = &args.seed_only {
        println!(
            "seeded {}; try: DATABASE_URL={} dsr-tracker purge --now 2027-06-01T03:00:00Z",
            path.display(),
            path.display()
        );
        return;
    }
    if let Some(file) = &bench.file {
        let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
        println!("database file {} MiB", size / (1024 * 1024));
    }

    println!("\n### Plans with {} due\n", args.due);
    print_plans(&mut conn, "bench", now);

    let options = PurgeOptions {
        per_transaction: args.per_transaction,
        batch_size: args.batch,
        ..PurgeOptions::default()
    };
    reset_peak();
    let rss_before = proc_status_kb("VmRSS:");
    let started = Instant::now();
    let first = purge::run(&mut conn, now, &options, &mut |_| {}).expect("purge");
    let first_s = started.elapsed().as_secs_f64();
    let peak = proc_status_kb("VmHWM:");
    println!();
    summary("first run", &first, first_s);
    println!("memory: RSS before the run {rss_before} kB, peak during the run (VmHWM) {peak} kB");

    let started = Instant::now();
    let second = purge::run(&mut conn, now, &options, &mut |_| {}).expect("purge");
    let second_s = started.elapsed().as_secs_f64();
    summary("second run (nothing due)", &second, second_s);
    assert_eq!(second.total_purged(), 0);
    assert_eq!(first.purged(PurgeRule::PersonalData), args.due);

    println!("\n### Plans with nothing due\n");
    print_plans(&mut conn, "bench", now);
    println!("\n```\n{}```", first.render_table());

    drop(conn);
}
