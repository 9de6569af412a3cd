//! Document creation time: a leading ` date YYYY-MM-DD` header line, else the
//! date the input carried (JSONL `date`), else the pipeline's default (`--dct`).

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

use crate::document::{Document, Span};
use crate::stage::Stage;

static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\A[ \t\r\n\u{feff}]*date[ \t]+([0-9]{4}-[0-9]{2}-[0-9]{2})(?-u:\b)")
        .expect("valid regex")
});

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
pub fn find_header(text: &str) -> Option<(Span, NaiveDate)> {
    let caps = HEADER.captures(text)?;
    let m = caps.get(1)?;
    let date = parse_iso_date(m.as_str())?;
    Some((Span::new(m.start(), m.end()), date))
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

    #[test]
    fn header_table() {
        let rows: &[(&str, Option<(&str, usize)>)] = &[
            (" date 2021-03-17 Alibaba", Some(("2021-03-17", 6))),
            ("date 2020-02-29\nText", Some(("2020-02-29", 5))),
            ("\u{feff} date 2021-01-01 x", Some(("2021-01-01", 9))),
            (" date 2021-02-30 bad day", None),
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
