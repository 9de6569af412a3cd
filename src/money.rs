//! Money amounts (SPEC §3) and percentages (SPEC §4).
//!
//! Money forms, all compiled once into one regex:
//! * symbol or code first: `$ 240 billion`, `US$14 million`, `€4.34bn`,
//!   `RMB 3.4 billion`, `HK$500`, `RM2.5m`;
//! * number first, currency word after: `18.2 billion yuan`, `500,000 yuan`,
//!   `3 million U.S. dollars`, `40 billion renminbi`;
//! * spelled-out amounts: `half a million yuan`, `a billion dollars`,
//!   `two million euros`;
//! * hyphenated adjectives: `a 4.34-billion-euro fine`.
//!
//! Values are exact decimals (`18.2 billion` = 18200000000). A qualifier just
//! before the amount (`about`, `over`, `nearly`, `more than`, `up to` …) stays
//! outside the span and sets `approx`. An amount in brackets right after another
//! (`18.2 billion yuan ($2.8 billion)`) is its `equivalent_of`. `¥` is yuan or
//! yen by the nearest preceding cue in the text (`yuan`, `RMB`, `China` … vs
//! `yen`, `Japan` …), yuan when there is none.
//!
//! Percentages: a number and `%`, `percent`, `per cent` or `percentage
//! point(s)`, with a qualifier just before inside the span setting `modifier`.
//!
//! Both are searched at candidate tokens only, not by a regex scan of the whole
//! text: an amount or percentage counts only where no letter, digit, `.`, `,`
//! or `$` precedes it, so it starts where a token starts, and only tokens led by
//! a digit, a currency sign, a currency code or a spelled-out number can start
//! one. The regex then runs anchored at those few places. Left to right, a
//! candidate inside the previous match is skipped, as a scan would skip it.

use std::sync::LazyLock;

use regex::Regex;
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input, meta};

use crate::document::{Decimal, Document, Money, Percent, PercentModifier, Span, Token, TokenKind};
use crate::error::LexiconError;
use crate::lexicon::{WordList, tokens_where, with_ascii_digits};
use crate::stage::Stage;
use crate::tokenize::tokenize;

/// The money and percent stage (needs tokens; entities, for the currency of
/// an ambiguous sign).
#[derive(Debug, Default, Clone)]
pub struct MoneyTagger {
    /// For the names of the places entities are headquartered in (`hq=`),
    /// looked up as needed: `¥` after `Toyota` is yen because Toyota's
    /// headquarters, Toyota City, is a cue of the yen
    /// (`lexicon/currency-cues.tsv`).
    gazetteer: crate::gazetteer::Gazetteer,
}

impl MoneyTagger {
    /// A tagger that knows the gazetteer's headquarters.
    pub fn new(gazetteer: &crate::gazetteer::Gazetteer) -> MoneyTagger {
        MoneyTagger {
            gazetteer: gazetteer.clone(),
        }
    }

    /// Settles the currency of amounts with a sign the document decides
    /// (`¥`) by the organisations named before them, where no word of the
    /// text did: an organisation whose headquarters' name is a cue of one of
    /// the sign's currencies counts as that cue, at its mention.
    fn currencies_from_entities(&self, doc: &mut Document) {
        let table = currencies();
        for k in 0..doc.money.len() {
            let m = &doc.money[k];
            let amount = &doc.text[m.span.start..m.span.end];
            let Some(form) = table.ambiguous_form_opening(amount) else {
                continue;
            };
            let named: Vec<(usize, &str)> = doc
                .mentions
                .iter()
                .take_while(|x| x.span.end <= m.span.start)
                .filter_map(|x| {
                    let e = &doc.entities[x.entity];
                    let hq = self.gazetteer.get(self.gazetteer.get(&e.id)?.hq()?)?;
                    Some((x.span.start, hq.name()))
                })
                .collect();
            if let Some(code) = table.currency_in_context(form, &doc.text, m.span.start, &named) {
                doc.money[k].currency = code;
            }
        }
    }
}

pub(crate) mod currencies;

pub(crate) use currencies::CurrencyTable;
use currencies::Place;

const NUM: &str = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?";
/// Scale words (SPEC §3), longest first where one starts another; the words
/// are matched in any case (`$853 Mln`, `10 BLN`), the one-letter ones only in
/// lower case (`$5m`).
const SCALE: &str =
    r"(?i:lakh\s+crore|trillion|billion|million|thousand|lakh|crore|trn|tn|bln|bn|mln|mn)|m|k|b";
