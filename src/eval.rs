//! `newsie eval`: precision, recall and F1 of predicted records against gold
//! records, with exactly the measures, names and matching rules of the
//! reference scorer `eval/score.py` (SPEC §7), so both agree to the digit.
//!
//! Records are read as loose JSON (gold files omit fields that outputs have).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::Value;

use crate::error::RecordsError;
use crate::record::RecordLines;

mod by_rule;
pub use by_rule::{RuleFinding, RuleReport, by_rule};

/// Entity types scored one by one.
const ENT_TYPES: [&str; 4] = ["PERSON", "ORG", "GPE", "PRODUCT"];

/// True/false positives and negatives of one measure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// False negatives.
    pub fn_: usize,
}

impl Counts {
    /// Adds multiset counts: matched items are the multiset intersection.
    fn add_multiset<T: std::hash::Hash + Eq>(&mut self, gold: Vec<T>, pred: Vec<T>) {
        let mut g: HashMap<T, usize> = HashMap::new();
        for x in gold {
            *g.entry(x).or_default() += 1;
        }
        let mut p: HashMap<T, usize> = HashMap::new();
        for x in pred {
            *p.entry(x).or_default() += 1;
        }
        let tp: usize = p
            .iter()
            .map(|(k, &n)| n.min(g.get(k).copied().unwrap_or(0)))
            .sum();
        self.tp += tp;
        self.fp += p.values().sum::<usize>() - tp;
        self.fn_ += g.values().sum::<usize>() - tp;
    }

    /// Precision, recall, F1 (score.py's conventions for empty sets).
    pub fn scores(&self) -> (f64, f64, f64) {
        let (tp, fp, fn_) = (self.tp as f64, self.fp as f64, self.fn_ as f64);
        let p = if self.tp + self.fp > 0 {
            tp / (tp + fp)
        } else if self.fn_ == 0 {
            1.0
        } else {
            0.0
        };
        let r = if self.tp + self.fn_ > 0 {
            tp / (tp + fn_)
        } else {
            1.0
        };
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    }
}

/// The result of scoring: measures in first-use order (score.py's JSON order).
#[derive(Debug, Clone, Default)]
pub struct Report {
    measures: Vec<(String, Counts)>,
    /// Gold documents scored.
    pub docs: usize,
    /// Gold documents whose prediction is an error record.
    pub errors: usize,
}

/// The measures the table's summary line names, by the short key it
/// prints them under (`dates=0.954`); `--min` takes either name.
pub const SUMMARY_KEYS: [(&str, &str); 6] = [
    ("entities", "entities"),
    ("linking", "linking (mention pairs)"),
    ("money", "money"),
    ("percents", "percents"),
    ("dates", "dates (span+value)"),
    ("relations", "relations"),
];

/// How to print a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvalFormat {
    /// Aligned columns and a summary line.
    Table,
    /// One JSON object: measure → `{"p","r","f1"}`.
    Json,
}

impl Report {
    fn get(&mut self, name: &str) -> &mut Counts {
        let i = match self.measures.iter().position(|(n, _)| n == name) {
            Some(i) => i,
            None => {
                self.measures.push((name.to_string(), Counts::default()));
                self.measures.len() - 1
            }
        };
        &mut self.measures[i].1
    }

    /// Counts of one measure, by its name or its summary key (`dates`).
    pub fn counts(&self, name: &str) -> Option<Counts> {
        let name = SUMMARY_KEYS
            .iter()
            .find(|(key, _)| *key == name)
            .map_or(name, |(_, measure)| measure);
        self.measures.iter().find(|(n, _)| n == name).map(|m| m.1)
    }

    /// F1 of one measure.
    pub fn f1(&self, name: &str) -> Option<f64> {
        self.counts(name).map(|c| c.scores().2)
    }

    /// Names of all measures.
    pub fn measure_names(&self) -> Vec<String> {
        self.measures.iter().map(|m| m.0.clone()).collect()
    }

    /// Thresholds that are not met: `(measure, wanted, got)`. An unknown
    /// measure counts as F1 0.
    pub fn below(&self, mins: &[(String, f64)]) -> Vec<(String, f64, f64)> {
        mins.iter()
            .filter_map(|(k, want)| {
                let got = self.f1(k).unwrap_or(0.0);
                (got + 1e-12 < *want).then(|| (k.clone(), *want, got))
            })
            .collect()
    }

