//! `GET /desk/queue`: the requests of the controllers in scope, most urgent
//! first, with filters, a search, counts per status and keyset pagination
//! (see [`crate::store::queue`], where the scope filter sits in the SQL).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use askama::Template;
use chrono::NaiveDate;

use super::blocking;
use super::pages::StaffBar;
use crate::domain::deadline::{Urgency, days_left};
use crate::domain::ids::RequestId;
use crate::domain::request::{Channel, RequestKind, Status};
use crate::i18n::Tr;
use crate::security::session::StaffSession;
use crate::store::queue::{self, Cursor, PAGE_SIZE, QueueFilter, QueueRow, StatusFilter};
use crate::store::scope;
use crate::web::pages::html;
use crate::web::{AppState, PageLang, PageResult};

#[derive(serde::Deserialize, Default)]
pub struct QueueQuery {
    status: Option<String>,
    kind: Option<String>,
    channel: Option<String>,
    overdue: Option<String>,
    due_within_7: Option<String>,
    q: Option<String>,
    after: Option<String>,
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub(crate) fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn checked(value: Option<&str>) -> bool {
    matches!(value, Some("1" | "on" | "true"))
}

/// The filters as typed; unknown values are ignored (the whole queue
/// rather than an error page).
fn parse_filter(q: &QueueQuery) -> QueueFilter {
    let status = match q.status.as_deref() {
        Some("all") => StatusFilter::All,
        Some(s) => match s.parse::<Status>() {
            Ok(Status::Unconfirmed) | Err(_) => StatusFilter::Open,
            Ok(status) => StatusFilter::One(status),
        },
        None => StatusFilter::Open,
    };
    QueueFilter {
        status,
        kind: q.kind.as_deref().and_then(|k| k.parse().ok()),
        channel: q.channel.as_deref().and_then(|c| c.parse().ok()),
        overdue: checked(q.overdue.as_deref()),
        due_within_7: checked(q.due_within_7.as_deref()),
        q: q.q
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.chars().take(200).collect()),
    }
}

fn status_code(f: StatusFilter) -> &'static str {
    match f {
        StatusFilter::Open => "open",
        StatusFilter::All => "all",
        StatusFilter::One(s) => s.as_str(),
    }
}

/// The query string of the filters (without the cursor), `lang` first.
fn filter_query(f: &QueueFilter, lang: &str) -> String {
    let mut parts = vec![format!("lang={lang}")];
    if f.status != StatusFilter::Open {
        parts.push(format!("status={}", status_code(f.status)));
    }
    if let Some(k) = f.kind {
        parts.push(format!("kind={}", k.as_str()));
    }
    if let Some(c) = f.channel {
        parts.push(format!("channel={}", c.as_str()));
    }
    if f.overdue {
        parts.push("overdue=1".into());
    }
    if f.due_within_7 {
        parts.push("due_within_7=1".into());
    }
    if let Some(q) = &f.q {
        parts.push(format!("q={}", percent_encode(q)));
    }
    parts.join("&")
}

/// How a due date shows in the queue: the days left, a CSS class for the
/// colour, and the word that says the same as the colour.
pub struct DueView {
    pub text: String,
    pub class: &'static str,
    pub marker: Option<String>,
}

/// Where a request stands against its due date (nothing when it is closed
/// or has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueState {
    /// Days left, the due day included; negative once overdue.
    Running(i64),
    /// The clock is suspended (waiting for information).
    Suspended(i64),
}

impl DueState {
    pub fn of(due_on: Option<NaiveDate>, status: Status, today: NaiveDate) -> Option<DueState> {
        let due = due_on.filter(|_| status.is_open())?;
        let left = days_left(due, today);
        Some(if status.clock_suspended() {
            DueState::Suspended(left)
        } else {
            DueState::Running(left)
        })
    }

    /// The CSS class of the colour.
    pub fn class(self) -> &'static str {
        match self {
            DueState::Suspended(_) => "suspended",
            DueState::Running(left) => match Urgency::from_days_left(left) {
                Urgency::Overdue => "overdue",
                Urgency::DueSoon => "due-soon",
                Urgency::OnTrack => "",
            },
        }
    }
}