const WORD_NUM: &str = r"half\s+a|a\s+half|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|several|hundreds\s+of|tens\s+of";
const QUALIFIER: &str = r"(?:about|around|approximately|roughly|nearly|almost|over|more\s+than|less\s+than|fewer\s+than|under|above|below|up\s+to|at\s+least|at\s+most|some|close\s+to|as\s+much\s+as|as\s+many\s+as|just\s+over|just\s+under|well\s+over|an\s+estimated|estimated)";

/// The currency table, parsed once; [`check_lexicon`] reports its errors
/// when the pipeline is built.
static CURRENCIES: LazyLock<Result<CurrencyTable, LexiconError>> =
    LazyLock::new(CurrencyTable::builtin);

/// Whether the built-in currency table loads (the pipeline builder asks
/// before any document is read).
pub fn check_lexicon() -> Result<(), LexiconError> {
    CURRENCIES.as_ref().map(|_| ()).map_err(Clone::clone)
}

fn currencies() -> &'static CurrencyTable {
    CURRENCIES
        .as_ref()
        .expect("the currency table loads (checked when the pipeline is built)")
}

/// A regex alternation of the forms at `place`, longest first (the regex
/// takes the first alternative that matches), whitespace inside a form
/// matching any run of spaces.
fn forms_alternation(keep: impl Fn(Place) -> bool) -> String {
    let mut forms: Vec<&str> = currencies()
        .forms
        .iter()
        .filter(|f| keep(f.place))
        .map(|f| f.form.as_str())
        .collect();
    forms.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    forms
        .iter()
        .map(|f| {
            f.split_whitespace()
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(r"\s+")
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// Currency forms before the number.
static SYMBOLS: LazyLock<String> = LazyLock::new(|| forms_alternation(Place::before));
/// Currency forms after the number.
static WORDS_AFTER: LazyLock<String> = LazyLock::new(|| forms_alternation(Place::after));

/// Leaks a list built once for the whole run into a [`WordList`].
fn word_list(words: Vec<String>) -> WordList {
    let words: Vec<&'static str> = words
        .into_iter()
        .map(|w| &*Box::leak(w.into_boxed_str()))
        .collect();
    WordList::new(Vec::leak(words))
}

/// The letters a currency form before the number starts with, up to its
/// first non-letter (`US` of `US$`, `U` of `U.S.$`, `RM` of `RM2.5m`).
static SYMBOL_LETTERS: LazyLock<WordList> = LazyLock::new(|| {
    let mut letters: Vec<String> = currencies()
        .forms
        .iter()
        .filter(|f| f.place.before())
        .map(|f| {
            f.form
                .chars()
                .take_while(char::is_ascii_alphabetic)
                .collect::<String>()
        })
        .filter(|l| !l.is_empty())
        .collect();
    letters.sort();
    letters.dedup();
    word_list(letters)
});

/// The longest [`SYMBOL_LETTERS`] word: [`may_start_money`] reads no more.
static SYMBOL_LETTERS_MAX: LazyLock<usize> = LazyLock::new(|| {
    SYMBOL_LETTERS
        .words()
        .iter()
        .map(|w| w.len())
        .max()
        .unwrap_or(0)
});

/// The first words of [`WORD_NUM`].
const NUMBER_WORD_LIST: &[&str] = &[
    "half", "a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "several", "hundreds", "tens",
];
static NUMBER_WORDS: WordList = WordList::new(NUMBER_WORD_LIST);

/// The words that can follow the first word of a spelled-out amount: the rest
/// of [`WORD_NUM`] (`half a`, `a few`, `tens of`), a [`SCALE`] word or the first
/// token of a currency form after the number (`U.S` of `U.S.`).
static AFTER_NUMBER_WORDS: LazyLock<WordList> = LazyLock::new(|| {
    let scale_words = SCALE
        .trim_start_matches("(?i:")
        .replace(')', "")
        .split('|')
        .map(|alt| alt.split("\\s+").next().unwrap_or(alt).to_string())
        .flat_map(|w| {
            [
                w.to_ascii_lowercase(),
                w.to_ascii_uppercase(),
                capitalised(&w),
            ]
        })
        .collect::<Vec<_>>();
    let rest_of_number_words = WORD_NUM
        .split('|')
        .filter_map(|alt| alt.split_once("\\s+").map(|(_, rest)| rest))
        .map(|w| w.split("\\s+").next().unwrap_or(w).to_string());
    let currency_words = currencies()
        .forms
        .iter()
        .filter(|f| f.place.after())
        .filter_map(|f| {
            let first = tokenize(&f.form).into_iter().next()?;
            Some(f.form[first.span.start..first.span.end].to_string())
        });
    let mut words: Vec<String> = scale_words
        .into_iter()
        .chain(rest_of_number_words)
        .chain(currency_words)
        .collect();
    words.sort();
    words.dedup();
    word_list(words)
});

fn capitalised(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// Currency signs that are tokens of their own (`$`, `€`, `₹`): the first
/// character of each form before the number that does not start with a letter.
static SIGNS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut signs: Vec<String> = currencies()
        .forms
        .iter()
        .filter(|f| f.place.before())
        .filter_map(|f| f.form.chars().next())
        .filter(|c| !c.is_alphanumeric())
        .map(String::from)
        .collect();
    signs.sort();
    signs.dedup();
    signs
});

/// First bytes of the sign and currency-code tokens [`may_start_money`] looks
/// at more closely (digit-led and lowercase tokens are settled before it).
static MONEY_LEAD_BYTES: LazyLock<[bool; 256]> = LazyLock::new(|| {
    let mut table = [false; 256];
    for w in SIGNS
        .iter()
        .map(String::as_str)
        .chain(SYMBOL_LETTERS.words().iter().copied())
    {
        table[usize::from(w.as_bytes()[0])] = true;
    }
    table
});

/// Money forms, tried anchored at candidate tokens.
static MONEY: LazyLock<meta::Regex> =
    LazyLock::new(|| meta::Regex::new(&money_pattern(&WORDS_AFTER)).expect("valid money regex"));

/// [`MONEY`] with any text as the currency after the number, for the groups
/// of a match [`MONEY`] found: its capture search clears a visited set a
/// fraction the size of [`MONEY`]'s (whose hundreds of currency words make
/// the capture search a tenth of the pipeline's work). A currency group that
/// is not a currency form is searched again with [`MONEY`].
static MONEY_GROUPS_ONLY: LazyLock<meta::Regex> =
    LazyLock::new(|| meta::Regex::new(&money_pattern(r"(?s:.+)")).expect("valid money regex"));

/// The money pattern, with `words_after` as the currency after the number.
fn money_pattern(words_after: &str) -> String {
    let symbols = &*SYMBOLS;
    format!(
        r"(?x)
        (?P<hyph>(?P<hnum>{NUM})-(?P<hscale>trillion|billion|million|thousand)-(?P<hcur>euro|dollar|yuan|pound|yen|ringgit|renminbi|rupee|won))(?-u:\b)
      | (?P<sym>(?P<scur>{symbols})[\ \u{{a0}}]?(?P<snum>{NUM})(?:[\ \u{{a0}}]?(?P<sscale>{SCALE})(?-u:\b))?)
      | (?P<word>(?P<wnum>{NUM}|{WORD_NUM})(?:[\ \u{{a0}}-]?(?P<wscale>{SCALE})(?-u:\b))?[\ \u{{a0}}](?P<wcur>{words_after})(?-u:\b))
        "
    )
}

/// The other bound of a range after an amount with a sign but no scale word
/// (`$3-4 billion`, `$3 to $4 billion`): the bound's sign, number and scale.
static RANGE_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    let symbols = &*SYMBOLS;
    Regex::new(&format!(
        r"^[\ \u{{a0}}]?(?:-|–|—|[\ \u{{a0}}]to[\ \u{{a0}}])[\ \u{{a0}}]?(?P<sign>{symbols})?[\ \u{{a0}}]?(?P<num>{NUM})[\ \u{{a0}}]?(?P<scale>{SCALE})(?-u:\b)"
    ))
    .expect("valid range regex")
});

