//! Dates and durations with TIMEX3 values (SPEC §5).
//!
//! One multi-pattern regex (compiled once) lists the forms from longest to
//! shortest and says which form matched; each match is checked by the rules
//! below and given a value. The regex is tried anchored at the tokens that can
//! start a form (digits, month and weekday names, `last`, `a` before a unit …),
//! which finds what a scan of the whole text finds, at less cost.
//!
//! | form | example | value (dct 2021-03-17) |
//! | --- | --- | --- |
//! | ISO date | `2021-05-08` | `2021-05-08` |
//! | month day year, day month year (+ weekday) | `Saturday, May 8, 2021`, `8 May 2021` | `2021-05-08` |
//! | month year | `July 2016` | `2016-07` |
//! | month day | `July 13`, `Feb. 2` | `2020-07-13` (past) / `XXXX-07-13` without dct |
//! | part of year | `mid-2020`, `late 2020` | `2020` |
//! | quarter | `Q1 2021`, `the second quarter` | `2021-Q1`, `2021-Q2` |
//! | decade | `the 1990s` | `199` |
//! | year | `2013` (after a preposition or before punctuation; `the 2018 World Economic Forum`) | `2013` |
//! | deictic | `today`, `yesterday`, `tomorrow` | `2021-03-17`, … |
//! | relative | `last year`, `this week`, `earlier this month`, `next quarter` | `2020`, `2021-W11`, `2021-03`, `2021-Q2` |
//! | ago | `two years ago`, `a week ago` | `2019`, `2021-W10` |
//! | weekday | `Monday` | `2021-03-15` (nearest; past unless the sentence speaks of the future) |
//! | the weekend | `over the weekend` (span `weekend`) | `2021-W10-WE` (the last; the coming one in a future sentence) |
//! | month | `in February` | `2021-02` |
//! | duration | `three years`, `30 days`, `a decade`, `year-long`, `next three years` | `P3Y`, `P30D`, `P10Y`, `P1Y`, `P3Y` |
//!
//! Not dates: clock times, vague phrases (`recently`, `for years`, `now`),
//! `May`/`March` unless a preposition or a day or year makes them months,
//! weekdays inside names (`Sunday Times`), ages (`30-year-old`). A year-less
//! date takes the dct's year, the previous one when a past event would land
//! after the dct. Without a dct, relative values are null and year-less dates
//! keep `XXXX`.

use std::sync::{LazyLock, OnceLock};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input, PatternID, meta};

use crate::dct::iso_date;
use crate::document::{Document, Span, Timex, TimexType, Token, TokenKind};
use crate::entities::resolve_overlaps;
use crate::lexicon::{KeyFilter, WordList, builtin_words, tokens_where, with_ascii_digits};
use crate::stage::Stage;

/// The date stage (needs sentences, money and percents).
#[derive(Debug, Default, Clone, Copy)]
pub struct DateTagger;

const MONTH: &str = r"January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\.|Jan|Feb|Aug|Sept|Oct|Nov|Dec";
const MONTH_FULL: &str =
    r"January|February|March|April|May|June|July|August|September|October|November|December";
const WEEKDAY: &str = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday";
const NUMWORD: &str = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety|hundred|a|an|[0-9]{1,3}(?:\.[0-9]+)?";
const UNIT: &str = r"years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|quarters?";

/// The date forms of [`DATE_FORMS`], in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateForm {
    /// `iso`
    Iso,
    /// `mdy`
    MonthDayYear,
    /// `dmy`
    DayMonthYear,
    /// `md`
    MonthDay,
    /// `dm`
    DayMonth,
    /// `my`
    MonthYear,
    /// `part`
    PartOfYear,
    /// `qtr`
    Quarter,
    /// `fiscal 2019`, `FY2019`, `the 2018 fiscal year`
    FiscalYear,
    /// `H1 2023`, `the first half of 2023`
    Half,
    /// `summer of 2022`
    Season,
    /// `dec`
    Decade,
    /// `ago`
    Ago,
    /// `durq`
    QualifiedDuration,
    /// `rel`
    Relative,
    /// `39-year-old`
    Age,
    /// `long`
    LongAdjective,
    /// `dur`
    Duration,
    /// `deix`
    Deictic,
    /// `wd`
    Weekday,
    /// `over the weekend` (the span is `weekend`)
    TheWeekend,
    /// `mo`
    Month,
    /// `yr`
    Year,
}

/// How many forms [`DATE_FORMS`] lists.
const FORMS: usize = 23;