pub fn due_view(due_on: Option<NaiveDate>, status: Status, today: NaiveDate, t: Tr) -> DueView {
    let Some(state) = DueState::of(due_on, status, today) else {
        return DueView {
            text: t.queue_no_due_date(),
            class: "",
            marker: None,
        };
    };
    let class = state.class();
    match state {
        DueState::Suspended(left) => DueView {
            text: t.queue_days_short(left),
            class,
            marker: Some(t.queue_due_suspended()),
        },
        // "En retard 5 j", not "En retard -5 j": the marker already says
        // which side of the due date we are on, a minus sign on top reads
        // as a double negative.
        DueState::Running(left) => DueView {
            text: t.queue_days_short(left.abs()),
            class,
            marker: match Urgency::from_days_left(left) {
                Urgency::Overdue => Some(t.queue_due_overdue()),
                Urgency::DueSoon => Some(t.queue_due_soon()),
                Urgency::OnTrack => None,
            },
        },
    }
}

pub struct QueueLine {
    pub url: String,
    pub reference: String,
    pub controller: String,
    pub kind: String,
    pub status: String,
    pub due: DueView,
    pub channel: String,
    /// A mail to the requester failed (`desk::mails`): shown beside the
    /// status.
    pub mail_failed: bool,
}

pub struct CountView {
    pub label: String,
    pub count: i64,
    pub url: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "desk/queue.html")]
