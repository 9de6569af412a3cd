//! `diff --html FILE`: a page in the style of the report, each differing
//! document with its changes listed and, when its new text is at hand, the
//! text with added, changed and removed items and the edited text marked.
//! minijinja escapes every value: article text is text, never markup.

use minijinja::{Environment, context};
use serde::Serialize;

use super::align::Alignment;
use super::compare::{DocDiff, Layer, Op};
use super::render::change_line;
use super::summary::DiffSummary;

const TEMPLATE: &str = include_str!("page.html");

/// A change as a row of the page.
#[derive(Serialize)]
struct Row {
    op: Op,
    sign: char,
    layer: &'static str,
    #[serde(rename = "type")]
    kind: Option<String>,
    label: String,
    span: String,
    line: String,
}

/// A run of the text: plain, marked (`mark` the op's class) or edited.
#[derive(Serialize, Default)]
struct Piece {
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    mark: Option<&'static str>,
    title: String,
    edit: bool,
}

/// One document's section, made while the texts are at hand.
#[derive(Serialize)]
pub struct Section {
    id: String,
    header: String,
    error: Option<String>,
    changes: Vec<Row>,
    more: usize,
    pieces: Vec<Piece>,
}

/// A span to mark in the new text, and how.
struct Mark {
    start: usize,
    end: usize,
    class: &'static str,
    title: String,
}

impl Section {
    /// The section of `d`; `new_text` and `alignment` mark its text.
    pub fn of(
        d: &DocDiff,
        header: String,
        max: usize,
        new_text: Option<&str>,
        alignment: Option<&Alignment>,
    ) -> Section {
        let n = if max == 0 {
            d.changes.len()
        } else {
            d.changes.len().min(max)
        };
        let changes = d.changes[..n]
            .iter()
            .map(|c| Row {
                op: c.op,
                sign: c.op.sign(),
                layer: c.layer.name(),
                kind: c.kind.clone(),
                label: c.label.clone(),
                span: match (c.start, c.end) {
                    (Some(s), Some(e)) => format!("{s}..{e}"),
                    _ => String::new(),
                },
                line: change_line(c),
            })
            .collect();
        let pieces = new_text
            .map(|t| pieces(d, t, alignment))
            .unwrap_or_default();
        Section {
            id: d.id.clone(),
            header,
            error: d.error.clone(),
            changes,
            more: d.changes.len() - n,
            pieces,
        }
    }
}

/// The new text cut into pieces: added and changed items marked where they
/// are, removed ones where their old span moved (when it did), edited text.
fn pieces(d: &DocDiff, text: &str, alignment: Option<&Alignment>) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let mut marks: Vec<Mark> = Vec::new();
    for c in &d.changes {
        let span_layer = matches!(
            c.layer,
            Layer::Mentions | Layer::Money | Layer::Percents | Layer::Dates
        );
        let (Some(s), Some(e)) = (c.start, c.end) else {
            continue;
        };
        if !span_layer {
            continue;
        }
        let (s, e) = match (c.op, alignment) {
            (Op::Removed, Some(a)) => match a.map(s, e) {
                Some(moved) => moved,
                None => continue,
            },
            _ => (s, e),
        };
        let class = match c.op {
            Op::Added => "added",
            Op::Removed => "removed",
            Op::Changed => "changed",
        };
        marks.push(Mark {
            start: s,
            end: e,
            class,
            title: change_line(c),
        });
    }
    // The item marks that do not overlap (the rest are in the table), and
    // the edits, which may run through marks.
    marks.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let mut kept: Vec<Mark> = Vec::new();
    for m in marks {
        if m.start <= m.end && m.end <= chars.len() && kept.last().is_none_or(|k| k.end <= m.start)
        {
            kept.push(m);
        }
    }
    let edits = alignment
        .map(|a| a.new_edits(chars.len()))
        .unwrap_or_default();
    let mut cuts: Vec<usize> = vec![0, chars.len()];
    cuts.extend(kept.iter().flat_map(|m| [m.start, m.end]));
    cuts.extend(edits.iter().flat_map(|&(s, e)| [s, e]));
    cuts.sort_unstable();
    cuts.dedup();
    let mut out: Vec<Piece> = Vec::new();
    let mut last: Option<(Option<usize>, bool)> = None;
    for w in cuts.windows(2) {
        let (s, e) = (w[0], w[1]);
        if s == e {
            continue;
        }
        let mark = kept.iter().position(|m| m.start <= s && e <= m.end);
        let edit = edits.iter().any(|&(es, ee)| es <= s && e <= ee);
        let text: String = chars[s..e].iter().collect();
        if last == Some((mark, edit)) {
            out.last_mut().expect("a piece before").text += &text;
            continue;
        }
        last = Some((mark, edit));
        let m = mark.map(|i| &kept[i]);
        out.push(Piece {
            text,
            mark: m.map(|m| m.class),
            title: m.map(|m| m.title.clone()).unwrap_or_default(),
            edit,
        });
    }
    out
}

#[derive(Serialize)]
struct GroupRow<'a> {
    #[serde(flatten)]
    group: &'a super::summary::Group,
    sign: char,
}

/// The page: the summary, then the sections (`shown_of`: how many
/// documents differed, of which `sections` are shown).
pub fn page(
    summary: &DiffSummary,
    old: &str,
    new: &str,
    sections: &[Section],
    shown_of: usize,
) -> Result<String, minijinja::Error> {
    let mut env = Environment::new();
    env.add_template("page.css", crate::report::PAGE_CSS)?;
    env.add_template("page.html", TEMPLATE)?;
    let top: Vec<GroupRow> = summary
        .top
        .iter()
        .map(|g| GroupRow {
            group: g,
            sign: g.op.sign(),
        })
        .collect();
    let mut summary_value = serde_json::to_value(summary).expect("a summary serializes");
    summary_value["top"] = serde_json::to_value(&top).expect("groups serialize");
    env.get_template("page.html")?.render(context! {
        summary => minijinja::Value::from(minijinja::value::Serde(&summary_value)),
        old => old,
        new => new,
        docs => minijinja::Value::from(minijinja::value::Serde(sections)),
        shown_of => shown_of,
    })
}
