//! `relations.toml`: every relation, as a set (compared sorted).

use std::fmt;

use newsie::Record;
use serde::Deserialize;

use crate::{Row, quoted};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RelationRow {
    name: String,
    text: String,
    relations: Vec<Relation>,
}

/// A relation: type, head and tail ids, the rule that found it and the text
/// of its evidence sentence.
#[derive(Clone, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
struct Relation {
    #[serde(rename = "type")]
    kind: String,
    head: String,
    tail: String,
    rule: String,
    evidence: String,
}

impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{{ type = {}, head = {}, tail = {}, rule = {}, evidence = {} }}",
            quoted(&self.kind),
            quoted(&self.head),
            quoted(&self.tail),
            quoted(&self.rule),
            quoted(&self.evidence)
        )
    }
}

impl Row for RelationRow {
    type Item = Relation;

    fn name(&self) -> &str {
        &self.name
    }

    fn text(&self) -> &str {
        &self.text
    }

    fn expected(&self) -> Vec<Relation> {
        let mut want = self.relations.clone();
        want.sort();
        want
    }

    fn actual(&self, record: &Record) -> Vec<Relation> {
        let mut found: Vec<Relation> = record
            .relations
            .iter()
            .map(|r| Relation {
                kind: r.kind.to_string(),
                head: r.head.to_string(),
                tail: r.tail.to_string(),
                rule: r.rule.as_deref().unwrap_or_default().to_string(),
                evidence: r
                    .evidence
                    .as_ref()
                    .map(|e| char_slice(&self.text, e.start, e.end))
                    .unwrap_or_default(),
            })
            .collect();
        found.sort();
        found
    }
}

/// The text of a code-point span of `text`.
fn char_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

#[test]
fn relations() {
    crate::run_file::<RelationRow>("relations.toml");
}
