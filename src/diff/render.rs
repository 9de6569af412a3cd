//! The diff as text (for a terminal, coloured there), JSON and Markdown.

use std::fmt::Write as _;

use serde_json::Value;

use super::compare::{Change, DocDiff, Layer, Op, Status};
use super::summary::{DiffSummary, thousands};

/// ANSI colours, or none.
#[derive(Debug, Clone, Copy)]
pub struct Paint(pub bool);

impl Paint {
    fn wrap(self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn op(self, op: Op, s: &str) -> String {
        let code = match op {
            Op::Added => "32",
            Op::Removed => "31",
            Op::Changed => "33",
        };
        self.wrap(code, s)
    }

    fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }
}

/// A JSON value as a short text: strings unquoted when `bare`.
fn show(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "null".into(),
        Some(v) => v.to_string(),
    }
}

/// The fields of a changed item that differ: `entity "a" → "b"`.
fn differing(c: &Change) -> String {
    let (Some(Value::Object(o)), Some(Value::Object(n))) = (&c.old, &c.new) else {
        return format!("{} → {}", show(c.old.as_ref()), show(c.new.as_ref()));
    };
    let mut keys: Vec<&String> = o.keys().chain(n.keys()).collect();
    keys.dedup();
    let mut seen = Vec::new();
    let mut parts = Vec::new();
    for k in keys {
        if seen.contains(&k) {
            continue;
        }
        seen.push(k);
        if o.get(k) != n.get(k) {
            parts.push(format!("{k} {} → {}", show(o.get(k)), show(n.get(k))));
        }
    }
    parts.join(", ")
}

/// One change as a line (without indent or colour).
pub fn change_line(c: &Change) -> String {
    let mut line = format!("{} {}", c.op.sign(), c.layer.name());
    if let Some(kind) = &c.kind {
        let _ = write!(line, " {kind}");
    }
    match c.layer {
        Layer::Fields => {
            let _ = write!(line, " {}: {}", c.label, differing(c));
            return line;
        }
        Layer::Warnings => {
            let _ = write!(line, " {:?}", c.label);
            return line;
        }
        _ => {}
    }
    if !c.label.is_empty() && c.op != Op::Changed {
        let _ = write!(line, " {}", c.label);
    }
    if let (Some(s), Some(e)) = (c.start, c.end) {
        let _ = write!(line, " {s}..{e}");
    }
    if let Some(t) = &c.text {
        let _ = write!(line, " {t:?}");
    }
    if c.layer == Layer::Entities && c.op != Op::Changed {
        let item = c.new.as_ref().or(c.old.as_ref());
        if let Some(name) = item.and_then(|v| v.get("name")) {
            let _ = write!(line, " {}", show(Some(name)));
        }
    }
    if c.op == Op::Changed {
        let _ = write!(line, ": {}", differing(c));
    } else if c.layer == Layer::Relations {
        let item = c.new.as_ref().or(c.old.as_ref());
        if let Some(rule) = item.and_then(|v| v.get("rule")) {
            let _ = write!(line, " (rule {})", show(Some(rule)));
        }
    }
    line
}

/// What the text did, for a document's header line.
fn text_note(d: &DocDiff) -> Option<String> {
    let t = d.text.as_ref()?;
    Some(match t.edits {
        Some(1) => "text changed: 1 edit".into(),
        Some(n) => format!("text changed: {n} edits"),
        None => {
            "text changed (the texts are not at hand: spans compared by offset; --text gives them)"
                .into()
        }
    })
}

/// A document's header line.
pub fn header(d: &DocDiff) -> String {
    match d.status {
        Status::Added => format!("+ {} (only in NEW)", d.id),
        Status::Removed => format!("- {} (only in OLD)", d.id),
        Status::Failing => format!(
            "! {}: now an error record: {}",
            d.id,
            d.error.as_deref().unwrap_or("")
        ),
        Status::Recovered => format!("* {}: no longer an error record", d.id),
        Status::Changed => {
            let count = match d.changes.len() {
                1 => "1 change".to_string(),
                n => format!("{} changes", thousands(n)),
            };
            match text_note(d) {
                Some(note) => format!("~ {}: {note}; {count}", d.id),
                None => format!("~ {}: {count}", d.id),
            }
        }
    }
}

/// How many of `d`'s changes to show (`max` 0: all).
fn shown(d: &DocDiff, max: usize) -> usize {
    if max == 0 {
        d.changes.len()
    } else {
        d.changes.len().min(max)
    }
}

/// A document's differences as text: its header, then a line a change.
pub fn text_doc(d: &DocDiff, max: usize, paint: Paint, out: &mut String) {
    let _ = writeln!(out, "{}", paint.bold(&header(d)));
    let n = shown(d, max);
    for c in &d.changes[..n] {
        let _ = write!(out, "    {}", paint.op(c.op, &change_line(c)));
        if let Some(context) = &c.context {
            let _ = write!(out, "  {context}");
        }
        out.push('\n');
    }
    if n < d.changes.len() {
        let _ = writeln!(
            out,
            "    … {} more (--max-per-doc)",
            thousands(d.changes.len() - n)
        );
    }
}