/// The date forms, one pattern each, longest first: where several match at
/// the same start, the first listed wins (leftmost-first, as in one
/// alternation). Group names are unique across forms.
static DATE_FORMS: LazyLock<[(DateForm, String); FORMS]> = LazyLock::new(|| {
    [
        (DateForm::Iso, r"(?-u:\b)[0-9]{4}-[0-9]{2}-[0-9]{2}(?-u:\b)".to_string()),
        (DateForm::MonthDayYear, format!(r"(?:(?P<wd1>{WEEKDAY}),?\s+)?(?P<m1>{MONTH})\s+(?P<d1>[0-9]{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>[0-9]{{4}})(?-u:\b)")),
        (DateForm::DayMonthYear, format!(r"(?:(?P<wd2>{WEEKDAY}),?\s+)?(?-u:\b)(?P<d2>[0-9]{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{MONTH})\s+(?P<y2>[0-9]{{4}})(?-u:\b)")),
        (DateForm::MonthDay, format!(r"(?:(?P<wd3>{WEEKDAY}),?\s+)?(?P<m3>{MONTH})\s+(?P<d3>[0-9]{{1,2}})(?:st|nd|rd|th)?(?-u:\b)")),
        (DateForm::DayMonth, format!(r"(?-u:\b)(?P<d4>[0-9]{{1,2}})(?:st|nd|rd|th)?\s+(?P<m4>{MONTH})(?-u:\b)")),
        (DateForm::MonthYear, format!(r"(?P<m5>{MONTH})\s+(?:of\s+)?(?P<y5>[0-9]{{4}})(?-u:\b)")),
        (DateForm::PartOfYear, r"(?-u:\b)(?:[Ee]arly|[Mm]id|[Ll]ate)[-\s](?P<y6>[0-9]{4})(?-u:\b)".to_string()),
        (DateForm::Quarter, r"(?-u:\b)(?:Q(?P<q1>[1-4])(?:\s+(?P<qy1>[0-9]{4}))?|(?P<qo>first|second|third|fourth|1st|2nd|3rd|4th)[-\s]quarter(?:\s+of\s+(?P<qy2>[0-9]{4}))?|(?P<qy3>[0-9]{4})\s+Q(?P<q3>[1-4]))(?-u:\b)".to_string()),
        (DateForm::FiscalYear, r"(?-u:\b)(?:[Ff]iscal(?:\s+year)?\s+(?P<fy1>[0-9]{4})|FY\s?(?P<fy2>[0-9]{4}|[0-9]{2})|(?P<fy3>[0-9]{4})\s+fiscal\s+year)(?-u:\b)".to_string()),
        (DateForm::Half, r"(?-u:\b)(?:H(?P<h1>[12])\s+(?P<hy1>[0-9]{4})|(?P<ho>first|second)\s+half\s+of\s+(?P<hy2>[0-9]{4})|(?P<hy3>[0-9]{4})\s+H(?P<h3>[12]))(?-u:\b)".to_string()),
        (DateForm::Season, r"(?-u:\b)(?P<sn>[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter)\s+(?:of\s+)?(?P<sy>[0-9]{4})(?-u:\b)".to_string()),
        (DateForm::Decade, r"(?-u:\b)(?P<decd>[0-9]{3})0s(?-u:\b)".to_string()),
        (DateForm::Ago, format!(r"(?-u:\b)(?P<agon>{NUMWORD})\s+(?P<agou>years?|months?|weeks?|days?)\s+ago(?-u:\b)")),
        (DateForm::QualifiedDuration, format!(r"(?-u:\b)(?:[Nn]ext|[Pp]ast|[Ll]ast|[Pp]revious|[Cc]oming|[Ff]irst)\s+(?P<dqn>{NUMWORD})\s+(?P<dqu>{UNIT})(?-u:\b)")),
        (DateForm::Relative, r"(?-u:\b)(?:(?:[Ee]arlier|[Ll]ater)\s+)?(?P<relq>[Tt]his|[Ll]ast|[Nn]ext|[Pp]ast|[Cc]oming)\s+(?P<relu>week|month|year|quarter|weekend|decade)(?-u:\b)".to_string()),
        (DateForm::Age, format!(r"(?-u:\b)(?P<agen>{NUMWORD})[\s-](?P<ageu>year|month|week|day)s?-old(?-u:\b)")),
        (DateForm::LongAdjective, r"(?-u:\b)(?P<longu>year|month|week|day)-long(?-u:\b)".to_string()),
        (DateForm::Duration, format!(r"(?-u:\b)(?P<dn>{NUMWORD})[\s-](?P<du>{UNIT})(?-u:\b)")),
        (DateForm::Deictic, r"(?-u:\b)(?:[Tt]oday|[Yy]esterday|[Tt]omorrow)(?-u:\b)".to_string()),
        (DateForm::Weekday, format!(r"(?-u:\b)(?:{WEEKDAY})(?-u:\b)")),
        (DateForm::TheWeekend, r"(?-u:\b)weekend(?-u:\b)".to_string()),
        (DateForm::Month, format!(r"(?-u:\b)(?:{MONTH_FULL})(?-u:\b)")),
        (DateForm::Year, r"(?-u:\b)(?:1[6-9]|20)[0-9]{2}(?-u:\b)".to_string()),
    ]
});

/// The words a date form can start with (besides digit-led tokens and
/// `Q1`-`Q4`): the weekday and month names of the forms' own alternations
/// (`Jan\.` as `Jan`), and the other words of `lexicon/date-start-words.txt`.
static DATE_START_WORDS: LazyLock<WordList> = LazyLock::new(|| {
    let words: Vec<&'static str> = WEEKDAY
        .split('|')
        .chain(MONTH.split('|'))
        .map(|w| w.trim_end_matches("\\."))
        .chain(builtin_words("date-start-words.txt").iter().copied())
        .collect();
    // Built once per process; a word list holds 'static slices.
    WordList::new(Box::leak(words.into_boxed_slice()))
});

/// The spelled-out numbers of [`NUMWORD`] (its all-letter alternatives): they
/// start a date (`ago`, `dur`) only before a unit.
static NUMBER_WORDS: LazyLock<WordList> = LazyLock::new(|| {
    let words: Vec<&'static str> = NUMWORD
        .split('|')
        .filter(|w| w.bytes().all(|b| b.is_ascii_alphabetic()))
        .collect();
    WordList::new(Box::leak(words.into_boxed_slice()))
});

