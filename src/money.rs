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

use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::document::{Decimal, Document, Money, Percent, PercentModifier, Span};
use crate::stage::Stage;

/// The money and percent stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct MoneyTagger;

const NUM: &str = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?";
const SCALE: &str = r"trillion|billion|million|thousand|tn|trn|bn|mn|m|k|b";
const WORD_NUM: &str = r"half\s+a|a\s+half|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|several|hundreds\s+of|tens\s+of";
const SYMBOLS: &str = r"US\$|U\.S\.\$|HK\$|S\$|A\$|C\$|NT\$|NZ\$|R\$|RM|Rs\.?|€|£|¥|\$|RMB|CNY|USD|EUR|GBP|JPY|HKD|SGD|AUD|CAD|CHF|INR|KRW|MYR|TWD";
const WORDS_AFTER: &str = r"U\.S\.\s+dollars?|US\s+dollars?|American\s+dollars?|Hong\s+Kong\s+dollars?|Singapore\s+dollars?|Australian\s+dollars?|Canadian\s+dollars?|Taiwan\s+dollars?|New\s+Taiwan\s+dollars?|dollars?|yuan|renminbi|RMB|CNY|USD|EUR|GBP|JPY|HKD|SGD|euros?|pounds?(?:\s+sterling)?|sterling|yen|ringgit|won|rupees?|francs?|Swiss\s+francs?";
const QUALIFIER: &str = r"(?:about|around|approximately|roughly|nearly|almost|over|more\s+than|less\s+than|fewer\s+than|under|above|below|up\s+to|at\s+least|at\s+most|some|close\s+to|as\s+much\s+as|as\s+many\s+as|just\s+over|just\s+under|well\s+over|an\s+estimated|estimated)";

static MONEY: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"(?x)
        (?P<hyph>(?P<hnum>{NUM})-(?P<hscale>trillion|billion|million|thousand)-(?P<hcur>euro|dollar|yuan|pound|yen|ringgit|renminbi))(?-u:\b)
      | (?P<sym>(?P<scur>{SYMBOLS})[\ \u{{a0}}]?(?P<snum>{NUM})(?:[\ \u{{a0}}]?(?P<sscale>{SCALE})(?-u:\b))?)
      | (?P<word>(?P<wnum>{NUM}|{WORD_NUM})(?:[\ \u{{a0}}-]?(?P<wscale>{SCALE})(?-u:\b))?[\ \u{{a0}}](?P<wcur>{WORDS_AFTER})(?-u:\b))
        "
    );
    Regex::new(&pattern).expect("valid money regex")
});

static QUALIFIER_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)(?-u:\b){QUALIFIER}\s+$")).expect("valid qualifier regex")
});

static PERCENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?:(?-u:\b)(?P<q>{QUALIFIER})\s+)?(?P<num>{NUM})(?:\s?%|[\ \u{{a0}}](?:percent|per\s+cent|percentage\s+points?|pct)(?-u:\b))"
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

fn money_from(text: &str, caps: &Captures) -> Option<Money> {
    let whole = caps.get(0)?;
    let (num, scale, cur) = if caps.name("hyph").is_some() {
        (caps.name("hnum")?, caps.name("hscale"), caps.name("hcur")?)
    } else if caps.name("sym").is_some() {
        (caps.name("snum")?, caps.name("sscale"), caps.name("scur")?)
    } else {
        (caps.name("wnum")?, caps.name("wscale"), caps.name("wcur")?)
    };
    let base = if num.as_str().starts_with(|c: char| c.is_ascii_digit()) {
        Decimal::parse(num.as_str())?
    } else {
        // Spelled-out amounts need a scale word: `a million yuan`, not `a yuan`.
        scale?;
        word_number(num.as_str())?
    };
    let value = base.times_pow10(scale.map_or(0, |s| scale_exp(s.as_str())))?;
    let currency = currency_of(cur.as_str(), text, whole.start())?;
    Some(Money {
        span: Span::new(whole.start(), whole.end()),
        value,
        currency,
        approx: QUALIFIER_BEFORE
            .is_match(&text[floor_boundary(text, whole.start().saturating_sub(40))..whole.start()]),
        equivalent_of: None,
    })
}

/// Finds money amounts in `text`, in order.
pub fn find_money(text: &str) -> Vec<Money> {
    let mut out: Vec<Money> = Vec::new();
    for caps in MONEY.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        if !starts_clean(text, whole.start()) {
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

/// Finds percentages in `text`, in order.
pub fn find_percents(text: &str) -> Vec<Percent> {
    let mut out = Vec::new();
    for caps in PERCENT.captures_iter(text) {
        let (Some(whole), Some(num)) = (caps.get(0), caps.name("num")) else {
            continue;
        };
        if !starts_clean(text, whole.start()) || !starts_clean(text, num.start()) {
            continue;
        }
        let Some(value) = Decimal::parse(num.as_str()) else {
            continue;
        };
        let modifier = caps.name("q").map(|q| {
            let q = q
                .as_str()
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
            span: Span::new(whole.start(), whole.end()),
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
        doc.money = find_money(&doc.text);
        doc.percents = find_percents(&doc.text);
        // A percentage inside a money span (`$5%`-like junk) is not one.
        let money_spans: Vec<Span> = doc.money.iter().map(|m| m.span).collect();
        doc.percents
            .retain(|p| !money_spans.iter().any(|m| m.overlaps(&p.span)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            ("over a billion people use it", &[]),
            ("exceeded 100 million in 2020", &[]),
            ("version 2.5 of the app", &[]),
            ("a few dollars", &[]),
        ];
        for &(text, want) in rows {
            let got: Vec<(String, String, &str, bool, Option<usize>)> = find_money(text)
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
            ("100 percentile", &[]),
            ("a v2.5% thing", &[]),
        ];
        for &(text, want) in rows {
            let got: Vec<(String, String, Option<&str>)> = find_percents(text)
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
