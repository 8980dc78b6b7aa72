//! Which receipt dates staff may register for a request that arrived by
//! post or e-mail. The receipt date starts the art. 12(3) clock, so a
//! mistyped one moves the legal deadline: a date in the future cannot be
//! true, and a date more than a year back (or before the GDPR applied) is
//! almost always a typing mistake in the year, not a letter found in a
//! drawer.

use chrono::NaiveDate;

/// The GDPR applies from 25 May 2018 (art. 99(2)): no request under it
/// can have been received before.
pub const GDPR_APPLIES_FROM: NaiveDate = match NaiveDate::from_ymd_opt(2018, 5, 25) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// How far back a receipt date may go. One year covers a letter that sat
/// unregistered far beyond its deadline (it must still be recorded
/// truthfully, and shows as overdue) while catching a wrong year.
pub const MAX_RECEIPT_AGE_MONTHS: u32 = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptDateError {
    /// After the controller's today.
    #[error("the date of receipt {received_on} is after today ({today})")]
    InFuture {
        received_on: NaiveDate,
        today: NaiveDate,
    },
    /// Before [`earliest_receipt_date`].
    #[error("the date of receipt {received_on} is before {earliest}")]
    TooOld {
        received_on: NaiveDate,
        earliest: NaiveDate,
    },
}

/// The oldest receipt date accepted on `today`.
pub fn earliest_receipt_date(today: NaiveDate) -> NaiveDate {
    let year_ago = today
        .checked_sub_months(chrono::Months::new(MAX_RECEIPT_AGE_MONTHS))
        .unwrap_or(NaiveDate::MIN);
    year_ago.max(GDPR_APPLIES_FROM)
}

/// Accepts `received_on` when it is today or in the past, and not older
/// than [`earliest_receipt_date`]; `today` is in the controller's calendar.
pub fn check_receipt_date(
    received_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), ReceiptDateError> {
    if received_on > today {
        return Err(ReceiptDateError::InFuture { received_on, today });
    }
    let earliest = earliest_receipt_date(today);
    if received_on < earliest {
        return Err(ReceiptDateError::TooOld {
            received_on,
            earliest,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn today_and_the_past_year_are_accepted() {
        let today = d(2026, 3, 2);
        assert_eq!(check_receipt_date(today, today), Ok(()));
        assert_eq!(check_receipt_date(d(2026, 2, 9), today), Ok(()));
        assert_eq!(check_receipt_date(d(2025, 3, 2), today), Ok(()));
    }

    #[test]
    fn the_future_is_refused() {
        let today = d(2026, 3, 2);
        assert_eq!(
            check_receipt_date(d(2026, 3, 3), today),
            Err(ReceiptDateError::InFuture {
                received_on: d(2026, 3, 3),
                today
            })
        );
    }

    #[test]
    fn more_than_a_year_back_or_before_the_gdpr_is_refused() {
        let today = d(2026, 3, 2);
        assert_eq!(
            check_receipt_date(d(2025, 3, 1), today),
            Err(ReceiptDateError::TooOld {
                received_on: d(2025, 3, 1),
                earliest: d(2025, 3, 2)
            })
        );
        assert_eq!(earliest_receipt_date(d(2018, 9, 1)), GDPR_APPLIES_FROM);
        assert!(check_receipt_date(d(2018, 5, 24), d(2018, 9, 1)).is_err());
    }
}