    /// Renders the report.
    pub fn render(&self, format: EvalFormat) -> String {
        match format {
            EvalFormat::Json => {
                let mut map = serde_json::Map::new();
                for (name, c) in &self.measures {
                    let (p, r, f) = c.scores();
                    map.insert(
                        name.clone(),
                        serde_json::json!({"p": p, "r": r, "f1": f, "tp": c.tp, "fp": c.fp, "fn": c.fn_}),
                    );
                }
                let mut s = serde_json::to_string_pretty(&Value::Object(map)).unwrap_or_default();
                s.push('\n');
                s
            }
            EvalFormat::Table => {
                let mut rows: Vec<&(String, Counts)> = self.measures.iter().collect();
                rows.sort_by(|a, b| {
                    let key = |n: &str| {
                        (
                            n.split('/').next().unwrap_or("").to_string(),
                            n.contains('/'),
                            n.to_string(),
                        )
                    };
                    key(&a.0).cmp(&key(&b.0))
                });
                let mut s = format!(
                    "{:28} {:>6} {:>6} {:>6} {:>5} {:>5} {:>5}\n",
                    "measure", "P", "R", "F1", "tp", "fp", "fn"
                );
                for (name, c) in rows {
                    let (p, r, f) = c.scores();
                    s += &format!(
                        "{name:28} {p:6.3} {r:6.3} {f:6.3} {:5} {:5} {:5}\n",
                        c.tp, c.fp, c.fn_
                    );
                }
                s += &format!("summary: docs={} errors={}", self.docs, self.errors);
                for (key, _) in SUMMARY_KEYS {
                    s += &format!(" {key}={:.3}", self.f1(key).unwrap_or(0.0));
                }
                s.push('\n');
                s
            }
        }
    }
}

type Doc = serde_json::Map<String, Value>;

/// Reads a JSONL file of records (gzip- or zstd-compressed too; `-` is
/// standard input) into (id → record), keeping file order; a
/// later record with the same id replaces the earlier one (as score.py does).
pub fn load_records(path: &Path) -> Result<Vec<(Value, Doc)>, RecordsError> {
    load_records_counted(path).map(|(records, _)| records)
}

/// [`load_records`], and how many lines repeated an earlier id. A line that
/// is not a record (no `entities` and no `error`: an article, say) is an
/// error, so that two input files do not score 1.000 against each other.
pub fn load_records_counted(path: &Path) -> Result<(Vec<(Value, Doc)>, usize), RecordsError> {
    let file = crate::input::open_records(path).map_err(|source| RecordsError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let mut repeated = 0;
    let mut out: Vec<(Value, Doc)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for read in RecordLines::new(file, &path.display().to_string()) {
        let (id, fields, _) = read?;
        let key = id.to_string();
        match index.get(&key) {
            Some(&i) => {
                out[i].1 = fields;
                repeated += 1;
            }
            None => {
                index.insert(key, out.len());
                out.push((id, fields));
            }
        }
    }
    Ok((out, repeated))
}

fn arr<'a>(d: &'a Doc, key: &str) -> &'a [Value] {
    d.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn int(v: &Value, key: &str) -> i64 {
    v.get(key).and_then(Value::as_i64).unwrap_or(-1)
}

fn text(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => "\u{0}null".into(),
        Some(other) => other.to_string(),
    }
}

/// `(start, end, type, id)` of every mention.
fn mentions(d: &Doc) -> Vec<(i64, i64, String, String)> {
    let mut out = Vec::new();
    for e in arr(d, "entities") {
        let (t, id) = (text(e, "type"), text(e, "id"));
        for m in e
            .get("mentions")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice)
        {
            out.push((int(m, "start"), int(m, "end"), t.clone(), id.clone()));
        }
    }
    out
}

/// score.py's `close`: both null, or numerically equal within 1e-9 relative.
fn close(a: Option<&Value>, b: Option<&Value>) -> bool {
    let num = |v: Option<&Value>| -> Option<Result<f64, ()>> {
        match v {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => Some(n.as_f64().ok_or(())),
            Some(Value::String(s)) => Some(s.trim().parse::<f64>().map_err(|_| ())),
            Some(Value::Bool(b)) => Some(Ok(f64::from(u8::from(*b)))),
            Some(_) => Some(Err(())),
        }
    };
    match (num(a), num(b)) {
        (None, None) => true,
        (Some(Ok(x)), Some(Ok(y))) => (x - y).abs() <= 1e-9 * x.abs().max(1.0),
        _ => false,
    }
}

