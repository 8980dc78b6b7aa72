//! The GDPR art. 12(3) calendar: when an answer is due.
//!
//! This file owns the period arithmetic of EU Regulation 1182/71 (months,
//! the working-day rule), the controller's public-holiday calendar, the
//! stop-the-clock of decree 2019-536 art. 77, and the extension rule. It
//! stores nothing: the request's receipt date, suspensions, extension and
//! "today" are passed in, so the desk, the API and the tests compute the
//! same dates.

use std::collections::BTreeSet;
use std::fmt;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// Art. 12(3): the one-month period "may be extended by two further months
/// where necessary".
pub const MAX_EXTENSION_MONTHS: u32 = 2;

/// The desk flags a request when this few days remain, so a DPO who checks
/// the queue weekly never discovers a deadline after it has passed.
pub const DUE_SOON_DAYS: i64 = 7;

/// Regulation 1182/71 art. 3(2)(c): a period of months ends on the day of
/// the last month that has the same number as the starting day, or on that
/// month's last day when it has no such day (31 January + 1 month = 28 or
/// 29 February).
///
/// Saturates at the last representable date rather than failing: a request
/// received in the year 262143 is not a case worth an error path.
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// Easter Sunday of `year` in the Gregorian calendar (anonymous Gregorian
/// algorithm, a.k.a. Meeus/Jones/Butcher). France's movable holidays hang on
/// it. `None` only for years outside chrono's range.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let y = i64::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let n = h + l - 7 * m + 114;
    let month = u32::try_from(n.div_euclid(31)).ok()?;
    let day = u32::try_from(n.rem_euclid(31) + 1).ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

super::vocabulary! {
    /// Which statutory public holidays apply. Regulation 1182/71 counts the
    /// holidays of the member state (or institution) where the act is to be
    /// done, so each controller chooses its own.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum HolidayRegion {
        /// Code du travail art. L3133-1: the eleven national holidays.
        #[strum(serialize = "fr")]
        #[serde(rename = "fr")]
        France,
        /// Bas-Rhin, Haut-Rhin and Moselle add Good Friday and 26 December
        /// (code du travail art. L3134-13, local law; Good Friday is by the
        /// letter of the law limited to communes with a Protestant or mixed
        /// church, but public bodies there close throughout).
        #[strum(serialize = "fr-alsace-moselle")]
        #[serde(rename = "fr-alsace-moselle")]
        FranceAlsaceMoselle,
        /// Weekends only, plus the controller's extra dates (e.g. overseas
        /// departments, which add the abolition of slavery day).
        None,
    }
}

/// The controller's non-working days other than weekends: a statutory
/// region plus extra dates an administrator adds (local holidays, days the
/// town hall is closed by decree).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayCalendar {
    /// Statutory holidays.
    pub region: HolidayRegion,
    /// Additional non-working days.
    pub extra: BTreeSet<NaiveDate>,
}

impl Default for HolidayCalendar {
    /// The requirements' default: France's national holidays.
    fn default() -> Self {
        HolidayCalendar::new(HolidayRegion::France)
    }
}

/// A token of the extra-holiday list that is not a `YYYY-MM-DD` date
/// (worded by `Tr::holidays_error`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a date in YYYY-MM-DD form: {token:?}")]
pub struct ParseHolidaysError {
    /// The offending token, trimmed.
    pub token: String,
}

impl HolidayCalendar {
    /// A calendar with the statutory holidays of `region` and no extra date.
    pub const fn new(region: HolidayRegion) -> Self {
        HolidayCalendar {
            region,
            extra: BTreeSet::new(),
        }
    }

