//! Which controllers a staff account may see. Every staff query that reads
//! a controller's data takes a [`Scope`] and filters on it **in the query**,
//! so a URL naming another controller finds nothing rather than being
//! refused only by the page.
//!
//! The rule: an account sees the controllers of its `staff_controllers`
//! rows; an admin with no rows administers every controller (the hosting
//! provider's account); a DPO or viewer with no rows sees nothing.

use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{controllers, staff_controllers};
use crate::domain::ids::{ControllerId, StaffId};
use crate::domain::values::Role;
use crate::store::controllers::Controller;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every controller (an admin without scope rows).
    All,
    /// These controller ids only (possibly none).
    Only(Vec<ControllerId>),
}

impl Scope {
    pub fn allows(&self, controller_id: &ControllerId) -> bool {
        match self {
            Scope::All => true,
            Scope::Only(ids) => ids.iter().any(|id| id == controller_id),
        }
    }

    /// The ids to filter on, `None` for every controller.
    pub fn controller_ids(&self) -> Option<&[ControllerId]> {
        match self {
            Scope::All => None,
            Scope::Only(ids) => Some(ids),
        }
    }

    /// The scope an account with these `staff_controllers` rows has.
    pub fn from_rows(ids: Vec<ControllerId>, role: Role) -> Scope {
        if ids.is_empty() && role == Role::Admin {
            Scope::All
        } else {
            Scope::Only(ids)
        }
    }

    /// True when an administrator with this scope may manage an account
    /// with `other`: a platform admin manages everyone; a scoped admin only
    /// accounts whose controllers are all (and at least one) in its own, so
    /// it can neither reach a platform admin nor an account of another city.
    pub fn includes(&self, other: &Scope) -> bool {
        match (self, other) {
            (Scope::All, _) => true,
            (Scope::Only(_), Scope::All) => false,
            (Scope::Only(mine), Scope::Only(theirs)) => {
                !theirs.is_empty() && theirs.iter().all(|id| mine.contains(id))
            }
        }
    }
}

/// The scope of one account, read fresh (a change of scope applies at the
/// account's next request).
pub fn of(conn: &mut DbConn, staff_id: &StaffId, role: Role) -> QueryResult<Scope> {
    let ids: Vec<ControllerId> = staff_controllers::table
        .filter(staff_controllers::staff_id.eq(staff_id))
        .select(staff_controllers::controller_id)
        .order(staff_controllers::controller_id.asc())
        .load(conn)?;
    Ok(Scope::from_rows(ids, role))
}

/// The controllers in scope, by name.
pub fn controllers(conn: &mut DbConn, scope: &Scope) -> QueryResult<Vec<Controller>> {
    let mut query = controllers::table
        .select(Controller::as_select())
        .order((controllers::name.asc(), controllers::slug.asc()))
        .into_boxed();
    if let Some(ids) = scope.controller_ids() {
        query = query.filter(controllers::id.eq_any(ids.to_vec()));
    }
    query.load(conn)
}

/// The controller with this slug if it is in scope; `None` both when it
/// does not exist and when it belongs to someone else, so the answer is
/// the same 404 and reveals nothing.
pub fn controller_by_slug(
    conn: &mut DbConn,
    scope: &Scope,
    slug: &str,
) -> QueryResult<Option<Controller>> {
    let mut query = controllers::table
        .filter(controllers::slug.eq(slug))
        .select(Controller::as_select())
        .into_boxed();
    if let Some(ids) = scope.controller_ids() {
        query = query.filter(controllers::id.eq_any(ids.to_vec()));
    }
    query.first(conn).optional()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only(ids: &[&str]) -> Scope {
        Scope::Only(ids.iter().map(|s| ControllerId::from(*s)).collect())
    }

    #[test]
    fn who_manages_whom() {
        assert!(Scope::All.includes(&Scope::All));
        assert!(Scope::All.includes(&only(&[])));
        assert!(only(&["issy", "vanves"]).includes(&only(&["issy"])));
        assert!(only(&["issy"]).includes(&only(&["issy"])));
        assert!(!only(&["issy"]).includes(&only(&["issy", "vanves"])));
        assert!(!only(&["issy"]).includes(&only(&["vanves"])));
        assert!(!only(&["issy"]).includes(&Scope::All));
        assert!(!only(&["issy"]).includes(&only(&[])));
        assert_eq!(Scope::from_rows(vec![], Role::Admin), Scope::All);
        assert_eq!(Scope::from_rows(vec![], Role::Dpo), only(&[]));
    }
}