/// Each predicted id → the gold id whose mentions it shares most (ties: the
/// gold id met first).
fn id_map(gold: &Doc, pred: &Doc) -> HashMap<String, String> {
    let mut gold_at: HashMap<(i64, i64), String> = HashMap::new();
    for (s, e, _, id) in mentions(gold) {
        gold_at.insert((s, e), id);
    }
    let mut votes: HashMap<String, Vec<(String, usize)>> = HashMap::new();
    for (s, e, _, pid) in mentions(pred) {
        if let Some(gid) = gold_at.get(&(s, e)) {
            let v = votes.entry(pid).or_default();
            match v.iter_mut().find(|(g, _)| g == gid) {
                Some(x) => x.1 += 1,
                None => v.push((gid.clone(), 1)),
            }
        }
    }
    votes
        .into_iter()
        .map(|(pid, v)| {
            let mut best = &v[0];
            for x in &v[1..] {
                if x.1 > best.1 {
                    best = x;
                }
            }
            (pid, best.0.clone())
        })
        .collect()
}

fn triples(
    d: &Doc,
    mapping: Option<&HashMap<String, String>>,
) -> HashSet<(String, String, String)> {
    arr(d, "relations")
        .iter()
        .map(|r| triple(r, mapping))
        .collect()
}

/// `(type, head, tail)` of a relation, its ids mapped when `mapping` is
/// given (unmapped: `?id`), `competes_with` in id order.
fn triple(r: &Value, mapping: Option<&HashMap<String, String>>) -> (String, String, String) {
    let (mut h, mut t) = (text(r, "head"), text(r, "tail"));
    if let Some(m) = mapping {
        h = m.get(&h).cloned().unwrap_or_else(|| format!("?{h}"));
        t = m.get(&t).cloned().unwrap_or_else(|| format!("?{t}"));
    }
    let kind = text(r, "type");
    if kind == "competes_with" && t < h {
        std::mem::swap(&mut h, &mut t);
    }
    (kind, h, t)
}

type SpanPairs = HashSet<((i64, i64), (i64, i64))>;

fn pairs(ms: &[(i64, i64, String, String)]) -> SpanPairs {
    let mut by_id: HashMap<&str, Vec<(i64, i64)>> = HashMap::new();
    for (s, e, _, id) in ms {
        by_id.entry(id).or_default().push((*s, *e));
    }
    let mut out = HashSet::new();
    for spans in by_id.values_mut() {
        spans.sort();
        for a in 0..spans.len() {
            for b in a + 1..spans.len() {
                out.insert((spans[a], spans[b]));
            }
        }
    }
    out
}

/// Scores predicted records against gold records.
pub fn evaluate(gold: &[(Value, Doc)], pred: &[(Value, Doc)]) -> Report {
    let pred_by_id: HashMap<String, &Doc> =
        pred.iter().map(|(id, d)| (id.to_string(), d)).collect();
    let empty = Doc::new();
    let mut rep = Report {
        docs: gold.len(),
        ..Report::default()
    };
    for (id, g) in gold {
        let p = pred_by_id.get(&id.to_string()).copied().unwrap_or(&empty);
        if p.get("error")
            .is_some_and(|e| !e.is_null() && e != "" && e != &Value::Bool(false))
        {
            rep.errors += 1;
        }
        let (gm, pm) = (mentions(g), mentions(p));
        let key3 = |v: &[(i64, i64, String, String)]| {
            v.iter()
                .map(|x| (x.0, x.1, x.2.clone()))
                .collect::<Vec<_>>()
        };
        rep.get("entities").add_multiset(key3(&gm), key3(&pm));
        for t in ENT_TYPES {
            let only = |v: &[(i64, i64, String, String)]| {
                v.iter()
                    .filter(|x| x.2 == t)
                    .map(|x| (x.0, x.1, x.2.clone()))
                    .collect::<Vec<_>>()
            };
            rep.get(&format!("entities/{t}"))
                .add_multiset(only(&gm), only(&pm));
        }
        let key2 =
            |v: &[(i64, i64, String, String)]| v.iter().map(|x| (x.0, x.1)).collect::<Vec<_>>();
        rep.get("entities (span only)")
            .add_multiset(key2(&gm), key2(&pm));
        rep.get("linking (mention pairs)").add_multiset(
            pairs(&gm).into_iter().collect(),
            pairs(&pm).into_iter().collect(),
        );

        let (gmo, pmo) = (arr(g, "money"), arr(p, "money"));
        let span = |x: &Value| (int(x, "start"), int(x, "end"));
        rep.get("money (span)").add_multiset(
            gmo.iter().map(span).collect(),
            pmo.iter().map(span).collect(),
        );
        let mut gval: HashMap<(i64, i64), &Value> = HashMap::new();
        for x in gmo {
            gval.insert(span(x), x);
        }
        let ok: HashSet<(i64, i64, String)> = pmo
            .iter()
            .filter_map(|x| {
                let k = span(x);
                let g = gval.get(&k)?;
                let first = pmo.iter().find(|y| span(y) == k)?;
                (text(g, "currency") == text(x, "currency")
                    && close(g.get("value"), first.get("value")))
                .then(|| (k.0, k.1, text(x, "currency")))
            })
            .collect();
        let c = rep.get("money");
        c.tp += ok.len();
        c.fp += pmo.len() - ok.len();
        c.fn_ += gmo.len() - ok.len();

        let (gpc, ppc) = (arr(g, "percents"), arr(p, "percents"));
        let mut gpv: HashMap<(i64, i64), Option<&Value>> = HashMap::new();
        for x in gpc {
            gpv.insert(span(x), x.get("value"));
        }
        let okp: HashSet<(i64, i64)> = ppc
            .iter()
            .filter(|x| {
                gpv.get(&span(x))
                    .is_some_and(|gv| close(*gv, x.get("value")))
            })
            .map(span)
            .collect();
        let c = rep.get("percents");
        c.tp += okp.len();
        c.fp += ppc.len() - okp.len();
        c.fn_ += gpc.len() - okp.len();

        let (gd, pd) = (arr(g, "dates"), arr(p, "dates"));
        rep.get("dates (span)")
            .add_multiset(gd.iter().map(span).collect(), pd.iter().map(span).collect());
        let sv = |x: &Value| (int(x, "start"), int(x, "end"), text(x, "value"));
        rep.get("dates (span+value)")
            .add_multiset(gd.iter().map(sv).collect(), pd.iter().map(sv).collect());

        let mapping = id_map(g, p);
        let (gt, pt) = (triples(g, None), triples(p, Some(&mapping)));
        rep.get("relations")
            .add_multiset(gt.iter().cloned().collect(), pt.iter().cloned().collect());
        let mut kinds: Vec<&String> = gt
            .iter()
            .chain(pt.iter())
            .map(|x| &x.0)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        kinds.sort();
        for k in kinds {
            let only = |s: &HashSet<(String, String, String)>| {
                s.iter().filter(|x| &x.0 == k).cloned().collect::<Vec<_>>()
            };
            rep.get(&format!("relations/{k}"))
                .add_multiset(only(&gt), only(&pt));
        }
    }
    rep
}

