//! Comparing two records of one document, field by field and layer by
//! layer. Items with a span are matched by it, old spans first moved into
//! the new text ([`Alignment`]) when the text was edited; entities by id,
//! relations by `(type, head, tail)`, warnings as a multiset, any other
//! field by value.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::{Map, Value};

use super::align::Alignment;

/// A record as read back: its fields.
pub type Rec = Map<String, Value>;

/// What a change is to: a layer of the record, its text, or another field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    /// The document text (`text_sha256`, `text`).
    Text,
    /// A field that is no layer: `dct`, `source`, `tokens`, `provenance` …
    Fields,
    /// Sentence spans.
    Sentences,
    /// Entities by id: type, name.
    Entities,
    /// Mentions by span: entity, type.
    Mentions,
    /// Amounts by span.
    Money,
    /// Percentages by span.
    Percents,
    /// Dates and durations by span.
    Dates,
    /// Relations by `(type, head, tail)`: rule, evidence.
    Relations,
    /// Warnings, as a multiset.
    Warnings,
}

impl Layer {
    /// Every layer, in report order.
    pub const ALL: [Layer; 10] = [
        Layer::Text,
        Layer::Fields,
        Layer::Sentences,
        Layer::Entities,
        Layer::Mentions,
        Layer::Money,
        Layer::Percents,
        Layer::Dates,
        Layer::Relations,
        Layer::Warnings,
    ];

    /// The layer's name (its record field's, for the item layers).
    pub fn name(self) -> &'static str {
        match self {
            Layer::Text => "text",
            Layer::Fields => "fields",
            Layer::Sentences => "sentences",
            Layer::Entities => "entities",
            Layer::Mentions => "mentions",
            Layer::Money => "money",
            Layer::Percents => "percents",
            Layer::Dates => "dates",
            Layer::Relations => "relations",
            Layer::Warnings => "warnings",
        }
    }
}

/// What happened to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// Only in the new record.
    Added,
    /// Only in the old record.
    Removed,
    /// In both, with other attributes.
    Changed,
}

impl Op {
    /// `+`, `-`, `~`.
    pub fn sign(self) -> char {
        match self {
            Op::Added => '+',
            Op::Removed => '-',
            Op::Changed => '~',
        }
    }
}

/// One difference inside a document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// What changed.
    pub layer: Layer,
    /// Added, removed or changed.
    pub op: Op,
    /// The item's type: an entity type (`ORG`), a currency, a date type, a
    /// relation type; none for sentences, warnings and fields.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// What the item is, for grouping like changes: an entity id, a value,
    /// `head → tail`, a warning, a field name.
    pub label: String,
    /// The span (code points): in the new text, or in the old for a removal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    /// The span's end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
    /// The item's text, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The old item's fields (not for additions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    /// The new item's fields (not for removals).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
    /// A few words around the span (`…rose in [China] on…`), when the
    /// text is at hand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
}

/// How a document's pair of records differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Both full records, with changes.
    Changed,
    /// Only in the new file.
    Added,
    /// Only in the old file.
    Removed,
    /// The new record is an error record (the old was not, or had another error).
    Failing,
    /// The old record was an error record, the new is not.
    Recovered,
}

/// An edited document text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextChange {
    /// Places the text was edited at, when both texts were at hand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edits: Option<usize>,
    /// Whether spans were aligned through the texts (else compared by offset).
    pub aligned: bool,
    /// `text_sha256` of the old and the new text.
    pub old_sha256: Option<String>,
    /// See `old_sha256`.
    pub new_sha256: Option<String>,
}

/// The differences of one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocDiff {
    /// Document id.
    pub id: String,
    /// What happened to it.
    pub status: Status,
    /// The new error message (`failing`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Its text was edited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<TextChange>,
    /// Item and field changes, by layer, then by position.
    pub changes: Vec<Change>,
}

/// Layers and fields left out of a comparison (`--ignore`).
#[derive(Debug, Clone, Default)]
pub struct Ignore(Vec<String>);