/// Whether a date form can start at token `i`: a digit-led token, `Q1`-`Q4`,
/// a word of [`DATE_START_WORDS`], or a spelled-out number whose next word
/// starts like a [`UNIT`] (`y`ears, `m`onths, `w`eeks, `d`ays, `h`ours,
/// `s`econds, `q`uarters). Most tokens are ruled out by their kind or their
/// `word_key` without reading their text. `start_words` and `number_words`
/// are the two lists, dereferenced once per document rather than per token.
fn may_start_date(
    text: &str,
    tokens: &[Token],
    i: usize,
    start_words: &WordList,
    number_words: &WordList,
) -> bool {
    let t = &tokens[i];
    match t.kind {
        TokenKind::Punct => return false,
        TokenKind::Number => return true,
        TokenKind::Word => {}
    }
    let bytes = text.as_bytes();
    // `36Kr`, `4bn`: words led by a digit; `Q3` (a lowercase word is
    // neither, and most words are lowercase: their text is not read).
    let first = bytes[t.span.start];
    if !t.shape.lower_initial()
        && DIGIT_OR_Q[usize::from(first)]
        && (first != b'F' || text[t.span.start..].starts_with("FY"))
    {
        return true;
    }
    if start_words.contains_token(t, text) {
        return true;
    }
    number_words.contains_token(t, text)
        && tokens[i + 1..]
            .iter()
            .find(|n| n.text(text) != "-")
            .is_some_and(|n| {
                matches!(
                    bytes[n.span.start],
                    b'y' | b'm' | b'w' | b'd' | b'h' | b's' | b'q'
                )
            })
}

/// All date forms in one matcher that reports which form matched, so capture
/// groups are resolved only for forms that have any, within that form alone.
static DATE_RE: LazyLock<meta::Regex> = LazyLock::new(|| {
    meta::Regex::new_many(&DATE_FORMS.each_ref().map(|(_, p)| p.as_str()))
        .expect("valid date regexes")
});

/// Each form on its own, for its capture groups: once [`DATE_RE`] has said
/// which form matched where, that form's own regex resolves the groups on
/// the match. (Resolved by the multi-pattern regex, every match cost about
/// 4,600 instructions: its bounded backtracker clears and walks state for
/// all 18 forms' NFA; one form's is a fraction of that.)
static FORM_RES: [OnceLock<meta::Regex>; FORMS] = [const { OnceLock::new() }; FORMS];

/// The regex of form `k` alone, built when a document first needs it (a
/// short input builds only the forms it holds).
fn form_regex(k: usize) -> &'static meta::Regex {
    FORM_RES[k].get_or_init(|| {
        // Only ever run anchored on a span the form is known to match: no
        // lazy DFA or prefilter to build, just the capture engines.
        let config = meta::Config::new()
            .hybrid(false)
            .dfa(false)
            .auto_prefilter(false);
        meta::Builder::new()
            .configure(config)
            .build(&DATE_FORMS[k].1)
            .expect("valid date regex")
    })
}

/// One match of [`DATE_RE`]: its form and, for forms with groups, their spans.
struct DateMatch<'t> {
    text: &'t str,
    form: DateForm,
    span: Span,
    /// The form's regex and the groups it resolved, for forms with groups.
    caps: Option<(&'t meta::Regex, &'t Captures)>,
}

impl<'t> DateMatch<'t> {
    fn whole(&self) -> &'t str {
        &self.text[self.span.start..self.span.end]
    }
    fn group(&self, name: &str) -> Option<regex_automata::Span> {
        let (re, caps) = self.caps?;
        // A form has a handful of groups: a scan beats the name map's SipHash.
        let i = re
            .group_info()
            .pattern_names(PatternID::ZERO)
            .position(|n| n == Some(name))?;
        caps.get_group(i)
    }
    fn g(&self, name: &str) -> Option<&'t str> {
        self.group(name).map(|s| &self.text[s.range()])
    }
}

/// Words before a lone year or month that make it a date.
static DATE_PREPOSITIONS: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("date-prepositions.txt"));

static FUTURE_CUES: LazyLock<WordList> = LazyLock::new(|| WordList::builtin("future-cues.txt"));

pub(crate) fn month_number(s: &str) -> Option<u32> {
    let key = s.trim_end_matches('.').to_ascii_lowercase();
    let k = key.get(..3)?;
    Some(match k {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    })
}

/// A day of the month, 1 to 31.
fn day_number(s: &str) -> Option<u32> {
    s.parse().ok().filter(|d| (1..=31).contains(d))
}

fn weekday_of(s: &str) -> Option<Weekday> {
    Some(match s.get(..3)? {
        "Mon" => Weekday::Mon,
        "Tue" => Weekday::Tue,
        "Wed" => Weekday::Wed,
        "Thu" => Weekday::Thu,
        "Fri" => Weekday::Fri,
        "Sat" => Weekday::Sat,
        "Sun" => Weekday::Sun,
        _ => return None,
    })
}

fn number_word(s: &str) -> Option<f64> {
    Some(match s.to_ascii_lowercase().as_str() {
        "a" | "an" | "one" => 1.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "fifteen" => 15.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "ninety" => 90.0,
        "hundred" => 100.0,
        other => other.parse().ok()?,
    })
}

fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// `P3Y`, `P30D`, `PT3M` …
fn duration_value(n: f64, unit: &str) -> Option<String> {
    let u = unit.trim_end_matches('s');
    Some(match u {
        "year" => format!("P{}Y", fmt_num(n)),
        "month" => format!("P{}M", fmt_num(n)),
        "week" => format!("P{}W", fmt_num(n)),
        "day" => format!("P{}D", fmt_num(n)),
        "decade" => format!("P{}Y", fmt_num(n * 10.0)),
        "quarter" => format!("P{}M", fmt_num(n * 3.0)),
        "hour" => format!("PT{}H", fmt_num(n)),
        "minute" => format!("PT{}M", fmt_num(n)),
        "second" => format!("PT{}S", fmt_num(n)),
        _ => return None,
    })
}

fn iso_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{:04}-W{:02}", w.year(), w.week())
}

fn add_months(year: i32, month: u32, delta: i32) -> (i32, u32) {
    let idx = year * 12 + month as i32 - 1 + delta;
    (idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u32)
}

/// The words just before byte `at` (up to `n`).
fn words_before(text: &str, at: usize, n: usize) -> Vec<&str> {
    let mut start = at.saturating_sub(40);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let piece = &text[start..at];
    let words: Vec<&str> = piece
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .collect();
    words[words.len().saturating_sub(n)..].to_vec()
}

fn prev_word_is_preposition(text: &str, at: usize) -> bool {
    let before = &text[..at];
    // `mid-2020` and `(2013)` count as date contexts too.
    if before.ends_with('-') {
        return true;
    }
    words_before(text, at, 1)
        .first()
        .is_some_and(|w| DATE_PREPOSITIONS.contains(w))
        && before.trim_end().len() < before.len()
}

/// Whether the words before `span` in its sentence speak of the future.
fn future_tense(doc: &Document, span: Span) -> bool {
    let sent = doc
        .sentence_at(span.start)
        .map(|i| doc.sentences[i])
        .unwrap_or(Span::new(0, doc.text.len()));
    // The clause before the expression governs it (`will launch in May`, but
    // `said in May that revenue would grow` is past); at most 200 bytes back, so
    // a run-on "sentence" cannot make this quadratic.
    let mut start = sent.start.max(span.start.saturating_sub(200));
    while !doc.text.is_char_boundary(start) {
        start += 1;
    }
    // Its own clause: `X will pay …, a premium to its price on Friday` is the
    // past Friday.
    if let Some(comma) = doc.text[start..span.start].rfind([',', ';']) {
        start += comma + 1;
    }
    let cues = &*FUTURE_CUES;
    doc.text[start..span.start]
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .any(|w| cues.contains(w))
}

struct Resolver<'a> {
    doc: &'a Document,
    dct: Option<NaiveDate>,
}

impl Resolver<'_> {
    /// A year-less month/day: the dct's year, moved to keep past events in the past.
    fn yearless(&self, span: Span, month: u32, day: Option<u32>) -> Option<String> {
        let Some(dct) = self.dct else {
            return Some(match day {
                Some(d) => format!("XXXX-{month:02}-{d:02}"),
                None => format!("XXXX-{month:02}"),
            });
        };
        let future = future_tense(self.doc, span);
        let mut year = dct.year();
        let key = (month, day.unwrap_or(1));
        let dct_key = (dct.month(), if day.is_some() { dct.day() } else { 1 });
        if !future && key > dct_key {
            year -= 1;
        } else if future && key < dct_key {
            year += 1;
        }
        Some(match day {
            Some(d) => {
                NaiveDate::from_ymd_opt(year, month, d)?;
                format!("{year:04}-{month:02}-{d:02}")
            }
            None => format!("{year:04}-{month:02}"),
        })
    }

    fn weekday(&self, span: Span, wd: Weekday) -> Option<String> {
        let dct = self.dct?;
        let today = dct.weekday().num_days_from_monday() as i64;
        let target = wd.num_days_from_monday() as i64;
        let delta = if future_tense(self.doc, span) {
            (target - today).rem_euclid(7)
        } else {
            -((today - target).rem_euclid(7))
        };
        Some(iso_date(dct + Duration::days(delta)))
    }

    /// `the weekend`: the last one (this one on a Saturday or Sunday), or
    /// the coming one when the sentence speaks of the future.
    fn the_weekend(&self, span: Span) -> Option<String> {
        let weekend = self.dct?.weekday().num_days_from_monday() >= 5;
        let which = if weekend || future_tense(self.doc, span) {
            "this"
        } else {
            "last"
        };
        self.relative(which, "weekend")
    }

    fn relative(&self, q: &str, unit: &str) -> Option<String> {
        let dct = self.dct?;
        let step: i32 = match q.to_ascii_lowercase().as_str() {
            "last" | "past" => -1,
            "next" | "coming" => 1,
            _ => 0,
        };
        Some(match unit {
            "year" => format!("{:04}", dct.year() + step),
            "month" => {
                let (y, m) = add_months(dct.year(), dct.month(), step);
                format!("{y:04}-{m:02}")
            }
            "week" => iso_week(dct + Duration::days(7 * step as i64)),
            "weekend" => format!("{}-WE", iso_week(dct + Duration::days(7 * step as i64))),
            "quarter" => {
                let (y, m) = add_months(dct.year(), dct.month(), 3 * step);
                format!("{y:04}-Q{}", (m - 1) / 3 + 1)
            }
            _ => return None,
        })
    }

    fn ago(&self, n: f64, unit: &str) -> Option<String> {
        let dct = self.dct?;
        if n.fract() != 0.0 {
            return None;
        }
        let n = n as i64;
        Some(match unit.trim_end_matches('s') {
            "year" => format!("{:04}", dct.year() as i64 - n),
            "month" => {
                let (y, m) = add_months(dct.year(), dct.month(), -(n as i32));
                format!("{y:04}-{m:02}")
            }
            "week" => iso_week(dct - Duration::days(7 * n)),
            "day" => iso_date(dct - Duration::days(n)),
            _ => return None,
        })
    }
}

