//! Every sentence a person reads, in every language the product speaks.
//!
//! The words live in Fluent catalogues, `i18n/<language>/<area>.ftl`, one
//! folder per language, one file per area (citizen pages, desk, mail,
//! letters, domain labels, errors). `build.rs` turns the French catalogue
//! (the reference) into one method per message on [`Tr`], with the
//! message's variables as arguments: `tr.due_in_days(3)`. Templates call the
//! same methods (`{{ t.login_title() }}`), so a message that does not exist
//! or an argument left out fails to compile.
//!
//! What this module owns and Rust code elsewhere must not do:
//! - choosing words by language (no `match locale`, no `if fr`): callers
//!   pass codes (enum values as `as_str()`) and arguments;
//! - plurals: Fluent's selectors with the CLDR rules of each language;
//! - dates: written out in full through the `date-long` message, so
//!   "02/03" cannot be read as 3 February;
//! - French typography: a narrow no-break space before `:` `;` `?` `!` and
//!   inside « », applied to the catalogue's own text (never to what a
//!   person typed), so translators write ordinary spaces.
//!
//! Adding a language: a folder `i18n/<code>/` with the same files, and one
//! variant in [`Locale`]. The tests below check that every folder holds
//! the same messages with the same variables.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::domain::deadline::{ExtensionError, ParseHolidaysError};
use crate::domain::receipt::ReceiptDateError;
use crate::domain::request::{
    Action, Channel, Outcome, RefusalGround, RefusalGroundError, RequestKind, Status,
    TransitionError,
};
use crate::domain::retention::{Bound, SettingError};
pub use crate::domain::values::Locale;
use crate::domain::values::{REFERENCE_PREFIX_LEN, Role, SLUG_LEN, ValueError, ValueErrorKind};

include!(concat!(env!("OUT_DIR"), "/messages.rs"));

/// The language a page or mail is written in: a handle to one catalogue.
/// Cheap to copy; templates hold one as `t`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    locale: Locale,
    /// Test-only pseudo-language: English with every letter of the
    /// catalogue's text accented, so a sentence that bypasses the
    /// catalogues shows up unaccented. Never chosen by a visitor unless the
    /// server was started with the pseudo-locale enabled.
    pseudo: bool,
}

/// A message argument. Dates are written out in the message's language;
/// numbers select plural forms.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Number(i64),
    Date(NaiveDate),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_owned())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Text(s.clone())
    }
}
impl From<NaiveDate> for Arg {
    fn from(d: NaiveDate) -> Arg {
        Arg::Date(d)
    }
}
impl From<&NaiveDate> for Arg {
    fn from(d: &NaiveDate) -> Arg {
        Arg::Date(*d)
    }
}
macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Arg {
                Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
        impl From<&$t> for Arg {
            fn from(n: &$t) -> Arg {
                Arg::Number(i64::try_from(*n).unwrap_or(i64::MAX))
            }
        }
    )*};
}
number_arg!(i32, i64, u32, u64, usize, u8, u16, i16);

/// The folder name of the test pseudo-language's bundle.
const PSEUDO: &str = "pseudo";
/// What a message that no catalogue holds renders as: visible on the page
/// and easy for a test to find, instead of a silent blank.
pub const MISSING_MARK: char = '⟦';

static BUNDLES: LazyLock<HashMap<&'static str, FluentBundle<FluentResource>>> =
    LazyLock::new(|| {
        let mut bundles = HashMap::new();
        for (lang, files) in CATALOGUES {
            bundles.insert(*lang, bundle(lang, files, None));
        }
        if let Some((_, files)) = CATALOGUES.iter().find(|(l, _)| *l == "en") {
            bundles.insert(PSEUDO, bundle("en", files, Some(pseudo_text)));
        }
        bundles
    });