impl Ignore {
    /// Ignores these layer names (`mentions`, `text` …) and field names (`source`, `dct` …).
    pub fn new(names: &[String]) -> Ignore {
        Ignore(names.to_vec())
    }

    fn layer(&self, layer: Layer) -> bool {
        self.0.iter().any(|n| n == layer.name())
    }

    fn field(&self, name: &str) -> bool {
        self.0.iter().any(|n| n == name) || self.layer(Layer::Fields)
    }
}

/// The texts of the two records, when they are at hand.
#[derive(Debug, Clone, Copy, Default)]
pub struct Texts<'a> {
    /// The old record's text.
    pub old: Option<&'a str>,
    /// The new record's text.
    pub new: Option<&'a str>,
}

/// The fields every record has that are compared as layers or as the text.
const STRUCTURAL: [&str; 11] = [
    "id",
    "text",
    "text_sha256",
    "sentences",
    "entities",
    "money",
    "percents",
    "dates",
    "relations",
    "warnings",
    "error",
];

fn error_of(r: &Rec) -> Option<String> {
    match r.get("error") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    }
}

/// Compares two records of document `id`; `None` when they agree on
/// everything not ignored.
pub fn diff_records(
    id: &str,
    old: &Rec,
    new: &Rec,
    texts: Texts,
    ignore: &Ignore,
) -> Option<DocDiff> {
    let (mut diff, _) = compare_records(id, old, new, texts, ignore);
    if let Some(d) = &mut diff {
        add_context(&mut d.changes, texts);
    }
    diff
}

/// [`diff_records`] without the context, and the alignment of an edited
/// text when both texts were given (the HTML page marks the edits with it).
pub(crate) fn compare_records(
    id: &str,
    old: &Rec,
    new: &Rec,
    texts: Texts,
    ignore: &Ignore,
) -> (Option<DocDiff>, Option<Alignment>) {
    let doc = |status, error, text, changes| DocDiff {
        id: id.to_string(),
        status,
        error,
        text,
        changes,
    };
    match (error_of(old), error_of(new)) {
        (None, Some(e)) => return (Some(doc(Status::Failing, Some(e), None, Vec::new())), None),
        (Some(_), None) => return (Some(doc(Status::Recovered, None, None, Vec::new())), None),
        (Some(a), Some(b)) if a == b => return (None, None),
        (Some(_), Some(b)) => return (Some(doc(Status::Failing, Some(b), None, Vec::new())), None),
        (None, None) => {}
    }
    let sha = |r: &Rec| {
        r.get("text_sha256")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let edited = sha(old) != sha(new);
    let (text, alignment) = if edited {
        let alignment = match (texts.old, texts.new) {
            (Some(a), Some(b)) => Some(Alignment::of(a, b)),
            _ => None,
        };
        let change = TextChange {
            edits: alignment.as_ref().map(Alignment::edits),
            aligned: alignment.is_some(),
            old_sha256: sha(old),
            new_sha256: sha(new),
        };
        (Some(change), alignment)
    } else {
        (None, None)
    };
    let mut changes = Vec::new();
    let c = Comparison {
        alignment: alignment.as_ref(),
        changes: &mut changes,
    };
    c.compare(old, new, ignore);
    let text = text.filter(|_| !ignore.layer(Layer::Text));
    if text.is_none() && changes.is_empty() {
        return (None, alignment);
    }
    (Some(doc(Status::Changed, None, text, changes)), alignment)
}

/// One comparison's state: where old spans are now, and the changes so far.
struct Comparison<'a> {
    alignment: Option<&'a Alignment>,
    changes: &'a mut Vec<Change>,
}

/// The items of one span layer of a record.
type ItemsOf = fn(&Rec) -> Vec<Item>;

/// Old and new items at one place: `(start, end, n-th item there)`.
type BySpan = BTreeMap<(usize, usize, usize), (Option<Item>, Option<Item>)>;