fn date_value(y: &str, m: u32, d: &str) -> Option<String> {
    let (y, d): (i32, u32) = (y.parse().ok()?, d.parse().ok()?);
    let date = NaiveDate::from_ymd_opt(y, m, d)?;
    Some(iso_date(date))
}

fn timex_of(doc: &Document, m: &DateMatch) -> Option<Timex> {
    let text = doc.text.as_str();
    let span = m.span;
    let r = Resolver { doc, dct: doc.dct };
    let g = |n: &str| m.g(n);
    let form = m.form;
    let date = |value: Option<String>| {
        Some(Timex {
            span,
            kind: TimexType::Date,
            value,
        })
    };
    let after = &text[span.end..];
    match form {
        DateForm::Iso => {
            let v = crate::dct::parse_iso_date(m.whole())?;
            date(Some(iso_date(v)))
        }
        DateForm::MonthDayYear => date(Some(date_value(
            g("y1")?,
            month_number(g("m1")?)?,
            g("d1")?,
        )?)),
        DateForm::DayMonthYear => date(Some(date_value(
            g("y2")?,
            month_number(g("m2")?)?,
            g("d2")?,
        )?)),
        DateForm::MonthDay => {
            // `May 8 million` is not a date; a month needs a real day number.
            if after.starts_with(|c: char| {
                c.is_ascii_digit()
                    || c == ',' && after[1..].starts_with(|c: char| c.is_ascii_digit())
            }) || after.trim_start().starts_with(['%', '$'])
            {
                return None;
            }
            date(r.yearless(span, month_number(g("m3")?)?, Some(day_number(g("d3")?)?)))
        }
        DateForm::DayMonth => {
            date(r.yearless(span, month_number(g("m4")?)?, Some(day_number(g("d4")?)?)))
        }
        DateForm::MonthYear => {
            let m = month_number(g("m5")?)?;
            date(Some(format!("{}-{m:02}", g("y5")?)))
        }
        DateForm::PartOfYear => date(Some(g("y6")?.to_string())),
        DateForm::Quarter => {
            let q: u32 = match (g("q1"), g("qo"), g("q3")) {
                (Some(q), _, _) | (_, _, Some(q)) => q.parse().ok()?,
                (_, Some(o), _) => match &o[..1] {
                    "f" if o.starts_with("fi") => 1,
                    "s" => 2,
                    "t" => 3,
                    "f" => 4,
                    "1" => 1,
                    "2" => 2,
                    "3" => 3,
                    _ => 4,
                },
                _ => return None,
            };
            let year = g("qy1").or(g("qy2")).or(g("qy3"));
            date(match (year, r.dct) {
                (Some(y), _) => Some(format!("{y}-Q{q}")),
                (None, Some(d)) => Some(format!("{:04}-Q{q}", d.year())),
                (None, None) => None,
            })
        }
        DateForm::FiscalYear => {
            let year = match (g("fy1").or(g("fy3")), g("fy2")) {
                (Some(y), _) => y.to_string(),
                (None, Some(y)) if y.len() == 2 => format!("20{y}"),
                (None, Some(y)) => y.to_string(),
                (None, None) => return None,
            };
            date(Some(format!("FY{year}")))
        }
        DateForm::Half => {
            let h = match (g("h1").or(g("h3")), g("ho")) {
                (Some(h), _) => h,
                (None, Some("first")) => "1",
                (None, _) => "2",
            };
            let year = g("hy1").or(g("hy2")).or(g("hy3"))?;
            date(Some(format!("{year}-H{h}")))
        }
        DateForm::Season => {
            let season = match g("sn")?.to_ascii_lowercase().as_str() {
                "spring" => "SP",
                "summer" => "SU",
                "winter" => "WI",
                _ => "FA",
            };
            date(Some(format!("{}-{season}", g("sy")?)))
        }
        DateForm::Age => {
            let n = number_word(g("agen")?)?;
            Some(Timex {
                span,
                kind: TimexType::Duration,
                value: duration_value(n, g("ageu")?),
            })
        }
        DateForm::Decade => date(Some(g("decd")?.to_string())),
        DateForm::Ago => {
            let n = number_word(g("agon")?)?;
            date(r.ago(n, g("agou")?))
        }
        DateForm::QualifiedDuration => {
            let n = number_word(g("dqn")?)?;
            Some(Timex {
                span,
                kind: TimexType::Duration,
                value: duration_value(n, g("dqu")?),
            })
        }
        DateForm::Relative => {
            let q = g("relq")?;
            let unit = g("relu")?;
            if q.eq_ignore_ascii_case("past")
                || q.eq_ignore_ascii_case("coming") && unit != "weekend"
            {
                // `the past year`, `the coming month`: a length of time.
                return Some(Timex {
                    span,
                    kind: TimexType::Duration,
                    value: duration_value(1.0, unit),
                });
            }
            date(r.relative(q, unit))
        }
        DateForm::LongAdjective => Some(Timex {
            span,
            kind: TimexType::Duration,
            value: duration_value(1.0, g("longu")?),
        }),
        DateForm::Duration => {
            let unit = g("du")?;
            let n_str = g("dn")?;
            // Ages (`30-year-old`), rates (`once a year`), `a day` as an article.
            // `a year earlier`: relative to another event, neither a length nor a date we can place.
            // `a year later`: a date on the text's last year (`anchored_relative`);
            // `a day before` stays a length of time (SPEC §5).
            let relative_to_event = [" earlier", " later"].iter().any(|w| after.starts_with(w));
            if unit.starts_with("quarter") && after.starts_with(" of") {
                // `a quarter of its staff`: a fraction.
                return None;
            }
            // `six months old` is the duration `six months` (SPEC §5); `six-month-old`
            // is the age form's.
            if after.starts_with("-old") || relative_to_event {
                return None;
            }
            let prev = words_before(text, span.start, 1);
            if prev.first().is_some_and(|w| {
                matches!(*w, "once" | "twice" | "per" | "times" | "every" | "each")
            }) {
                return None;
            }
            if after.starts_with("-long") {
                // `a year-long probe`: the adjective is the duration.
                let unit_start = m.group("du")?.start;
                return Some(Timex {
                    span: Span::new(unit_start, span.end + "-long".len()),
                    kind: TimexType::Duration,
                    value: duration_value(1.0, unit),
                });
            }
            // `a day` is an article and a noun, but `a day before` a length (SPEC §5).
            let before_event = [" before", " after", " prior"]
                .iter()
                .any(|w| after.starts_with(w));
            if matches!(n_str, "a" | "an")
                && !matches!(unit, "decade" | "year" | "month" | "week" | "quarter")
                && !(before_event && unit == "day")
            {
                return None;
            }
            let n = number_word(n_str)?;
            Some(Timex {
                span,
                kind: TimexType::Duration,
                value: duration_value(n, unit),
            })
        }
        DateForm::Deictic => {
            let delta = match m.whole().to_ascii_lowercase().as_str() {
                "yesterday" => -1,
                "tomorrow" => 1,
                _ => 0,
            };
            date(r.dct.map(|d| iso_date(d + Duration::days(delta))))
        }
        DateForm::TheWeekend => {
            // Only a preposition and `the` before it (`over the weekend`,
            // `during the weekend`): `this weekend` is the relative form's,
            // and `weekend trading`, `the weekend edition` name no date.
            let before = words_before(text, span.start, 2);
            let dated = matches!(
                before.as_slice(),
                [prep, "the"] if matches!(*prep, "over" | "during" | "at" | "on" | "through" | "throughout" | "by" | "until" | "since" | "after" | "before" | "for")
            );
            if !dated || after.starts_with(|c: char| c == '-' || c.is_alphanumeric()) {
                return None;
            }
            date(r.the_weekend(span))
        }
        DateForm::Weekday => {
            // `Sunday Times`, `Cyber Monday Sale`: part of a name.
            let next_word = after.trim_start_matches(' ');
            let next_cap = after.starts_with(' ')
                && next_word.starts_with(|c: char| c.is_uppercase())
                && month_number(
                    next_word
                        .split(|c: char| !c.is_alphabetic())
                        .next()
                        .unwrap_or(""),
                )
                .is_none();
            let prev_cap = words_before(text, span.start, 1).first().is_some_and(|w| {
                w.starts_with(|c: char| c.is_uppercase())
                    && !crate::lexicon::NON_NAME_WORDS.contains(w)
            }) && text[..span.start].ends_with(' ');
            if next_cap || prev_cap {
                return None;
            }
            date(r.weekday(span, weekday_of(m.whole())?))
        }
        DateForm::Month => {
            let name = m.whole();
            let m = month_number(name)?;
            // `May` and `March` are also verbs; every month needs a date context.
            let ok = prev_word_is_preposition(text, span.start)
                || (!matches!(name, "May" | "March") && after.starts_with([',', '.', ';']));
            if !ok {
                return None;
            }
            // `August last year`: one date, the month of the year named after it.
            let year_after = [(" last year", -1), (" this year", 0), (" next year", 1)]
                .into_iter()
                .find(|(w, _)| after.starts_with(w));
            if let Some((words, step)) = year_after {
                return Some(Timex {
                    span: Span::new(span.start, span.end + words.len()),
                    kind: TimexType::Date,
                    value: r.dct.map(|d| format!("{:04}-{m:02}", d.year() + step)),
                });
            }
            date(r.yearless(span, m, None))
        }
        DateForm::Year => {
            let before = text[..span.start].chars().next_back();
            if matches!(before, Some('$' | '€' | '£' | '¥' | '#' | '.' | ',' | '-'))
                || after.starts_with(|c: char| {
                    c == '%' || c == '.' && after[1..].starts_with(|c: char| c.is_ascii_digit())
                })
            {
                return None;
            }
            let follows_punct = after.is_empty()
                || after
                    .starts_with([',', '.', ';', ':', ')', '!', '?', '\n', '\r', '"', '”', '’']);
            // `the 2018 World Economic Forum`: a year naming an event.
            let names_event = words_before(text, span.start, 1).first() == Some(&"the")
                && after.starts_with(' ')
                && after[1..].starts_with(|c: char| c.is_uppercase());
            if !(prev_word_is_preposition(text, span.start) || follows_punct || names_event) {
                return None;
            }
            date(Some(m.whole().to_string()))
        }
    }
}

