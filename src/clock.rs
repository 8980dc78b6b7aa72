//! Time is injected: deadline, purge and audit code ask a `Clock`, so tests
//! can move a request a year forward without waiting a year.

use std::sync::Arc;
use std::sync::Mutex;

use chrono::{DateTime, NaiveDateTime, SubsecRound, TimeDelta, Utc};

/// Instants are UTC and truncated to microseconds, the precision both
/// PostgreSQL and our SQLite encoding keep, so what is hashed into the audit
/// chain reads back identical.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> NaiveDateTime;
}

pub type SharedClock = Arc<dyn Clock>;

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> NaiveDateTime {
        Utc::now().naive_utc().trunc_subsecs(6)
    }
}

/// A clock that only moves when told to.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<NaiveDateTime>,
}

impl ManualClock {
    pub fn new(start: NaiveDateTime) -> Self {
        ManualClock {
            now: Mutex::new(start.trunc_subsecs(6)),
        }
    }

    pub fn at_rfc3339(text: &str) -> Result<Self, chrono::ParseError> {
        Ok(Self::new(DateTime::parse_from_rfc3339(text)?.naive_utc()))
    }

    pub fn set(&self, to: NaiveDateTime) {
        *self.now.lock().unwrap_or_else(|e| e.into_inner()) = to.trunc_subsecs(6);
    }

    pub fn advance(&self, by: TimeDelta) {
        let mut guard = self.now.lock().unwrap_or_else(|e| e.into_inner());
        *guard += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> NaiveDateTime {
        *self.now.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub fn system() -> SharedClock {
    Arc::new(SystemClock)
}