/// The first bound of a range before an amount with its currency word after
/// (`3-4 billion yuan`, `3 to 4 billion yuan`): the number.
static RANGE_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:^|[^0-9A-Za-z.,$])(?P<num>{NUM})[\ \u{{a0}}]?(?:-|–|—|[\ \u{{a0}}]to[\ \u{{a0}}])[\ \u{{a0}}]?$"
    ))
    .expect("valid range regex")
});

static QUALIFIER_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)(?-u:\b){QUALIFIER}\s+$")).expect("valid qualifier regex")
});

/// A number and a percent sign or word, tried anchored at number tokens; the
/// qualifier before it is found by [`qualifier_before`].
static PERCENT: LazyLock<meta::Regex> = LazyLock::new(|| {
    meta::Regex::new(&format!(
        r"(?i)(?:{NUM})(?:\s?%|[\ \u{{a0}}](?:percent|per\s+cent|percentage\s+points?|pct)(?-u:\b))"
    ))
    .expect("valid percent regex")
});

/// The power of ten of a scale word or words (`lakh crore` = 5 + 7).
fn scale_exp(s: &str) -> u32 {
    s.split_whitespace()
        .map(|w| match w.to_ascii_lowercase().as_str() {
            "thousand" | "k" => 3,
            "lakh" => 5,
            "million" | "m" | "mn" | "mln" => 6,
            "crore" => 7,
            "billion" | "bn" | "b" | "bln" => 9,
            "trillion" | "tn" | "trn" => 12,
            _ => 0,
        })
        .sum()
}