/// The matches of [`DATE_RE`] a scan of the whole text would find, left to
/// right, found by anchored tries at the tokens that can start one (a date
/// starts where no letter or digit precedes it, so at a token), skipping those
/// inside the previous match as a scan would. Cheaper than the scan: most
/// tokens are ruled out by their `word_key`.
fn date_matches(doc: &Document) -> Vec<regex_automata::Match> {
    let mut found = Vec::new();
    let mut input = Input::new(&doc.text).anchored(Anchored::Yes);
    let mut searched_to = 0;
    for i in date_candidates(doc) {
        let t = &doc.tokens[i];
        if t.span.start < searched_to {
            continue;
        }
        input.set_start(t.span.start);
        if let Some(m) = DATE_RE.search(&input) {
            searched_to = m.end();
            found.push(m);
        }
    }
    found
}

/// The tokens [`may_start_date`] accepts, in order: a tight pass of its own
/// (inside the loop above, the loop's state lived on the stack).
#[inline(never)]
fn date_candidates(doc: &Document) -> Vec<usize> {
    let (start_words, number_words) = (&*DATE_START_WORDS, &*NUMBER_WORDS);
    let word_keys = &*DATE_WORD_KEYS;
    let bytes = doc.text.as_bytes();
    // What `may_start_date` asks first, without branches: a number, or a
    // word led by a digit or `Q` (not lowercase), or one whose key one of
    // the lists holds. About one token in twelve gets through; one in
    // thirty-five is a candidate.
    let mut out = tokens_where(&doc.tokens, |t| {
        let word = t.kind == TokenKind::Word;
        let digit_led = !t.shape.lower_initial() & DIGIT_OR_Q[usize::from(bytes[t.span.start])];
        (t.kind == TokenKind::Number) | (word & (digit_led | word_keys.may_contain(t.word_key)))
    });
    out.retain(|&i| may_start_date(&doc.text, &doc.tokens, i, start_words, number_words));
    out
}

