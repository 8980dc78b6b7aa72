//! A city's queue on an instance with anonymised years: every statement of
//! the desk's queue reads the city's live requests through
//! `requests_live_idx` (SQLite plans, without statistics: the worst case),
//! and the "all statuses" filter, now spelled as a list of statuses, still
//! lists exactly the city's requests that are neither unconfirmed nor
//! anonymised. Speed itself is measured in BENCHMARKS.md, not here.

use std::collections::BTreeSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use dsr_tracker::db::explain;
use dsr_tracker::db::schema::requests;
use dsr_tracker::domain::request::Status;
use dsr_tracker::purge::seed::{self, QueueSeed};
use dsr_tracker::store::queue::{self, Cursor, QueueFilter, StatusFilter};
use dsr_tracker::store::scope::Scope;

use crate::support::Backend;

fn seeded(db: &crate::support::TestDb) -> (dsr_tracker::db::DbConn, QueueSeed<'static>) {
    let mut conn = db.conn();
    dsr_tracker::db::run_migrations(&mut conn).unwrap();
    let now: NaiveDateTime = "2026-03-02T08:00:00".parse().unwrap();
    // 3,200 a city: the oldest ~110 closed for more than a year, anonymised.
    let s = QueueSeed {
        prefix: "t",
        controllers: 3,
        per_controller: 3200,
        open: 6,
        now,
    };
    seed::queue(&mut conn, &s).unwrap();
    (conn, s)
}

crate::db_test!(all_statuses_lists_exactly_the_citys_live_requests, |db| {
    let (mut conn, s) = seeded(&db);
    let city = s.controller_id(1);
    let scope = Scope::Only(vec![city.clone()]);
    let expected: BTreeSet<String> = requests::table
        .filter(requests::controller_id.eq(&city))
        .filter(requests::anonymised_at.is_null())
        .filter(requests::status.ne(Status::Unconfirmed.as_str()))
        .select(requests::id)
        .load::<String>(&mut conn)
        .unwrap()
        .into_iter()
        .collect();
    let anonymised: i64 = requests::table
        .filter(requests::controller_id.eq(&city))
        .filter(requests::anonymised_at.is_not_null())
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert!(anonymised > 0, "the seed must have anonymised requests");
    assert!(expected.len() > 3000, "{}", expected.len());

    let all = QueueFilter {
        status: StatusFilter::All,
        ..QueueFilter::default()
    };
    let mut seen = Vec::new();
    let mut cursor: Option<Cursor> = None;
    loop {
        let rows =
            queue::page(&mut conn, &scope, &all, s.now.date(), cursor.as_ref(), 500).unwrap();
        let Some(last) = rows.last() else { break };
        cursor = Some(last.cursor());
        assert!(rows.iter().all(|r| r.controller_id == city));
        seen.extend(rows.into_iter().map(|r| r.id));
    }
    let unique: BTreeSet<String> = seen.iter().map(ToString::to_string).collect();
    assert_eq!(unique.len(), seen.len(), "a request listed twice");
    assert_eq!(unique, expected);

    let counts = queue::counts_by_status(&mut conn, &scope).unwrap();
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    assert_eq!(total as usize, expected.len());
});

crate::db_test!(a_citys_queue_statements_use_the_live_index, |db| {
    let (mut conn, s) = seeded(&db);
    let scope = Scope::Only(vec![s.controller_id(1)]);
    let today = s.now.date();
    let filters = [
        ("open", QueueFilter::default()),
        (
            "all",
            QueueFilter {
                status: StatusFilter::All,
                ..QueueFilter::default()
            },
        ),
        (
            "closed",
            QueueFilter {
                status: StatusFilter::One(Status::Closed),
                ..QueueFilter::default()
            },
        ),
        (
            "overdue",
            QueueFilter {
                overdue: true,
                ..QueueFilter::default()
            },
        ),
        (
            "search over every status",
            QueueFilter {
                status: StatusFilter::All,
                q: Some("bernard".into()),
                ..QueueFilter::default()
            },
        ),
    ];
    let mut plans = Vec::new();
    for (name, filter) in &filters {
        let plan = explain::plan(
            &mut conn,
            queue::page_query(&scope, filter, today, None, 51),
        )
        .unwrap();
        plans.push((*name, plan));
    }
    plans.push((
        "counts",
        explain::plan(&mut conn, queue::counts_by_status_query(&scope)).unwrap(),
    ));
    for (name, plan) in &plans {
        let text = plan.lines.join("\n");
        assert!(!text.is_empty(), "{name}");
        assert!(plan.sql.contains("EXPLAIN"), "{name}: {}", plan.sql);
        if db.backend == Backend::Sqlite {
            assert!(
                text.contains("requests_live_idx"),
                "{name}: {}\n{text}",
                plan.sql
            );
            assert!(!text.contains("SCAN requests"), "{name}: {text}");
        }
    }
});
