//! Small in-memory sliding-window limiters: [`RateLimiter`] for citizen
//! submissions, [`LoginThrottle`] for staff logins. Keys are hashed before
//! they are kept, so neither holds an e-mail or IP address in clear. Per
//! process: behind several instances each enforces its own window, which
//! bounds abuse well enough.

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

/// What [`LoginThrottle::check`] decides about one more login attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginVerdict {
    /// Check the password.
    Allowed,
    /// Too many failures from this address (for this account, or for all
    /// accounts): refused until the window has slid.
    Refused,
    /// The account is being guessed at from many addresses: the next try
    /// is possible in `seconds`. Short and growing, never a lock-out.
    Wait { seconds: i64 },
}

/// Staff login throttling that never locks the rightful user out.
///
/// Only failures count, in three ways: per account-and-address pair (the
/// usual typo-prone user, or a guesser on one address, refused past
/// `pair_limit`), per address across accounts (one address trying many
/// accounts, refused past three times that), and per account across
/// addresses. The last one only ever slows: past `pair_limit` failures
/// from anywhere, each further try on the account waits for a delay that
/// doubles with every failure up to [`MAX_ACCOUNT_DELAY_SECONDS`], so a
/// botnet gets a few guesses a minute while the account's owner, from
/// their own address, waits at most that long. A success forgets its
/// pair's failures.
#[derive(Debug)]
pub struct LoginThrottle {
    pair_limit: usize,
    window: TimeDelta,
    failures: Mutex<HashMap<[u8; 32], VecDeque<NaiveDateTime>>>,
}

/// The longest an account's owner ever waits for the next try.
pub const MAX_ACCOUNT_DELAY_SECONDS: i64 = 60;

impl LoginThrottle {
    pub fn new(pair_limit: u32, window: TimeDelta) -> Self {
        LoginThrottle {
            pair_limit: pair_limit as usize,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Failures from one address across accounts before it is refused.
    pub fn address_limit(&self) -> usize {
        self.pair_limit * 3
    }

    fn keys(account: &str, address: &str) -> ([u8; 32], [u8; 32], [u8; 32]) {
        let hash = |k: String| -> [u8; 32] { Sha256::digest(k.as_bytes()).into() };
        (
            hash(format!("pair\0{account}\0{address}")),
            hash(format!("address\0{address}")),
            hash(format!("account\0{account}")),
        )
    }

    pub fn check(&self, account: &str, address: &str, now: NaiveDateTime) -> LoginVerdict {
        let (pair, addr, acct) = Self::keys(account, address);
        let since = now - self.window;
        let failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let recent = |k: &[u8; 32]| -> Vec<NaiveDateTime> {
            failures
                .get(k)
                .map(|v| v.iter().filter(|t| **t > since).copied().collect())
                .unwrap_or_default()
        };
        if recent(&pair).len() >= self.pair_limit || recent(&addr).len() >= self.address_limit() {
            return LoginVerdict::Refused;
        }
        let on_account = recent(&acct);
        let Some(over) = on_account.len().checked_sub(self.pair_limit) else {
            return LoginVerdict::Allowed;
        };
        let delay = 1_i64
            .checked_shl(over.min(62) as u32)
            .unwrap_or(i64::MAX)
            .min(MAX_ACCOUNT_DELAY_SECONDS);
        let last = on_account.iter().max().copied().unwrap_or(now);
        let free_at = last + TimeDelta::seconds(delay);
        if now < free_at {
            let seconds = (free_at - now).num_seconds().max(1);
            LoginVerdict::Wait { seconds }
        } else {
            LoginVerdict::Allowed
        }
    }

    /// A wrong password or code: counted on the pair, the address and the
    /// account.
    pub fn record_failure(&self, account: &str, address: &str, now: NaiveDateTime) {
        let (pair, addr, acct) = Self::keys(account, address);
        let since = now - self.window;
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        // Forget old entries now and then so memory stays bounded.
        if failures.len() > 10_000 {
            failures.retain(|_, v| v.back().is_some_and(|t| *t > since));
        }
        for k in [pair, addr, acct] {
            let entry = failures.entry(k).or_default();
            while entry.front().is_some_and(|t| *t <= since) {
                entry.pop_front();
            }
            entry.push_back(now);
        }
    }

    /// The rightful user got in from this address: their earlier typos
    /// there no longer count against them.
    pub fn record_success(&self, account: &str, address: &str) {
        let (pair, _, _) = Self::keys(account, address);
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.remove(&pair);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn login_throttle_counts_failures_only_and_slows_a_spread_attack() {
        let t0 = NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        let th = LoginThrottle::new(3, TimeDelta::minutes(15));
        // Successes are never counted.
        for _ in 0..20 {
            assert_eq!(th.check("a", "ip", t0), LoginVerdict::Allowed);
            th.record_success("a", "ip");
        }
        for _ in 0..3 {
            th.record_failure("a", "ip", t0);
        }
        assert_eq!(th.check("a", "ip", t0), LoginVerdict::Refused);
        // Another account on the same address is not refused…
        assert_eq!(th.check("b", "ip", t0), LoginVerdict::Allowed);
        // …until the address failed on all accounts three times the limit.
        for _ in 0..6 {
            th.record_failure("b", "ip", t0);
        }
        assert_eq!(th.check("c", "ip", t0), LoginVerdict::Refused);
        assert_eq!(th.check("c", "ip2", t0), LoginVerdict::Allowed);
        // Failures on one account from many addresses: a growing wait.
        for i in 0..3 {
            th.record_failure("x", &format!("bot{i}"), t0);
        }
        assert_eq!(th.check("x", "home", t0), LoginVerdict::Wait { seconds: 1 });
        th.record_failure("x", "bot3", t0);
        assert_eq!(th.check("x", "home", t0), LoginVerdict::Wait { seconds: 2 });
        assert_eq!(
            th.check("x", "home", t0 + TimeDelta::seconds(2)),
            LoginVerdict::Allowed
        );
        for i in 4..20 {
            th.record_failure("x", &format!("bot{i}"), t0);
        }
        assert_eq!(
            th.check("x", "home", t0),
            LoginVerdict::Wait {
                seconds: MAX_ACCOUNT_DELAY_SECONDS
            }
        );
        assert_eq!(
            th.check(
                "x",
                "home",
                t0 + TimeDelta::seconds(MAX_ACCOUNT_DELAY_SECONDS)
            ),
            LoginVerdict::Allowed
        );
    }

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
