//! Messages between the DPO and the citizen, and the DPO's internal notes
//! (never shown to the citizen).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::DbConn;
use crate::db::schema::request_messages;
use crate::domain::ids::{RequestId, StaffId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    ToCitizen,
    FromCitizen,
    InternalNote,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::ToCitizen => "to_citizen",
            Direction::FromCitizen => "from_citizen",
            Direction::InternalNote => "internal_note",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, PartialEq, Eq)]
#[diesel(table_name = request_messages)]
pub struct Message {
    pub id: String,
    pub request_id: RequestId,
    pub direction: String,
    pub author_staff_id: Option<StaffId>,
    pub body: String,
    pub created_at: NaiveDateTime,
}

pub fn add(
    conn: &mut DbConn,
    request_id: &RequestId,
    direction: Direction,
    author_staff_id: Option<&StaffId>,
    body: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(request_messages::table)
        .values((
            request_messages::id.eq(Uuid::now_v7().to_string()),
            request_messages::request_id.eq(request_id),
            request_messages::direction.eq(direction.as_str()),
            request_messages::author_staff_id.eq(author_staff_id),
            request_messages::body.eq(body),
            request_messages::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// What the citizen may see: messages both ways, oldest first; never notes.
pub fn list_for_citizen(conn: &mut DbConn, request_id: &RequestId) -> QueryResult<Vec<Message>> {
    request_messages::table
        .filter(request_messages::request_id.eq(request_id))
        .filter(request_messages::direction.ne(Direction::InternalNote.as_str()))
        .order((
            request_messages::created_at.asc(),
            request_messages::id.asc(),
        ))
        .select(Message::as_select())
        .load(conn)
}

pub fn list_all(conn: &mut DbConn, request_id: &RequestId) -> QueryResult<Vec<Message>> {
    request_messages::table
        .filter(request_messages::request_id.eq(request_id))
        .order((
            request_messages::created_at.asc(),
            request_messages::id.asc(),
        ))
        .select(Message::as_select())
        .load(conn)
}
