//! `entities.toml`: every entity mention, in text order.

use std::fmt;

use newsie::Record;
use serde::Deserialize;

use crate::{Row, quoted};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntityRow {
    name: String,
    text: String,
    mentions: Vec<Mention>,
}

/// A mention: its text, its entity's type and id.
#[derive(Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Mention {
    text: String,
    #[serde(rename = "type")]
    kind: String,
    id: String,
}

impl fmt::Display for Mention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{{ text = {}, type = {}, id = {} }}",
            quoted(&self.text),
            quoted(&self.kind),
            quoted(&self.id)
        )
    }
}

impl Row for EntityRow {
    type Item = Mention;

    fn name(&self) -> &str {
        &self.name
    }

    fn text(&self) -> &str {
        &self.text
    }

    fn expected(&self) -> Vec<Mention> {
        self.mentions.clone()
    }

    fn actual(&self, record: &Record) -> Vec<Mention> {
        let mut found: Vec<(usize, Mention)> = record
            .entities
            .iter()
            .flat_map(|e| {
                e.mentions.iter().map(|m| {
                    let mention = Mention {
                        text: m.text.to_string(),
                        kind: e.kind.to_string(),
                        id: e.id.to_string(),
                    };
                    (m.start, mention)
                })
            })
            .collect();
        found.sort_by_key(|(start, _)| *start);
        found.into_iter().map(|(_, m)| m).collect()
    }
}

#[test]
fn entities() {
    crate::run_file::<EntityRow>("entities.toml");
}