fn status_counts(s: &DiffSummary) -> String {
    format!(
        "{} compared ({} identical), {} changed, {} added, {} removed, {} failing, {} recovered",
        thousands(s.compared),
        thousands(s.identical),
        thousands(s.changed),
        thousands(s.added),
        thousands(s.removed),
        thousands(s.failing),
        thousands(s.recovered)
    )
}

fn group_line(g: &super::summary::Group) -> String {
    let mut line = format!("{} {}", g.op.sign(), g.layer.name());
    if let Some(kind) = &g.kind {
        let _ = write!(line, " {kind}");
    }
    if !g.label.is_empty() {
        let _ = write!(line, " {}", g.label);
    }
    let what = if g.changes == 1 { "change" } else { "changes" };
    let docs = if g.documents == 1 {
        "document"
    } else {
        "documents"
    };
    let _ = write!(
        line,
        ": {} {what} in {} {docs}",
        thousands(g.changes),
        thousands(g.documents)
    );
    line
}

/// The summary as text.
pub fn text_summary(s: &DiffSummary, paint: Paint, out: &mut String) {
    let _ = writeln!(
        out,
        "{}",
        paint.bold(&format!("documents: {}", status_counts(s)))
    );
    if s.texts_edited > 0 {
        let _ = writeln!(
            out,
            "texts: {} edited ({} aligned through both texts, {} compared by offset)",
            thousands(s.texts_edited),
            thousands(s.texts_aligned),
            thousands(s.texts_edited - s.texts_aligned)
        );
    }
    if !s.layers.is_empty() {
        let _ = writeln!(
            out,
            "\n{:<10} {:<14} {:>9} {:>9} {:>9}",
            "layer", "type", "added", "removed", "changed"
        );
        for l in &s.layers {
            let _ = writeln!(
                out,
                "{:<10} {:<14} {:>9} {:>9} {:>9}",
                l.layer.name(),
                l.kind.as_deref().unwrap_or("-"),
                thousands(l.added),
                thousands(l.removed),
                thousands(l.changed)
            );
        }
    }
    if !s.top.is_empty() {
        let _ = writeln!(out, "\nmost frequent changes:");
        for g in &s.top {
            let _ = writeln!(out, "  {}", paint.op(g.op, &group_line(g)));
        }
    }
}

/// A document's differences as JSON, its changes capped at `max` (with
/// `more` saying how many were left out).
pub fn json_doc(d: &DocDiff, max: usize) -> Value {
    let n = shown(d, max);
    let mut v = serde_json::to_value(d).expect("a diff serializes");
    if let Value::Object(m) = &mut v {
        if let Some(Value::Array(changes)) = m.get_mut("changes") {
            changes.truncate(n);
        }
        if n < d.changes.len() {
            m.insert("more".into(), Value::from(d.changes.len() - n));
        }
    }
    v
}

/// A Markdown table cell: no pipes or newlines.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The summary as Markdown: totals, a table per layer and type, the most
/// frequent changes.
pub fn markdown_summary(s: &DiffSummary, old: &str, new: &str, out: &mut String) {
    let changed = s.changed + s.added + s.removed + s.failing + s.recovered;
    let _ = writeln!(
        out,
        "### newsie diff: {} of {} documents differ\n",
        thousands(changed),
        thousands(s.compared + s.added + s.removed)
    );
    let _ = writeln!(out, "`{}` → `{}`\n", cell(old), cell(new));
    let _ = writeln!(out, "| documents | |\n| --- | ---: |");
    for (k, v) in [
        ("compared", s.compared),
        ("identical", s.identical),
        ("changed", s.changed),
        ("added", s.added),
        ("removed", s.removed),
        ("failing", s.failing),
        ("recovered", s.recovered),
        ("texts edited", s.texts_edited),
    ] {
        let _ = writeln!(out, "| {k} | {} |", thousands(v));
    }
    if !s.layers.is_empty() {
        let _ = writeln!(
            out,
            "\n| layer | type | added | removed | changed |\n| --- | --- | ---: | ---: | ---: |"
        );
        for l in &s.layers {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                l.layer.name(),
                cell(l.kind.as_deref().unwrap_or("")),
                thousands(l.added),
                thousands(l.removed),
                thousands(l.changed)
            );
        }
    }
    if !s.top.is_empty() {
        let _ = writeln!(
            out,
            "\n**Most frequent changes**\n\n| change | items | documents |\n| --- | ---: | ---: |"
        );
        for g in &s.top {
            let mut what = format!("{} {}", g.op.sign(), g.layer.name());
            if let Some(kind) = &g.kind {
                let _ = write!(what, " {kind}");
            }
            let _ = writeln!(
                out,
                "| `{}` | {} | {} |",
                cell(&format!("{what} {}", g.label)).trim(),
                thousands(g.changes),
                thousands(g.documents)
            );
        }
    }
}

/// A document's differences as Markdown: its header and a list.
pub fn markdown_doc(d: &DocDiff, max: usize, out: &mut String) {
    let _ = writeln!(out, "- **{}**", cell(&header(d)));
    let n = shown(d, max);
    for c in &d.changes[..n] {
        let _ = writeln!(out, "  - `{}`", change_line(c).replace('`', "'"));
    }
    if n < d.changes.len() {
        let _ = writeln!(out, "  - … {} more", thousands(d.changes.len() - n));
    }
}