/// An item of a span layer: its span, type, label and fields.
struct Item {
    span: (usize, usize),
    kind: Option<String>,
    label: String,
    fields: Value,
}

fn arr<'r>(r: &'r Rec, key: &str) -> &'r [Value] {
    r.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn str_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        None | Some(Value::Null) => String::new(),
        Some(other) => other.to_string(),
    }
}

fn span_of(v: &Value) -> Option<(usize, usize)> {
    let at = |k: &str| {
        v.get(k)
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
    };
    Some((at("start")?, at("end")?))
}

/// `v` without the fields `drop`.
fn without(v: &Value, drop: &[&str]) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !drop.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

impl Comparison<'_> {
    /// Where an old span is in the new text (itself when the text is
    /// unchanged or could not be aligned).
    fn moved(&self, span: (usize, usize)) -> Option<(usize, usize)> {
        match self.alignment {
            Some(a) => a.map(span.0, span.1),
            None => Some(span),
        }
    }

    fn compare(mut self, old: &Rec, new: &Rec, ignore: &Ignore) {
        let layers: [(Layer, ItemsOf); 5] = [
            (Layer::Sentences, sentences),
            (Layer::Mentions, mentions),
            (Layer::Money, money),
            (Layer::Percents, percents),
            (Layer::Dates, dates),
        ];
        if !ignore.layer(Layer::Entities) {
            self.entities(old, new);
        }
        for (layer, items) in layers {
            if !ignore.layer(layer) {
                self.span_layer(layer, items(old), items(new));
            }
        }
        if !ignore.layer(Layer::Relations) {
            self.relations(old, new);
        }
        if !ignore.layer(Layer::Warnings) {
            self.warnings(old, new);
        }
        self.fields(old, new, ignore);
        self.changes
            .sort_by_key(|c| (c.layer, c.start, c.end, c.op));
    }

    fn push(&mut self, layer: Layer, op: Op, item: &Item, old: Option<&Item>, new: Option<&Item>) {
        let text = item
            .fields
            .get("text")
            .and_then(Value::as_str)
            .map(str::to_string);
        let label = match (old, new) {
            (Some(o), Some(n)) if o.label != n.label => format!("{} → {}", o.label, n.label),
            _ => item.label.clone(),
        };
        self.changes.push(Change {
            layer,
            op,
            kind: item.kind.clone(),
            label,
            start: Some(item.span.0).filter(|_| layer != Layer::Entities),
            end: Some(item.span.1).filter(|_| layer != Layer::Entities),
            text,
            old: old.map(|i| i.fields.clone()),
            new: new.map(|i| i.fields.clone()),
            context: None,
        });
    }

    /// Items matched by span, old spans moved into the new text first.
    fn span_layer(&mut self, layer: Layer, old: Vec<Item>, new: Vec<Item>) {
        let mut by_span = BySpan::new();
        let mut seen: HashMap<(usize, usize), usize> = HashMap::new();
        for item in old {
            let Some(span) = self.moved(item.span) else {
                self.push(layer, Op::Removed, &item, Some(&item), None);
                continue;
            };
            let n = seen.entry(span).or_default();
            by_span.entry((span.0, span.1, *n)).or_default().0 = Some(item);
            *n += 1;
        }
        seen.clear();
        for item in new {
            let (s, e) = item.span;
            let n = seen.entry(item.span).or_default();
            by_span.entry((s, e, *n)).or_default().1 = Some(item);
            *n += 1;
        }
        for (_, pair) in by_span {
            match pair {
                (Some(o), None) => self.push(layer, Op::Removed, &o, Some(&o), None),
                (None, Some(n)) => self.push(layer, Op::Added, &n, None, Some(&n)),
                (Some(o), Some(n)) if o.fields != n.fields || o.kind != n.kind => {
                    self.push(layer, Op::Changed, &n, Some(&o), Some(&n));
                }
                _ => {}
            }
        }
    }

    /// Entities by id: their fields but the mentions (which have a layer of
    /// their own).
    fn entities(&mut self, old: &Rec, new: &Rec) {
        let index = |r: &Rec| -> BTreeMap<String, Item> {
            arr(r, "entities")
                .iter()
                .map(|e| {
                    let id = str_of(e.get("id"));
                    let item = Item {
                        span: (0, 0),
                        kind: Some(str_of(e.get("type"))),
                        label: id.clone(),
                        fields: without(e, &["mentions"]),
                    };
                    (id, item)
                })
                .collect()
        };
        self.keyed(Layer::Entities, index(old), index(new));
    }

    /// Items matched by key: added, removed, or changed in their fields.
    fn keyed<K: Ord>(&mut self, layer: Layer, mut old: BTreeMap<K, Item>, new: BTreeMap<K, Item>) {
        for (key, n) in &new {
            match old.remove(key) {
                None => self.push(layer, Op::Added, n, None, Some(n)),
                Some(o) if o.fields != n.fields => {
                    self.push(layer, Op::Changed, n, Some(&o), Some(n))
                }
                Some(_) => {}
            }
        }
        for o in old.values() {
            self.push(layer, Op::Removed, o, Some(o), None);
        }
    }

    /// Relations by `(type, head, tail)` (`competes_with` in either order):
    /// rule and evidence compared, the old evidence moved into the new text.
    fn relations(&mut self, old: &Rec, new: &Rec) {
        let index = |r: &Rec, moved: &dyn Fn((usize, usize)) -> Option<(usize, usize)>| {
            let mut out: BTreeMap<(String, String, String), Item> = BTreeMap::new();
            for rel in arr(r, "relations") {
                let kind = str_of(rel.get("type"));
                let (mut head, mut tail) = (str_of(rel.get("head")), str_of(rel.get("tail")));
                if kind == "competes_with" && tail < head {
                    std::mem::swap(&mut head, &mut tail);
                }
                let evidence = rel.get("evidence").and_then(span_of);
                let mut fields = without(rel, &["type", "head", "tail"]);
                if let (Some(span), Value::Object(f)) = (evidence, &mut fields) {
                    // Where the evidence is now; an edited one has none.
                    let now = moved(span).map(|(s, e)| serde_json::json!({"start": s, "end": e}));
                    f.insert("evidence".into(), now.unwrap_or(Value::Null));
                }
                let item = Item {
                    span: evidence.unwrap_or_default(),
                    kind: Some(kind.clone()),
                    label: format!("{head} → {tail}"),
                    fields,
                };
                out.entry((kind, head, tail)).or_insert(item);
            }
            out
        };
        let identity = |s| Some(s);
        let old = index(old, &|s| self.moved(s));
        self.keyed(Layer::Relations, old, index(new, &identity));
    }

    /// Warnings as a multiset of texts.
    fn warnings(&mut self, old: &Rec, new: &Rec) {
        let mut count: BTreeMap<String, i64> = BTreeMap::new();
        for w in arr(old, "warnings") {
            *count.entry(str_of(Some(w))).or_default() -= 1;
        }
        for w in arr(new, "warnings") {
            *count.entry(str_of(Some(w))).or_default() += 1;
        }
        for (warning, n) in count {
            let op = if n > 0 { Op::Added } else { Op::Removed };
            for _ in 0..n.unsigned_abs() {
                self.changes.push(Change {
                    layer: Layer::Warnings,
                    op,
                    kind: None,
                    label: warning.clone(),
                    start: None,
                    end: None,
                    text: None,
                    old: None,
                    new: None,
                    context: None,
                });
            }
        }
    }

    /// Every other field, by value.
    fn fields(&mut self, old: &Rec, new: &Rec, ignore: &Ignore) {
        let mut names: Vec<&String> = old.keys().chain(new.keys()).collect();
        names.sort();
        names.dedup();
        for name in names {
            if STRUCTURAL.contains(&name.as_str()) || ignore.field(name) {
                continue;
            }
            let (o, n) = (old.get(name), new.get(name));
            if o == n {
                continue;
            }
            let op = match (o, n) {
                (None, _) => Op::Added,
                (_, None) => Op::Removed,
                _ => Op::Changed,
            };
            self.changes.push(Change {
                layer: Layer::Fields,
                op,
                kind: None,
                label: name.clone(),
                start: None,
                end: None,
                text: None,
                old: o.cloned(),
                new: n.cloned(),
                context: None,
            });
        }
    }
}

