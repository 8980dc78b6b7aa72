//! What a data-subject request is, and what may happen to it.
//!
//! This file owns the fixed vocabularies stored with a request (kind,
//! channel, status, outcome, refusal ground) and **the one table of
//! transitions** ([`TRANSITIONS`]) that every handler goes through via
//! [`apply`]. The desk offers exactly the actions [`allowed_actions`] returns,
//! and both read the same table and the same guards, so the page and the rule
//! cannot disagree.
//!
//! Two facts sit beside the status because they are orthogonal to it: a
//! legal hold (it can be placed on a request in any status) and anonymisation
//! (after the purge, the record is kept for statistics only and nothing may
//! happen to it any more).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

super::vocabulary! {
    /// The right the citizen exercises. The kind decides the legal rules
    /// that apply: which refusal grounds exist, whether grounds must be
    /// stated, and how long the identity proof is kept.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum RequestKind {
        /// Art. 15: the answer must cover purposes, categories, recipients,
        /// retention, rights, source, automated decisions and a copy.
        Access,
        /// Art. 16; the seeds' "mise à jour" (update) is the same right.
        Rectification,
        /// Art. 17; a public body mostly refuses under 17(3)(b).
        Erasure,
        /// Art. 18, the seeds' "verrouillage"; the subject must be told
        /// before a restriction is lifted (18(3)).
        Restriction,
        /// Art. 20; does not apply to processing for a public task (20(3)).
        Portability,
        /// Art. 21(1): the citizen must give grounds relating to their
        /// particular situation.
        Objection,
        /// Art. 21(2)-(3): absolute, no grounds; feeds the suppression list.
        MarketingObjection,
    }
}

impl RequestKind {
    /// The GDPR article, for the citizen's acknowledgment and the DPO's
    /// answer, which must name the right exercised.
    pub const fn article(self) -> &'static str {
        match self {
            RequestKind::Access => "15",
            RequestKind::Rectification => "16",
            RequestKind::Erasure => "17",
            RequestKind::Restriction => "18",
            RequestKind::Portability => "20",
            RequestKind::Objection => "21(1)",
            RequestKind::MarketingObjection => "21(2)",
        }
    }

    /// Art. 21(1) lets the controller weigh "grounds relating to [the
    /// subject's] particular situation", so the form must collect them; an
    /// objection to direct marketing (21(2)) is absolute and needs none.
    pub const fn requires_grounds(self) -> bool {
        matches!(self, RequestKind::Objection)
    }

    /// Both objections share a retention period: the seeds archive the case
    /// for the limitation period of art. 8 of the code of criminal procedure.
    pub const fn is_objection(self) -> bool {
        matches!(
            self,
            RequestKind::Objection | RequestKind::MarketingObjection
        )
    }

    /// Art. 19: rectification, erasure and restriction must be communicated
    /// to each recipient of the data, so only these kinds record recipients.
    pub const fn notifies_recipients(self) -> bool {
        matches!(
            self,
            RequestKind::Rectification | RequestKind::Erasure | RequestKind::Restriction
        )
    }
}

super::vocabulary! {
    /// How the request reached the controller. The seeds accept e-mail,
    /// post and the web form; art. 12(3) runs from receipt whatever the
    /// channel, so staff register non-web requests with their receipt date.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum Channel {
        /// The public form; the e-mail address must be confirmed first.
        Web,
        /// Registered by staff from a message to the DPO's address.
        Email,
        /// Registered by staff from a letter; the receipt date is the
        /// postmark of arrival, not the registration date.
        Post,
        /// Registered by staff at a counter.
        InPerson,
    }
}

impl Channel {
    /// A web submission is not a request until its e-mail address is
    /// confirmed (otherwise anyone could file requests in someone else's
    /// name and flood the desk); staff-registered requests were received by
    /// a person and start as received.
    pub const fn initial_status(self) -> Status {
        match self {
            Channel::Web => Status::Unconfirmed,
            Channel::Email | Channel::Post | Channel::InPerson => Status::Received,
        }
    }
}

super::vocabulary! {
    /// Where a request stands. The art. 12(3) clock runs in the open
    /// statuses and stops while information is awaited (decree 2019-536,
    /// art. 77).
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum Status {
        /// Web submission whose e-mail address is not confirmed yet: not a
        /// request, no deadline; discarded after a grace period.
        Unconfirmed,
        /// Received; the identity of the requester is still to be checked
        /// (art. 12(6)).
        Received,
        /// The desk asked for information needed to identify the requester;
        /// the clock is suspended until it arrives.
        AwaitingInformation,
        /// Identity accepted; the desk works on the answer.
        InProgress,
        /// Answered (granted, partially granted or refused).
        Closed,
        /// Withdrawn by the citizen.
        Withdrawn,
    }
}

impl Status {
    /// Nothing but the purge and the legal-hold pair happens to a request in
    /// these statuses.
    pub const fn is_terminal(self) -> bool {
        matches!(self, Status::Closed | Status::Withdrawn)
    }

    /// The statuses in which the controller owes an answer, so the deadline
    /// is computed and shown (it is frozen, not stopped, while awaiting
    /// information).
    pub const fn is_open(self) -> bool {
        matches!(
            self,
            Status::Received | Status::AwaitingInformation | Status::InProgress
        )
    }

    /// Decree 2019-536 art. 77: the time spent waiting for information needed
    /// to identify the requester does not count towards the deadline.
    pub const fn clock_suspended(self) -> bool {
        matches!(self, Status::AwaitingInformation)
    }
}

super::vocabulary! {
    /// The answer given when a request is closed. Anything but a full grant
    /// must state its reasons and the right to complain to the CNIL and to
    /// seek a judicial remedy (art. 12(4)).
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum Outcome {
        /// The request was satisfied in full.
        Granted,
        /// Satisfied in part; the refused part needs grounds (art. 12(4)).
        PartiallyGranted,
        /// Not acted on; needs grounds (art. 12(4)).
        Refused,
    }
}