/// A spelled-out quantity: `half a` → 0.5, `two` → 2; vague ones (`several`) → None.
fn word_number(s: &str) -> Option<Decimal> {
    let s = s
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase();
    let n = match s.as_str() {
        "half a" | "a half" => return Decimal::parse("0.5"),
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        _ => return None,
    };
    Some(Decimal::from_int(n))
}

/// The first char boundary at or after `i`.
fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn starts_clean(text: &str, start: usize) -> bool {
    !text[..start]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '.' || c == ',' || c == '$')
}

/// The qualifier (`about`, `more than` …) that ends, followed by whitespace,
/// right before byte `at` and starts at or after `floor`: its start and text.
/// Looks back 40 bytes, past the longest qualifier and its spaces.
///
/// What [`QUALIFIER_BEFORE`] finds in that window (a test holds the two
/// equal), matched by hand for ASCII windows: the regex's search cost some
/// 3,700 instructions a call, more than the rest of an amount's parse.
fn qualifier_before(text: &str, floor: usize, at: usize) -> Option<(usize, &str)> {
    let lo = floor_boundary(text, at.saturating_sub(40).max(floor));
    let window = &text[lo..at];
    let start = if window.is_ascii() {
        qualifier_ending(window.as_bytes())?
    } else {
        QUALIFIER_BEFORE.find(window)?.start()
    };
    // The regex sees the window's start as a word boundary; the text may not.
    if start == 0 && lo > 0 && is_ascii_word_byte(text.as_bytes()[lo - 1]) {
        return None;
    }
    Some((lo + start, window[start..].trim_end()))
}

/// The words of [`QUALIFIER`], phrase by phrase.
static QUALIFIER_PHRASES: LazyLock<Vec<Vec<&'static str>>> = LazyLock::new(|| {
    QUALIFIER
        .trim_start_matches("(?:")
        .trim_end_matches(')')
        .split('|')
        .map(|phrase| phrase.split("\\s+").collect())
        .collect()
});

/// Bytes `[0-9A-Za-z_]`: the ASCII word characters of `(?-u:\b)`.
fn is_ascii_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whitespace as `\s` matches it, for ASCII.
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
}

/// In an ASCII `window`: the start of the earliest qualifier phrase that
/// begins on a word boundary and is followed by whitespace up to the end
/// (case-insensitive, any whitespace between its words), as the regex finds it.
fn qualifier_ending(window: &[u8]) -> Option<usize> {
    let body = window.len()
        - window
            .iter()
            .rev()
            .take_while(|&&b| is_ascii_space(b))
            .count();
    if body == window.len() {
        return None;
    }
    let starts_phrase = |words: &[&str]| {
        let mut end = body;
        for (k, word) in words.iter().rev().enumerate() {
            if k > 0 {
                let spaces = window[..end]
                    .iter()
                    .rev()
                    .take_while(|&&b| is_ascii_space(b));
                let n = spaces.count();
                if n == 0 {
                    return None;
                }
                end -= n;
            }
            let w = word.as_bytes();
            if end < w.len() || !window[end - w.len()..end].eq_ignore_ascii_case(w) {
                return None;
            }
            end -= w.len();
        }
        (end == 0 || !is_ascii_word_byte(window[end - 1])).then_some(end)
    };
    QUALIFIER_PHRASES
        .iter()
        .filter_map(|p| starts_phrase(p))
        .min()
}

