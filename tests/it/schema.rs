//! The two backends must not drift: same migration names, same tables and
//! columns, and both equal to what `src/db/schema.rs` declares. Foreign keys
//! to a request must cascade, or deleting a request would leave its proofs.

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;
use diesel::sql_types::Text;
use dsr_tracker::db::{DbConn, schema};

use crate::support::{Backend, TestDb};

type Columns = BTreeMap<String, BTreeSet<String>>;

#[derive(QueryableByName)]
struct TableColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

fn database_columns(conn: &mut DbConn, backend: Backend) -> Columns {
    let sql = match backend {
        Backend::Sqlite => {
            "SELECT m.name AS table_name, p.name AS column_name \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
             AND m.name <> '__diesel_schema_migrations'"
        }
        Backend::Postgres => {
            "SELECT table_name::text AS table_name, column_name::text AS column_name \
             FROM information_schema.columns WHERE table_schema = current_schema() \
             AND table_name <> '__diesel_schema_migrations'"
        }
    };
    let rows: Vec<TableColumn> = diesel::sql_query(sql).load(conn).expect("columns");
    let mut out = Columns::new();
    for r in rows {
        out.entry(r.table_name).or_default().insert(r.column_name);
    }
    out
}

/// The columns `schema.rs` declares, read from the SQL diesel generates for
/// `SELECT all_columns`, so this list cannot fall out of date.
fn declared_columns() -> Columns {
    macro_rules! tables {
        ($($t:ident),* $(,)?) => {{
            let mut out = Columns::new();
            $(
                let sql = diesel::debug_query::<diesel::sqlite::Sqlite, _>(
                    &schema::$t::table.select(schema::$t::all_columns),
                )
                .to_string();
                let list = sql
                    .split_once("SELECT ")
                    .and_then(|(_, rest)| rest.split_once(" FROM"))
                    .map(|(cols, _)| cols.to_owned())
                    .expect("select list");
                let cols = list
                    .split(", ")
                    .map(|c| c.rsplit('.').next().unwrap().trim_matches('`').trim_matches('"').to_owned())
                    .collect();
                out.insert(stringify!($t).to_owned(), cols);
            )*
            out
        }};
    }
    tables!(
        controllers,
        reference_counters,
        staff,
        staff_controllers,
        staff_sessions,
        login_records,
        setup_tokens,
        requests,
        request_suspensions,
        request_messages,
        request_recipients,
        identity_proofs,
        events,
        event_chain_head,
        outbox,
        suppression_entries,
        purge_runs,
        digest_sends,
        sealed_secrets,
        api_tokens,
    )
}

#[test]
fn migration_folders_have_the_same_names() {
    let names = |dir: &str| -> BTreeSet<String> {
        std::fs::read_dir(format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    let sqlite = names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, names("postgres"));
}

crate::db_test!(migrated_schema_matches_schema_rs, |db| {
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    let found = database_columns(&mut conn, db.backend);
    assert_eq!(found, declared_columns());
});

#[test]
fn both_backends_have_the_same_tables_and_columns() {
    let Some(pg) = TestDb::postgres() else {
        eprintln!("PostgreSQL skipped: TEST_DATABASE_URL is not set");
        return;
    };
    let sqlite = TestDb::sqlite();
    let pg_cols = database_columns(&mut pg.pool().get().unwrap(), Backend::Postgres);
    let sqlite_cols = database_columns(&mut sqlite.pool().get().unwrap(), Backend::Sqlite);
    assert_eq!(pg_cols, sqlite_cols);
}

#[derive(QueryableByName, Debug)]
struct ForeignKey {
    #[diesel(sql_type = Text)]
    from_table: String,
    #[diesel(sql_type = Text)]
    from_column: String,
    #[diesel(sql_type = Text)]
    to_table: String,
    #[diesel(sql_type = Text)]
    on_delete: String,
}

fn foreign_keys(conn: &mut DbConn, backend: Backend) -> Vec<ForeignKey> {
    let sql = match backend {
        Backend::Sqlite => {
            "SELECT m.name AS from_table, f.\"from\" AS from_column, f.\"table\" AS to_table, \
             f.on_delete AS on_delete \
             FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table'"
        }
        Backend::Postgres => {
            "SELECT cl.relname::text AS from_table, att.attname::text AS from_column, \
             ref.relname::text AS to_table, \
             CASE con.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' \
               WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END AS on_delete \
             FROM pg_constraint con \
             JOIN pg_class cl ON cl.oid = con.conrelid \
             JOIN pg_class ref ON ref.oid = con.confrelid \
             JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = con.conkey[1] \
             JOIN pg_namespace ns ON ns.oid = cl.relnamespace \
             WHERE con.contype = 'f' AND ns.nspname = current_schema()"
        }
    };
    diesel::sql_query(sql).load(conn).expect("foreign keys")
}

crate::db_test!(
    foreign_keys_to_requests_cascade_the_way_erasure_needs,
    |db| {
        let pool = db.pool();
        let mut conn = pool.get().unwrap();
        let fks = foreign_keys(&mut conn, db.backend);
        let to_requests: Vec<_> = fks.iter().filter(|f| f.to_table == "requests").collect();
        assert!(to_requests.len() >= 5, "{fks:?}");
        for fk in to_requests {
            let expected = if fk.from_table == "suppression_entries" {
                // The entry must outlive the anonymised request it came from.
                "SET NULL"
            } else {
                "CASCADE"
            };
            assert_eq!(
                fk.on_delete, expected,
                "{}.{} -> requests",
                fk.from_table, fk.from_column
            );
        }
    }
);

#[test]
fn sqlite_enforces_foreign_keys() {
    let db = TestDb::sqlite();
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    let err = diesel::sql_query(
        "INSERT INTO staff_controllers (staff_id, controller_id) VALUES ('nobody', 'nowhere')",
    )
    .execute(&mut conn);
    assert!(err.is_err(), "PRAGMA foreign_keys must be ON");
}

#[derive(QueryableByName)]
struct IndexedColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

/// Every foreign key column leads an index (or the primary key), so the
/// cascades of a purge stay fast on millions of rows (Lemmy's rule).
#[test]
fn every_foreign_key_is_indexed() {
    let db = TestDb::sqlite();
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    let leading: Vec<IndexedColumn> = diesel::sql_query(
        "SELECT m.name AS table_name, ii.name AS column_name \
         FROM sqlite_master m JOIN pragma_index_list(m.name) il \
         JOIN pragma_index_info(il.name) ii \
         WHERE m.type = 'table' AND ii.seqno = 0",
    )
    .load(&mut conn)
    .unwrap();
    let indexed: BTreeSet<(String, String)> = leading
        .into_iter()
        .map(|i| (i.table_name, i.column_name))
        .collect();
    for fk in foreign_keys(&mut conn, Backend::Sqlite) {
        assert!(
            indexed.contains(&(fk.from_table.clone(), fk.from_column.clone())),
            "{}.{} has no index",
            fk.from_table,
            fk.from_column
        );
    }
}
