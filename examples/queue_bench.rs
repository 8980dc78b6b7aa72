//! Queue and digest benchmark (not a test): seeds a hosting provider's
//! instance (50 cities of 20,000 requests each, 30 open per city, the rest
//! closed over seven years and mostly anonymised), then times the store
//! functions the desk's queue, the request page and the daily digest call,
//! for a DPO scoped to one city and for a platform admin, and prints the
//! plan of each statement. Results are recorded in BENCHMARKS.md.
//!
//! ```sh
//! cargo build --release --example queue_bench
//! ./target/release/examples/queue_bench --backend sqlite
//! ./target/release/examples/queue_bench --backend postgres \
//!     --url postgres://postgres@127.0.0.1:5432/dsr_tracker_test
//! # options: --controllers 50 --per-controller 20000 --open 30 --iterations 200
//! #          --drop-index NAME (measure without an index: before/after)
//! #          --vacuum yes (PostgreSQL: VACUUM ANALYZE after seeding, as autovacuum would)
//! # seed a database for `dsr-tracker serve` and stop (the desk's clock is
//! # the real one, so seed as of now):
//! ./target/release/examples/queue_bench --backend sqlite --seed-only /tmp/q.sqlite \
//!     --now 2026-11-25T19:00:00
//! # time GET /desk/queue on a running server (see examples/queue_http.sh):
//! ./target/release/examples/queue_bench http --base http://127.0.0.1:8099 \
//!     --email dpo7@bench.example.fr --requests 200 --clients 4
//! ```

mod common;

use std::time::Instant;

use chrono::{NaiveDate, NaiveDateTime};
use common::{BenchDb, load_average, median_p95};
use diesel::RunQueryDsl;
use dsr_tracker::db::DbConn;
use dsr_tracker::db::explain::{self, Plan};
use dsr_tracker::digest;
use dsr_tracker::domain::request::{Channel, RequestKind, Status};
use dsr_tracker::domain::values::{EmailAddress, Role};
use dsr_tracker::purge::seed::{self, QueueSeed};
use dsr_tracker::security::password;
use dsr_tracker::store::queue::{self, Cursor, PAGE_SIZE, QueueFilter, StatusFilter};
use dsr_tracker::store::scope::{self, Scope};
use dsr_tracker::store::{proofs, staff};

/// The benchmark accounts' password.
const PASSWORD: &str = "bench-password-queue";

struct Args {
    backend: String,
    url: Option<String>,
    controllers: u64,
    per_controller: u64,
    open: u64,
    iterations: usize,
    now: NaiveDateTime,
    seed_only: Option<std::path::PathBuf>,
    drop_index: Vec<String>,
    vacuum: bool,
    // http mode
    base: String,
    email: String,
    requests: usize,
    clients: usize,
    path: String,
}

fn parse_args() -> (bool, Args) {
    let mut args = Args {
        backend: "sqlite".into(),
        url: std::env::var("TEST_DATABASE_URL").ok(),
        controllers: 50,
        per_controller: 20_000,
        open: 30,
        iterations: 200,
        now: "2026-03-02T08:00:00".parse().unwrap(),
        seed_only: None,
        drop_index: Vec::new(),
        vacuum: false,
        base: "http://127.0.0.1:8099".into(),
        email: "dpo7@bench.example.fr".into(),
        requests: 200,
        clients: 4,
        path: "/desk/queue".into(),
    };
    let mut it = std::env::args().skip(1).peekable();
    let http = it.peek().is_some_and(|a| a == "http");
    if http {
        it.next();
    }
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--backend" => args.backend = value,
            "--url" => args.url = Some(value),
            "--controllers" => args.controllers = value.parse().expect("--controllers"),
            "--per-controller" => args.per_controller = value.parse().expect("--per-controller"),
            "--open" => args.open = value.parse().expect("--open"),
            "--iterations" => args.iterations = value.parse().expect("--iterations"),
            "--now" => args.now = value.parse().expect("--now: 2026-03-02T08:00:00"),
            "--seed-only" => args.seed_only = Some(value.into()),
            "--drop-index" => args.drop_index.push(value),
            "--vacuum" => args.vacuum = value == "yes",
            "--base" => args.base = value,
            "--email" => args.email = value,
            "--requests" => args.requests = value.parse().expect("--requests"),
            "--clients" => args.clients = value.parse().expect("--clients"),
            "--path" => args.path = value,
            other => panic!("unknown option {other}"),
        }
    }
    (http, args)
}