/// Whether an amount can start at token `i`: a number, a currency sign, the
/// letters of a currency code or sign (`USD`, `US` of `US$`), or a spelled-out
/// number before a word that can follow one. A cheap test that spares the
/// regex most tokens.
fn may_start_money(text: &str, tokens: &[Token], i: usize) -> bool {
    let t = &tokens[i];
    let bytes = text.as_bytes();
    match t.kind {
        TokenKind::Number => true,
        // Lowercase words, the most common tokens, first: a spelled-out
        // number or nothing, and the word key turns most away unread. (Every
        // number word is ASCII, so a non-ASCII one is no candidate either.)
        TokenKind::Word if t.shape.lower_initial() => {
            NUMBER_WORDS.contains_token(t, text) && {
                // The next word, past a hyphen (`two-million …`).
                let next = tokens[i + 1..].iter().find(|n| n.text(text) != "-");
                next.is_some_and(|n| AFTER_NUMBER_WORDS.contains_token(n, text))
            }
        }
        TokenKind::Punct => {
            MONEY_LEAD_BYTES[usize::from(bytes[t.span.start])]
                && SIGNS.iter().any(|s| s == t.text(text))
        }
        TokenKind::Word => {
            let first = bytes[t.span.start];
            if first.is_ascii_digit() {
                return true;
            }
            // The letters before the first non-letter, no more than the
            // longest a currency form starts with.
            MONEY_LEAD_BYTES[usize::from(first)] && {
                let max = *SYMBOL_LETTERS_MAX;
                let word = &bytes[t.span.start..t.span.end];
                let n = word
                    .iter()
                    .take(max + 1)
                    .take_while(|b| b.is_ascii_alphabetic())
                    .count();
                n <= max && SYMBOL_LETTERS.contains(&text[t.span.start..t.span.start + n])
            }
        }
    }
}

/// The capture-group indices of [`MONEY`]'s three forms, `[form, number,
/// scale, currency]` each: looked up once, not by name (a SipHash-keyed map)
/// for every group of every amount.
static MONEY_GROUPS: LazyLock<[[usize; 4]; 3]> = LazyLock::new(|| {
    let index = |name: &str| {
        MONEY
            .group_info()
            .to_index(regex_automata::PatternID::ZERO, name)
            .expect("a group of the money regex")
    };
    [
        ["hyph", "hnum", "hscale", "hcur"],
        ["sym", "snum", "sscale", "scur"],
        ["word", "wnum", "wscale", "wcur"],
    ]
    .map(|form| form.map(index))
});

fn money_from(text: &str, caps: &Captures) -> Option<Money> {
    let whole = caps.get_match()?;
    let group = |i: usize| caps.get_group(i).map(|s| &text[s.range()]);
    // The form that matched (the last one when the others did not).
    let groups = MONEY_GROUPS
        .iter()
        .find(|g| group(g[0]).is_some())
        .unwrap_or(&MONEY_GROUPS[2]);
    let (num, scale, cur) = (group(groups[1])?, group(groups[2]), group(groups[3])?);
    let base = if num.starts_with(|c: char| c.is_ascii_digit()) {
        Decimal::parse(num)?
    } else {
        // Spelled-out amounts need a scale word: `a million yuan`, not `a yuan`.
        scale?;
        word_number(num)?
    };
    let value = base.times_pow10(scale.map_or(0, scale_exp))?;
    let table = currencies();
    // A tight sign (`W1.2tn`) touches its number.
    if table.place_of(cur) == Some(Place::Tight)
        && !text[caps.get_group(groups[3])?.end..].starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    let currency = table.currency_of(cur, text, whole.start())?;
    // `50 cents a share`, `20 euro cents`: a hundredth of the currency.
    let value = if cur.ends_with("cent") || cur.ends_with("cents") {
        value.div_pow10(2)
    } else {
        value
    };
    Some(Money {
        span: Span::new(whole.start(), whole.end()),
        value,
        currency,
        approx: qualifier_before(text, 0, whole.start()).is_some(),
        equivalent_of: None,
    })
}

/// The tokens that may start an amount ([`may_start_money`]), in order: a
/// tight first pass, so the regex loop runs over a few candidates rather
/// than every token.
/// (Not inlined: inside the tagger, its loop state lived on the stack.)
#[inline(never)]
fn money_candidates(text: &str, tokens: &[Token]) -> Vec<usize> {
    let bytes = text.as_bytes();
    let lead_or_digit: &[bool; 256] = &MONEY_LEAD_OR_DIGIT;
    // What `may_start_money` asks first, without branches: a number; a
    // lowercase word whose key the number words hold; any other token led
    // by a digit or by a byte a currency sign or code starts with. About one
    // token in six gets through; one in sixty is a candidate.
    let mut out = tokens_where(tokens, |t| {
        let lower = t.shape.lower_initial();
        let number = t.kind == TokenKind::Number;
        let number_word =
            (t.kind == TokenKind::Word) & lower & NUMBER_WORDS.may_contain(t.word_key);
        let led = !number & !lower & lead_or_digit[usize::from(bytes[t.span.start])];
        number | number_word | led
    });
    out.retain(|&i| may_start_money(text, tokens, i));
    out
}

/// [`MONEY_LEAD_BYTES`] and the ASCII digits.
static MONEY_LEAD_OR_DIGIT: LazyLock<[bool; 256]> =
    LazyLock::new(|| with_ascii_digits(*MONEY_LEAD_BYTES));

