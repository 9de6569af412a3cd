//! `newsie eval --by-rule`: the relations scored per rule that found them,
//! each false hit and each miss with its sentence, so rules are tuned from
//! evidence. Relations match as in the `relations` measure (predicted ids
//! mapped to gold ids by shared mentions, `competes_with` in either order).

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use super::{Counts, Doc, EvalFormat, arr, id_map, int, mentions, text, triple, triples};

/// One relation of the report: a false hit (with its rule) or a miss.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleFinding {
    /// The document's id.
    pub doc: String,
    /// `type(head, tail)` in gold ids (a predicted id no gold entity shares
    /// mentions with is written `?id`).
    pub relation: String,
    /// The rule that found it (false hits only).
    pub rule: Option<String>,
    /// The sentence that states it (a false hit's evidence; for a miss, the
    /// first sentence with mentions of both), when the document's `source`
    /// file could be read.
    pub sentence: Option<String>,
}

/// The relations per rule: true and false hits, and the misses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleReport {
    /// Per rule id (sorted): `tp` and `fp` (`fn_` is not per rule: 0).
    pub rules: Vec<(String, Counts)>,
    /// Predicted relations the gold does not have.
    pub false_hits: Vec<RuleFinding>,
    /// Gold relations no rule found.
    pub misses: Vec<RuleFinding>,
}

/// The texts of records' `source` files, read once each (offsets count code
/// points; an unreadable source gives no sentences).
#[derive(Default)]
struct Sources(HashMap<String, Option<Vec<char>>>);

impl Sources {
    fn sentence(&mut self, source: &str, span: (i64, i64)) -> Option<String> {
        let chars = self
            .0
            .entry(source.to_string())
            .or_insert_with(|| {
                std::fs::read_to_string(source)
                    .ok()
                    .map(|t| t.chars().collect())
            })
            .as_ref()?;
        let (a, b) = (usize::try_from(span.0).ok()?, usize::try_from(span.1).ok()?);
        let text: String = chars.get(a..b)?.iter().collect();
        Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

fn relation_name((kind, head, tail): &(String, String, String)) -> String {
    format!("{kind}({head}, {tail})")
}

/// Scores the predicted relations per rule.
pub fn by_rule(gold: &[(Value, Doc)], pred: &[(Value, Doc)]) -> RuleReport {
    let pred_by_id: HashMap<String, &Doc> =
        pred.iter().map(|(id, d)| (id.to_string(), d)).collect();
    let empty = Doc::new();
    let mut rules: HashMap<String, Counts> = HashMap::new();
    let mut report = RuleReport::default();
    let mut sources = Sources::default();
    for (id, g) in gold {
        let doc = id.as_str().map_or_else(|| id.to_string(), str::to_string);
        let p = pred_by_id.get(&id.to_string()).copied().unwrap_or(&empty);
        let source = p.get("source").and_then(Value::as_str).unwrap_or("");
        let mapping = id_map(g, p);
        let gold_relations = triples(g, None);
        let mut found: HashSet<(String, String, String)> = HashSet::new();
        for r in arr(p, "relations") {
            let key = triple(r, Some(&mapping));
            let rule = text(r, "rule");
            let counts = rules.entry(rule.clone()).or_default();
            if gold_relations.contains(&key) {
                counts.tp += 1;
            } else {
                counts.fp += 1;
                let evidence = r.get("evidence").map(|e| (int(e, "start"), int(e, "end")));
                report.false_hits.push(RuleFinding {
                    doc: doc.clone(),
                    relation: relation_name(&key),
                    rule: Some(rule),
                    sentence: evidence.and_then(|span| sources.sentence(source, span)),
                });
            }
            found.insert(key);
        }
        let gold_mentions = mentions(g);
        let sentences: Vec<(i64, i64)> = arr(p, "sentences")
            .iter()
            .map(|s| (int(s, "start"), int(s, "end")))
            .collect();
        let mut missed: Vec<&(String, String, String)> = gold_relations
            .iter()
            .filter(|k| !found.contains(*k))
            .collect();
        missed.sort();
        for key in missed {
            let within = |id: &str, (a, b): (i64, i64)| {
                gold_mentions
                    .iter()
                    .any(|m| m.3 == id && a <= m.0 && m.1 <= b)
            };
            let sentence = sentences
                .iter()
                .find(|&&s| within(&key.1, s) && within(&key.2, s))
                .and_then(|&span| sources.sentence(source, span));
            report.misses.push(RuleFinding {
                doc: doc.clone(),
                relation: relation_name(key),
                rule: None,
                sentence,
            });
        }
    }
    report.rules = rules.into_iter().collect();
    report.rules.sort_by(|a, b| a.0.cmp(&b.0));
    report
}

impl RuleReport {
    /// Renders the report: a table per rule, then the false hits and the
    /// misses with their sentences; or one JSON object.
    pub fn render(&self, format: EvalFormat) -> String {
        match format {
            EvalFormat::Json => {
                let finding = |f: &RuleFinding| json!({"doc": f.doc, "relation": f.relation, "rule": f.rule, "sentence": f.sentence});
                let rules: serde_json::Map<String, Value> = self
                    .rules
                    .iter()
                    .map(|(id, c)| {
                        (
                            id.clone(),
                            json!({"tp": c.tp, "fp": c.fp, "p": c.scores().0}),
                        )
                    })
                    .collect();
                let v = json!({
                    "rules": rules,
                    "false_hits": self.false_hits.iter().map(finding).collect::<Vec<_>>(),
                    "misses": self.misses.iter().map(finding).collect::<Vec<_>>(),
                });
                let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
                s.push('\n');
                s
            }
            EvalFormat::Table => {
                let mut s = format!("{:28} {:>5} {:>5} {:>6}\n", "rule", "tp", "fp", "P");
                for (id, c) in &self.rules {
                    s += &format!("{id:28} {:5} {:5} {:6.3}\n", c.tp, c.fp, c.scores().0);
                }
                let line = |f: &RuleFinding| {
                    let rule = f.rule.as_ref().map_or(String::new(), |r| format!(" [{r}]"));
                    let sentence = f.sentence.as_ref().map_or(String::new(), |t| {
                        let short: String = t.chars().take(200).collect();
                        let more = if short.len() < t.len() { "…" } else { "" };
                        format!("\n      \"{short}{more}\"")
                    });
                    format!("  {} {}{rule}{sentence}\n", f.doc, f.relation)
                };
                s += &format!("\nfalse hits: {}\n", self.false_hits.len());
                for f in &self.false_hits {
                    s += &line(f);
                }
                s += &format!("\nmisses: {}\n", self.misses.len());
                for f in &self.misses {
                    s += &line(f);
                }
                s
            }
        }
    }
}
