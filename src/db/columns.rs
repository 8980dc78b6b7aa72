//! The closed vocabularies of the domain as text columns, on every backend.
//!
//! Each enum derives diesel's `AsExpression`/`FromSqlRow` with
//! `sql_type = Text` where it is declared; these impls read and write its
//! `as_str()` spelling. They are generic over the backend, so they hold for
//! SQLite, PostgreSQL and the `MultiBackend` of [`DbConn`](super::DbConn)
//! (which dispatches to the first two through `String`/`str`).
//!
//! Reading a spelling no variant has fails the query with a deserialization
//! error naming the type and the value: a row written by a newer version or
//! edited by hand must not be read as some default (a request "received"
//! when it was something else, a viewer promoted or demoted).
//!
//! The typed ids of `domain::ids` are text columns too: any stored text is
//! an id, read without being parsed again.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

use crate::domain::deadline::HolidayRegion;
use crate::domain::ids::{ControllerId, ProofId, RequestId, StaffId};
use crate::domain::request::{Channel, Outcome, RequestKind, Status};
use crate::domain::values::{Locale, Role};

macro_rules! text_column {
    ($($t:ty),+ $(,)?) => {$(
        impl<DB> FromSql<Text, DB> for $t
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let text = <String as FromSql<Text, DB>>::from_sql(bytes)?;
                Ok(text.parse::<$t>()?)
            }
        }

        impl<DB> ToSql<Text, DB> for $t
        where
            DB: Backend,
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                <str as ToSql<Text, DB>>::to_sql(self.as_str(), out)
            }
        }
    )+};
}

text_column!(
    RequestKind,
    Channel,
    Status,
    Outcome,
    HolidayRegion,
    Locale,
    Role
);

macro_rules! id_column {
    ($($t:ty),+ $(,)?) => {$(
        impl<DB> FromSql<Text, DB> for $t
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                <String as FromSql<Text, DB>>::from_sql(bytes).map(<$t>::from)
            }
        }

        impl<DB> ToSql<Text, DB> for $t
        where
            DB: Backend,
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                <str as ToSql<Text, DB>>::to_sql(self.as_str(), out)
            }
        }
    )+};
}

id_column!(RequestId, ControllerId, StaffId, ProofId);