/// Finds money amounts in `text` (tokenized as `tokens`), in order.
pub fn find_money(text: &str, tokens: &[Token]) -> Vec<Money> {
    find_money_at(text, &money_candidates(text, tokens), tokens)
}

/// [`find_money`] over the tokens [`money_candidates`] chose.
fn find_money_at(text: &str, candidates: &[usize], tokens: &[Token]) -> Vec<Money> {
    let mut out: Vec<Money> = Vec::new();
    let mut input = Input::new(text).anchored(Anchored::Yes);
    let mut caps = MONEY.create_captures();
    let mut searched_to = 0;
    for &i in candidates {
        let at = tokens[i].span.start;
        if at < searched_to {
            continue;
        }
        input.set_start(at);
        let Some(found) = MONEY.search(&input) else {
            continue;
        };
        let within = Input::new(text).span(found.range()).anchored(Anchored::Yes);
        MONEY_GROUPS_ONLY.search_captures(&within, &mut caps);
        let word_currency = caps.get_group(MONEY_GROUPS[2][3]);
        let is_form_after = |c: regex_automata::Span| {
            currencies()
                .place_of(&text[c.range()])
                .is_some_and(Place::after)
        };
        if word_currency.is_some_and(|c| !is_form_after(c)) {
            MONEY.search_captures(&within, &mut caps);
        }
        let Some(whole) = caps.get_match() else {
            continue;
        };
        searched_to = whole.end();
        if !starts_clean(text, at) {
            continue;
        }
        // A symbol amount must not run into letters (`$5mn` is fine, `$5abc` is not).
        if text[whole.end()..].starts_with(|c: char| c.is_alphanumeric()) {
            continue;
        }
        let Some(mut m) = money_from(text, &caps) else {
            continue;
        };
        if let Some(head) = range_head(text, &m, &caps, out.last()) {
            out.push(head);
        }
        let tail = range_tail(text, &mut m, &caps);
        out.push(m);
        if let Some(tail) = tail {
            searched_to = tail.span.end;
            out.push(tail);
        }
    }
    // Bracketed conversions: `A (B)` or `A (about B)`.
    for i in 1..out.len() {
        let between = &text[out[i - 1].span.end..out[i].span.start];
        let after = &text[out[i].span.end..];
        let opens = between.trim_start().starts_with('(') || between.trim_start().starts_with('[');
        let inner = between.trim_start().trim_start_matches(['(', '[']).trim();
        let inner_ok =
            inner.is_empty() || QUALIFIER_BEFORE.is_match(&format!("{inner} ")) || inner == "or";
        if opens
            && inner_ok
            && after.trim_start().starts_with([')', ']'])
            && out[i - 1].equivalent_of.is_none()
        {
            out[i].equivalent_of = Some(i - 1);
        }
    }
    out
}

/// A range's first bound before an amount with its currency word after it
/// (`3-4 billion yuan`): the bound shares the amount's scale and currency.
fn range_head(text: &str, m: &Money, caps: &Captures, last: Option<&Money>) -> Option<Money> {
    let groups = &MONEY_GROUPS[2];
    caps.get_group(groups[0])?;
    let scale = caps.get_group(groups[2]).map(|s| &text[s.range()])?;
    let lo = floor_boundary(text, m.span.start.saturating_sub(40));
    let found = RANGE_HEAD.captures(&text[lo..m.span.start])?;
    let num = found.name("num")?;
    let span = Span::new(lo + num.start(), lo + num.end());
    if last.is_some_and(|l| l.span.end > span.start) {
        return None;
    }
    Some(Money {
        span,
        value: Decimal::parse(num.as_str())?.times_pow10(scale_exp(scale))?,
        currency: m.currency,
        approx: qualifier_before(text, 0, span.start).is_some(),
        equivalent_of: None,
    })
}

/// A range after an amount with a sign and no scale word (`$3-4 billion`,
/// `$3 to $4 billion`): the amount takes the range's scale word (`$3` alone
/// would read 3 dollars), and a second bound without its own sign
/// (`4 billion`) is returned as an amount of the same currency.
fn range_tail(text: &str, m: &mut Money, caps: &Captures) -> Option<Money> {
    let groups = &MONEY_GROUPS[1];
    caps.get_group(groups[0])?;
    if caps.get_group(groups[2]).is_some() {
        return None;
    }
    // The other bound is within a few words: a window, not the rest of the
    // text (the capture engines' work grows with the haystack).
    let window = &text[m.span.end..floor_boundary(text, (m.span.end + 48).min(text.len()))];
    let found = RANGE_TAIL.captures(window)?;
    let scale = found.name("scale")?.as_str();
    m.value = m.value.times_pow10(scale_exp(scale))?;
    if found.name("sign").is_some() {
        // `$4 billion` is an amount of its own, found at its sign.
        return None;
    }
    let num = found.name("num")?;
    let span = Span::new(m.span.end + num.start(), m.span.end + found.get(0)?.end());
    Some(Money {
        span,
        value: Decimal::parse(num.as_str())?.times_pow10(scale_exp(scale))?,
        currency: m.currency,
        approx: false,
        equivalent_of: None,
    })
}