fn sentences(r: &Rec) -> Vec<Item> {
    arr(r, "sentences")
        .iter()
        .filter_map(|s| {
            Some(Item {
                span: span_of(s)?,
                kind: None,
                label: String::new(),
                fields: Value::Null,
            })
        })
        .collect()
}

fn mentions(r: &Rec) -> Vec<Item> {
    let mut out = Vec::new();
    for e in arr(r, "entities") {
        let (id, kind) = (str_of(e.get("id")), str_of(e.get("type")));
        for m in e
            .get("mentions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(span) = span_of(m) else { continue };
            out.push(Item {
                span,
                kind: Some(kind.clone()),
                label: id.clone(),
                fields: serde_json::json!({"entity": id, "text": m.get("text")}),
            });
        }
    }
    out
}

fn money(r: &Rec) -> Vec<Item> {
    let items = arr(r, "money");
    items
        .iter()
        .filter_map(|m| {
            let span = span_of(m)?;
            let mut fields = without(m, &["start", "end"]);
            // The amount an equivalent refers to, by its text, not its
            // place in the list (which an earlier amount shifts).
            if let (Some(i), Value::Object(f)) =
                (m.get("equivalent_of").and_then(Value::as_u64), &mut fields)
            {
                let of = usize::try_from(i)
                    .ok()
                    .and_then(|i| items.get(i))
                    .and_then(|x| x.get("text"));
                f.insert("equivalent_of".into(), of.cloned().unwrap_or(Value::Null));
            }
            Some(Item {
                span,
                kind: Some(str_of(m.get("currency"))),
                label: format!("{} {}", str_of(m.get("value")), str_of(m.get("currency"))),
                fields,
            })
        })
        .collect()
}