pub struct QueuePage {
    pub t: Tr,
    /// "Register a request received by post or e-mail", for who may act.
    pub register_url: Option<String>,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub bar: Option<StaffBar>,
    pub counts: Vec<CountView>,
    pub total: i64,
    pub show_controller: bool,
    pub lines: Vec<QueueLine>,
    pub action_url: String,
    pub status_options: Vec<(&'static str, String, bool)>,
    pub kind_options: Vec<(&'static str, String, bool)>,
    pub channel_options: Vec<(&'static str, String, bool)>,
    pub overdue: bool,
    pub due_within_7: bool,
    pub search: String,
    pub next_url: Option<String>,
    pub first_url: Option<String>,
    pub reset_url: String,
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
    PageLang(t): PageLang,
) -> PageResult {
    let lang = t.query_lang();
    let query = web::Query::<QueueQuery>::from_query(req.query_string())
        .map(web::Query::into_inner)
        .unwrap_or_default();
    let filter = parse_filter(&query);
    let after = query.after.as_deref().and_then(Cursor::parse);
    let now = state.clock.now();
    let in_scope = session.scope.clone();
    let f = filter.clone();
    let cursor = after.clone();
    let (controllers, counts, rows) = blocking(&state, move |conn| {
        let controllers = scope::controllers(conn, &in_scope)?;
        // The filters' "today": the first controller's calendar (all the
        // cities of one instance share a time zone in practice).
        let today = controllers
            .first()
            .map(|c| c.local_date(now))
            .unwrap_or_else(|| paris_date(now));
        let counts = queue::counts_by_status(conn, &in_scope)?;
        let rows = queue::page(conn, &in_scope, &f, today, cursor.as_ref(), PAGE_SIZE + 1)?;
        let ids: Vec<&RequestId> = rows.iter().map(|r| &r.id).collect();
        let failed = crate::mail::outbox::requests_with_failed_mail(conn, &ids)?;
        Ok((controllers, counts, (rows, failed)))
    })
    .await?;
    let (rows, failed_mail) = rows;

    let names: HashMap<&str, (&str, NaiveDate)> = controllers
        .iter()
        .map(|c| (c.id.as_str(), (c.name.as_str(), c.local_date(now))))
        .collect();
    let has_more = rows.len() as i64 > PAGE_SIZE;
    let shown: Vec<&QueueRow> = rows.iter().take(PAGE_SIZE as usize).collect();
    let base_query = filter_query(&filter, lang);
    let next_url = has_more.then(|| shown.last()).flatten().map(|last| {
        format!(
            "/desk/queue?{base_query}&after={}",
            percent_encode(&last.cursor().encode())
        )
    });
    let lines = shown
        .iter()
        .map(|r| {
            let (controller, today) = names
                .get(r.controller_id.as_str())
                .copied()
                .unwrap_or(("", paris_date(now)));
            let status = r.status;
            QueueLine {
                url: format!("/desk/requests/{}?lang={lang}", r.id),
                reference: r
                    .reference
                    .clone()
                    .unwrap_or_else(|| t.queue_no_reference()),
                controller: controller.to_owned(),
                kind: t.kind(r.kind),
                status: t.status(status),
                due: due_view(r.due_on, status, today, t),
                channel: t.channel(r.channel),
                mail_failed: failed_mail.contains(&r.id),
            }
        })
        .collect();

    let counts_view = counts
        .iter()
        .map(|(s, n)| CountView {
            label: t.status(*s),
            count: *n,
            url: format!("/desk/queue?lang={lang}&status={}", s.as_str()),
            current: filter.status == StatusFilter::One(*s),
        })
        .collect();
    let total = counts.iter().map(|(_, n)| n).sum();
    let mut status_options = vec![
        (
            "open",
            t.queue_all_open(),
            filter.status == StatusFilter::Open,
        ),
        (
            "all",
            t.queue_all_statuses(),
            filter.status == StatusFilter::All,
        ),
    ];
    status_options.extend(
        Status::ALL
            .into_iter()
            .filter(|s| *s != Status::Unconfirmed)
            .map(|s| {
                (
                    s.as_str(),
                    t.status(s),
                    filter.status == StatusFilter::One(s),
                )
            }),
    );
    let kind_options = RequestKind::ALL
        .into_iter()
        .map(|k| (k.as_str(), t.kind(k), filter.kind == Some(k)))
        .collect();
    let channel_options = Channel::ALL
        .into_iter()
        .map(|c| (c.as_str(), t.channel(c), filter.channel == Some(c)))
        .collect();
    let page = QueuePage {
        t,
        register_url: session
            .role()
            .can_act()
            .then(|| format!("/desk/requests/new?lang={lang}")),
        page_title: t.queue_page_title(t.desk_header()),
        header_name: t.desk_header(),
        lang_switch_url: Some(format!(
            "/desk/queue?{}",
            filter_query(&filter, t.other_lang())
        )),
        bar: Some(StaffBar::of(&session, t)),
        counts: counts_view,
        total,
        show_controller: controllers.len() > 1,
        lines,
        action_url: "/desk/queue".to_owned(),
        status_options,
        kind_options,
        channel_options,
        overdue: filter.overdue,
        due_within_7: filter.due_within_7,
        search: filter.q.clone().unwrap_or_default(),
        next_url,
        first_url: after.is_some().then(|| format!("/desk/queue?{base_query}")),
        reset_url: format!("/desk/queue?lang={lang}"),
    };
    Ok(html(StatusCode::OK, &page))
}

pub(crate) fn paris_date(now: chrono::NaiveDateTime) -> NaiveDate {
    use chrono::TimeZone;
    chrono_tz::Europe::Paris
        .from_utc_datetime(&now)
        .date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_leniently_and_round_trip() {
        let q = QueueQuery {
            status: Some("closed".into()),
            kind: Some("erasure".into()),
            channel: Some("nonsense".into()),
            overdue: Some("1".into()),
            q: Some("  Dupont & fils ".into()),
            ..QueueQuery::default()
        };
        let f = parse_filter(&q);
        assert_eq!(f.status, StatusFilter::One(Status::Closed));
        assert_eq!(f.kind, Some(RequestKind::Erasure));
        assert_eq!(f.channel, None);
        assert!(f.overdue && !f.due_within_7);
        assert_eq!(
            filter_query(&f, "fr"),
            "lang=fr&status=closed&kind=erasure&overdue=1&q=Dupont%20%26%20fils"
        );
        let unconfirmed = parse_filter(&QueueQuery {
            status: Some("unconfirmed".into()),
            ..QueueQuery::default()
        });
        assert_eq!(unconfirmed.status, StatusFilter::Open);
    }

    #[test]
    fn due_dates_show_a_word_beside_the_colour() {
        let fr = Tr::new(crate::i18n::Locale::Fr);
        let en = Tr::new(crate::i18n::Locale::En);
        let today = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        let due = |days: i64| Some(today + chrono::TimeDelta::days(days));
        let late = due_view(due(-5), Status::Received, today, fr);
        assert_eq!(
            (late.class, late.marker.as_deref(), late.text.as_str()),
            ("overdue", Some("En retard"), "5 j")
        );
        let soon = due_view(due(3), Status::InProgress, today, en);
        assert_eq!(
            (soon.class, soon.marker.as_deref(), soon.text.as_str()),
            ("due-soon", Some("Soon"), "3 d")
        );
        let waiting = due_view(due(-2), Status::AwaitingInformation, today, fr);
        assert_eq!(
            (
                waiting.class,
                waiting.marker.as_deref(),
                waiting.text.as_str()
            ),
            ("suspended", Some("délai suspendu"), "-2 j")
        );
        let far = due_view(due(30), Status::Received, today, fr);
        assert_eq!(
            (far.class, far.marker, far.text.as_str()),
            ("", None, "30 j")
        );
        assert_eq!(due_view(due(1), Status::Closed, today, fr).text, "—");
    }
}