/// Loads both files and scores them.
pub fn evaluate_files(gold: &Path, pred: &Path) -> Result<Report, RecordsError> {
    Ok(evaluate(&load_records(gold)?, &load_records(pred)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(lines: &[&str]) -> Vec<(Value, Doc)> {
        lines
            .iter()
            .map(|l| {
                let Value::Object(o) = serde_json::from_str::<Value>(l).unwrap() else {
                    panic!()
                };
                (o["id"].clone(), o)
            })
            .collect()
    }

    #[test]
    fn scoring_table() {
        let gold = docs(&[
            r#"{"id":"a","entities":[{"id":"x","type":"ORG","mentions":[{"start":0,"end":3},{"start":10,"end":13}]}],
               "money":[{"start":20,"end":25,"value":5,"currency":"USD"}],
               "relations":[{"type":"competes_with","head":"x","tail":"y"}]}"#,
        ]);
        let pred = docs(&[
            r#"{"id":"a","entities":[{"id":"p","type":"ORG","mentions":[{"start":0,"end":3},{"start":10,"end":13}]},
                                     {"id":"q","type":"GPE","mentions":[{"start":30,"end":33}]}],
               "money":[{"start":20,"end":25,"value":5.0,"currency":"USD"}],
               "relations":[{"type":"competes_with","head":"y","tail":"p"}]}"#,
        ]);
        let rep = evaluate(&gold, &pred);
        let rows = [
            ("entities", 2, 1, 0),
            ("entities/ORG", 2, 0, 0),
            ("linking (mention pairs)", 1, 0, 0),
            ("money", 1, 0, 0),
            ("relations", 0, 1, 1), // y is unmapped in pred: "?y"
        ];
        for (name, tp, fp, fn_) in rows {
            assert_eq!(rep.counts(name), Some(Counts { tp, fp, fn_ }), "{name}");
        }
        assert_eq!(rep.below(&[("entities".into(), 0.8)]).len(), 0);
        assert_eq!(rep.below(&[("entities".into(), 0.81)]).len(), 1);
        assert_eq!(rep.below(&[("relations".into(), 0.5)]).len(), 1);
    }

    #[test]
    fn empty_sets_score_like_score_py() {
        assert_eq!(Counts::default().scores(), (1.0, 1.0, 1.0));
        assert_eq!(
            Counts {
                tp: 0,
                fp: 0,
                fn_: 2
            }
            .scores(),
            (0.0, 0.0, 0.0)
        );
    }
}
