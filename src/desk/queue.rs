//! `GET /desk/queue`: the requests of the controllers in scope, most urgent
//! first, with filters, a search, counts per status and keyset pagination
//! (see [`crate::store::queue`], where the scope filter sits in the SQL).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;

use super::pages::StaffBar;
use super::queue_texts::{QueueTexts, queue_texts};
use super::texts::{Texts, texts};
use super::{blocking, chosen_locale};
use crate::domain::deadline::{Urgency, days_left};
use crate::domain::request::{Channel, RequestKind, Status};
use crate::domain::values::Locale;
use crate::i18n::{kind_label, status_label};
use crate::security::session::StaffSession;
use crate::store::queue::{self, Cursor, PAGE_SIZE, QueueFilter, QueueRow, StatusFilter};
use crate::store::scope;
use crate::web::AppState;
use crate::web::pages::html;

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

pub fn channel_label(channel: Channel, locale: Locale) -> String {
    crate::i18n::Tr::new(locale).channel(channel)
}

/// How a due date shows: days left, CSS class, and the text marker that
/// says the same as the colour.
pub struct DueView {
    pub text: String,
    pub class: &'static str,
    pub marker: Option<&'static str>,
}

pub fn due_view(
    due_on: Option<NaiveDate>,
    status: Status,
    today: NaiveDate,
    qt: &QueueTexts,
) -> DueView {
    let Some(due) = due_on.filter(|_| status.is_open()) else {
        return DueView {
            text: qt.no_due_date.to_owned(),
            class: "",
            marker: None,
        };
    };
    let left = days_left(due, today);
    if status.clock_suspended() {
        return DueView {
            text: format!("{left} {}", qt.days_suffix),
            class: "suspended",
            marker: Some(qt.suspended_marker),
        };
    }
    let (class, marker) = match Urgency::from_days_left(left) {
        Urgency::Overdue => ("overdue", Some(qt.overdue_marker)),
        Urgency::DueSoon => ("due-soon", Some(qt.due_soon_marker)),
        Urgency::OnTrack => ("", None),
    };
    // "En retard 5 j", not "En retard -5 j": the marker already says which
    // side of the due date we are on, a minus sign on top reads as a double
    // negative.
    DueView {
        text: format!("{} {}", left.abs(), qt.days_suffix),
        class,
        marker,
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
    /// A mail to the requester failed (`desk::mails`): the marker's text.
    pub mail_failed: Option<&'static str>,
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
    /// "Register a request received by post or e-mail", for who may act.
    pub register_link: Option<(String, &'static str)>,
    pub t: &'static Texts,
    pub q: &'static QueueTexts,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub bar: Option<StaffBar>,
    pub counts: Vec<CountView>,
    pub total: i64,
    pub show_controller: bool,
    pub lines: Vec<QueueLine>,
    pub action_url: String,
    pub lang: &'static str,
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
) -> Result<HttpResponse, actix_web::Error> {
    let locale = chosen_locale(&req);
    let t = texts(locale);
    let qt = queue_texts(locale);
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
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        let failed = crate::mail::outbox::requests_with_failed_mail(conn, &ids)?;
        Ok((controllers, counts, (rows, failed)))
    })
    .await?;
    let (rows, failed_mail) = rows;
    let mail_marker = super::mail_texts::mail_texts(locale).queue_marker;

    let names: HashMap<&str, (&str, NaiveDate)> = controllers
        .iter()
        .map(|c| (c.id.as_str(), (c.name.as_str(), c.local_date(now))))
        .collect();
    let has_more = rows.len() as i64 > PAGE_SIZE;
    let shown: Vec<&QueueRow> = rows.iter().take(PAGE_SIZE as usize).collect();
    let base_query = filter_query(&filter, t.lang);
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
                url: format!("/desk/requests/{}?lang={}", r.id, t.lang),
                reference: r
                    .reference
                    .clone()
                    .unwrap_or_else(|| qt.no_reference.to_owned()),
                controller: controller.to_owned(),
                kind: kind_label(r.kind, locale),
                status: status_label(status, locale),
                due: due_view(r.due_on, status, today, qt),
                channel: channel_label(r.channel, locale),
                mail_failed: failed_mail.contains(&r.id).then_some(mail_marker),
            }
        })
        .collect();

    let counts_view = counts
        .iter()
        .map(|(s, n)| CountView {
            label: status_label(*s, locale),
            count: *n,
            url: format!("/desk/queue?lang={}&status={}", t.lang, s.as_str()),
            current: filter.status == StatusFilter::One(*s),
        })
        .collect();
    let total = counts.iter().map(|(_, n)| n).sum();
    let mut status_options = vec![
        (
            "open",
            qt.all_open.to_owned(),
            filter.status == StatusFilter::Open,
        ),
        (
            "all",
            qt.all_statuses.to_owned(),
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
                    status_label(s, locale),
                    filter.status == StatusFilter::One(s),
                )
            }),
    );
    let kind_options = RequestKind::ALL
        .into_iter()
        .map(|k| (k.as_str(), kind_label(k, locale), filter.kind == Some(k)))
        .collect();
    let channel_options = Channel::ALL
        .into_iter()
        .map(|c| {
            (
                c.as_str(),
                channel_label(c, locale),
                filter.channel == Some(c),
            )
        })
        .collect();
    let page = QueuePage {
        register_link: session.role().can_act().then(|| {
            (
                format!("/desk/requests/new?lang={}", t.lang),
                super::register_texts::register_texts(locale).queue_link,
            )
        }),
        t,
        q: qt,
        page_title: format!("{} — {}", qt.queue_title, t.header),
        header_name: t.header.to_owned(),
        lang_switch_url: Some(format!(
            "/desk/queue?{}",
            filter_query(&filter, t.other_lang)
        )),
        bar: Some(StaffBar::new(&session, locale)),
        counts: counts_view,
        total,
        show_controller: controllers.len() > 1,
        lines,
        action_url: "/desk/queue".to_owned(),
        lang: t.lang,
        status_options,
        kind_options,
        channel_options,
        overdue: filter.overdue,
        due_within_7: filter.due_within_7,
        search: filter.q.clone().unwrap_or_default(),
        next_url,
        first_url: after.is_some().then(|| format!("/desk/queue?{base_query}")),
        reset_url: format!("/desk/queue?lang={}", t.lang),
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
}