impl Outcome {
    /// Art. 12(4): a decision not to act (fully) must give reasons, so the
    /// desk must record at least one [`RefusalGround`].
    pub const fn requires_grounds(self) -> bool {
        matches!(self, Outcome::PartiallyGranted | Outcome::Refused)
    }
}

super::vocabulary! {
    /// The letters of art. 17(3): the only grounds on which an erasure may be
    /// refused once art. 17(1) applies.
    pub enum Art17_3Letter {
        /// 17(3)(a): exercising the right of freedom of expression and
        /// information.
        A,
        /// 17(3)(b): compliance with a legal obligation, or a task carried
        /// out in the public interest or in the exercise of official
        /// authority — the usual ground for a city.
        B,
        /// 17(3)(c): public interest in the area of public health.
        C,
        /// 17(3)(d): archiving in the public interest, scientific or
        /// historical research, or statistics.
        D,
        /// 17(3)(e): establishment, exercise or defence of legal claims.
        E,
    }
}

impl Art17_3Letter {
    /// The full reference, e.g. `17(3)(b)`.
    pub const fn article(self) -> &'static str {
        match self {
            Art17_3Letter::A => "17(3)(a)",
            Art17_3Letter::B => "17(3)(b)",
            Art17_3Letter::C => "17(3)(c)",
            Art17_3Letter::D => "17(3)(d)",
            Art17_3Letter::E => "17(3)(e)",
        }
    }
}

/// Why a request was (partly) refused. Art. 12(4) requires the reasons to be
/// given; structuring them lets the answer cite the right article and lets
/// the DPO report on refusals without reading free text.
///
/// Stored as two text columns, [`code`](Self::code) and
/// [`detail`](Self::detail), read back with [`from_parts`](Self::from_parts);
/// serde uses the same `{ "code", "detail" }` shape.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RefusalGroundRepr", into = "RefusalGroundRepr")]
pub enum RefusalGround {
    /// Art. 12(6) and 11(2): the controller cannot identify the requester
    /// (and has asked for the information it needs).
    IdentityNotEstablished,
    /// Art. 12(5): manifestly unfounded or excessive, in particular because
    /// repetitive; the controller bears the burden of proof.
    ManifestlyUnfoundedOrExcessive,
    /// Art. 17(3): erasure is not owed for the given purpose.
    ErasureException(Art17_3Letter),
    /// Art. 20(3): portability does not apply to processing necessary for a
    /// task carried out in the public interest or in the exercise of
    /// official authority.
    PortabilityPublicTask,
    /// Nothing is held about the requester: not a refusal of the right, but
    /// the citizen must still be told and informed of their remedies.
    NoDataHeld,
    /// Any other reason, stated in full (never blank: art. 12(4) requires
    /// reasons).
    Other(String),
}

/// The storage / JSON shape of a [`RefusalGround`].
#[derive(Serialize, Deserialize)]
struct RefusalGroundRepr {
    code: String,
    detail: Option<String>,
}

impl From<RefusalGround> for RefusalGroundRepr {
    fn from(ground: RefusalGround) -> Self {
        RefusalGroundRepr {
            code: ground.code().to_owned(),
            detail: ground.detail().map(str::to_owned),
        }
    }
}

impl TryFrom<RefusalGroundRepr> for RefusalGround {
    type Error = RefusalGroundError;

    fn try_from(repr: RefusalGroundRepr) -> Result<Self, Self::Error> {
        RefusalGround::from_parts(&repr.code, repr.detail.as_deref())
    }
}

/// Why a stored or submitted `(code, detail)` pair is not a refusal ground;
/// worded for staff by `Tr::refusal_ground_error`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefusalGroundError {
    /// The code names no ground.
    #[error("unknown refusal ground code {0:?}")]
    UnknownCode(String),
    /// `art17_3` needs the letter of art. 17(3) relied on.
    #[error("an art. 17(3) refusal must name a letter from a to e, got {0:?}")]
    InvalidLetter(Option<String>),
    /// `other` needs the reason written out: art. 12(4) requires reasons.
    #[error("a refusal for another reason must state that reason")]
    BlankOther,
    /// A ground that takes no detail was given one; rejected rather than
    /// silently dropped, since it is text someone meant to keep.
    #[error("the refusal ground {code:?} takes no detail")]
    UnexpectedDetail {
        /// The code that takes no detail.
        code: &'static str,
    },
}