/// The bytes that can lead a word that starts a date (`36Kr`, `Q3`, `FY24`).
const DIGIT_OR_Q: [bool; 256] = {
    let mut table = with_ascii_digits([false; 256]);
    table[b'Q' as usize] = true;
    table[b'F' as usize] = true;
    table
};

/// The keys of [`DATE_START_WORDS`] and [`NUMBER_WORDS`]: a word not led by a
/// digit or `Q` can start a date only with one of them.
static DATE_WORD_KEYS: LazyLock<KeyFilter> =
    LazyLock::new(|| KeyFilter::of(&[DATE_START_WORDS.words(), NUMBER_WORDS.words()]));

/// The year a value names (`2016`, `2016-05-08`, `2016-Q2`), if it names one.
fn year_of_value(v: &str) -> Option<i32> {
    let year = v.get(..4)?;
    (year.bytes().all(|b| b.is_ascii_digit()) && v.get(4..5).is_none_or(|c| c == "-"))
        .then(|| year.parse().ok())
        .flatten()
}

/// `a year later`, `two years earlier`: a date anchored on the last year the
/// text gave (SPEC §5: `launched in 2016 and expanded a year later` → `2017`).
fn anchored_relative(doc: &Document, m: &DateMatch, anchor: Option<i32>) -> Option<Timex> {
    if m.form != DateForm::Duration || m.g("du")?.trim_end_matches('s') != "year" {
        return None;
    }
    let after = &doc.text[m.span.end..];
    let (word, sign) = [(" later", 1), (" earlier", -1)]
        .into_iter()
        .find(|(w, _)| after.starts_with(w))?;
    let n = number_word(m.g("dn")?)?;
    if n.fract() != 0.0 {
        return None;
    }
    let year = i64::from(anchor?) + sign * n as i64;
    Some(Timex {
        span: Span::new(m.span.start, m.span.end + word.len()),
        kind: TimexType::Date,
        value: (1000..=9999).contains(&year).then(|| year.to_string()),
    })
}

/// Qualifiers a duration's span takes in (SPEC §5: `nearly eight years`).
const DURATION_QUALIFIERS: &[&str] = &[
    "almost",
    "nearly",
    "about",
    "around",
    "approximately",
    "roughly",
    "over",
    "barely",
    "just",
    "some",
    "more than",
    "less than",
    "at least",
    "up to",
    "well over",
    "fewer than",
];

/// Words a date's span takes in before it (SPEC §5: `late last month`,
/// `end-March`, `next Thursday`).
const DATE_PREFIXES: &[&str] = &["late", "early", "mid", "end"];