fn bundle(
    lang: &str,
    files: &[(&str, &str)],
    transform: Option<fn(&str) -> Cow<'_, str>>,
) -> FluentBundle<FluentResource> {
    let langid: unic_langid::LanguageIdentifier =
        lang.parse().expect("catalogue folders are language codes");
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // The output goes into HTML and plain-text mail, where Unicode
    // isolation marks around arguments would be stray invisible characters.
    bundle.set_use_isolating(false);
    match (transform, lang) {
        (Some(t), _) => bundle.set_transform(Some(t)),
        (None, "fr") => bundle.set_transform(Some(french_typography)),
        (None, _) => {}
    }
    for (name, source) in files {
        let resource = FluentResource::try_new((*source).to_owned())
            .unwrap_or_else(|(_, e)| panic!("i18n/{lang}/{name}: {e:?}"));
        bundle
            .add_resource(resource)
            .unwrap_or_else(|e| panic!("i18n/{lang}/{name}: {e:?}"));
    }
    bundle
}

/// French puts a narrow no-break space (U+202F) before `:` `;` `?` `!` and
/// inside guillemets; translators type an ordinary space (or none) and this
/// sets the right one, so it is decided in one place.
fn french_typography(text: &str) -> Cow<'_, str> {
    const NNBSP: char = '\u{202F}';
    if !text.contains([':', ';', '?', '!', '«', '»']) {
        return Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        match c {
            ' ' | '\u{A0}' if matches!(next, Some(':' | ';' | '?' | '!' | '»')) => out.push(NNBSP),
            ' ' | '\u{A0}' if i > 0 && chars[i - 1] == '«' => out.push(NNBSP),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Accents every ASCII letter: readable, obviously translated, and a
/// sentence written in Rust instead of the catalogue stands out.
fn pseudo_text(text: &str) -> Cow<'_, str> {
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                'a' => 'á',
                'e' => 'é',
                'i' => 'í',
                'o' => 'ó',
                'u' => 'ú',
                'y' => 'ý',
                'c' => 'ç',
                'n' => 'ñ',
                'A' => 'Á',
                'E' => 'É',
                'I' => 'Í',
                'O' => 'Ó',
                'U' => 'Ú',
                'C' => 'Ç',
                'N' => 'Ñ',
                other => other,
            })
            .collect(),
    )
}

/// A stored language is the plain catalogue of that language.
impl From<Locale> for Tr {
    fn from(locale: Locale) -> Tr {
        Tr::new(locale)
    }
}

impl Tr {
    pub const fn new(locale: Locale) -> Tr {
        Tr {
            locale,
            pseudo: false,
        }
    }

    /// The test pseudo-language (see [`Tr`]); stored as English.
    pub const fn pseudo() -> Tr {
        Tr {
            locale: Locale::En,
            pseudo: true,
        }
    }

    pub const fn is_pseudo(self) -> bool {
        self.pseudo
    }

    /// The language stored with what this person wrote or asked for.
    pub const fn locale(self) -> Locale {
        self.locale
    }