impl RefusalGround {
    /// The first storage column.
    pub const fn code(&self) -> &'static str {
        match self {
            RefusalGround::IdentityNotEstablished => "identity_not_established",
            RefusalGround::ManifestlyUnfoundedOrExcessive => "manifestly_unfounded",
            RefusalGround::ErasureException(_) => "art17_3",
            RefusalGround::PortabilityPublicTask => "art20_3",
            RefusalGround::NoDataHeld => "no_data_held",
            RefusalGround::Other(_) => "other",
        }
    }

    /// The second storage column: the art. 17(3) letter or the free text.
    pub fn detail(&self) -> Option<&str> {
        match self {
            RefusalGround::ErasureException(letter) => Some(letter.as_str()),
            RefusalGround::Other(text) => Some(text),
            RefusalGround::IdentityNotEstablished
            | RefusalGround::ManifestlyUnfoundedOrExcessive
            | RefusalGround::PortabilityPublicTask
            | RefusalGround::NoDataHeld => None,
        }
    }

    /// Reads back the two storage columns (or a submitted form). The letter
    /// is trimmed and case-insensitive; free text is trimmed. A blank detail
    /// counts as none, so an empty form field is not an error.
    pub fn from_parts(code: &str, detail: Option<&str>) -> Result<Self, RefusalGroundError> {
        let detail = detail.map(str::trim).filter(|d| !d.is_empty());
        let no_detail = |ground: RefusalGround| match detail {
            None => Ok(ground),
            Some(_) => Err(RefusalGroundError::UnexpectedDetail {
                code: ground.code(),
            }),
        };
        match code {
            "identity_not_established" => no_detail(RefusalGround::IdentityNotEstablished),
            "manifestly_unfounded" => no_detail(RefusalGround::ManifestlyUnfoundedOrExcessive),
            "art20_3" => no_detail(RefusalGround::PortabilityPublicTask),
            "no_data_held" => no_detail(RefusalGround::NoDataHeld),
            "art17_3" => detail
                .and_then(|d| d.to_ascii_lowercase().parse::<Art17_3Letter>().ok())
                .map(RefusalGround::ErasureException)
                .ok_or_else(|| RefusalGroundError::InvalidLetter(detail.map(str::to_owned))),
            "other" => detail
                .map(|text| RefusalGround::Other(text.to_owned()))
                .ok_or(RefusalGroundError::BlankOther),
            unknown => Err(RefusalGroundError::UnknownCode(unknown.to_owned())),
        }
    }

    /// Grounds tied to one right make no sense for another: art. 17(3) only
    /// limits erasure, art. 20(3) only limits portability.
    pub const fn applies_to(&self, kind: RequestKind) -> bool {
        match self {
            RefusalGround::ErasureException(_) => matches!(kind, RequestKind::Erasure),
            RefusalGround::PortabilityPublicTask => matches!(kind, RequestKind::Portability),
            RefusalGround::IdentityNotEstablished
            | RefusalGround::ManifestlyUnfoundedOrExcessive
            | RefusalGround::NoDataHeld
            | RefusalGround::Other(_) => true,
        }
    }

    /// The GDPR provision the answer cites, when there is one.
    pub const fn article(&self) -> Option<&'static str> {
        match self {
            RefusalGround::IdentityNotEstablished => Some("12(6), 11(2)"),
            RefusalGround::ManifestlyUnfoundedOrExcessive => Some("12(5)"),
            RefusalGround::ErasureException(letter) => Some(letter.article()),
            RefusalGround::PortabilityPublicTask => Some("20(3)"),
            RefusalGround::NoDataHeld | RefusalGround::Other(_) => None,
        }
    }
}

/// Everything that can happen to a request. The desk, the citizen pages and
/// the purge all express their change as an `Action` and let [`apply`]
/// decide; payloads that the status does not depend on (note text, the
/// months of an extension, refusal grounds) travel beside it.
///
/// Closing carries its [`Outcome`] because the outcome decides where closing
/// is allowed: granting needs an accepted identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// The citizen clicked the confirmation link: the web submission becomes
    /// a request and the art. 12(3) month starts.
    ConfirmEmail,
    /// The desk is satisfied of the requester's identity (art. 12(6)).
    AcceptIdentity,
    /// The desk asks for information needed to identify the requester; the
    /// clock stops (decree 2019-536 art. 77). Every suspension is recorded
    /// beside the request.
    RequestInformation,
    /// The information arrived (or the desk gives up waiting): the clock
    /// runs again and the request goes back to [`Status::Received`], because
    /// the new information must be checked and the identity accepted anew
    /// before anything is granted.
    ResumeClock,
    /// Art. 12(3): up to two further months, with a reason, while the first
    /// month runs. The month count is checked by
    /// [`can_extend`](crate::domain::deadline::can_extend), which needs dates
    /// this table does not know.
    Extend,
    /// Internal note on the case file.
    AddNote,
    /// Art. 19: rectification, erasure or restriction communicated to the
    /// recipients of the data.
    NotifyRecipients,
    /// The answer is sent; the request is closed with this outcome.
    Close(Outcome),
    /// The citizen withdraws the request (or the unconfirmed submission).
    Withdraw,
    /// Stop the purge of this request (litigation, CNIL investigation).
    PlaceLegalHold,
    /// The reason for the hold has ended; the retention schedule applies
    /// again.
    LiftLegalHold,
    /// The retention job anonymises a closed or withdrawn request: proofs
    /// and personal data go, kind, dates and outcome stay for statistics.
    Purge,
    /// The retention job deletes a web submission whose e-mail address was
    /// never confirmed within the grace period.
    DiscardUnconfirmed,
}

impl Action {
    /// Every action, including each closing outcome (for forms and tests).
    pub const ALL: [Action; 15] = [
        Action::ConfirmEmail,
        Action::AcceptIdentity,
        Action::RequestInformation,
        Action::ResumeClock,
        Action::Extend,
        Action::AddNote,
        Action::NotifyRecipients,
        Action::Close(Outcome::Granted),
        Action::Close(Outcome::PartiallyGranted),
        Action::Close(Outcome::Refused),
        Action::Withdraw,
        Action::PlaceLegalHold,
        Action::LiftLegalHold,
        Action::Purge,
        Action::DiscardUnconfirmed,
    ];

    /// Stable text encoding, used in the audit trail and in form values.
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::ConfirmEmail => "confirm_email",
            Action::AcceptIdentity => "accept_identity",
            Action::RequestInformation => "request_information",
            Action::ResumeClock => "resume_clock",
            Action::Extend => "extend",
            Action::AddNote => "add_note",
            Action::NotifyRecipients => "notify_recipients",
            Action::Close(Outcome::Granted) => "close_granted",
            Action::Close(Outcome::PartiallyGranted) => "close_partially_granted",
            Action::Close(Outcome::Refused) => "close_refused",
            Action::Withdraw => "withdraw",
            Action::PlaceLegalHold => "place_legal_hold",
            Action::LiftLegalHold => "lift_legal_hold",
            Action::Purge => "purge",
            Action::DiscardUnconfirmed => "discard_unconfirmed",
        }
    }

    /// The actions through which data leaves for good; a legal hold exists
    /// to stop exactly these.
    pub const fn destroys_data(self) -> bool {
        matches!(self, Action::Purge | Action::DiscardUnconfirmed)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Action {
    type Err = super::UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Action::ALL
            .into_iter()
            .find(|action| action.as_str() == s)
            .ok_or_else(|| super::UnknownValue {
                type_name: "Action",
                value: s.to_owned(),
            })
    }
}

