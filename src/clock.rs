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

/// The UTC instant of `hour:00` on the local date of `now` in `tz`: when a
/// daily job (the purge, the DPO digest) becomes due "today" in a
/// controller's time zone. On the night the clocks go forward and that hour
/// does not exist, the first hour that does; on the night they go back, its
/// first occurrence. `None` only if no hour from `hour` to 23 exists.
pub fn daily_instant(now: NaiveDateTime, tz: chrono_tz::Tz, hour: u32) -> Option<NaiveDateTime> {
    use chrono::{LocalResult, TimeZone};
    let date = tz.from_utc_datetime(&now).date_naive();
    (hour..24).find_map(
        |h| match tz.from_local_datetime(&date.and_hms_opt(h, 0, 0)?) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.naive_utc()),
            LocalResult::None => None,
        },
    )
}