/// Finds percentages in `text` (tokenized as `tokens`), in order.
pub fn find_percents(text: &str, tokens: &[Token]) -> Vec<Percent> {
    find_percents_at(text, &money_candidates(text, tokens), tokens)
}

/// [`find_percents`] over the tokens [`money_candidates`] chose (a percentage
/// starts with a digit, so at a token that may start an amount too).
fn find_percents_at(text: &str, candidates: &[usize], tokens: &[Token]) -> Vec<Percent> {
    let mut out = Vec::new();
    let mut input = Input::new(text).anchored(Anchored::Yes);
    let mut searched_to = 0;
    for &i in candidates {
        let t = &tokens[i];
        let at = t.span.start;
        // A letter-led or punctuation token is ruled out without reading the text.
        let letter_led = t.shape.upper_initial() || t.shape.lower_initial();
        if at < searched_to
            || t.kind == TokenKind::Punct
            || letter_led
            || !text.as_bytes()[at].is_ascii_digit()
        {
            continue;
        }
        input.set_start(at);
        let Some(m) = PERCENT.search(&input) else {
            continue;
        };
        let qualifier = qualifier_before(text, searched_to, at);
        searched_to = m.end();
        let start = qualifier.map_or(at, |(start, _)| start);
        if !starts_clean(text, start) || !starts_clean(text, at) {
            continue;
        }
        // The number runs up to the sign or the space before the word.
        let num = &text[at..m.end()];
        let num = &num[..num
            .bytes()
            .position(|b| !matches!(b, b'0'..=b'9' | b',' | b'.'))
            .unwrap_or(num.len())];
        let Some(value) = Decimal::parse(num) else {
            continue;
        };
        let modifier = qualifier.map(|(_, q)| {
            let q = q
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_ascii_lowercase();
            match q.as_str() {
                "over" | "more than" | "above" | "at least" | "just over" | "well over" => {
                    PercentModifier::MoreThan
                }
                "under" | "less than" | "fewer than" | "below" | "up to" | "at most"
                | "just under" => PercentModifier::LessThan,
                _ => PercentModifier::About,
            }
        });
        out.push(Percent {
            span: Span::new(start, m.end()),
            value,
            modifier,
        });
    }
    out
}

impl Stage for MoneyTagger {
    fn name(&self) -> &'static str {
        "money"
    }

    fn process(&self, doc: &mut Document) {
        let candidates = money_candidates(&doc.text, &doc.tokens);
        doc.money = find_money_at(&doc.text, &candidates, &doc.tokens);
        if self.gazetteer.has_headquarters() {
            self.currencies_from_entities(doc);
        }
        doc.percents = find_percents_at(&doc.text, &candidates, &doc.tokens);
        // A percentage inside a money span (`$5%`-like junk) is not one.
        let money_spans: Vec<Span> = doc.money.iter().map(|m| m.span).collect();
        doc.percents
            .retain(|p| !money_spans.iter().any(|m| m.overlaps(&p.span)));
    }
}

#[cfg(test)]
mod tests {

    /// The groups of a match are read by index from either regex.
    #[test]
    fn money_regexes_have_the_same_groups() {
        let names = |re: &meta::Regex| -> Vec<Option<String>> {
            re.group_info()
                .pattern_names(regex_automata::PatternID::ZERO)
                .map(|n| n.map(str::to_string))
                .collect()
        };
        assert_eq!(names(&MONEY), names(&MONEY_GROUPS_ONLY));
    }
    use super::*;
    use crate::tokenize::tokenize;