impl Serialize for Action {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The transitions between statuses: `(from, action, to)`. **This is the
/// only place** where it is decided which action may happen in which status.
/// [`apply`] adds the guards on the two facts beside the status (legal hold,
/// anonymisation); [`allowed_actions`] reads the same table and guards.
///
/// Rules a reviewer should find here:
///
/// - Granting (fully or partly) needs an accepted identity, i.e.
///   `InProgress` (art. 12(6): data must not be disclosed to someone who may
///   not be the data subject). Refusing is possible from any open status,
///   because "identity not established" (art. 12(6), 11(2)) is decided
///   precisely while the identity is unchecked or the information awaited.
/// - `ResumeClock` always returns to `Received`: the information that arrived
///   is identity information (that is what suspends the clock) and the desk
///   accepts the identity again, explicitly and on the record, before
///   granting anything. This keeps the table a plain function of the status,
///   with no hidden "where did we come from" fact.
/// - A closed or withdrawn request accepts nothing but the purge and the
///   legal-hold pair. The hold is the one deliberate exception: it exists
///   precisely to stop the purge of a closed case (litigation, CNIL
///   investigation), so it must be placeable and liftable after closure.
pub const TRANSITIONS: &[(Status, Action, Status)] = {
    use Action as A;
    use Outcome as O;
    use Status as S;
    &[
        // The citizen confirms the e-mail address: the submission becomes a
        // request and the art. 12(3) month starts.
        (S::Unconfirmed, A::ConfirmEmail, S::Received),
        (S::Unconfirmed, A::Withdraw, S::Withdrawn),
        (S::Unconfirmed, A::DiscardUnconfirmed, S::Unconfirmed),
        // Identity check and stop-the-clock.
        (S::Received, A::AcceptIdentity, S::InProgress),
        (S::Received, A::RequestInformation, S::AwaitingInformation),
        (S::InProgress, A::RequestInformation, S::AwaitingInformation),
        (S::AwaitingInformation, A::ResumeClock, S::Received),
        // Work on an open request keeps its status.
        (S::Received, A::Extend, S::Received),
        (S::AwaitingInformation, A::Extend, S::AwaitingInformation),
        (S::InProgress, A::Extend, S::InProgress),
        (S::Received, A::AddNote, S::Received),
        (S::AwaitingInformation, A::AddNote, S::AwaitingInformation),
        (S::InProgress, A::AddNote, S::InProgress),
        (S::Received, A::NotifyRecipients, S::Received),
        (
            S::AwaitingInformation,
            A::NotifyRecipients,
            S::AwaitingInformation,
        ),
        (S::InProgress, A::NotifyRecipients, S::InProgress),
        // Closing: granting needs an accepted identity, refusing does not.
        (S::InProgress, A::Close(O::Granted), S::Closed),
        (S::InProgress, A::Close(O::PartiallyGranted), S::Closed),
        (S::Received, A::Close(O::Refused), S::Closed),
        (S::AwaitingInformation, A::Close(O::Refused), S::Closed),
        (S::InProgress, A::Close(O::Refused), S::Closed),
        // The citizen may withdraw until the answer is given.
        (S::Received, A::Withdraw, S::Withdrawn),
        (S::AwaitingInformation, A::Withdraw, S::Withdrawn),
        (S::InProgress, A::Withdraw, S::Withdrawn),
        // Legal hold: on every status, closed and withdrawn included.
        (S::Unconfirmed, A::PlaceLegalHold, S::Unconfirmed),
        (S::Received, A::PlaceLegalHold, S::Received),
        (
            S::AwaitingInformation,
            A::PlaceLegalHold,
            S::AwaitingInformation,
        ),
        (S::InProgress, A::PlaceLegalHold, S::InProgress),
        (S::Closed, A::PlaceLegalHold, S::Closed),
        (S::Withdrawn, A::PlaceLegalHold, S::Withdrawn),
        (S::Unconfirmed, A::LiftLegalHold, S::Unconfirmed),
        (S::Received, A::LiftLegalHold, S::Received),
        (
            S::AwaitingInformation,
            A::LiftLegalHold,
            S::AwaitingInformation,
        ),
        (S::InProgress, A::LiftLegalHold, S::InProgress),
        (S::Closed, A::LiftLegalHold, S::Closed),
        (S::Withdrawn, A::LiftLegalHold, S::Withdrawn),
        // The retention job anonymises terminal requests only.
        (S::Closed, A::Purge, S::Closed),
        (S::Withdrawn, A::Purge, S::Withdrawn),
    ]
};

/// The status of a request together with the two facts that gate actions
/// independently of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RequestState {
    /// Where the request stands.
    pub status: Status,
    /// The purge was applied (or the unconfirmed submission discarded): only
    /// kind, dates and outcome remain, and nothing may happen any more.
    pub anonymised: bool,
    /// Under legal hold: never purged while the hold lasts.
    pub legal_hold: bool,
}

impl RequestState {
    /// A request as it is created through `channel`.
    pub const fn new(channel: Channel) -> Self {
        RequestState {
            status: channel.initial_status(),
            anonymised: false,
            legal_hold: false,
        }
    }
}

