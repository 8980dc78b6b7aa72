//! A small in-memory sliding-window limiter for citizen submissions and
//! staff logins. Keys are hashed before they are kept, so the limiter holds
//! no e-mail or IP address in clear. Per process: behind several instances
//! each enforces its own window, which bounds abuse well enough.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use chrono::{NaiveDateTime, TimeDelta};
use sha2::{Digest, Sha256};

#[derive(Debug)]
pub struct RateLimiter {
    limit: usize,
    window: TimeDelta,
    hits: Mutex<HashMap<[u8; 32], VecDeque<NaiveDateTime>>>,
}

impl RateLimiter {
    pub fn new(limit: u32, window: TimeDelta) -> Self {
        RateLimiter {
            limit: limit as usize,
            window,
            hits: Mutex::new(HashMap::new()),
        }
    }

    /// True when `key` has reached the limit: for limits that count only
    /// failures, checked before the attempt, with [`RateLimiter::try_hit`]
    /// called after a failure.
    pub fn exhausted(&self, key: &str, now: NaiveDateTime) -> bool {
        let hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        let since = now - self.window;
        let hashed: [u8; 32] = Sha256::digest(key.as_bytes()).into();
        hits.get(&hashed)
            .is_some_and(|v| v.iter().filter(|t| **t > since).count() >= self.limit)
    }

    /// Would one more hit on every key stay within the limit? Records it on
    /// all keys only if so, so a refused attempt does not extend the ban.
    pub fn try_hit(&self, keys: &[&str], now: NaiveDateTime) -> bool {
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        let since = now - self.window;
        // Forget old entries now and then so memory stays bounded.
        if hits.len() > 10_000 {
            hits.retain(|_, v| v.back().is_some_and(|t| *t > since));
        }
        let hashed: Vec<[u8; 32]> = keys
            .iter()
            .map(|k| Sha256::digest(k.as_bytes()).into())
            .collect();
        let allowed = hashed.iter().all(|k| {
            hits.get(k)
                .map(|v| v.iter().filter(|t| **t > since).count() < self.limit)
                .unwrap_or(true)
        });
        if allowed {
            for k in hashed {
                let entry = hits.entry(k).or_default();
                while entry.front().is_some_and(|t| *t <= since) {
                    entry.pop_front();
                }
                entry.push_back(now);
            }
        }
        allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn window_slides() {
        let t0 = NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        let rl = RateLimiter::new(2, TimeDelta::hours(1));
        assert!(rl.try_hit(&["a", "ip"], t0));
        assert!(rl.try_hit(&["b", "ip"], t0));
        // The IP is at its limit even for a new address.
        assert!(!rl.try_hit(&["c", "ip"], t0));
        assert!(rl.try_hit(&["c", "ip2"], t0));
        assert!(rl.try_hit(&["a", "ip3"], t0 + TimeDelta::minutes(59)));
        assert!(!rl.try_hit(&["a", "ip4"], t0 + TimeDelta::minutes(59)));
        assert!(rl.try_hit(&["c", "ip"], t0 + TimeDelta::minutes(61)));
    }
}