/// One measured case: its name, rows returned, and its statements' plans.
struct Case {
    name: String,
    rows: usize,
    median: f64,
    p95: f64,
    plans: Vec<(String, Plan)>,
}

fn time<T>(
    conn: &mut DbConn,
    iterations: usize,
    mut f: impl FnMut(&mut DbConn) -> T,
) -> (T, f64, f64) {
    // One untimed run warms the caches the way a working desk has them.
    let mut out = f(conn);
    let mut ms = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let started = Instant::now();
        out = f(conn);
        ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let (median, p95) = median_p95(ms);
    (out, median, p95)
}

fn filter(f: impl FnOnce(&mut QueueFilter)) -> QueueFilter {
    let mut filter = QueueFilter::default();
    f(&mut filter);
    filter
}

/// A queue page case: `page` timed, its statement explained.
#[allow(clippy::too_many_arguments)]
fn page_case(
    conn: &mut DbConn,
    iterations: usize,
    name: &str,
    scope: &Scope,
    filter: &QueueFilter,
    today: NaiveDate,
    after: Option<&Cursor>,
) -> Case {
    let (rows, median, p95) = time(conn, iterations, |conn| {
        queue::page(conn, scope, filter, today, after, PAGE_SIZE + 1).expect("page")
    });
    let plan = explain::plan(
        conn,
        queue::page_query(scope, filter, today, after, PAGE_SIZE + 1),
    )
    .expect("explain");
    Case {
        name: name.into(),
        rows: rows.len(),
        median,
        p95,
        plans: vec![("queue::page".into(), plan)],
    }
}

fn counts_case(conn: &mut DbConn, iterations: usize, name: &str, scope: &Scope) -> Case {
    let (counts, median, p95) = time(conn, iterations, |conn| {
        queue::counts_by_status(conn, scope).expect("counts")
    });
    let plan = explain::plan(conn, queue::counts_by_status_query(scope)).expect("explain");
    Case {
        name: name.into(),
        rows: counts.iter().map(|(_, n)| *n as usize).sum(),
        median,
        p95,
        plans: vec![("queue::counts_by_status".into(), plan)],
    }
}

fn seed_staff(conn: &mut DbConn, seed: &QueueSeed<'_>) {
    let hash = password::hash(PASSWORD);
    for c in 0..seed.controllers {
        let email = EmailAddress::parse(&format!("dpo{c}@bench.example.fr")).unwrap();
        staff::create(
            conn,
            &email,
            Role::Dpo,
            &hash,
            &[seed.controller_id(c)],
            seed.now,
        )
        .expect("dpo");
    }
    let email = EmailAddress::parse("admin@bench.example.fr").unwrap();
    staff::create(conn, &email, Role::Admin, &hash, &[], seed.now).expect("admin");
}

