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
use crate::lexicon::{WordList, tokens_where, with_ascii_digits};
use crate::stage::Stage;

/// The money and percent stage (needs tokens).
#[derive(Debug, Default, Clone, Copy)]
pub struct MoneyTagger;

const NUM: &str = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?";
const SCALE: &str = r"trillion|billion|million|thousand|tn|trn|bn|mn|m|k|b";
const WORD_NUM: &str = r"half\s+a|a\s+half|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|several|hundreds\s+of|tens\s+of";
const SYMBOLS: &str = r"US\$|U\.S\.\$|HK\$|S\$|A\$|C\$|NT\$|NZ\$|R\$|RM|Rs\.?|€|£|¥|\$|RMB|CNY|USD|EUR|GBP|JPY|HKD|SGD|AUD|CAD|CHF|INR|KRW|MYR|TWD";
const WORDS_AFTER: &str = r"U\.S\.\s+dollars?|US\s+dollars?|American\s+dollars?|Hong\s+Kong\s+dollars?|Singapore\s+dollars?|Australian\s+dollars?|Canadian\s+dollars?|Taiwan\s+dollars?|New\s+Taiwan\s+dollars?|dollars?|yuan|renminbi|RMB|CNY|USD|EUR|GBP|JPY|HKD|SGD|euros?|pounds?(?:\s+sterling)?|sterling|yen|ringgit|won|rupees?|francs?|Swiss\s+francs?";
const QUALIFIER: &str = r"(?:about|around|approximately|roughly|nearly|almost|over|more\s+than|less\s+than|fewer\s+than|under|above|below|up\s+to|at\s+least|at\s+most|some|close\s+to|as\s+much\s+as|as\s+many\s+as|just\s+over|just\s+under|well\s+over|an\s+estimated|estimated)";

/// The letters a currency sign or code in [`SYMBOLS`] starts with, up to its
/// first non-letter (`US` of `US$`, `U` of `U.S.$`, `RM` of `RM2.5m`).
const SYMBOL_LETTER_LIST: &[&str] = &[
    "US", "U", "HK", "S", "A", "C", "NT", "NZ", "R", "RM", "Rs", "RMB", "CNY", "USD", "EUR", "GBP",
    "JPY", "HKD", "SGD", "AUD", "CAD", "CHF", "INR", "KRW", "MYR", "TWD",
];
static SYMBOL_LETTERS: WordList = WordList::new(SYMBOL_LETTER_LIST);

/// The first words of [`WORD_NUM`].
const NUMBER_WORD_LIST: &[&str] = &[
    "half", "a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "several", "hundreds", "tens",
];
static NUMBER_WORDS: WordList = WordList::new(NUMBER_WORD_LIST);

/// The words that can follow the first word of a spelled-out amount: the rest
/// of [`WORD_NUM`] (`half a`, `a few`, `tens of`), a [`SCALE`] or the first word
/// of [`WORDS_AFTER`] (as tokens: `U.S` of `U.S.`).
const AFTER_NUMBER_WORD_LIST: &[&str] = &[
    "a",
    "half",
    "few",
    "of",
    "trillion",
    "billion",
    "million",
    "thousand",
    "tn",
    "trn",
    "bn",
    "mn",
    "m",
    "k",
    "b",
    "U.S",
    "US",
    "American",
    "Hong",
    "Singapore",
    "Australian",
    "Canadian",
    "Taiwan",
    "New",
    "dollar",
    "dollars",
    "yuan",
    "renminbi",
    "RMB",
    "CNY",
    "USD",
    "EUR",
    "GBP",
    "JPY",
    "HKD",
    "SGD",
    "euro",
    "euros",
    "pound",
    "pounds",
    "sterling",
    "yen",
    "ringgit",
    "won",
    "rupee",
    "rupees",
    "franc",
    "francs",
    "Swiss",
];
static AFTER_NUMBER_WORDS: WordList = WordList::new(AFTER_NUMBER_WORD_LIST);

/// Currency signs that are tokens of their own.
const SIGNS: &[&str] = &["$", "€", "£", "¥"];

/// First bytes of the sign and currency-code tokens [`may_start_money`] looks
/// at more closely (digit-led and lowercase tokens are settled before it).
static MONEY_LEAD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let lists: [&[&str]; 2] = [SIGNS, SYMBOL_LETTER_LIST];
    let mut l = 0;
    while l < lists.len() {
        let mut i = 0;
        while i < lists[l].len() {
            table[lists[l][i].as_bytes()[0] as usize] = true;
            i += 1;
        }
        l += 1;
    }
    table
};