/// Why an action was refused. Every variant carries the status and the
/// action so the audit trail and the staff message can name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The table has no row for this status and action.
    #[error("{}", not_allowed_en(*status, *action))]
    NotAllowed {
        /// Status of the request.
        status: Status,
        /// The refused action.
        action: Action,
    },
    /// The request was anonymised by the purge; nothing may happen to it.
    #[error("{action} refused: the request has been anonymised")]
    Anonymised {
        /// Status of the request.
        status: Status,
        /// The refused action.
        action: Action,
    },
    /// The request is under legal hold, so the purge must not touch it.
    #[error("{action} refused: the request is under legal hold")]
    UnderLegalHold {
        /// Status of the request.
        status: Status,
        /// The refused action.
        action: Action,
    },
    /// A hold is already in place.
    #[error("{action} refused: the request is already under legal hold")]
    AlreadyOnHold {
        /// Status of the request.
        status: Status,
        /// The refused action.
        action: Action,
    },
    /// There is no hold to lift.
    #[error("{action} refused: the request is not under legal hold")]
    NotOnHold {
        /// Status of the request.
        status: Status,
        /// The refused action.
        action: Action,
    },
}

fn not_allowed_en(status: Status, action: Action) -> String {
    let why = match (status, action) {
        (Status::Closed, _) => "the request is closed",
        (Status::Withdrawn, _) => "the request has been withdrawn",
        (Status::Unconfirmed, _) => "the requester has not confirmed their e-mail address yet",
        (_, Action::Close(Outcome::Granted | Outcome::PartiallyGranted)) => {
            "accept the requester's identity before granting the request"
        }
        (_, Action::ResumeClock) => "the clock is not suspended",
        (_, Action::RequestInformation) => "information has already been requested",
        (_, Action::AcceptIdentity) => "the identity has already been accepted",
        (_, Action::ConfirmEmail) => "the e-mail address has already been confirmed",
        (_, Action::Purge) => "only a closed or withdrawn request can be anonymised",
        (_, Action::DiscardUnconfirmed) => "only an unconfirmed submission can be discarded",
        _ => "not possible in this status",
    };
    format!(
        "{} refused on a request that is {}: {why}",
        action.as_str(),
        status.as_str()
    )
}

impl TransitionError {
    /// The status the request was in.
    pub const fn status(&self) -> Status {
        match *self {
            TransitionError::NotAllowed { status, .. }
            | TransitionError::Anonymised { status, .. }
            | TransitionError::UnderLegalHold { status, .. }
            | TransitionError::AlreadyOnHold { status, .. }
            | TransitionError::NotOnHold { status, .. } => status,
        }
    }

    /// The action that was refused.
    pub const fn action(&self) -> Action {
        match *self {
            TransitionError::NotAllowed { action, .. }
            | TransitionError::Anonymised { action, .. }
            | TransitionError::UnderLegalHold { action, .. }
            | TransitionError::AlreadyOnHold { action, .. }
            | TransitionError::NotOnHold { action, .. } => action,
        }
    }

    /// Why, as a code the catalogues word (`transition-refused`): the
    /// desk shows it, the audit trail and the logs keep the code.
    pub const fn reason(&self) -> &'static str {
        match *self {
            TransitionError::NotAllowed { status, action } => match (status, action) {
                (Status::Closed, _) => "closed",
                (Status::Withdrawn, _) => "withdrawn",
                (Status::Unconfirmed, _) => "unconfirmed",
                (_, Action::Close(Outcome::Granted | Outcome::PartiallyGranted)) => {
                    "identity_first"
                }
                (_, Action::ResumeClock) => "clock_running",
                (_, Action::RequestInformation) => "information_already_requested",
                (_, Action::AcceptIdentity) => "identity_already_accepted",
                (_, Action::ConfirmEmail) => "email_already_confirmed",
                (_, Action::Purge) => "purge_needs_closed",
                (_, Action::DiscardUnconfirmed) => "discard_needs_unconfirmed",
                _ => "not_in_status",
            },
            TransitionError::Anonymised { .. } => "anonymised",
            TransitionError::UnderLegalHold { .. } => "legal_hold",
            TransitionError::AlreadyOnHold { .. } => "already_on_hold",
            TransitionError::NotOnHold { .. } => "not_on_hold",
        }
    }
}

/// The row of [`TRANSITIONS`] for this status and action, if any.
fn target(status: Status, action: Action) -> Option<Status> {
    TRANSITIONS
        .iter()
        .find(|(from, act, _)| *from == status && *act == action)
        .map(|(_, _, to)| *to)
}

/// Decides whether `action` may happen to a request in `state` and, if so,
/// what the state becomes. Guards, in order: an anonymised request accepts
/// nothing; the table must have a row; the hold can be neither placed twice
/// nor lifted when absent; nothing that destroys data passes a hold.
pub fn apply(state: RequestState, action: Action) -> Result<RequestState, TransitionError> {
    let status = state.status;
    if state.anonymised {
        return Err(TransitionError::Anonymised { status, action });
    }
    let to = target(status, action).ok_or(TransitionError::NotAllowed { status, action })?;
    let legal_hold = match action {
        Action::PlaceLegalHold if state.legal_hold => {
            return Err(TransitionError::AlreadyOnHold { status, action });
        }
        Action::LiftLegalHold if !state.legal_hold => {
            return Err(TransitionError::NotOnHold { status, action });
        }
        _ if action.destroys_data() && state.legal_hold => {
            return Err(TransitionError::UnderLegalHold { status, action });
        }
        Action::PlaceLegalHold => true,
        Action::LiftLegalHold => false,
        _ => state.legal_hold,
    };
    Ok(RequestState {
        status: to,
        anonymised: action.destroys_data(),
        legal_hold,
    })
}