    #[test]
    fn candidate_lists_cover_the_currency_table() {
        // Every currency form before the number starts a token `may_start_money`
        // accepts, and the first token of every form after it follows a number word.
        for f in &currencies().forms {
            if f.place.before() {
                let text = format!("{} 5 million", f.form);
                let tokens = tokenize(&text);
                assert!(may_start_money(&text, &tokens, 0), "{:?}", f.form);
                assert!(
                    MONEY_LEAD_BYTES[usize::from(f.form.as_bytes()[0])],
                    "{:?}",
                    f.form
                );
            }
            if f.place.after() {
                let text = format!("two million {}", f.form);
                let tokens = tokenize(&text);
                assert!(may_start_money(&text, &tokens, 0), "{:?}", f.form);
            }
        }
        for alt in WORD_NUM.split('|') {
            let first = alt.split('\\').next().unwrap_or(alt);
            assert!(NUMBER_WORDS.contains(first), "{alt}");
        }
        for scale in ["thousand", "lakh", "crore", "Mln", "BLN", "bn", "m"] {
            let text = format!("two {scale} yuan");
            assert!(may_start_money(&text, &tokenize(&text), 0), "{scale}");
        }
    }

    /// [`qualifier_before`] as the regex alone would answer it.
    fn qualifier_by_regex(text: &str, floor: usize, at: usize) -> Option<(usize, &str)> {
        let lo = floor_boundary(text, at.saturating_sub(40).max(floor));
        let m = QUALIFIER_BEFORE.find(&text[lo..at])?;
        if m.start() == 0 && lo > 0 && is_ascii_word_byte(text.as_bytes()[lo - 1]) {
            return None;
        }
        Some((lo + m.start(), m.as_str().trim_end()))
    }

    #[test]
    fn qualifier_table() {
        let rows: &[(&str, Option<&str>)] = &[
            ("costs just over 5%", Some("just over")),
            ("an estimated 5%", Some("an estimated")),
            ("rose MORE  THAN\t5%", Some("MORE  THAN")),
            ("(about 5%", Some("about")),
            ("moreover 5%", None),
            ("x_about 5%", None),
            ("up to5%", None),
            ("as much as 5%", Some("as much as")),
            ("ſome 5%", None),
            ("well  over\n5%", Some("well  over")),
        ];
        for &(text, want) in rows {
            let at = text.len() - 2;
            let got = qualifier_before(text, 0, at).map(|(_, q)| q);
            assert_eq!(got, want, "{text:?}");
            assert_eq!(
                qualifier_before(text, 0, at),
                qualifier_by_regex(text, 0, at)
            );
        }
    }

    /// Words for texts the candidate pass is tried on: the number words, the
    /// words after them, the signs and codes, capitalised too, and tokens of
    /// the other kinds.
    fn candidate_probe_words() -> Vec<String> {
        let lists: [&[&str]; 3] = [
            NUMBER_WORD_LIST,
            AFTER_NUMBER_WORDS.words(),
            SYMBOL_LETTERS.words(),
        ];
        let mut words: Vec<String> = lists
            .iter()
            .flat_map(|l| l.iter().copied())
            .chain(SIGNS.iter().map(String::as_str))
            .flat_map(|w| {
                [
                    w.to_string(),
                    w.to_ascii_uppercase(),
                    w.to_ascii_lowercase(),
                ]
            })
            .collect();
        let others = [
            "5", "500,000", "18.2", "4bn", "US$5", "HK$", "-", ",", "(", "“", "the", "The", "é",
            "x", "Usd", "Rmbx",
        ];
        words.extend(others.map(String::from));
        words
    }

    proptest::proptest! {
        #[test]
        fn money_candidates_are_the_tokens_may_start_money_accepts(
            words in proptest::collection::vec(proptest::sample::select(candidate_probe_words()), 0..40)
        ) {
            let text = words.join(" ");
            let tokens = tokenize(&text);
            let every: Vec<usize> =
                (0..tokens.len()).filter(|&i| may_start_money(&text, &tokens, i)).collect();
            proptest::prop_assert_eq!(money_candidates(&text, &tokens), every, "{:?}", text);
        }

        #[test]
        fn qualifiers_by_hand_equal_the_regex(
            words in proptest::collection::vec(
                (
                    proptest::sample::select(&[
                        "about", "More", "than", "more", "up", "to", "AT", "least", "as",
                        "much", "just", "over", "an", "estimated", "some", "moreover", "x",
                        "_", "5", "é", "ſome",
                    ][..]),
                    proptest::sample::select(&[
                        " ", " ", " ", "  ", "\t", "\n", "\u{a0}", "", "(", ",",
                    ][..]),
                ),
                0..6,
            ),
            floor_back in 0usize..50,
        ) {
            let text: String = words.iter().flat_map(|(w, sep)| [*w, *sep]).collect();
            let text = format!("{text} 5%");
            let at = text.len() - 2;
            let floor = floor_boundary(&text, at.saturating_sub(floor_back));
            proptest::prop_assert_eq!(
                qualifier_before(&text, floor, at),
                qualifier_by_regex(&text, floor, at),
                "{:?}", text
            );
        }
    }
}
