//! The plan the database chooses for a query object of the desk, so the
//! queue benchmark (`examples/queue_bench.rs`) shows the plan of the very
//! statement the page runs, binds included, rather than of a copy of its
//! SQL that could drift. (The purge has its own, per backend, in
//! [`crate::purge::queries`].)

use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::query_dsl::LoadQuery;
use diesel::sql_types::{Text, Untyped};

use super::{Backend, DbConn};

type MultiBackend = <DbConn as Connection>::Backend;

/// A query the store both runs and can explain: what the `*_query`
/// functions of [`crate::store::queue`] return.
pub trait PlannedQuery<'a, U>:
    LoadQuery<'a, DbConn, U> + RunQueryDsl<DbConn> + QueryFragment<MultiBackend> + QueryId + 'a
{
}

impl<'a, U, T> PlannedQuery<'a, U> for T where
    T: LoadQuery<'a, DbConn, U> + RunQueryDsl<DbConn> + QueryFragment<MultiBackend> + QueryId + 'a
{
}

/// `EXPLAIN QUERY PLAN` (SQLite) or `EXPLAIN` (PostgreSQL) before a query.
#[derive(Debug, Clone, Copy, QueryId)]
struct Explain<Q> {
    prefix: &'static str,
    query: Q,
}

impl<Q: QueryFragment<MultiBackend>> QueryFragment<MultiBackend> for Explain<Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        out.push_sql(self.prefix);
        self.query.walk_ast(out.reborrow())
    }
}

impl<Q> diesel::query_builder::Query for Explain<Q> {
    type SqlType = Untyped;
}

impl<Q> RunQueryDsl<DbConn> for Explain<Q> {}

#[derive(QueryableByName)]
struct SqlitePlanRow {
    #[diesel(sql_type = Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct PgPlanRow {
    #[diesel(sql_type = Text)]
    #[diesel(column_name = "QUERY PLAN")]
    line: String,
}

/// A statement and the plan the database chose for it.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The `EXPLAIN` statement as sent, with its binds (as diesel's
    /// instrumentation prints it).
    pub sql: String,
    /// One line per row of the database's answer.
    pub lines: Vec<String>,
}

/// The plan of `query`.
pub fn plan<Q>(conn: &mut DbConn, query: Q) -> QueryResult<Plan>
where
    Q: QueryFragment<MultiBackend> + QueryId,
{
    use diesel::connection::InstrumentationEvent;
    use std::sync::{Arc, Mutex};
    let seen = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&seen);
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event
            && let Ok(mut s) = sink.lock()
        {
            *s = query.to_string();
        }
    });
    let lines = match conn.backend() {
        Backend::Postgres => Explain {
            prefix: "EXPLAIN ",
            query,
        }
        .load::<PgPlanRow>(conn)
        .map(|rows| rows.into_iter().map(|r| r.line).collect()),
        Backend::Sqlite => Explain {
            prefix: "EXPLAIN QUERY PLAN ",
            query,
        }
        .load::<SqlitePlanRow>(conn)
        .map(|rows| rows.into_iter().map(|r| r.detail).collect()),
    };
    conn.set_instrumentation(|_: InstrumentationEvent<'_>| {});
    let sql = seen.lock().map(|s| s.clone()).unwrap_or_default();
    Ok(Plan { sql, lines: lines? })
}