fn percents(r: &Rec) -> Vec<Item> {
    arr(r, "percents")
        .iter()
        .filter_map(|p| {
            Some(Item {
                span: span_of(p)?,
                kind: None,
                label: format!("{}%", str_of(p.get("value"))),
                fields: without(p, &["start", "end"]),
            })
        })
        .collect()
}

fn dates(r: &Rec) -> Vec<Item> {
    arr(r, "dates")
        .iter()
        .filter_map(|d| {
            Some(Item {
                span: span_of(d)?,
                kind: Some(str_of(d.get("type"))),
                label: str_of(d.get("value")),
                fields: without(d, &["start", "end"]),
            })
        })
        .collect()
}

/// Characters of context on each side of a span.
const CONTEXT: usize = 30;

/// Context for the changes with a span: from the old text for removals,
/// from the new for the rest.
pub(crate) fn add_context(changes: &mut [Change], texts: Texts) {
    let chars = |t: Option<&str>| t.map(|t| t.chars().collect::<Vec<char>>());
    let (old, new) = (chars(texts.old), chars(texts.new));
    let spanned = |c: &&mut Change| {
        matches!(
            c.layer,
            Layer::Mentions | Layer::Money | Layer::Percents | Layer::Dates
        )
    };
    for c in changes.iter_mut().filter(spanned) {
        let text = if c.op == Op::Removed { &old } else { &new };
        if let (Some(t), Some(s), Some(e)) = (text, c.start, c.end)
            && s <= e
            && e <= t.len()
        {
            let piece: String = t[s.saturating_sub(CONTEXT)..s]
                .iter()
                .chain(&['['])
                .chain(&t[s..e])
                .chain(&[']'])
                .chain(&t[e..(e + CONTEXT).min(t.len())])
                .collect();
            c.context = Some(format!(
                "…{}…",
                piece.split_whitespace().collect::<Vec<_>>().join(" ")
            ));
        }
    }
}
