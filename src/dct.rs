//! Document creation time: a leading ` date YYYY-MM-DD` header line, else the
//! date the input carried (JSONL `date`), else the pipeline's default (`--dct`).

use chrono::{Datelike, NaiveDate};

use crate::document::{Document, Span};
use crate::stage::Stage;

/// Parses a strict `YYYY-MM-DD` date.
pub fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// `date` as `YYYY-MM-DD` (TIMEX3's calendar date form). Years outside
/// 0–9999 keep chrono's sign and width rules; the rest skip its format-string
/// parser, which costs more than the date stage's own work on a short article.
pub fn iso_date(date: NaiveDate) -> String {
    if (0..=9999).contains(&date.year()) {
        format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
    } else {
        date.format("%Y-%m-%d").to_string()
    }
}

/// Finds the ` date YYYY-MM-DD` header: the span of the date and its value.
///
/// The header is `\A[ \t\r\n\u{feff}]*date[ \t]+([0-9]{4}-[0-9]{2}-[0-9]{2})\b`
/// (an ASCII word boundary after the date). Matched by hand: every document
/// asks twice (sentences and dct), and the regex's capture search cost about
/// 4,000 instructions a call, this about 750 (most of them the date's parse).
/// A test holds the two equal.
pub fn find_header(text: &str) -> Option<(Span, NaiveDate)> {
    let rest = text
        .trim_start_matches([' ', '\t', '\r', '\n', '\u{feff}'])
        .strip_prefix("date")?;
    let value = rest.trim_start_matches([' ', '\t']);
    if value.len() == rest.len() {
        return None; // no blank after `date`
    }
    let v = value.as_bytes();
    let date_shaped = v.len() >= 10
        && v[..10].iter().enumerate().all(|(i, &b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    let word_follows = v
        .get(10)
        .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_');
    if !date_shaped || word_follows {
        return None;
    }
    let date = parse_iso_date(&value[..10])?;
    let start = text.len() - value.len();
    Some((Span::new(start, start + 10), date))
}

/// The document-date stage. `doc.dct` arrives holding the input's date (if any);
/// a header overrides it, and `default` fills it when both are missing.
#[derive(Debug, Default, Clone, Copy)]
pub struct DctDetector {
    /// The `--dct` fallback.
    pub default: Option<NaiveDate>,
}

impl Stage for DctDetector {
    fn name(&self) -> &'static str {
        "dct"
    }

    fn process(&self, doc: &mut Document) {
        if let Some((span, date)) = find_header(&doc.text) {
            doc.dct_header = Some(span);
            doc.dct = Some(date);
        }
        if doc.dct.is_none() {
            doc.dct = self.default;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;
    use std::sync::LazyLock;

    #[test]
    fn iso_date_matches_chrono() {
        for (y, m, d) in [
            (2021, 4, 10),
            (1, 1, 1),
            (999, 12, 31),
            (9999, 12, 31),
            (10000, 1, 1),
            (-5, 3, 7),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).expect("valid date");
            assert_eq!(iso_date(date), date.format("%Y-%m-%d").to_string());
        }
    }

    /// The header's definition, as a regex: what `find_header` matches by hand.
    fn header_by_regex(text: &str) -> Option<(Span, NaiveDate)> {
        static HEADER: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"\A[ \t\r\n\u{feff}]*date[ \t]+([0-9]{4}-[0-9]{2}-[0-9]{2})(?-u:\b)")
                .expect("valid regex")
        });
        let m = HEADER.captures(text)?.get(1)?;
        let date = parse_iso_date(m.as_str())?;
        Some((Span::new(m.start(), m.end()), date))
    }

    proptest::proptest! {
        #[test]
        fn header_matches_its_regex(
            lead in proptest::collection::vec(
                proptest::sample::select(vec![" ", "\t", "\n", "\r", "\u{feff}", "\u{a0}", "x"]),
                0..3,
            ),
            word in proptest::sample::select(vec!["date", "Date", "dat", ""]),
            blanks in proptest::collection::vec(
                proptest::sample::select(vec![" ", "\t", "\n"]),
                0..3,
            ),
            year in proptest::sample::select(vec!["2021", "2020", "202", "20211", "２０２１"]),
            sep in proptest::sample::select(vec!["-", "/", ""]),
            month in proptest::sample::select(vec!["03", "02", "3", "13"]),
            day in proptest::sample::select(vec!["17", "29", "30", "1"]),
            tail in proptest::sample::select(vec!["", " x", "x", "_", "1", "é", ".", "年"]),
        ) {
            let text = format!("{}{word}{}{year}{sep}{month}-{day}{tail}", lead.concat(), blanks.concat());
            proptest::prop_assert_eq!(find_header(&text), header_by_regex(&text), "{:?}", text);
        }
    }

    #[test]
    fn header_table() {
        let rows: &[(&str, Option<(&str, usize)>)] = &[
            (" date 2021-03-17 Alibaba", Some(("2021-03-17", 6))),
            ("date 2020-02-29\nText", Some(("2020-02-29", 5))),
            ("\u{feff} date 2021-01-01 x", Some(("2021-01-01", 9))),
            (" date 2021-02-30 bad day", None),
            ("date\t2021-03-17_x", None),
            ("date 2021-03-17é", Some(("2021-03-17", 5))),
            ("date2021-03-17", None),
            ("The date 2021-03-17 later", None),
            ("date 2021-3-17", None),
            ("", None),
        ];
        for &(text, want) in rows {
            let got = find_header(text).map(|(s, d)| (d.to_string(), s.start));
            assert_eq!(got, want.map(|(d, s)| (d.to_string(), s)), "{text:?}");
        }
    }
}
