//! What a diff found, in totals: documents by status, items per layer and
//! type, and the most frequent changes grouped.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::compare::{DocDiff, Layer, Op, Status};

/// Added, removed and changed items of one layer and type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayerCounts {
    /// The layer.
    pub layer: Layer,
    /// The items' type (an entity type, a currency …), if they have one.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Items only in the new records.
    pub added: usize,
    /// Items only in the old records.
    pub removed: usize,
    /// Items in both, changed.
    pub changed: usize,
}

/// Like changes, grouped: the same operation on the same layer, type and
/// label (`+ mentions ORG walled-gardens`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// Added, removed or changed.
    pub op: Op,
    /// The layer.
    pub layer: Layer,
    /// The type.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The label (an entity id, a value, `head → tail` …).
    pub label: String,
    /// How many changes.
    pub changes: usize,
    /// In how many documents.
    pub documents: usize,
}

/// Totals of a diff.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DiffSummary {
    /// Documents in both files.
    pub compared: usize,
    /// Of those, with byte-identical records.
    pub identical: usize,
    /// Documents whose records differ (both full records).
    pub changed: usize,
    /// Only in the new file.
    pub added: usize,
    /// Only in the old file.
    pub removed: usize,
    /// Now error records (or with another error).
    pub failing: usize,
    /// Error records before, full records now.
    pub recovered: usize,
    /// Documents whose text was edited.
    pub texts_edited: usize,
    /// Of those, aligned through both texts (the others by offset).
    pub texts_aligned: usize,
    /// Item changes per layer and type.
    pub layers: Vec<LayerCounts>,
    /// The most frequent changes, most first.
    pub top: Vec<Group>,
}

impl DiffSummary {
    /// Whether the files differ at all.
    pub fn differs(&self) -> bool {
        self.changed + self.added + self.removed + self.failing + self.recovered > 0
    }
}

type GroupKey = (Op, Layer, Option<String>, String);

/// Adds documents' differences up into a [`DiffSummary`].
#[derive(Debug, Default)]
pub struct Tally {
    summary: DiffSummary,
    layers: BTreeMap<(Layer, Option<String>), [usize; 3]>,
    groups: HashMap<GroupKey, (usize, usize)>,
}

impl Tally {
    /// Counts a pair of byte-identical records.
    pub fn identical(&mut self) {
        self.summary.compared += 1;
        self.summary.identical += 1;
    }

    /// Counts a pair of records that agree once parsed (another key order,
    /// an ignored layer).
    pub fn same(&mut self) {
        self.summary.compared += 1;
    }

    /// Counts one document's differences.
    pub fn add(&mut self, d: &DocDiff) {
        let s = &mut self.summary;
        match d.status {
            Status::Added => s.added += 1,
            Status::Removed => s.removed += 1,
            Status::Changed => s.changed += 1,
            Status::Failing => s.failing += 1,
            Status::Recovered => s.recovered += 1,
        }
        if matches!(
            d.status,
            Status::Changed | Status::Failing | Status::Recovered
        ) {
            s.compared += 1;
        }
        if let Some(t) = &d.text {
            s.texts_edited += 1;
            s.texts_aligned += usize::from(t.aligned);
        }
        let mut in_doc: HashSet<GroupKey> = HashSet::new();
        for c in &d.changes {
            let slot = match c.op {
                Op::Added => 0,
                Op::Removed => 1,
                Op::Changed => 2,
            };
            self.layers.entry((c.layer, c.kind.clone())).or_default()[slot] += 1;
            let key = (c.op, c.layer, c.kind.clone(), c.label.clone());
            let counts = self.groups.entry(key.clone()).or_default();
            counts.0 += 1;
            if in_doc.insert(key) {
                counts.1 += 1;
            }
        }
    }

    /// The totals, with the `top` most frequent changes (those seen more
    /// than once; ties by layer, then label).
    pub fn finish(self, top: usize) -> DiffSummary {
        let mut summary = self.summary;
        summary.layers = self
            .layers
            .into_iter()
            .map(|((layer, kind), [added, removed, changed])| LayerCounts {
                layer,
                kind,
                added,
                removed,
                changed,
            })
            .collect();
        let mut groups: Vec<Group> = self
            .groups
            .into_iter()
            .filter(|(_, (changes, _))| *changes > 1)
            .map(|((op, layer, kind, label), (changes, documents))| Group {
                op,
                layer,
                kind,
                label,
                changes,
                documents,
            })
            .collect();
        groups.sort_by(|a, b| {
            (b.changes, a.layer, &a.label, a.op, &a.kind)
                .cmp(&(a.changes, b.layer, &b.label, b.op, &b.kind))
        });
        groups.truncate(top);
        summary.top = groups;
        summary
    }
}

/// `n` with thousands separated by commas: `2,655`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated() {
        for (n, s) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (2655, "2,655"),
            (1234567, "1,234,567"),
        ] {
            assert_eq!(thousands(n), s);
        }
    }
}