/// Widens a date or duration over the qualifier or part word just before it.
fn extend_left(doc: &Document, t: &mut Timex) {
    let text = doc.text.as_str();
    let before = &text[..t.span.start];
    // The length of `word` + `joiner` ending `before` on a word boundary.
    let prefix_len = |words: &[&str], joiners: &[&str]| {
        let j = joiners.iter().find(|j| before.ends_with(**j))?;
        let rest = &before[..before.len() - j.len()];
        words.iter().find_map(|w| {
            let at = rest.len().checked_sub(w.len())?;
            let clean = !rest
                .get(..at)?
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric());
            (rest.get(at..)?.eq_ignore_ascii_case(w) && clean).then_some(w.len() + j.len())
        })
    };
    match t.kind {
        TimexType::Duration => {
            if let Some(n) = prefix_len(DURATION_QUALIFIERS, &[" "]) {
                t.span.start -= n;
            }
        }
        TimexType::Date => {
            if let Some(n) = prefix_len(DATE_PREFIXES, &[" ", "-"]) {
                t.span.start -= n;
            } else if let Some(n) = prefix_len(&["next", "last", "this"], &[" "])
                && weekday_of(&text[t.span.start..t.span.end]).is_some()
                && t.span.end - t.span.start <= "Wednesday".len()
            {
                let word = &before[before.len() - n..before.len() - 1];
                t.span.start -= n;
                if let (Some(dct), Some(wd)) =
                    (doc.dct, weekday_of(&text[t.span.start + n..t.span.end]))
                {
                    let today = i64::from(dct.weekday().num_days_from_monday());
                    let target = i64::from(wd.num_days_from_monday());
                    let delta = match word.to_ascii_lowercase().as_str() {
                        "next" => (target - today).rem_euclid(7).max(1),
                        "last" => -((today - target).rem_euclid(7).max(1)),
                        _ => target - today,
                    };
                    t.value = Some(iso_date(dct + Duration::days(delta)));
                }
            }
        }
    }
}

/// Spans dates may not overlap (amounts, percentages, the date header),
/// sorted by start with the greatest end so far beside each: whether a span
/// overlaps any of them is one binary search (a linear scan per date made a
/// long document's dates quadratic: 48 MB took 1.4 s in this stage).
struct Taken {
    /// `(start, greatest end of this span and those before it)`.
    spans: Vec<(usize, usize)>,
}

impl Taken {
    fn new(spans: impl Iterator<Item = Span>) -> Taken {
        let mut spans: Vec<Span> = spans.collect();
        spans.sort_unstable_by_key(|s| s.start);
        let mut max_end = 0;
        let spans = spans
            .iter()
            .map(|s| {
                max_end = max_end.max(s.end);
                (s.start, max_end)
            })
            .collect();
        Taken { spans }
    }

    /// Whether `span` overlaps one of the spans.
    fn overlaps(&self, span: Span) -> bool {
        // The spans that start before `span` ends; one of them overlaps it
        // when the greatest of their ends lies past its start.
        let before_end = self.spans.partition_point(|&(start, _)| start < span.end);
        before_end > 0 && self.spans[before_end - 1].1 > span.start
    }
}

/// Finds dates and durations in `doc` (needs sentences and `dct`).
pub fn find_dates(doc: &Document) -> Vec<Timex> {
    let mut out: Vec<Timex> = Vec::new();
    if let (Some(span), Some(dct)) = (doc.dct_header, doc.dct) {
        out.push(Timex {
            span,
            kind: TimexType::Date,
            value: Some(iso_date(dct)),
        });
    }
    let taken = Taken::new(
        doc.money
            .iter()
            .map(|m| m.span)
            .chain(doc.percents.iter().map(|p| p.span))
            .chain(doc.dct_header),
    );
    // The year of the last date found with one (`a year later` counts from
    // it), kept as dates are found: looking back through them for each match
    // made a long document's dates quadratic.
    let mut anchor = out
        .iter()
        .rev()
        .find_map(|t| t.value.as_deref().and_then(year_of_value));
    // Per form, made when the form first matches in this document.
    let mut form_caps: Vec<Option<Captures>> = vec![None; DATE_FORMS.len()];
    for found in date_matches(doc) {
        let pid = found.pattern().as_usize();
        let form = DATE_FORMS[pid].0;
        // Forms without named groups (their value is the whole match) need
        // no capture search; group 0 is the match itself.
        let with_groups = DATE_RE.group_info().group_len(found.pattern()) > 1;
        let caps = with_groups.then(|| {
            let re = form_regex(pid);
            let caps = form_caps[pid].get_or_insert_with(|| re.create_captures());
            let input = Input::new(&doc.text)
                .span(found.range())
                .anchored(Anchored::Yes);
            re.search_captures(&input, caps);
            (re, &*caps)
        });
        let m = DateMatch {
            text: &doc.text,
            form,
            span: Span::new(found.start(), found.end()),
            caps,
        };
        let found = timex_of(doc, &m).or_else(|| anchored_relative(doc, &m, anchor));
        if let Some(mut t) = found {
            extend_left(doc, &mut t);
            if !taken.overlaps(t.span) {
                if let Some(year) = t.value.as_deref().and_then(year_of_value) {
                    anchor = Some(year);
                }
                out.push(t);
            }
        }
    }
    let keep = resolve_overlaps(&out, |t| t.span, |_| 0);
    keep.into_iter().map(|i| out[i].clone()).collect()
}

impl Stage for DateTagger {
    fn name(&self) -> &'static str {
        "dates"
    }

    fn process(&self, doc: &mut Document) {
        doc.dates = find_dates(doc);
    }
}

#[cfg(test)]
mod tests;
