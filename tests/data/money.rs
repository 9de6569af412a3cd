//! `money.toml`: every money amount and/or every percentage, in text order.

use std::fmt;

use newsie::Record;
use serde::Deserialize;

use crate::{Row, quoted};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MoneyRow {
    name: String,
    text: String,
    /// Every amount, when the row checks them.
    money: Option<Vec<Money>>,
    /// Every percentage, when the row checks them.
    percents: Option<Vec<Percent>>,
}

/// An amount as the record writes it.
#[derive(Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Money {
    text: String,
    /// The JSON number, as written.
    value: String,
    currency: String,
    #[serde(default)]
    approx: bool,
    equivalent_of: Option<usize>,
}

/// A percentage as the record writes it.
#[derive(Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Percent {
    text: String,
    /// The JSON number, as written.
    value: String,
    modifier: Option<String>,
}

#[derive(PartialEq)]
enum Item {
    Money(Money),
    Percent(Percent),
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Item::Money(m) => {
                let (text, value, currency) =
                    (quoted(&m.text), quoted(&m.value), quoted(&m.currency));
                write!(
                    f,
                    "money: {{ text = {text}, value = {value}, currency = {currency}"
                )?;
                if m.approx {
                    write!(f, ", approx = true")?;
                }
                if let Some(k) = m.equivalent_of {
                    write!(f, ", equivalent_of = {k}")?;
                }
                write!(f, " }}")
            }
            Item::Percent(p) => {
                let (text, value) = (quoted(&p.text), quoted(&p.value));
                write!(f, "percent: {{ text = {text}, value = {value}")?;
                if let Some(m) = &p.modifier {
                    write!(f, ", modifier = {}", quoted(m))?;
                }
                write!(f, " }}")
            }
        }
    }
}

impl Row for MoneyRow {
    type Item = Item;

    fn name(&self) -> &str {
        &self.name
    }

    fn text(&self) -> &str {
        &self.text
    }

    fn malformed(&self) -> Option<String> {
        let checks_nothing = self.money.is_none() && self.percents.is_none();
        checks_nothing.then(|| "checks neither `money` nor `percents`".to_string())
    }

    fn expected(&self) -> Vec<Item> {
        let money = self.money.iter().flatten().cloned().map(Item::Money);
        let percents = self.percents.iter().flatten().cloned().map(Item::Percent);
        money.chain(percents).collect()
    }

    fn actual(&self, record: &Record) -> Vec<Item> {
        let mut found = Vec::new();
        if self.money.is_some() {
            found.extend(record.money.iter().map(|m| {
                Item::Money(Money {
                    text: m.text.to_string(),
                    value: m.value.to_string(),
                    currency: m.currency.as_deref().unwrap_or("null").to_string(),
                    approx: m.approx,
                    equivalent_of: m.equivalent_of,
                })
            }));
        }
        if self.percents.is_some() {
            found.extend(record.percents.iter().map(|p| {
                Item::Percent(Percent {
                    text: p.text.to_string(),
                    value: p.value.to_string(),
                    modifier: p.modifier.as_deref().map(str::to_string),
                })
            }));
        }
        found
    }
}

#[test]
fn money() {
    crate::run_file::<MoneyRow>("money.toml");
}
