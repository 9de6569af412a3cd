//! `dates.toml`: every date and duration, in text order.

use std::fmt;

use chrono::NaiveDate;
use newsie::Record;
use newsie::dct::parse_iso_date;
use serde::Deserialize;

use crate::{Row, quoted};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DateRow {
    name: String,
    text: String,
    dct: Option<String>,
    dates: Vec<Date>,
}

/// A date or duration: its text, type and TIMEX3 value (`None`: null).
#[derive(Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Date {
    text: String,
    #[serde(rename = "type")]
    kind: String,
    value: Option<String>,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (text, kind) = (quoted(&self.text), quoted(&self.kind));
        write!(f, "{{ text = {text}, type = {kind}")?;
        if let Some(v) = &self.value {
            write!(f, ", value = {}", quoted(v))?;
        }
        write!(f, " }}")
    }
}

impl Row for DateRow {
    type Item = Date;

    fn name(&self) -> &str {
        &self.name
    }

    fn text(&self) -> &str {
        &self.text
    }

    fn dct(&self) -> Option<NaiveDate> {
        self.dct.as_deref().and_then(parse_iso_date)
    }

    fn malformed(&self) -> Option<String> {
        let dct = self.dct.as_deref()?;
        parse_iso_date(dct)
            .is_none()
            .then(|| format!("dct {dct:?} is not a date YYYY-MM-DD"))
    }

    fn expected(&self) -> Vec<Date> {
        self.dates.clone()
    }

    fn actual(&self, record: &Record) -> Vec<Date> {
        record
            .dates
            .iter()
            .map(|d| Date {
                text: d.text.to_string(),
                kind: d.kind.to_string(),
                value: d.value.as_deref().map(str::to_string),
            })
            .collect()
    }
}

#[test]
fn dates() {
    crate::run_file::<DateRow>("dates.toml");
}