    /// The statutory holidays of the region in `year` (extra dates not
    /// included).
    pub fn statutory_holidays(region: HolidayRegion, year: i32) -> BTreeSet<NaiveDate> {
        let mut days = BTreeSet::new();
        if region == HolidayRegion::None {
            return days;
        }
        let fixed: &[(u32, u32)] = &[
            (1, 1),   // Jour de l'an
            (5, 1),   // Fête du travail
            (5, 8),   // Victoire 1945
            (7, 14),  // Fête nationale
            (8, 15),  // Assomption
            (11, 1),  // Toussaint
            (11, 11), // Armistice 1918
            (12, 25), // Noël
        ];
        days.extend(
            fixed
                .iter()
                .filter_map(|&(month, day)| NaiveDate::from_ymd_opt(year, month, day)),
        );
        let easter_offsets: [u64; 3] = [
            1,  // Lundi de Pâques
            39, // Ascension
            50, // Lundi de Pentecôte
        ];
        if region == HolidayRegion::FranceAlsaceMoselle {
            days.extend(NaiveDate::from_ymd_opt(year, 12, 26)); // Saint-Étienne
            if let Some(good_friday) =
                easter_sunday(year).and_then(|e| e.checked_sub_days(Days::new(2)))
            {
                days.insert(good_friday); // Vendredi saint
            }
        }
        if let Some(easter) = easter_sunday(year) {
            days.extend(
                easter_offsets
                    .iter()
                    .filter_map(|&offset| easter.checked_add_days(Days::new(offset))),
            );
        }
        days
    }

    /// Every non-working day of `year` other than weekends, extra dates
    /// included (for the administrator's settings page).
    pub fn holidays_in(&self, year: i32) -> BTreeSet<NaiveDate> {
        let mut days = Self::statutory_holidays(self.region, year);
        days.extend(self.extra.iter().filter(|d| d.year() == year));
        days
    }

    /// A statutory holiday of the region or an extra date.
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.extra.contains(&date)
            || Self::statutory_holidays(self.region, date.year()).contains(&date)
    }

    /// Regulation 1182/71 art. 2(2): working days are all days other than
    /// public holidays, Sundays and Saturdays.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !self.is_holiday(date)
    }

    /// Regulation 1182/71 art. 3(4): a period whose last day is a Saturday,
    /// Sunday or public holiday ends on the following working day.
    pub fn next_working_day_on_or_after(&self, date: NaiveDate) -> NaiveDate {
        let mut day = date;
        while !self.is_working_day(day) {
            match day.succ_opt() {
                Some(next) => day = next,
                None => return day,
            }
        }
        day
    }

    /// Reads the administrator's list of extra days: `YYYY-MM-DD` dates
    /// separated by commas or new lines; blank entries are ignored.
    pub fn parse_extra(text: &str) -> Result<BTreeSet<NaiveDate>, ParseHolidaysError> {
        text.split([',', '\n'])
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .map(|token| {
                NaiveDate::parse_from_str(token, "%Y-%m-%d")
                    .ok()
                    // chrono accepts "2026-5-1"; the form promises one spelling.
                    .filter(|date| date.format("%Y-%m-%d").to_string() == token)
                    .ok_or_else(|| ParseHolidaysError {
                        token: token.to_owned(),
                    })
            })
            .collect()
    }

    /// The extra days as [`parse_extra`](Self::parse_extra) reads them, one
    /// per line, in date order.
    pub fn extra_to_string(&self) -> String {
        self.extra
            .iter()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A period during which the clock stood still. Decree 2019-536 art. 77:
/// when the controller has reasonable doubts about the requester's identity
/// it may ask for the information needed, and the art. 12(3) period is
/// suspended until that information is received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Suspension {
    /// The day the information was requested.
    pub started_on: NaiveDate,
    /// The day it was received (or the wait ended); `None` while waiting.
    pub ended_on: Option<NaiveDate>,
}

impl Suspension {
    /// Whole days the clock stood still, counting a running suspension up to
    /// `today`; never negative, so a mistyped date cannot shorten the
    /// deadline.
    pub fn days(&self, today: NaiveDate) -> i64 {
        let end = self.ended_on.unwrap_or(today);
        (end - self.started_on).num_days().max(0)
    }
}

