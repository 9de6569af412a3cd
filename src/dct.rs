//! Document creation time: a leading ` date YYYY-MM-DD` header line, else the
//! date the input carried (JSONL `date`), else the pipeline's default (`--dct`).

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use crate::document::{Document, Span};
use crate::stage::Stage;

/// Parses a strict `YYYY-MM-DD` date.
pub fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    // Year 0 does not exist in the calendar articles are dated by.
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|d| d.year() >= 1)
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

/// The date of a dated dateline at the top of an article (SPEC §1):
/// `FRANKFURT, March 4, 2024 (Reuters) -`, `SEOUL, Korea, 4 March 2024 —`,
/// `NEW YORK, Mar. 4, 2024 /PRNewswire/ --`. The place is in capitals; the
/// date is followed by a bracket, a dash or a slash.
pub fn find_dateline(text: &str) -> Option<NaiveDate> {
    static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
        let month = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?";
        Regex::new(&format!(
            r"\A\s*[A-Z][A-Z .'’-]*[A-Z](?:,\s+[A-Z][A-Za-z .]+)?,\s+(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?(?:(?P<m1>{month})\s+(?P<d1>[0-9]{{1,2}}),?\s+(?P<y1>[0-9]{{4}})|(?P<d2>[0-9]{{1,2}})\s+(?P<m2>{month})\s+(?P<y2>[0-9]{{4}}))\s*(?:\(|-|—|–|/)"
        ))
        .expect("valid dateline regex")
    });
    // A dateline opens the article: its first 200 bytes are enough.
    let mut end = text.len().min(200);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let c = DATELINE.captures(&text[..end])?;
    let (m, d, y) = match (c.name("m1"), c.name("m2")) {
        (Some(m), _) => (m, c.name("d1")?, c.name("y1")?),
        (None, Some(m)) => (m, c.name("d2")?, c.name("y2")?),
        (None, None) => return None,
    };
    NaiveDate::from_ymd_opt(
        y.as_str().parse().ok()?,
        crate::dates::month_number(m.as_str())?,
        d.as_str().parse().ok()?,
    )
}

/// The document-date stage. `doc.dct` arrives holding the input's date (if any);
/// a header overrides it; a dated dateline, then `default`, fill it when both
/// are missing (SPEC §1's order).
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
            doc.dct = find_dateline(&doc.text).or(self.default);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines_give_the_date() {
        let rows: &[(&str, Option<&str>)] = &[
            (
                "FRANKFURT, March 4, 2024 (Reuters) - Deutsche Bank said",
                Some("2024-03-04"),
            ),
            (
                "SEOUL, South Korea, 4 March 2024 — Samsung said",
                Some("2024-03-04"),
            ),
            (
                "NEW YORK, Mar. 4, 2024 /PRNewswire/ -- Acme said",
                Some("2024-03-04"),
            ),
            (
                "HONG KONG, Tuesday, Feb. 2, 2021 (Reuters) -",
                Some("2021-02-02"),
            ),
            ("Tencent said on March 4, 2024 (a Monday) that", None),
            (
                "FRANKFURT (Reuters) - Deutsche Bank said on March 4, 2024",
                None,
            ),
            ("FRANKFURT, February 30, 2024 (Reuters) -", None),
        ];
        for &(text, want) in rows {
            assert_eq!(find_dateline(text).map(iso_date).as_deref(), want, "{text}");
        }
    }

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