fn main() {
    let (http, args) = parse_args();
    if http {
        http_bench(&args);
        return;
    }
    // PostgreSQL seeds a schema of --url (kept with --seed-only, whatever its value).
    let sqlite_file = args.seed_only.clone().filter(|_| args.backend == "sqlite");
    let mut bench = BenchDb::create(&args.backend, args.url.as_deref(), sqlite_file);
    let mut conn = bench.connect();
    let seed = QueueSeed {
        prefix: "q",
        controllers: args.controllers,
        per_controller: args.per_controller,
        open: args.open,
        now: args.now,
    };
    println!(
        "## {} — {} cities × {} requests, {} open per city (load average {})\n",
        args.backend,
        args.controllers,
        args.per_controller,
        args.open,
        load_average()
    );
    let started = Instant::now();
    seed::queue(&mut conn, &seed).expect("seed");
    seed_staff(&mut conn, &seed);
    println!("seeded in {:.1} s", started.elapsed().as_secs_f64());
    if let Some(file) = &bench.file {
        let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
        println!("database file {} MiB", size / (1024 * 1024));
    }
    for index in &args.drop_index {
        diesel::sql_query(format!("DROP INDEX {index}"))
            .execute(&mut conn)
            .expect("drop index");
        println!("dropped index {index}");
    }
    if args.vacuum && args.backend == "postgres" {
        // What autovacuum does to a table years old: the visibility map
        // that lets PostgreSQL answer from an index alone.
        diesel::sql_query("VACUUM ANALYZE requests")
            .execute(&mut conn)
            .expect("vacuum");
        println!("VACUUM ANALYZE requests done");
    }
    if args.seed_only.is_some() {
        println!(
            "seeded; serve it with DATABASE_URL={} (accounts dpoN@bench.example.fr, \
             admin@bench.example.fr, password {PASSWORD})",
            bench.url_text
        );
        bench.keep();
        return;
    }

    let n = args.iterations;
    let today = args.now.date();
    let c = 7.min(args.controllers.saturating_sub(1));
    let dpo = Scope::Only(vec![seed.controller_id(c)]);
    let admin = Scope::All;
    let all = filter(|f| f.status = StatusFilter::All);
    let mut cases = Vec::new();

    cases.push(page_case(
        &mut conn,
        n,
        "DPO: first page (open, by due date)",
        &dpo,
        &QueueFilter::default(),
        today,
        None,
    ));
    // Page 50 of everything the city still holds (the open queue is one page).
    let mut cursor: Option<Cursor> = None;
    for _ in 0..49 {
        let rows = queue::page(&mut conn, &dpo, &all, today, cursor.as_ref(), PAGE_SIZE).unwrap();
        cursor = rows.last().map(|r| r.cursor());
    }
    cases.push(page_case(
        &mut conn,
        n,
        "DPO: page 50, status all (keyset)",
        &dpo,
        &all,
        today,
        cursor.as_ref(),
    ));
    cases.push(page_case(
        &mut conn,
        n,
        "DPO: status = in progress",
        &dpo,
        &filter(|f| f.status = StatusFilter::One(Status::InProgress)),
        today,
        None,
    ));
    cases.push(page_case(
        &mut conn,
        n,
        "DPO: status = closed",
        &dpo,
        &filter(|f| f.status = StatusFilter::One(Status::Closed)),
        today,
        None,
    ));
    cases.push(page_case(
        &mut conn,
        n,
        "DPO: status all",
        &dpo,
        &all,
        today,
        None,
    ));
    cases.push(page_case(
        &mut conn,
        n,
        "DPO: kind = erasure",
        &dpo,
        &filter(|f| f.kind = Some(RequestKind::Erasure)),
        today,
        None,
    ));
    cases.push(page_case(
        &mut conn,
        n,
        "DPO: overdue",
        &dpo,
        &filter(|f| f.overdue = true),
        today,
        None,
    ));
    cases.push(page_case(
        &mut conn,
        n,
        "DPO: due within 7 days",
        &dpo,
        &filter(|f| f.due_within_7 = true),
        today,
        None,
    ));
    cases.push(page_case(
        &mut conn,
        n,
        "DPO: channel = post",
        &dpo,
        &filter(|f| f.channel = Some(Channel::Post)),
        today,
        None,
    ));
    // Searches: an open request's reference; a closed, not yet anonymised
    // one's (status all); a last name; an e-mail address.
    let open_ref = seed.reference(c, 5);
    let closed_i = args.open + 100;
    let closed_ref = seed.reference(c, closed_i);
    let q = |q: &str, status: StatusFilter| {
        filter(|f| {
            f.q = Some(q.to_owned());
            f.status = status;
        })
    };
    cases.push(page_case(
        &mut conn,
        n,
        "DPO: search reference (open)",
        &dpo,
        &q(&open_ref, StatusFilter::Open),
        today,
        None,
    ));
    cases.push(page_case(
        &mut conn,
        n,
        "DPO: search reference, status all",
        &dpo,
        &q(&closed_ref, StatusFilter::All),
        today,
        None,
    ));
    cases.push(page_case(
        &mut conn,
        n,
        "DPO: search name \"bernard\" (open)",
        &dpo,
        &q("bernard", StatusFilter::Open),
        today,
        None,
    ));
    cases.push(page_case(
        &mut conn,
        n,
        "DPO: search name \"bernard\", status all",
        &dpo,
        &q("bernard", StatusFilter::All),
        today,
        None,
    ));
    cases.push(page_case(
        &mut conn,
        n,
        "DPO: search e-mail, status all",
        &dpo,
        &q(&seed.email(c, closed_i), StatusFilter::All),
        today,
        None,
    ));
    cases.push(counts_case(&mut conn, n, "DPO: counts per status", &dpo));
    cases.push(page_case(
        &mut conn,
        n,
        "admin: first page, all cities (open)",
        &admin,
        &QueueFilter::default(),
        today,
        None,
    ));
    cases.push(page_case(
        &mut conn,
        n,
        "admin: overdue, all cities",
        &admin,
        &filter(|f| f.overdue = true),
        today,
        None,
    ));
    cases.push(page_case(
        &mut conn,
        n,
        "admin: search e-mail, status all",
        &admin,
        &q(&seed.email(c, closed_i), StatusFilter::All),
        today,
        None,
    ));
    cases.push(counts_case(
        &mut conn,
        n,
        "admin: counts per status, all cities",
        &admin,
    ));

    // The session extractor's scope and the queue page's controller list.
    let dpo_id = staff::find_by_email(&mut conn, &format!("dpo{c}@bench.example.fr"))
        .unwrap()
        .expect("dpo")
        .id;
    let (_, median, p95) = time(&mut conn, n, |conn| {
        let s = scope::of(conn, &dpo_id, Role::Dpo).unwrap();
        scope::controllers(conn, &s).unwrap().len()
    });
    cases.push(Case {
        name: "DPO: scope::of + scope::controllers".into(),
        rows: 1,
        median,
        p95,
        plans: Vec::new(),
    });

    // The request page of an open request: the four reads it makes.
    let rid = seed.request_id(c, 4);
    let (rows, median, p95) = time(&mut conn, n, |conn| {
        let r = queue::find_in_scope(conn, &dpo, &rid)
            .unwrap()
            .expect("in scope");
        let m = queue::messages_with_authors(conn, &r.id).unwrap();
        let p = proofs::list_for_request(conn, &r.id).unwrap();
        let t = queue::timeline(conn, &r.id).unwrap();
        1 + m.len() + p.len() + t.len()
    });
    cases.push(Case {
        name: "request page: request, messages, proofs, timeline".into(),
        rows,
        median,
        p95,
        plans: vec![
            (
                "queue::find_in_scope".into(),
                explain::plan(&mut conn, queue::find_in_scope_query(&dpo, &rid)).unwrap(),
            ),
            (
                "queue::messages_with_authors".into(),
                explain::plan(&mut conn, queue::messages_with_authors_query(&rid)).unwrap(),
            ),
            (
                "queue::timeline".into(),
                explain::plan(&mut conn, queue::timeline_query(&rid)).unwrap(),
            ),
        ],
    });

    // The digest: every DPO's, as `digest send` computes it.
    let digest_n = (n / 10).max(5);
    let (lines, median, p95) = time(&mut conn, digest_n, |conn| {
        let recipients = digest::recipients(conn).unwrap();
        recipients
            .iter()
            .map(|r| {
                let d = digest::compute(conn, r, args.now).unwrap();
                d.overdue.len() + d.due_soon.len() + d.new.len()
            })
            .sum::<usize>()
    });
    let since = args.now - chrono::TimeDelta::hours(24);
    let one = Scope::Only(vec![seed.controller_id(c)]);
    cases.push(Case {
        name: format!(
            "digest: all {} DPOs (recipients + compute)",
            args.controllers
        ),
        rows: lines,
        median,
        p95,
        plans: vec![(
            "queue::received_since (the overdue and due-soon lists are queue::page above)".into(),
            explain::plan(
                &mut conn,
                queue::received_since_query(&one, since, digest::SECTION_LIMIT),
            )
            .unwrap(),
        )],
    });

    println!("\nload average after the runs: {}\n", load_average());
    println!("| case | rows | median ms | p95 ms |\n|---|---|---|---|");
    for case in &cases {
        println!(
            "| {} | {} | {:.2} | {:.2} |",
            case.name, case.rows, case.median, case.p95
        );
    }
    println!("\n(median and p95 of {n} runs each; the digest: {digest_n} runs)\n\n### Plans\n");
    for case in &cases {
        for (what, plan) in &case.plans {
            println!(
                "#### {} — {what}\n\n```sql\n{}\n```\n```\n{}\n```\n",
                case.name,
                plan.sql,
                plan.lines.join("\n")
            );
        }
    }
}