/// Total suspended days. The state machine allows one suspension at a time,
/// so suspensions do not overlap and are simply added.
pub fn suspended_days(suspensions: &[Suspension], today: NaiveDate) -> i64 {
    suspensions.iter().map(|s| s.days(today)).sum()
}

fn shift(
    received_on: NaiveDate,
    months: u32,
    suspensions: &[Suspension],
    today: NaiveDate,
    calendar: &HolidayCalendar,
) -> NaiveDate {
    let suspended = u64::try_from(suspended_days(suspensions, today)).unwrap_or(0);
    let end = add_months(received_on, months)
        .checked_add_days(Days::new(suspended))
        .unwrap_or(NaiveDate::MAX);
    calendar.next_working_day_on_or_after(end)
}

/// End of the initial one-month period, moved by the suspensions and rolled
/// to a working day. Art. 12(3) requires the citizen to be told of an
/// extension "within one month of receipt", so this is the last day on
/// which an extension may be decided.
pub fn first_month_end(
    received_on: NaiveDate,
    suspensions: &[Suspension],
    today: NaiveDate,
    calendar: &HolidayCalendar,
) -> NaiveDate {
    shift(received_on, 1, suspensions, today, calendar)
}

/// The day the answer is due (art. 12(3)): one month after receipt, plus the
/// extension, plus the suspended days, rolled to a working day (Regulation
/// 1182/71 art. 3(4)). Suspended days are added after the month arithmetic,
/// as a suspension stops the clock for that many days.
///
/// An `extension_months` above [`MAX_EXTENSION_MONTHS`] can only come from
/// corrupt data; it is capped so the displayed deadline never exceeds what
/// the law allows.
pub fn due_on(
    received_on: NaiveDate,
    suspensions: &[Suspension],
    extension_months: u32,
    today: NaiveDate,
    calendar: &HolidayCalendar,
) -> NaiveDate {
    let extension = extension_months.min(MAX_EXTENSION_MONTHS);
    shift(received_on, 1 + extension, suspensions, today, calendar)
}

/// Why the deadline cannot be extended: a code with the data its sentence
/// needs, worded by `Tr::extension_error` for staff; `Display` is for logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ExtensionError {
    /// An extension of zero months is not an extension.
    #[error("an extension must be of at least one month")]
    Zero,
    /// Art. 12(3) allows two further months in total.
    #[error(
        "the deadline can be extended by two months at most in total \
         ({current} already, {requested} requested)"
    )]
    TooLong {
        /// Months already granted.
        current: u32,
        /// Months requested now.
        requested: u32,
    },
    /// Art. 12(3): the citizen must be told of an extension within one month
    /// of receipt; that month is over.
    #[error("the first month ended on {ended_on}: it is too late to extend the deadline")]
    FirstMonthOver {
        /// Last day of the first month (after suspensions and the
        /// working-day rule).
        ended_on: NaiveDate,
    },
}

/// Art. 12(3): the period may be extended "by two further months where
/// necessary", and the citizen must be informed "within one month of
/// receipt". Checks, in order: a positive number of months, still within
/// the first month, at most two months in total.
pub fn can_extend(
    current_extension: u32,
    requested_additional_months: u32,
    today: NaiveDate,
    first_month_end: NaiveDate,
) -> Result<(), ExtensionError> {
    if requested_additional_months == 0 {
        return Err(ExtensionError::Zero);
    }
    if today > first_month_end {
        return Err(ExtensionError::FirstMonthOver {
            ended_on: first_month_end,
        });
    }
    let total = current_extension.saturating_add(requested_additional_months);
    if total > MAX_EXTENSION_MONTHS {
        return Err(ExtensionError::TooLong {
            current: current_extension,
            requested: requested_additional_months,
        });
    }
    Ok(())
}