/// Money forms, tried anchored at candidate tokens.
static MONEY: LazyLock<meta::Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"(?x)
        (?P<hyph>(?P<hnum>{NUM})-(?P<hscale>trillion|billion|million|thousand)-(?P<hcur>euro|dollar|yuan|pound|yen|ringgit|renminbi))(?-u:\b)
      | (?P<sym>(?P<scur>{SYMBOLS})[\ \u{{a0}}]?(?P<snum>{NUM})(?:[\ \u{{a0}}]?(?P<sscale>{SCALE})(?-u:\b))?)
      | (?P<word>(?P<wnum>{NUM}|{WORD_NUM})(?:[\ \u{{a0}}-]?(?P<wscale>{SCALE})(?-u:\b))?[\ \u{{a0}}](?P<wcur>{WORDS_AFTER})(?-u:\b))
        "
    );
    meta::Regex::new(&pattern).expect("valid money regex")
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

static YUAN_CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:yuan|RMB|renminbi|CNY|China|Chinese|Beijing|Shanghai|Shenzhen)(?-u:\b)")
        .expect("valid regex")
});
static YEN_CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:yen|JPY|Japan|Japanese|Tokyo)(?-u:\b)").expect("valid regex")
});

fn scale_exp(s: &str) -> u32 {
    match s.to_ascii_lowercase().as_str() {
        "thousand" | "k" => 3,
        "million" | "m" | "mn" => 6,
        "billion" | "bn" | "b" => 9,
        "trillion" | "tn" | "trn" => 12,
        _ => 0,
    }
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

fn currency_of(cur: &str, text: &str, at: usize) -> Option<&'static str> {
    let c = cur.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = c.to_ascii_lowercase();
    Some(match lower.trim_end_matches('s') {
        "us$" | "u.s.$" | "$" | "usd" | "u.s. dollar" | "us dollar" | "american dollar"
        | "dollar" => "USD",
        "hk$" | "hkd" | "hong kong dollar" => "HKD",
        "s$" | "sgd" | "singapore dollar" => "SGD",
        "a$" | "aud" | "australian dollar" => "AUD",
        "c$" | "cad" | "canadian dollar" => "CAD",
        "nt$" | "twd" | "taiwan dollar" | "new taiwan dollar" => "TWD",
        "nz$" => "NZD",
        "r$" => "BRL",
        "rm" | "myr" | "ringgit" => "MYR",
        "rs" | "rs." | "inr" | "rupee" => "INR",
        "€" | "eur" | "euro" => "EUR",
        "£" | "gbp" | "pound" | "pound sterling" | "sterling" => "GBP",
        "rmb" | "cny" | "yuan" | "renminbi" => "CNY",
        "jpy" | "yen" => "JPY",
        "krw" | "won" => "KRW",
        "chf" | "franc" | "swiss franc" => "CHF",
        "¥" => {
            // The nearest cue within the 2,000 bytes before (bounded work per `¥`).
            let mut from = at.saturating_sub(2000);
            while !text.is_char_boundary(from) {
                from += 1;
            }
            let before = &text[from..at];
            let yuan = YUAN_CUE.find_iter(before).last().map(|m| m.start());
            let yen = YEN_CUE.find_iter(before).last().map(|m| m.start());
            match (yuan, yen) {
                (_, None) => "CNY",
                (None, Some(_)) => "JPY",
                (Some(a), Some(b)) => {
                    if b > a {
                        "JPY"
                    } else {
                        "CNY"
                    }
                }
            }
        }
        _ => return None,
    })
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
            MONEY_LEAD_BYTES[usize::from(bytes[t.span.start])] && SIGNS.contains(&t.text(text))
        }
        TokenKind::Word => {
            let first = bytes[t.span.start];
            if first.is_ascii_digit() {
                return true;
            }
            // The letters before the first non-letter, at most three.
            MONEY_LEAD_BYTES[usize::from(first)] && {
                let word = &bytes[t.span.start..t.span.end];
                let n = word
                    .iter()
                    .take(4)
                    .take_while(|b| b.is_ascii_alphabetic())
                    .count();
                n <= 3 && SYMBOL_LETTERS.contains(&text[t.span.start..t.span.start + n])
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
    let currency = currency_of(cur, text, whole.start())?;
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
    // What `may_start_money` asks first, without branches: a number; a
    // lowercase word whose key the number words hold; any other token led
    // by a digit or by a byte a currency sign or code starts with. About one
    // token in six gets through; one in sixty is a candidate.
    let mut out = tokens_where(tokens, |t| {
        let lower = t.shape.lower_initial();
        let number = t.kind == TokenKind::Number;
        let number_word =
            (t.kind == TokenKind::Word) & lower & NUMBER_WORDS.may_contain(t.word_key);
        let led = !number & !lower & MONEY_LEAD_OR_DIGIT[usize::from(bytes[t.span.start])];
        number | number_word | led
    });
    out.retain(|&i| may_start_money(text, tokens, i));
    out
}

/// [`MONEY_LEAD_BYTES`] and the ASCII digits.
static MONEY_LEAD_OR_DIGIT: [bool; 256] = with_ascii_digits(MONEY_LEAD_BYTES);

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
        MONEY.search_captures(&input, &mut caps);
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
        if let Some(m) = money_from(text, &caps) {
            out.push(m);
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
        doc.percents = find_percents_at(&doc.text, &candidates, &doc.tokens);
        // A percentage inside a money span (`$5%`-like junk) is not one.
        let money_spans: Vec<Span> = doc.money.iter().map(|m| m.span).collect();
        doc.percents
            .retain(|p| !money_spans.iter().any(|m| m.overlaps(&p.span)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tokenize;

    #[test]
    fn candidate_lists_cover_the_regex() {
        // Every sign or code the regex knows starts a token `may_start_money` accepts.
        for alt in SYMBOLS.split('|') {
            let alt = alt.replace('\\', "");
            let letters: String = alt.chars().take_while(char::is_ascii_alphabetic).collect();
            if letters.is_empty() {
                assert!(SIGNS.iter().any(|s| alt.starts_with(s)), "{alt}");
            } else {
                assert!(SYMBOL_LETTERS.contains(&letters), "{alt}");
            }
        }
        for alt in WORD_NUM.split('|') {
            let first = alt.split('\\').next().unwrap_or(alt);
            assert!(NUMBER_WORDS.contains(first), "{alt}");
        }
        // Every word that can follow a spelled-out number's first word, as a token.
        let follow = SCALE.split('|').chain(WORDS_AFTER.split('|')).chain(
            WORD_NUM
                .split('|')
                .filter_map(|alt| alt.split_once("\\s+").map(|(_, rest)| rest)),
        );
        for alt in follow {
            let first = alt.split("\\s").next().unwrap_or(alt).replace('\\', "");
            let first = first.split('(').next().unwrap_or(&first);
            for form in [first.replace("s?", ""), first.replace("s?", "s")] {
                let token = tokenize(&form)[0].span;
                assert!(
                    AFTER_NUMBER_WORDS.contains(&form[token.start..token.end]),
                    "{alt}"
                );
            }
        }
        for list in [SIGNS, SYMBOL_LETTER_LIST] {
            for w in list {
                assert!(MONEY_LEAD_BYTES[usize::from(w.as_bytes()[0])], "{w}");
            }
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
        let lists = [
            NUMBER_WORD_LIST,
            AFTER_NUMBER_WORD_LIST,
            SIGNS,
            SYMBOL_LETTER_LIST,
        ];
        let mut words: Vec<String> = lists
            .iter()
            .flat_map(|l| l.iter())
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

    #[test]
    fn money_table() {
        // (text, [(surface, value, currency, approx, equivalent_of)])
        type Row<'a> = (
            &'a str,
            &'a [(&'a str, &'a str, &'a str, bool, Option<usize>)],
        );
        let rows: &[Row] = &[
            (
                "a fine of 18.2 billion yuan ($2.8 billion) against",
                &[
                    ("18.2 billion yuan", "18200000000", "CNY", false, None),
                    ("$2.8 billion", "2800000000", "USD", false, Some(0)),
                ],
            ),
            (
                "brought in $ 240 billion last year",
                &[("$ 240 billion", "240000000000", "USD", false, None)],
            ),
            (
                "it raised US$14 million",
                &[("US$14 million", "14000000", "USD", false, None)],
            ),
            (
                "RMB 3.4 billion and RMB3.4bn",
                &[
                    ("RMB 3.4 billion", "3400000000", "CNY", false, None),
                    ("RMB3.4bn", "3400000000", "CNY", false, None),
                ],
            ),
            (
                "fined 500,000 yuan per incident",
                &[("500,000 yuan", "500000", "CNY", false, None)],
            ),
            (
                "paid half a million yuan",
                &[("half a million yuan", "500000", "CNY", false, None)],
            ),
            (
                "a €4.34bn fine",
                &[("€4.34bn", "4340000000", "EUR", false, None)],
            ),
            (
                "a 4.34-billion-euro fine",
                &[("4.34-billion-euro", "4340000000", "EUR", false, None)],
            ),
            ("about HK$500 each", &[("HK$500", "500", "HKD", true, None)]),
            (
                "nearly S$2 million",
                &[("S$2 million", "2000000", "SGD", true, None)],
            ),
            (
                "more than £1.5m",
                &[("£1.5m", "1500000", "GBP", true, None)],
            ),
            (
                "sold for RM2.5 million",
                &[("RM2.5 million", "2500000", "MYR", false, None)],
            ),
            (
                "3 million U.S. dollars",
                &[("3 million U.S. dollars", "3000000", "USD", false, None)],
            ),
            (
                "a billion dollars",
                &[("a billion dollars", "1000000000", "USD", false, None)],
            ),
            (
                "up to 10 billion renminbi",
                &[("10 billion renminbi", "10000000000", "CNY", true, None)],
            ),
            (
                "Sony earned ¥300 billion in Japan",
                &[("¥300 billion", "300000000000", "CNY", false, None)],
            ),
            (
                "In Japan, Sony earned ¥300 billion",
                &[("¥300 billion", "300000000000", "JPY", false, None)],
            ),
            (
                "2 trillion won",
                &[("2 trillion won", "2000000000000", "KRW", false, None)],
            ),
            (
                "USD 5 million",
                &[("USD 5 million", "5000000", "USD", false, None)],
            ),
            (
                "raised (US$5 million), HK$3bn and 500 yuan",
                &[
                    ("US$5 million", "5000000", "USD", false, None),
                    ("HK$3bn", "3000000000", "HKD", false, None),
                    ("500 yuan", "500", "CNY", false, None),
                ],
            ),
            (
                "two million euros",
                &[("two million euros", "2000000", "EUR", false, None)],
            ),
            ("xUS$5 and v2 dollars", &[]),
            ("over a billion people use it", &[]),
            ("exceeded 100 million in 2020", &[]),
            ("version 2.5 of the app", &[]),
            ("a few dollars", &[]),
        ];
        for &(text, want) in rows {
            let got: Vec<(String, String, &str, bool, Option<usize>)> =
                find_money(text, &tokenize(text))
                    .iter()
                    .map(|m| {
                        (
                            text[m.span.start..m.span.end].to_string(),
                            m.value.to_string(),
                            m.currency,
                            m.approx,
                            m.equivalent_of,
                        )
                    })
                    .collect();
            let want: Vec<(String, String, &str, bool, Option<usize>)> = want
                .iter()
                .map(|w| (w.0.to_string(), w.1.to_string(), w.2, w.3, w.4))
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn percent_table() {
        type Row<'a> = (&'a str, &'a [(&'a str, &'a str, Option<&'a str>)]);
        let rows: &[Row] = &[
            (
                "account for over 90% of the",
                &[("over 90%", "90", Some("more_than"))],
            ),
            ("rose 4 percent", &[("4 percent", "4", None)]),
            ("fell 3% on", &[("3%", "3", None)]),
            ("up 4 per cent", &[("4 per cent", "4", None)]),
            (
                "about 12.5 percent",
                &[("about 12.5 percent", "12.5", Some("about"))],
            ),
            ("less than 1%", &[("less than 1%", "1", Some("less_than"))]),
            (
                "by 2 percentage points",
                &[("2 percentage points", "2", None)],
            ),
            (
                "nearly 30 per cent",
                &[("nearly 30 per cent", "30", Some("about"))],
            ),
            ("moreover 5% of", &[("5%", "5", None)]),
            (
                "from 5% to more than 7 pct",
                &[
                    ("5%", "5", None),
                    ("more than 7 pct", "7", Some("more_than")),
                ],
            ),
            ("100 percentile", &[]),
            ("a v2.5% thing", &[]),
        ];
        for &(text, want) in rows {
            let got: Vec<(String, String, Option<&str>)> = find_percents(text, &tokenize(text))
                .iter()
                .map(|p| {
                    (
                        text[p.span.start..p.span.end].to_string(),
                        p.value.to_string(),
                        p.modifier.map(|m| m.as_str()),
                    )
                })
                .collect();
            let want: Vec<(String, String, Option<&str>)> = want
                .iter()
                .map(|w| (w.0.to_string(), w.1.to_string(), w.2))
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
    }
}