    /// For `<html lang>` and `hreflang`.
    pub fn lang(self) -> &'static str {
        self.locale.as_str()
    }

    /// The other language, for the page's language switch (the product
    /// speaks two; with more, this becomes a list).
    pub fn other(self) -> Tr {
        let at = Locale::ALL
            .iter()
            .position(|l| *l == self.locale)
            .unwrap_or(0);
        Tr::new(Locale::ALL[(at + 1) % Locale::ALL.len()])
    }

    /// The other language's code, for the switch's `lang` and `hreflang`.
    pub fn other_lang(self) -> &'static str {
        self.other().lang()
    }

    fn bundle(self) -> &'static FluentBundle<FluentResource> {
        let key = if self.pseudo {
            PSEUDO
        } else {
            self.locale.as_str()
        };
        BUNDLES
            .get(key)
            .unwrap_or_else(|| panic!("no catalogue folder i18n/{key}"))
    }

    /// Formats one message. The generated methods call this with checked
    /// ids and arguments; call it directly only for ids built from codes.
    pub fn message(&self, id: &str, args: &[(&str, Arg)]) -> String {
        let bundle = self.bundle();
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            tracing::error!(message_id = id, lang = self.lang(), "missing message");
            return format!("{MISSING_MARK}{id}⟧");
        };
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            let value = match value {
                Arg::Text(s) => FluentValue::from(s.clone()),
                Arg::Number(n) => FluentValue::from(*n),
                Arg::Date(d) => FluentValue::from(self.date(*d)),
            };
            fluent_args.set(*name, value);
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if !errors.is_empty() {
            tracing::error!(
                message_id = id,
                lang = self.lang(),
                ?errors,
                "message error"
            );
        }
        text.into_owned()
    }

    /// A date in full, as in a letter: "lundi 2 mars 2026" (with "1er" for
    /// the first of the month, as French typography wants) or "Monday 2
    /// March 2026".
    pub fn date(&self, date: NaiveDate) -> String {
        self.date_long(
            date.weekday().num_days_from_monday() + 1,
            date.day(),
            date.month(),
            date.year(),
        )
    }

    /// The name of the right exercised.
    pub fn kind(&self, kind: RequestKind) -> String {
        self.request_kind(kind.as_str())
    }

    pub fn status(&self, status: Status) -> String {
        self.request_status(status.as_str())
    }

    pub fn outcome(&self, outcome: Outcome) -> String {
        self.request_outcome(outcome.as_str())
    }

    /// A refusal ground as the requester is told it (art. 12(4): the
    /// reasons must be given), with the article relied on when there is
    /// one. `Other` is the DPO's own words.
    pub fn refusal_ground(&self, ground: &RefusalGround) -> String {
        let text = match ground {
            RefusalGround::Other(reason) => return reason.clone(),
            RefusalGround::ErasureException(letter) => {
                self.refusal_erasure_exception(self.art17_3_letter(letter.as_str()))
            }
            other => self.refusal_ground_text(other.code()),
        };
        match ground.article() {
            Some(article) => self.with_gdpr_article(text, article),
            None => text,
        }
    }

    pub fn channel(&self, channel: Channel) -> String {
        self.request_channel(channel.as_str())
    }

    /// An action's name, on its button and in the history.
    pub fn action(&self, action: Action) -> String {
        self.request_action(action.as_str())
    }

    pub fn role(&self, role: Role) -> String {
        self.staff_role(role.as_str())
    }

    /// Why the transition table refused an action, for the person who
    /// tried it.
    pub fn transition_error(&self, e: &TransitionError) -> String {
        self.transition_refused(e.reason(), self.action(e.action()), self.status(e.status()))
    }

    /// A field's label and its message, with the language's punctuation.
    pub fn labelled(&self, label: &str, message: &str) -> String {
        self.label_and_message(label, message)
    }

    /// Why a typed value was refused: a lower-case fragment without a final
    /// stop, to put after the field's label or to make a sentence of.
    pub fn value_error(&self, e: &ValueError) -> String {
        match &e.kind {
            ValueErrorKind::Slug { value } => {
                self.error_value_slug(value, *SLUG_LEN.start(), *SLUG_LEN.end())
            }
            ValueErrorKind::ReferencePrefix { value } => self.error_value_reference_prefix(
                value,
                *REFERENCE_PREFIX_LEN.start(),
                *REFERENCE_PREFIX_LEN.end(),
            ),
            ValueErrorKind::EmailMissing => self.error_value_email_missing(),
            ValueErrorKind::EmailTooLong { max } => self.error_value_email_too_long(max),
            ValueErrorKind::EmailInvalid => self.error_value_email_invalid(),
            ValueErrorKind::Required => self.error_value_required(),
            ValueErrorKind::ControlCharacters => self.error_value_control_characters(),
            ValueErrorKind::TooLong { max } => self.error_value_too_long(max),
            ValueErrorKind::UnknownLocale { value } => self.error_value_unknown_locale(value),
            ValueErrorKind::UnknownRole { value } => self.error_value_unknown_role(value),
        }
    }

    /// Why the deadline cannot be extended: a sentence, for staff.
    pub fn extension_error(&self, e: &ExtensionError) -> String {
        match *e {
            ExtensionError::Zero => self.error_extension_zero(),
            ExtensionError::TooLong { current, requested } => {
                self.error_extension_too_long(current, requested)
            }
            ExtensionError::FirstMonthOver { ended_on } => {
                self.error_extension_first_month_over(ended_on)
            }
        }
    }

    /// Why a receipt date cannot be registered: a sentence, for staff.
    pub fn receipt_date_error(&self, e: &ReceiptDateError) -> String {
        match *e {
            ReceiptDateError::InFuture { today, .. } => self.error_receipt_in_future(today),
            ReceiptDateError::TooOld { earliest, .. } => self.error_receipt_too_old(earliest),
        }
    }

    /// Why a refusal ground cannot be recorded: a sentence, for staff.
    pub fn refusal_ground_error(&self, e: &RefusalGroundError) -> String {
        match e {
            RefusalGroundError::UnknownCode(code) => self.error_refusal_unknown_code(code),
            RefusalGroundError::InvalidLetter(_) => self.error_refusal_invalid_letter(),
            RefusalGroundError::BlankOther => self.error_refusal_blank_other(),
            RefusalGroundError::UnexpectedDetail { code } => {
                // A ground that takes no detail reads back from its code alone.
                let ground = RefusalGround::from_parts(code, None)
                    .map_or_else(|_| (*code).to_owned(), |g| self.refusal_ground(&g));
                self.error_refusal_unexpected_detail(ground)
            }
        }
    }

    /// Why a retention setting was refused: a lower-case fragment, shown
    /// after the setting's name.
    pub fn setting_error(&self, e: &SettingError) -> String {
        let unit = e.unit().as_str();
        let reason = e.reason.as_str();
        match e.bound {
            Bound::AtLeast(count) => self.error_setting_at_least(unit, count, reason),
            Bound::AtMost(count) => self.error_setting_at_most(unit, count, reason),
        }
    }

    /// Why the list of extra holidays was refused: a sentence.
    pub fn holidays_error(&self, e: &ParseHolidaysError) -> String {
        self.error_holidays_not_a_date(&e.token)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use fluent_syntax::ast;

    use super::*;
    use crate::domain::request::{Art17_3Letter, RequestState, apply};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const FR: Tr = Tr::new(Locale::Fr);
    const EN: Tr = Tr::new(Locale::En);
    const NNBSP: char = '\u{202F}';

    /// Every message of one language folder with its variables, read the
    /// way `build.rs` reads the reference.
    fn catalogue(lang: &str) -> BTreeMap<String, Vec<String>> {
        let (_, files) = CATALOGUES
            .iter()
            .find(|(l, _)| *l == lang)
            .unwrap_or_else(|| panic!("no i18n/{lang}"));
        let mut messages = BTreeMap::new();
        for (name, source) in *files {
            let resource = fluent_syntax::parser::parse(*source)
                .unwrap_or_else(|(_, e)| panic!("i18n/{lang}/{name}: {e:?}"));
            for entry in resource.body {
                if let ast::Entry::Message(m) = entry {
                    let mut vars = Vec::new();
                    if let Some(p) = &m.value {
                        pattern_vars(p, &mut vars);
                    }
                    vars.sort();
                    vars.dedup();
                    messages.insert(format!("{name}: {}", m.id.name), vars);
                }
            }
        }
        messages
    }

    fn pattern_vars(p: &ast::Pattern<&str>, vars: &mut Vec<String>) {
        for e in &p.elements {
            if let ast::PatternElement::Placeable { expression } = e {
                expression_vars(expression, vars);
            }
        }
    }

    fn expression_vars(e: &ast::Expression<&str>, vars: &mut Vec<String>) {
        match e {
            ast::Expression::Select { selector, variants } => {
                inline_vars(selector, vars);
                for v in variants {
                    pattern_vars(&v.value, vars);
                }
            }
            ast::Expression::Inline(i) => inline_vars(i, vars),
        }
    }

    fn inline_vars(i: &ast::InlineExpression<&str>, vars: &mut Vec<String>) {
        match i {
            ast::InlineExpression::VariableReference { id } => vars.push(id.name.to_owned()),
            ast::InlineExpression::Placeable { expression } => expression_vars(expression, vars),
            _ => {}
        }
    }

    #[test]
    fn every_language_has_the_same_messages_and_variables() {
        let reference = catalogue("fr");
        assert!(!reference.is_empty());
        for (lang, _) in CATALOGUES {
            let other = catalogue(lang);
            let missing: Vec<_> = reference
                .keys()
                .filter(|k| !other.contains_key(*k))
                .collect();
            let extra: Vec<_> = other
                .keys()
                .filter(|k| !reference.contains_key(*k))
                .collect();
            assert!(missing.is_empty(), "i18n/{lang} lacks {missing:?}");
            assert!(
                extra.is_empty(),
                "i18n/{lang} has messages fr lacks: {extra:?}"
            );
            for (id, vars) in &reference {
                assert_eq!(
                    &other[id], vars,
                    "i18n/{lang} {id}: other variables than fr"
                );
            }
        }
    }

    #[test]
    fn every_message_formats_without_error_in_every_language() {
        for (lang, files) in CATALOGUES {
            let tr = Tr::new(lang.parse().expect("a folder per Locale"));
            for (name, source) in *files {
                let resource = fluent_syntax::parser::parse(*source).unwrap();
                for entry in resource.body {
                    if let ast::Entry::Message(m) = entry {
                        let mut vars = Vec::new();
                        if let Some(p) = &m.value {
                            pattern_vars(p, &mut vars);
                        }
                        let args: Vec<(&str, Arg)> =
                            vars.iter().map(|v| (v.as_str(), Arg::Number(1))).collect();
                        let text = tr.message(m.id.name, &args);
                        assert!(!text.contains(MISSING_MARK), "{lang}/{name} {}", m.id.name);
                        assert!(!text.contains("{$"), "{lang}/{name} {}: {text}", m.id.name);
                    }
                }
            }
        }
    }

    #[test]
    fn dates_read_as_in_a_letter() {
        assert_eq!(FR.date(d(2026, 3, 2)), "lundi 2 mars 2026");
        assert_eq!(EN.date(d(2026, 3, 2)), "Monday 2 March 2026");
        assert_eq!(FR.date(d(2026, 3, 1)), "dimanche 1er mars 2026");
        assert_eq!(FR.date(d(2026, 8, 15)), "samedi 15 août 2026");
        assert_eq!(EN.date(d(2026, 12, 31)), "Thursday 31 December 2026");
    }

    #[test]
    fn every_month_and_weekday_has_a_name() {
        let mut day = d(2026, 1, 1);
        let mut names = std::collections::BTreeSet::new();
        while day.year() == 2026 {
            for tr in [FR, EN] {
                let text = tr.date(day);
                assert_eq!(text.split(' ').count(), 4, "{text}");
                names.insert(text.split(' ').next().unwrap().to_owned());
            }
            day = day.succ_opt().unwrap();
        }
        assert_eq!(names.len(), 14, "{names:?}");
    }

    #[test]
    fn french_typography_is_set_in_one_place() {
        let label = FR.labelled("Prénom", "champ obligatoire");
        assert_eq!(label, format!("Prénom{NNBSP}: champ obligatoire"));
        assert_eq!(
            EN.labelled("First name", "required"),
            "First name: required"
        );
        // What a person typed keeps its own spaces.
        assert_eq!(
            FR.labelled("Motif", "voir : pièce jointe"),
            format!("Motif{NNBSP}: voir : pièce jointe")
        );
        assert_eq!(french_typography("« oui »"), format!("«{NNBSP}oui{NNBSP}»"));
        assert_eq!(french_typography("https://x"), "https://x");
    }

    #[test]
    fn refusal_grounds_cite_their_article() {
        let g = RefusalGround::ErasureException(Art17_3Letter::B);
        assert_eq!(
            FR.refusal_ground(&g),
            format!(
                "effacement non applicable{NNBSP}: obligation légale ou mission d'intérêt public \
                 (article 17(3)(b) du RGPD)"
            )
        );
        assert!(EN.refusal_ground(&g).ends_with("(GDPR article 17(3)(b))"));
        let other = RefusalGround::Other("Dossier archivé".into());
        assert_eq!(FR.refusal_ground(&other), "Dossier archivé");
        assert_eq!(FR.kind(RequestKind::Erasure), "Droit à l'effacement");
        assert_eq!(EN.outcome(Outcome::Refused), "Refused");
        assert_eq!(FR.status(Status::InProgress), "En cours de traitement");
    }

    #[test]
    fn every_code_has_its_words() {
        for tr in [FR, EN, Tr::pseudo()] {
            let mut seen = std::collections::BTreeSet::new();
            for k in RequestKind::ALL {
                assert!(seen.insert(tr.kind(k)), "{k:?}");
            }
            for s in Status::ALL {
                assert!(seen.insert(tr.status(s)), "{s:?}");
            }
            for o in Outcome::ALL {
                assert!(seen.insert(tr.outcome(o)), "{o:?}");
            }
            for c in Channel::ALL {
                assert!(seen.insert(tr.channel(c)), "{c:?}");
            }
            for a in Action::ALL {
                assert!(seen.insert(tr.action(a)), "{a:?}");
            }
            for l in Art17_3Letter::ALL {
                assert!(seen.insert(tr.art17_3_letter(l.as_str())), "{l:?}");
            }
        }
    }

    #[test]
    fn every_refused_transition_is_a_sentence_in_each_language() {
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
                            let fr = FR.transition_error(&e);
                            let en = EN.transition_error(&e);
                            for text in [&fr, &en] {
                                assert!(text.starts_with(char::is_uppercase), "{text}");
                                assert!(text.ends_with('.'), "{text}");
                            }
                            assert_ne!(fr, en);
                        }
                    }
                }
            }
        }
        let closed = RequestState {
            status: Status::Closed,
            anonymised: false,
            legal_hold: false,
        };
        let e = apply(closed, Action::Withdraw).unwrap_err();
        assert_eq!(
            FR.transition_error(&e),
            format!("Cette action n'est pas possible{NNBSP}: la demande est close.")
        );
    }

    /// One value of each kind a domain error can take, so a kind without
    /// words (or with the wrong case) fails here.
    fn every_value_error() -> Vec<ValueError> {
        use ValueErrorKind as K;
        let value = || "x y".to_owned();
        [
            K::Slug { value: value() },
            K::ReferencePrefix { value: value() },
            K::EmailMissing,
            K::EmailTooLong { max: 254 },
            K::EmailInvalid,
            K::Required,
            K::ControlCharacters,
            K::TooLong { max: 1 },
            K::TooLong { max: 100 },
            K::UnknownLocale { value: value() },
            K::UnknownRole { value: value() },
        ]
        .into_iter()
        .map(ValueError::from)
        .collect()
    }

    fn every_setting_error() -> Vec<SettingError> {
        use crate::domain::retention::{RetentionSettings, SettingReason};
        let mut errors = RetentionSettings {
            proof_months: 0,
            objection_months: 500,
            suppression_months: 1,
            connection_data_months: 14,
            unconfirmed_days: 0,
            delete_proof_on_identity_accepted: false,
        }
        .validate()
        .unwrap_err();
        errors.extend(
            RetentionSettings {
                connection_data_months: 0,
                unconfirmed_days: 91,
                ..RetentionSettings::default()
            }
            .validate()
            .unwrap_err(),
        );
        let reasons: std::collections::BTreeSet<_> = errors.iter().map(|e| e.reason).collect();
        assert_eq!(reasons.len(), SettingReason::ALL.len(), "{reasons:?}");
        errors
    }

    /// A fragment goes after a label or into `sentence()`: lower case (or
    /// a number), no final stop.
    fn assert_fragment(text: &str) {
        assert!(!text.starts_with(char::is_uppercase), "{text}");
        assert!(!text.ends_with('.'), "{text}");
        assert!(!text.contains(MISSING_MARK), "{text}");
    }

    /// A sentence stands on its own: a capital (or an opening quotation
    /// mark) and a final stop.
    fn assert_sentence(text: &str) {
        let opens = |c: char| c.is_uppercase() || matches!(c, '«' | '“');
        assert!(text.starts_with(opens), "{text}");
        assert!(text.ends_with('.'), "{text}");
        assert!(!text.contains(MISSING_MARK), "{text}");
    }

    #[test]
    fn every_refused_value_is_a_fragment_in_each_language() {
        for e in every_value_error() {
            let (fr, en) = (FR.value_error(&e), EN.value_error(&e));
            assert_fragment(&fr);
            assert_fragment(&en);
            assert_ne!(fr, en);
        }
        for e in every_setting_error() {
            let (fr, en) = (FR.setting_error(&e), EN.setting_error(&e));
            assert_fragment(&fr);
            assert_fragment(&en);
            assert_ne!(fr, en);
        }
    }

    #[test]
    fn refused_values_keep_their_words() {
        let slug = crate::domain::values::Slug::parse("Vanves Ville").unwrap_err();
        assert_eq!(
            FR.value_error(&slug),
            format!(
                "identifiant `Vanves Ville` invalide{NNBSP}: 2 à 40 lettres minuscules, chiffres \
                 et tirets simples, en commençant par une lettre"
            )
        );
        let long = crate::domain::values::EmailAddress::parse(&"a".repeat(300)).unwrap_err();
        assert_eq!(
            FR.value_error(&long),
            "cette adresse électronique est trop longue (254 caractères au plus)"
        );
        let one = crate::domain::values::single_line("ab", 1).unwrap_err();
        assert_eq!(FR.value_error(&one), "1 caractère au plus");
        assert_eq!(EN.value_error(&one), "1 character at most");
        let role = "root".parse::<Role>().unwrap_err();
        assert_eq!(
            EN.value_error(&role),
            "unknown role `root` (admin, dpo or viewer)"
        );
        // The log line stays English.
        assert_eq!(role.to_string(), EN.value_error(&role));
    }

    #[test]
    fn refused_settings_say_the_bound_and_why() {
        let errors = every_setting_error();
        let find = |field: &str| errors.iter().find(|e| e.field == field).unwrap();
        assert_eq!(
            FR.setting_error(find("suppression_months")),
            format!(
                "doit être d'au moins 36 mois{NNBSP}: la politique de confidentialité prévoit \
                 au minimum trois ans"
            )
        );
        assert_eq!(
            EN.setting_error(find("proof_months")),
            "must be at least 1 month: zero would purge the data before anyone can use it"
        );
        assert_eq!(
            EN.setting_error(find("connection_data_months")),
            "must be at most 13 months: the policy says at most thirteen months"
        );
        assert!(
            FR.setting_error(find("unconfirmed_days"))
                .starts_with("doit être d'au moins 1 jour")
        );
        assert!(
            EN.setting_error(errors.last().unwrap())
                .starts_with("must be at most 90 days")
        );
    }

    #[test]
    fn every_refusal_for_staff_is_a_sentence_in_each_language() {
        use crate::domain::deadline::ExtensionError as X;
        use crate::domain::request::RefusalGroundError as G;
        let sentences = |fr: String, en: String| {
            assert_sentence(&fr);
            assert_sentence(&en);
            assert_ne!(fr, en);
        };
        for e in [
            X::Zero,
            X::TooLong {
                current: 1,
                requested: 2,
            },
            X::FirstMonthOver {
                ended_on: d(2026, 3, 2),
            },
        ] {
            sentences(FR.extension_error(&e), EN.extension_error(&e));
        }
        for e in [
            ReceiptDateError::InFuture {
                received_on: d(2026, 3, 3),
                today: d(2026, 3, 2),
            },
            ReceiptDateError::TooOld {
                received_on: d(2025, 3, 1),
                earliest: d(2025, 3, 2),
            },
        ] {
            sentences(FR.receipt_date_error(&e), EN.receipt_date_error(&e));
        }
        for e in [
            G::UnknownCode("x".into()),
            G::InvalidLetter(None),
            G::BlankOther,
            G::UnexpectedDetail {
                code: "no_data_held",
            },
        ] {
            sentences(FR.refusal_ground_error(&e), EN.refusal_ground_error(&e));
        }
        let token = ParseHolidaysError {
            token: "2026-5-1".into(),
        };
        sentences(FR.holidays_error(&token), EN.holidays_error(&token));
        assert_eq!(
            FR.holidays_error(&token),
            format!("«{NNBSP}2026-5-1{NNBSP}» n'est pas une date au format AAAA-MM-JJ.")
        );
    }

    #[test]
    fn refusals_for_staff_write_dates_and_counts_out() {
        use crate::domain::deadline::ExtensionError as X;
        let over = X::FirstMonthOver {
            ended_on: d(2026, 3, 2),
        };
        assert_eq!(
            FR.extension_error(&over),
            format!(
                "Le premier mois a pris fin le lundi 2 mars 2026{NNBSP}: il est trop tard pour \
                 prolonger le délai."
            )
        );
        assert!(
            EN.extension_error(&over)
                .contains("ended on Monday 2 March 2026")
        );
        let too_long = X::TooLong {
            current: 1,
            requested: 2,
        };
        assert!(
            FR.extension_error(&too_long)
                .ends_with("deux mois au total (1 mois déjà accordé, 2 demandés).")
        );
        let future = ReceiptDateError::InFuture {
            received_on: d(2026, 3, 3),
            today: d(2026, 3, 2),
        };
        assert_eq!(
            EN.receipt_date_error(&future),
            "The date of receipt cannot be in the future: today is Monday 2 March 2026."
        );
        let detail = crate::domain::request::RefusalGroundError::UnexpectedDetail {
            code: "no_data_held",
        };
        assert_eq!(
            FR.refusal_ground_error(&detail),
            format!(
                "Le motif «{NNBSP}nous ne détenons aucune donnée vous concernant{NNBSP}» \
                 n'accepte pas de précision."
            )
        );
    }

    #[test]
    fn the_pseudo_language_marks_every_catalogue_word() {
        let text = Tr::pseudo().kind(RequestKind::Access);
        assert_eq!(text, "Ríght óf áççéss");
        // Arguments are what a person typed: left as they are.
        assert_eq!(Tr::pseudo().labelled("x", "access"), "x: access");
    }

    #[test]
    fn a_missing_message_shows_instead_of_vanishing() {
        let text = FR.message("no-such-message", &[]);
        assert!(text.starts_with(MISSING_MARK), "{text}");
    }

    #[test]
    fn every_retention_setting_states_its_legal_basis() {
        use crate::domain::retention::SettingField;
        for tr in [FR, EN] {
            for field in SettingField::ALL {
                let basis = tr.desk_setting_basis(field.as_str());
                assert!(basis.len() > 40, "{field}: {basis}");
            }
        }
        assert!(
            EN.desk_setting_basis(SettingField::ObjectionMonths.as_str())
                .contains("six years")
        );
    }
}