/// Days until the due date: 0 on the due day itself (the period ends at
/// the end of that day), negative once overdue.
pub fn days_left(due_on: NaiveDate, today: NaiveDate) -> i64 {
    (due_on - today).num_days()
}

super::vocabulary! {
    /// How the desk colours a request in the queue.
    pub enum Urgency {
        /// The due date has passed: the citizen may complain to the CNIL
        /// (art. 77) for the lack of an answer.
        Overdue,
        /// At most [`DUE_SOON_DAYS`] days left (the due day included).
        DueSoon,
        /// More time left.
        OnTrack,
    }
}

impl Urgency {
    /// Classifies the result of [`days_left`].
    pub const fn from_days_left(days_left: i64) -> Self {
        if days_left < 0 {
            Urgency::Overdue
        } else if days_left <= DUE_SOON_DAYS {
            Urgency::DueSoon
        } else {
            Urgency::OnTrack
        }
    }
}

/// Everything the deadline of one request depends on, so a handler computes
/// all its dates from one value.
#[derive(Debug, Clone, Copy)]
pub struct Deadline<'a> {
    /// Date of receipt: confirmation of a web submission, or the arrival
    /// date of a letter or e-mail registered by staff.
    pub received_on: NaiveDate,
    /// Every recorded suspension.
    pub suspensions: &'a [Suspension],
    /// Months of extension already decided (0 to 2).
    pub extension_months: u32,
    /// The day of the computation (a running suspension counts up to it).
    pub today: NaiveDate,
    /// The controller's public holidays.
    pub calendar: &'a HolidayCalendar,
}

impl Deadline<'_> {
    /// See [`first_month_end`].
    pub fn first_month_end(&self) -> NaiveDate {
        first_month_end(
            self.received_on,
            self.suspensions,
            self.today,
            self.calendar,
        )
    }

    /// See [`due_on`].
    pub fn due_on(&self) -> NaiveDate {
        due_on(
            self.received_on,
            self.suspensions,
            self.extension_months,
            self.today,
            self.calendar,
        )
    }

    /// See [`can_extend`].
    pub fn can_extend(&self, requested_additional_months: u32) -> Result<(), ExtensionError> {
        can_extend(
            self.extension_months,
            requested_additional_months,
            self.today,
            self.first_month_end(),
        )
    }

    /// See [`days_left`].
    pub fn days_left(&self) -> i64 {
        days_left(self.due_on(), self.today)
    }

    /// See [`Urgency::from_days_left`].
    pub fn urgency(&self) -> Urgency {
        Urgency::from_days_left(self.days_left())
    }
}