/// What the interface may offer for a request in `state`: exactly the
/// actions [`apply`] would accept, in [`Action::ALL`] order. Kind-specific
/// relevance (e.g. [`RequestKind::notifies_recipients`]) is left to the page.
pub fn allowed_actions(state: RequestState) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|action| apply(state, *action).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::deadline::{self, HolidayCalendar, Suspension};
    use chrono::{Days, NaiveDate};
    use proptest::prelude::*;

    fn state(status: Status) -> RequestState {
        RequestState {
            status,
            anonymised: false,
            legal_hold: false,
        }
    }

    #[test]
    fn string_encodings_round_trip() {
        for kind in RequestKind::ALL {
            assert_eq!(kind.as_str().parse::<RequestKind>(), Ok(kind));
            let json = serde_json::to_string(&kind).expect("serialize");
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(serde_json::from_str::<RequestKind>(&json).ok(), Some(kind));
        }
        for channel in Channel::ALL {
            assert_eq!(channel.as_str().parse::<Channel>(), Ok(channel));
        }
        for status in Status::ALL {
            assert_eq!(status.as_str().parse::<Status>(), Ok(status));
        }
        for outcome in Outcome::ALL {
            assert_eq!(outcome.as_str().parse::<Outcome>(), Ok(outcome));
        }
        for action in Action::ALL {
            assert_eq!(action.as_str().parse::<Action>(), Ok(action));
            let json = serde_json::to_string(&action).expect("serialize");
            assert_eq!(serde_json::from_str::<Action>(&json).ok(), Some(action));
        }
        assert_eq!(
            serde_json::to_string(&Channel::InPerson).expect("serialize"),
            "\"in_person\""
        );
        let err = "deletion".parse::<RequestKind>().unwrap_err();
        assert_eq!(err.value, "deletion");
        assert_eq!(err.type_name, "RequestKind");
        assert!("Access".parse::<RequestKind>().is_err());
    }

    #[test]
    fn kind_facts() {
        let articles: Vec<_> = RequestKind::ALL.iter().map(|k| k.article()).collect();
        assert_eq!(articles, ["15", "16", "17", "18", "20", "21(1)", "21(2)"]);
        let with_grounds: Vec<_> = RequestKind::ALL
            .into_iter()
            .filter(|k| k.requires_grounds())
            .collect();
        assert_eq!(with_grounds, [RequestKind::Objection]);
        let objections: Vec<_> = RequestKind::ALL
            .into_iter()
            .filter(|k| k.is_objection())
            .collect();
        assert_eq!(
            objections,
            [RequestKind::Objection, RequestKind::MarketingObjection]
        );
    }

    #[test]
    fn status_facts() {
        let terminal: Vec<_> = Status::ALL
            .into_iter()
            .filter(|s| s.is_terminal())
            .collect();
        assert_eq!(terminal, [Status::Closed, Status::Withdrawn]);
        let open: Vec<_> = Status::ALL.into_iter().filter(|s| s.is_open()).collect();
        assert_eq!(
            open,
            [
                Status::Received,
                Status::AwaitingInformation,
                Status::InProgress
            ]
        );
        let suspended: Vec<_> = Status::ALL
            .into_iter()
            .filter(|s| s.clock_suspended())
            .collect();
        assert_eq!(suspended, [Status::AwaitingInformation]);
        assert_eq!(Channel::Web.initial_status(), Status::Unconfirmed);
        assert_eq!(Channel::Post.initial_status(), Status::Received);
    }

    #[test]
    fn refusal_ground_storage_round_trips() {
        let grounds = [
            RefusalGround::IdentityNotEstablished,
            RefusalGround::ManifestlyUnfoundedOrExcessive,
            RefusalGround::ErasureException(Art17_3Letter::B),
            RefusalGround::ErasureException(Art17_3Letter::E),
            RefusalGround::PortabilityPublicTask,
            RefusalGround::NoDataHeld,
            RefusalGround::Other("archives légales".to_owned()),
        ];
        for ground in grounds {
            let back = RefusalGround::from_parts(ground.code(), ground.detail());
            assert_eq!(back, Ok(ground));
        }
        assert_eq!(
            RefusalGround::ErasureException(Art17_3Letter::B).detail(),
            Some("b")
        );
        assert_eq!(RefusalGround::NoDataHeld.detail(), None);
    }

    #[test]
    fn refusal_ground_rejects_bad_parts() {
        use RefusalGroundError as E;
        assert_eq!(
            RefusalGround::from_parts("nope", None),
            Err(E::UnknownCode("nope".to_owned()))
        );
        assert_eq!(
            RefusalGround::from_parts("art17_3", None),
            Err(E::InvalidLetter(None))
        );
        assert_eq!(
            RefusalGround::from_parts("art17_3", Some("f")),
            Err(E::InvalidLetter(Some("f".to_owned())))
        );
        assert_eq!(
            RefusalGround::from_parts("art17_3", Some("ab")),
            Err(E::InvalidLetter(Some("ab".to_owned())))
        );
        assert_eq!(
            RefusalGround::from_parts("art17_3", Some(" C ")),
            Ok(RefusalGround::ErasureException(Art17_3Letter::C))
        );
        assert_eq!(RefusalGround::from_parts("other", None), Err(E::BlankOther));
        assert_eq!(
            RefusalGround::from_parts("other", Some("  \n ")),
            Err(E::BlankOther)
        );
        assert_eq!(
            RefusalGround::from_parts("other", Some("  vu  ")),
            Ok(RefusalGround::Other("vu".to_owned()))
        );
        assert_eq!(
            RefusalGround::from_parts("art20_3", None),
            Ok(RefusalGround::PortabilityPublicTask)
        );
        assert_eq!(
            RefusalGround::from_parts("art20_3", Some("")),
            Ok(RefusalGround::PortabilityPublicTask)
        );
        assert_eq!(
            RefusalGround::from_parts("no_data_held", Some("rien")),
            Err(E::UnexpectedDetail {
                code: "no_data_held"
            })
        );
        for err in [
            E::UnknownCode("x".to_owned()),
            E::InvalidLetter(None),
            E::BlankOther,
        ] {
            assert!(!err.to_string().is_empty());
        }
    }

    #[test]
    fn refusal_ground_applies_to_its_right_only() {
        let erasure = RefusalGround::ErasureException(Art17_3Letter::B);
        let portability = RefusalGround::PortabilityPublicTask;
        for kind in RequestKind::ALL {
            assert_eq!(erasure.applies_to(kind), kind == RequestKind::Erasure);
            assert_eq!(
                portability.applies_to(kind),
                kind == RequestKind::Portability
            );
            assert!(RefusalGround::IdentityNotEstablished.applies_to(kind));
            assert!(RefusalGround::ManifestlyUnfoundedOrExcessive.applies_to(kind));
            assert!(RefusalGround::NoDataHeld.applies_to(kind));
            assert!(RefusalGround::Other("x".to_owned()).applies_to(kind));
        }
    }

    #[test]
    fn table_has_no_duplicate_rows() {
        for (i, (from, action, _)) in TRANSITIONS.iter().enumerate() {
            for (from2, action2, _) in &TRANSITIONS[i + 1..] {
                assert!(
                    !(from == from2 && action == action2),
                    "duplicate row {from} {action}"
                );
            }
        }
    }

    #[test]
    fn happy_path_web_request() {
        let mut s = RequestState::new(Channel::Web);
        for (action, expected) in [
            (Action::ConfirmEmail, Status::Received),
            (Action::RequestInformation, Status::AwaitingInformation),
            (Action::ResumeClock, Status::Received),
            (Action::AcceptIdentity, Status::InProgress),
            (Action::Extend, Status::InProgress),
            (Action::NotifyRecipients, Status::InProgress),
            (Action::Close(Outcome::Granted), Status::Closed),
            (Action::Purge, Status::Closed),
        ] {
            s = apply(s, action).unwrap_or_else(|e| panic!("{action}: {e}"));
            assert_eq!(s.status, expected, "after {action}");
        }
        assert!(s.anonymised);
        assert_eq!(allowed_actions(s), []);
    }

    #[test]
    fn granting_needs_accepted_identity_refusing_does_not() {
        for outcome in [Outcome::Granted, Outcome::PartiallyGranted] {
            for status in [Status::Received, Status::AwaitingInformation] {
                assert_eq!(
                    apply(state(status), Action::Close(outcome)),
                    Err(TransitionError::NotAllowed {
                        status,
                        action: Action::Close(outcome)
                    })
                );
            }
            assert!(apply(state(Status::InProgress), Action::Close(outcome)).is_ok());
        }
        for status in [
            Status::Received,
            Status::AwaitingInformation,
            Status::InProgress,
        ] {
            let closed = apply(state(status), Action::Close(Outcome::Refused));
            assert_eq!(closed.map(|s| s.status), Ok(Status::Closed));
        }
        assert!(apply(state(Status::Unconfirmed), Action::Close(Outcome::Refused)).is_err());
        let err = apply(state(Status::Received), Action::Close(Outcome::Granted))
            .expect_err("granting without identity");
        assert_eq!(err.reason(), "identity_first");
    }

    #[test]
    fn resume_clock_returns_to_received() {
        for from in [Status::Received, Status::InProgress] {
            let waiting = apply(state(from), Action::RequestInformation).expect("request info");
            assert!(waiting.status.clock_suspended());
            let resumed = apply(waiting, Action::ResumeClock).expect("resume");
            assert_eq!(resumed.status, Status::Received);
        }
        assert!(apply(state(Status::InProgress), Action::ResumeClock).is_err());
    }

    #[test]
    fn closed_and_withdrawn_accept_only_purge_and_hold() {
        for status in [Status::Closed, Status::Withdrawn] {
            let allowed = allowed_actions(state(status));
            assert_eq!(allowed, [Action::PlaceLegalHold, Action::Purge]);
            let held = apply(state(status), Action::PlaceLegalHold).expect("hold");
            assert_eq!(allowed_actions(held), [Action::LiftLegalHold]);
            let err = apply(state(status), Action::AddNote).expect_err("closed");
            assert_eq!(err.status(), status);
            assert_eq!(err.action(), Action::AddNote);
        }
        let err = apply(state(Status::Closed), Action::Withdraw).expect_err("closed");
        assert_eq!(err.reason(), "closed");
    }

    #[test]
    fn legal_hold_blocks_purge_and_discard() {
        let held = RequestState {
            status: Status::Closed,
            anonymised: false,
            legal_hold: true,
        };
        assert_eq!(
            apply(held, Action::Purge),
            Err(TransitionError::UnderLegalHold {
                status: Status::Closed,
                action: Action::Purge
            })
        );
        assert_eq!(
            apply(held, Action::PlaceLegalHold),
            Err(TransitionError::AlreadyOnHold {
                status: Status::Closed,
                action: Action::PlaceLegalHold
            })
        );
        let lifted = apply(held, Action::LiftLegalHold).expect("lift");
        assert!(!lifted.legal_hold);
        assert_eq!(
            apply(lifted, Action::LiftLegalHold),
            Err(TransitionError::NotOnHold {
                status: Status::Closed,
                action: Action::LiftLegalHold
            })
        );
        let purged = apply(lifted, Action::Purge).expect("purge");
        assert!(purged.anonymised);
        assert!(matches!(
            apply(purged, Action::Purge),
            Err(TransitionError::Anonymised { .. })
        ));

        let unconfirmed_held = RequestState {
            status: Status::Unconfirmed,
            anonymised: false,
            legal_hold: true,
        };
        assert!(matches!(
            apply(unconfirmed_held, Action::DiscardUnconfirmed),
            Err(TransitionError::UnderLegalHold { .. })
        ));
        let discarded =
            apply(state(Status::Unconfirmed), Action::DiscardUnconfirmed).expect("discard");
        assert!(discarded.anonymised);
        assert!(allowed_actions(discarded).is_empty());
    }

    #[test]
    fn purge_only_from_terminal() {
        for status in Status::ALL {
            assert_eq!(
                apply(state(status), Action::Purge).is_ok(),
                status.is_terminal()
            );
            assert_eq!(
                apply(state(status), Action::DiscardUnconfirmed).is_ok(),
                status == Status::Unconfirmed
            );
        }
    }

    #[test]
    fn withdraw_from_unconfirmed_and_open_statuses() {
        for status in Status::ALL {
            let ok = apply(state(status), Action::Withdraw).is_ok();
            assert_eq!(ok, status == Status::Unconfirmed || status.is_open());
        }
    }

    #[test]
    fn every_error_has_messages() {
        for status in Status::ALL {
            for anonymised in [false, true] {
                for legal_hold in [false, true] {
                    let s = RequestState {
                        status,
                        anonymised,
                        legal_hold,
                    };
                    for action in Action::ALL {
                        if let Err(e) = apply(s, action) {
                            assert!(!e.reason().is_empty(), "{e:?}");
                            assert!(e.to_string().contains(action.as_str()), "{e:?}");
                        }
                    }
                }
            }
        }
    }

    fn any_action() -> impl Strategy<Value = Action> {
        proptest::sample::select(Action::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn random_sequences_keep_invariants(
            start_web in any::<bool>(),
            actions in proptest::collection::vec(any_action(), 0..60),
        ) {
            let mut s = if start_web {
                RequestState::new(Channel::Web)
            } else {
                RequestState::new(Channel::Post)
            };
            for action in actions {
                let result = apply(s, action);
                // (b) allowed_actions is exactly what apply accepts.
                prop_assert_eq!(allowed_actions(s).contains(&action), result.is_ok());
                // (c) anonymised requests accept nothing.
                if s.anonymised {
                    prop_assert!(result.is_err());
                }
                // (d) nothing destroys data under legal hold.
                if s.legal_hold && action.destroys_data() {
                    prop_assert!(result.is_err());
                }
                if let Ok(next) = result {
                    // (b) every successful transition is a row of the table.
                    prop_assert!(TRANSITIONS.contains(&(s.status, action, next.status)));
                    // (a) terminal requests accept only the purge and the hold pair.
                    if s.status.is_terminal() {
                        prop_assert!(matches!(
                            action,
                            Action::Purge | Action::PlaceLegalHold | Action::LiftLegalHold
                        ));
                        prop_assert!(next.status == s.status);
                    }
                    prop_assert!(!s.anonymised);
                    prop_assert_eq!(next.anonymised, action.destroys_data());
                    s = next;
                }
            }
        }
    }

    /// A step of the dated simulation: wait some days, then try something.
    #[derive(Debug, Clone, Copy)]
    enum Step {
        Act(Action),
        Extend(u32),
    }

    fn any_step() -> impl Strategy<Value = (u64, Step)> {
        // Weighted towards the actions that move dates, so most runs reach
        // suspensions and extensions.
        let dated = proptest::sample::select(vec![
            Action::ConfirmEmail,
            Action::AcceptIdentity,
            Action::RequestInformation,
            Action::ResumeClock,
        ]);
        let step = prop_oneof![
            3 => dated.prop_map(Step::Act),
            2 => (1u32..=2).prop_map(Step::Extend),
            1 => any_action().prop_map(Step::Act),
        ];
        (0u64..20, step)
    }

    proptest! {
        #[test]
        fn due_date_never_before_one_month(
            start_offset in 0u64..(365 * 6),
            steps in proptest::collection::vec(any_step(), 0..40),
        ) {
            let calendar = HolidayCalendar::default();
            let start = NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date");
            let mut today = start + Days::new(start_offset);
            let mut s = RequestState::new(Channel::Web);
            let mut received_on: Option<NaiveDate> = None;
            let mut suspensions: Vec<Suspension> = Vec::new();
            let mut extension = 0u32;
            let mut previous_due: Option<NaiveDate> = None;

            for (wait, step) in steps {
                today = today + Days::new(wait);
                match step {
                    Step::Extend(months) => {
                        let (Some(received), Ok(next)) = (received_on, apply(s, Action::Extend))
                        else {
                            continue;
                        };
                        let first_end =
                            deadline::first_month_end(received, &suspensions, today, &calendar);
                        let allowed = deadline::can_extend(extension, months, today, first_end);
                        if allowed.is_ok() {
                            extension += months;
                            s = next;
                        } else {
                            prop_assert!(extension + months > 2 || today > first_end);
                        }
                    }
                    Step::Act(action) => {
                        let Ok(next) = apply(s, action) else { continue };
                        if action == Action::ConfirmEmail {
                            received_on = Some(today);
                        }
                        if next.status.clock_suspended() && !s.status.clock_suspended() {
                            suspensions.push(Suspension { started_on: today, ended_on: None });
                        }
                        if s.status.clock_suspended() && !next.status.clock_suspended() {
                            let last = suspensions.last_mut().expect("a suspension is running");
                            last.ended_on = Some(today);
                        }
                        s = next;
                    }
                }
                prop_assert!(extension <= 2);
                prop_assert!(suspensions.iter().filter(|s| s.ended_on.is_none()).count() <= 1);
                if let (Some(received), true) = (received_on, s.status.is_open()) {
                    let due = deadline::due_on(received, &suspensions, extension, today, &calendar);
                    let floor = calendar
                        .next_working_day_on_or_after(deadline::add_months(received, 1));
                    prop_assert!(due >= floor, "due {} before {}", due, floor);
                    prop_assert!(calendar.is_working_day(due));
                    // While the request is open, time passing never brings
                    // the due date closer.
                    if let Some(previous) = previous_due {
                        prop_assert!(due >= previous, "due {} moved back from {}", due, previous);
                    }
                    previous_due = Some(due);
                }
            }
        }
    }
}