/// Logs in with the form as a browser does and times GETs of `path`.
fn http_bench(args: &Args) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let base = args.base.trim_end_matches('/');
        let form = client
            .get(format!("{base}/desk/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = field_value(&form, "csrf").expect("csrf field on the login form");
        let answer = client
            .post(format!("{base}/desk/login"))
            .form(&[("csrf", csrf.as_str()), ("email", &args.email), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_redirection(), "login refused: {}", answer.status());
        let url = format!("{base}{}", args.path);
        let get = |client: reqwest::Client, url: String| async move {
            let started = Instant::now();
            let a = client.get(&url).send().await.unwrap();
            let status = a.status();
            let len = a.bytes().await.unwrap().len();
            assert_eq!(status, 200, "GET {url}");
            (started.elapsed().as_secs_f64() * 1000.0, len)
        };
        // Warm-up, then sequential.
        let (_, bytes) = get(client.clone(), url.clone()).await;
        let started = Instant::now();
        let mut ms = Vec::new();
        for _ in 0..args.requests {
            ms.push(get(client.clone(), url.clone()).await.0);
        }
        let wall = started.elapsed().as_secs_f64();
        let (median, p95) = median_p95(ms);
        println!("| mode | requests | wall s | requests/s | median ms | p95 ms |\n|---|---|---|---|---|---|");
        println!(
            "| sequential | {} | {wall:.2} | {:.0} | {median:.2} | {p95:.2} |",
            args.requests,
            args.requests as f64 / wall
        );
        // Concurrent clients sharing the session.
        let started = Instant::now();
        let per = args.requests / args.clients.max(1);
        let tasks: Vec<_> = (0..args.clients)
            .map(|_| {
                let (client, url) = (client.clone(), url.clone());
                tokio::spawn(async move {
                    let mut ms = Vec::new();
                    for _ in 0..per {
                        ms.push(get(client.clone(), url.clone()).await.0);
                    }
                    ms
                })
            })
            .collect();
        let mut ms = Vec::new();
        for t in tasks {
            ms.extend(t.await.unwrap());
        }
        let wall = started.elapsed().as_secs_f64();
        let (median, p95) = median_p95(ms);
        println!(
            "| {} concurrent clients | {} | {wall:.2} | {:.0} | {median:.2} | {p95:.2} |",
            args.clients,
            per * args.clients,
            (per * args.clients) as f64 / wall
        );
        println!("\n(page size {bytes} bytes; load average {})", load_average());
    });
}

/// The value of the hidden field `name` in an HTML page.
fn field_value(body: &str, name: &str) -> Option<String> {
    let at = body.find(&format!("name=\"{name}\""))?;
    let rest = &body[at..];
    let from = rest.find("value=\"")? + "value=\"".len();
    let to = rest[from..].find('"')? + from;
    Some(rest[from..to].to_owned())
}