impl fmt::Display for Deadline<'_> {
    /// The due date as the desk prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.due_on().format("%Y-%m-%d"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    fn france() -> HolidayCalendar {
        HolidayCalendar::default()
    }

    #[test]
    fn easter_known_dates() {
        for (year, easter) in [
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2038, "2038-04-25"),
            (2000, "2000-04-23"),
            (1818, "1818-03-22"),
            (2285, "2285-03-22"),
        ] {
            assert_eq!(easter_sunday(year), Some(d(easter)), "{year}");
        }
        assert_eq!(easter_sunday(i32::MAX), None);
    }

    #[test]
    fn french_holidays_2026() {
        let expected: BTreeSet<NaiveDate> = [
            "2026-01-01",
            "2026-04-06",
            "2026-05-01",
            "2026-05-08",
            "2026-05-14",
            "2026-05-25",
            "2026-07-14",
            "2026-08-15",
            "2026-11-01",
            "2026-11-11",
            "2026-12-25",
        ]
        .into_iter()
        .map(d)
        .collect();
        assert_eq!(france().holidays_in(2026), expected);

        let alsace = HolidayCalendar::new(HolidayRegion::FranceAlsaceMoselle);
        let mut with_local = expected.clone();
        with_local.insert(d("2026-04-03"));
        with_local.insert(d("2026-12-26"));
        assert_eq!(alsace.holidays_in(2026), with_local);

        assert!(
            HolidayCalendar::new(HolidayRegion::None)
                .holidays_in(2026)
                .is_empty()
        );
    }

    #[test]
    fn working_days() {
        let cal = france();
        assert!(cal.is_working_day(d("2026-05-15")));
        assert!(!cal.is_working_day(d("2026-05-14"))); // Ascension
        assert!(!cal.is_working_day(d("2026-05-16"))); // Saturday
        assert!(!cal.is_working_day(d("2026-05-17"))); // Sunday
        assert_eq!(
            cal.next_working_day_on_or_after(d("2026-05-14")),
            d("2026-05-15")
        );
        assert_eq!(
            cal.next_working_day_on_or_after(d("2026-05-15")),
            d("2026-05-15")
        );
        // Friday 1 May, then the weekend.
        assert_eq!(
            cal.next_working_day_on_or_after(d("2026-05-01")),
            d("2026-05-04")
        );
    }

    #[test]
    fn region_strings() {
        for region in HolidayRegion::ALL {
            assert_eq!(region.as_str().parse::<HolidayRegion>(), Ok(region));
        }
        assert_eq!(
            HolidayRegion::FranceAlsaceMoselle.as_str(),
            "fr-alsace-moselle"
        );
        assert!("fr_alsace".parse::<HolidayRegion>().is_err());
    }

    #[test]
    fn extra_dates_parse_and_print() {
        let parsed = HolidayCalendar::parse_extra("2026-06-02, 2026-01-02\n\n 2026-06-02 ,")
            .expect("valid list");
        assert_eq!(
            parsed.iter().copied().collect::<Vec<_>>(),
            [d("2026-01-02"), d("2026-06-02")]
        );
        let cal = HolidayCalendar {
            region: HolidayRegion::France,
            extra: parsed.clone(),
        };
        assert_eq!(cal.extra_to_string(), "2026-01-02\n2026-06-02");
        assert_eq!(
            HolidayCalendar::parse_extra(&cal.extra_to_string()),
            Ok(parsed)
        );
        assert!(!cal.is_working_day(d("2026-06-02")));
        assert_eq!(HolidayCalendar::parse_extra(" \n"), Ok(BTreeSet::new()));

        for bad in ["2026-02-30", "2026-5-1", "02/06/2026", "tomorrow"] {
            let err = HolidayCalendar::parse_extra(&format!("2026-01-02, {bad}")).expect_err(bad);
            assert_eq!(err.token, bad);
        }
    }

    #[test]
    fn add_months_clamps_to_month_end() {
        assert_eq!(add_months(d("2026-01-31"), 1), d("2026-02-28"));
        assert_eq!(add_months(d("2024-01-31"), 1), d("2024-02-29"));
        assert_eq!(add_months(d("2026-03-31"), 1), d("2026-04-30"));
        assert_eq!(add_months(d("2026-01-31"), 3), d("2026-04-30"));
        assert_eq!(add_months(d("2026-12-25"), 1), d("2027-01-25"));
        assert_eq!(add_months(NaiveDate::MAX, 1), NaiveDate::MAX);
    }

    #[test]
    fn due_dates_table() {
        let cal = france();
        for (received, due, why) in [
            ("2026-01-31", "2026-03-02", "28 Feb is a Saturday"),
            (
                "2026-03-31",
                "2026-04-30",
                "no 31 April: last day, a Thursday",
            ),
            ("2026-04-10", "2026-05-11", "10 May is a Sunday"),
            ("2026-04-01", "2026-05-04", "1 May is a Friday holiday"),
            ("2026-04-08", "2026-05-11", "8 May is a Friday holiday"),
            ("2026-04-14", "2026-05-15", "Ascension, Thursday 14 May"),
            ("2026-04-25", "2026-05-26", "Whit Monday 25 May"),
            (
                "2026-12-25",
                "2027-01-25",
                "received on a holiday: no effect",
            ),
            ("2024-01-31", "2024-02-29", "leap year"),
            (
                "2026-03-03",
                "2026-04-03",
                "Good Friday is worked outside Alsace-Moselle",
            ),
        ] {
            let got = due_on(d(received), &[], 0, d(received), &cal);
            assert_eq!(got, d(due), "received {received}: {why}");
        }
    }

    #[test]
    fn alsace_moselle_good_friday() {
        let cal = HolidayCalendar::new(HolidayRegion::FranceAlsaceMoselle);
        // 3 April 2026 is Good Friday, 6 April Easter Monday.
        assert_eq!(
            due_on(d("2026-03-03"), &[], 0, d("2026-03-03"), &cal),
            d("2026-04-07")
        );
    }

    #[test]
    fn extension_adds_months_from_receipt() {
        let cal = france();
        let received = d("2026-01-31");
        assert_eq!(due_on(received, &[], 2, received, &cal), d("2026-04-30"));
        assert_eq!(due_on(received, &[], 1, received, &cal), d("2026-03-31"));
        // Corrupt data cannot push the deadline beyond three months.
        assert_eq!(due_on(received, &[], 9, received, &cal), d("2026-04-30"));
    }

    #[test]
    fn suspension_moves_the_due_date() {
        let cal = france();
        let received = d("2026-03-10");
        assert_eq!(due_on(received, &[], 0, received, &cal), d("2026-04-10"));
        let ten_days = [Suspension {
            started_on: d("2026-03-12"),
            ended_on: Some(d("2026-03-22")),
        }];
        // 10 April + 10 days = Monday 20 April.
        assert_eq!(
            due_on(received, &ten_days, 0, d("2026-04-01"), &cal),
            d("2026-04-20")
        );
        // Then the working-day rule: 2 April + 10 days = Sunday 12 April.
        let from_march_2 = d("2026-03-02");
        assert_eq!(
            due_on(from_march_2, &ten_days, 0, d("2026-04-01"), &cal),
            d("2026-04-13")
        );
    }

    #[test]
    fn ongoing_suspension_counts_up_to_today() {
        let cal = france();
        let received = d("2026-03-10");
        let ongoing = [Suspension {
            started_on: d("2026-03-20"),
            ended_on: None,
        }];
        assert_eq!(suspended_days(&ongoing, d("2026-03-25")), 5);
        assert_eq!(
            due_on(received, &ongoing, 0, d("2026-03-25"), &cal),
            d("2026-04-15")
        );
        assert_eq!(
            due_on(received, &ongoing, 0, d("2026-03-20"), &cal),
            d("2026-04-10")
        );
        // A start date after "today" never shortens the deadline.
        assert_eq!(suspended_days(&ongoing, d("2026-03-01")), 0);
        let backwards = Suspension {
            started_on: d("2026-03-20"),
            ended_on: Some(d("2026-03-18")),
        };
        assert_eq!(backwards.days(d("2026-04-01")), 0);
    }

    #[test]
    fn extension_only_during_first_month() {
        let cal = france();
        let received = d("2026-01-31");
        let first_end = first_month_end(received, &[], received, &cal);
        assert_eq!(first_end, d("2026-03-02"));
        assert_eq!(can_extend(0, 2, d("2026-03-02"), first_end), Ok(()));
        assert_eq!(
            can_extend(0, 1, d("2026-03-03"), first_end),
            Err(ExtensionError::FirstMonthOver {
                ended_on: first_end
            })
        );
        assert_eq!(can_extend(1, 1, d("2026-02-15"), first_end), Ok(()));
        assert_eq!(
            can_extend(1, 2, d("2026-02-15"), first_end),
            Err(ExtensionError::TooLong {
                current: 1,
                requested: 2
            })
        );
        assert_eq!(
            can_extend(0, 3, d("2026-02-15"), first_end),
            Err(ExtensionError::TooLong {
                current: 0,
                requested: 3
            })
        );
        assert_eq!(
            can_extend(0, 0, d("2026-02-15"), first_end),
            Err(ExtensionError::Zero)
        );
        let over = ExtensionError::FirstMonthOver {
            ended_on: first_end,
        };
        assert!(over.to_string().contains("2026-03-02"));
    }

    #[test]
    fn suspension_also_moves_the_first_month() {
        let cal = france();
        let received = d("2026-03-10");
        let waiting = [Suspension {
            started_on: d("2026-03-12"),
            ended_on: Some(d("2026-03-22")),
        }];
        let deadline = Deadline {
            received_on: received,
            suspensions: &waiting,
            extension_months: 0,
            today: d("2026-04-15"),
            calendar: &cal,
        };
        assert_eq!(deadline.first_month_end(), d("2026-04-20"));
        assert_eq!(deadline.can_extend(2), Ok(()));
    }

    #[test]
    fn days_left_and_urgency() {
        let due = d("2026-04-20");
        assert_eq!(days_left(due, d("2026-04-20")), 0);
        assert_eq!(days_left(due, d("2026-04-21")), -1);
        assert_eq!(days_left(due, d("2026-04-10")), 10);
        assert_eq!(Urgency::from_days_left(-1), Urgency::Overdue);
        assert_eq!(Urgency::from_days_left(0), Urgency::DueSoon);
        assert_eq!(Urgency::from_days_left(7), Urgency::DueSoon);
        assert_eq!(Urgency::from_days_left(8), Urgency::OnTrack);

        let cal = france();
        let deadline = Deadline {
            received_on: d("2026-03-10"),
            suspensions: &[],
            extension_months: 0,
            today: d("2026-04-08"),
            calendar: &cal,
        };
        assert_eq!(deadline.due_on(), d("2026-04-10"));
        assert_eq!(deadline.days_left(), 2);
        assert_eq!(deadline.urgency(), Urgency::DueSoon);
        assert_eq!(deadline.to_string(), "2026-04-10");
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (0u64..(365 * 40)).prop_map(|offset| d("2000-01-01") + Days::new(offset))
    }

    proptest! {
        #[test]
        fn due_date_properties(
            received in any_date(),
            extension in 0u32..=2,
            suspended in proptest::option::of(0u64..60),
            alsace in any::<bool>(),
        ) {
            let cal = if alsace {
                HolidayCalendar::new(HolidayRegion::FranceAlsaceMoselle)
            } else {
                france()
            };
            let suspensions: Vec<Suspension> = suspended
                .map(|days| Suspension {
                    started_on: received,
                    ended_on: Some(received + Days::new(days)),
                })
                .into_iter()
                .collect();
            let due = due_on(received, &suspensions, extension, received, &cal);
            let raw = add_months(received, 1 + extension)
                + Days::new(u64::try_from(suspended_days(&suspensions, received)).unwrap_or(0));
            prop_assert!(cal.is_working_day(due));
            prop_assert!(due >= raw);
            // The roll never skips a working day.
            let mut day = raw;
            while day < due {
                prop_assert!(!cal.is_working_day(day));
                day = day.succ_opt().expect("in range");
            }
            // Never more than a long weekend plus a holiday cluster away.
            prop_assert!((due - raw).num_days() <= 4);
            prop_assert!(first_month_end(received, &suspensions, received, &cal) <= due);
        }

        #[test]
        fn add_months_keeps_the_day_or_clamps(date in any_date(), months in 0u32..40) {
            let later = add_months(date, months);
            let month_index = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
            prop_assert_eq!(month_index(later) - month_index(date), months as i32);
            if later.day() != date.day() {
                prop_assert!(later.day() < date.day());
                prop_assert_eq!(later.succ_opt().map(|n| n.day()), Some(1));
            }
        }
    }
}
