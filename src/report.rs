//! `newsie render`: a self-contained HTML report of records (inline CSS and
//! JS, no network), rendered with minijinja, which escapes every value: article
//! text is always text, never markup.
//!
//! Each document's text is written as a flat list of events (open a sentence,
//! open a highlight, text, close …) so the template nests the tags itself.
//! Highlights (mentions, money, percents, dates) nest inside sentences; a
//! highlight that would cross the end of the element around it is clipped there,
//! so every span of the record is exactly one `<mark>`.

use minijinja::{Environment, context};
use serde::Serialize;

use crate::record::Record;

const TEMPLATE: &str = include_str!("report.html");

/// The style the report and the `diff --html` page share.
pub(crate) const PAGE_CSS: &str = include_str!("page.css");

/// The highlight types, in filter order.
pub const TYPES: [&str; 7] = [
    "PERSON", "ORG", "GPE", "PRODUCT", "MONEY", "PERCENT", "DATE",
];

/// A record and the text it was made from.
pub struct ReportDoc<'a> {
    /// The record (full or error).
    pub record: &'a Record<'a>,
    /// The document text (empty for error records).
    pub text: &'a str,
}

#[derive(Serialize, Default)]
struct Counts {
    entities: usize,
    mentions: usize,
    money: usize,
    percents: usize,
    dates: usize,
    relations: usize,
}

#[derive(Serialize, Clone)]
struct MarkAttrs {
    #[serde(rename = "type")]
    kind: &'static str,
    /// Marks with the same key light up together (the entity id; else the span).
    key: String,
    title: String,
}

#[derive(Serialize, Default)]
struct Event {
    #[serde(skip_serializing_if = "Option::is_none")]
    open_sentence: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    open_mark: Option<MarkAttrs>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    close_sentence: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    close_mark: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    text: String,
}

#[derive(Serialize)]
struct RelationRow {
    #[serde(rename = "type")]
    kind: String,
    /// The head's and tail's names (their ids when the record lacks them).
    head: String,
    tail: String,
    head_id: String,
    tail_id: String,
    /// The relation read from head to tail: `invested in`.
    reading: &'static str,
    rule: String,
    sentence: Option<usize>,
    /// The evidence sentence's text.
    evidence: String,
}

/// How each relation type reads from head to tail (`Tencent` *invested in*
/// `JD.com`), for the report's relation rows.
const READINGS: [(&str, &str); 10] = [
    ("founded_by", "was founded by"),
    ("owns", "owns"),
    ("invested_in", "invested in"),
    ("affiliate_of", "is an affiliate of"),
    ("competes_with", "competes with"),
    ("fined", "fined"),
    ("sued", "sued"),
    ("blocked", "blocked"),
    ("works_for", "works for"),
    ("headquartered_in", "is headquartered in"),
];

/// The ` date YYYY-MM-DD` header and the blanks after it, in code points:
/// metadata (shown as the dct), not article text.
fn header_chars(text: &str) -> usize {
    let Some((span, _)) = crate::dct::find_header(text) else {
        return 0;
    };
    let rest = &text[span.end..];
    let blank = rest.len() - rest.trim_start().len();
    text[..span.end + blank].chars().count()
}

#[derive(Serialize)]
struct DocView {
    id: String,
    source: String,
    dct: Option<String>,
    error: Option<String>,
    warnings: Vec<String>,
    counts: Counts,
    expected_spans: usize,
    events: Vec<Event>,
    relations: Vec<RelationRow>,
}

enum Item {
    Sentence(usize),
    Mark(MarkAttrs),
}

/// Turns a text and its spans (code points) into nested open/text/close events.
fn events(text: &str, mut items: Vec<(usize, usize, Item)>) -> Vec<Event> {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    // Outer first at equal starts: longer spans, and sentences before marks.
    items.sort_by_key(|(s, e, it)| (*s, std::cmp::Reverse(*e), matches!(it, Item::Mark(_))));
    let mut out = Vec::new();
    let mut stack: Vec<(usize, bool)> = Vec::new(); // (end, is_sentence)
    let mut pos = 0;
    let text_between = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    let close_until =
        |target: usize, stack: &mut Vec<(usize, bool)>, out: &mut Vec<Event>, pos: &mut usize| {
            while let Some(&(end, sentence)) = stack.last() {
                if end > target {
                    break;
                }
                if *pos < end {
                    out.push(Event {
                        text: text_between(*pos, end),
                        ..Event::default()
                    });
                    *pos = end;
                }
                out.push(Event {
                    close_sentence: sentence,
                    close_mark: !sentence,
                    ..Event::default()
                });
                stack.pop();
            }
        };
    for (start, end, item) in items {
        let (start, end) = (start.min(n), end.min(n));
        close_until(start, &mut stack, &mut out, &mut pos);
        if pos < start {
            out.push(Event {
                text: text_between(pos, start),
                ..Event::default()
            });
            pos = start;
        }
        let end = stack.last().map_or(end, |&(outer, _)| end.min(outer));
        match item {
            Item::Sentence(i) => {
                out.push(Event {
                    open_sentence: Some(i),
                    ..Event::default()
                });
                stack.push((end, true));
            }
            Item::Mark(attrs) => {
                out.push(Event {
                    open_mark: Some(attrs),
                    ..Event::default()
                });
                stack.push((end.max(start), false));
            }
        }
    }
    close_until(usize::MAX, &mut stack, &mut out, &mut pos);
    if pos < n {
        out.push(Event {
            text: text_between(pos, n),
            ..Event::default()
        });
    }
    out
}

fn doc_view(doc: &ReportDoc) -> DocView {
    let r = doc.record;
    let sentences = r.sentences.clone().unwrap_or_default();
    let mut items: Vec<(usize, usize, Item)> = Vec::new();
    for (i, s) in sentences.iter().enumerate() {
        items.push((s.start, s.end, Item::Sentence(i)));
    }
    let mut mark = |start: usize, end: usize, kind: &'static str, key: String, title: String| {
        items.push((start, end, Item::Mark(MarkAttrs { kind, key, title })));
    };
    for e in &r.entities {
        let kind = TYPES
            .iter()
            .find(|t| **t == e.kind)
            .copied()
            .unwrap_or("ORG");
        for m in &e.mentions {
            mark(
                m.start,
                m.end,
                kind,
                e.id.to_string(),
                format!("{} {} ({})", e.kind, e.id, e.name),
            );
        }
    }
    for (i, m) in r.money.iter().enumerate() {
        let mut title = format!("MONEY {} {}", m.value, m.currency.as_deref().unwrap_or("?"));
        if m.approx {
            title += " (approx.)";
        }
        if let Some(k) = m.equivalent_of {
            title += &format!(" = money #{k}");
        }
        mark(m.start, m.end, "MONEY", format!("money-{i}"), title);
    }
    for (i, p) in r.percents.iter().enumerate() {
        let modifier = p
            .modifier
            .as_deref()
            .map(|m| format!(" ({m})"))
            .unwrap_or_default();
        mark(
            p.start,
            p.end,
            "PERCENT",
            format!("percent-{i}"),
            format!("PERCENT {}{modifier}", p.value),
        );
    }
    for (i, d) in r.dates.iter().enumerate() {
        let title = format!("{} {}", d.kind, d.value.as_deref().unwrap_or("(no value)"));
        mark(d.start, d.end, "DATE", format!("date-{i}"), title);
    }
    // The header line is shown as the dct, not as text: what starts in it
    // is left out, what runs past it starts after it.
    let skip = header_chars(doc.text);
    let items: Vec<(usize, usize, Item)> = items
        .into_iter()
        .filter(|(_, end, _)| *end > skip)
        .map(|(start, end, item)| (start.max(skip) - skip, end - skip, item))
        .collect();
    let shown: String = doc.text.chars().skip(skip).collect();
    let marks = items
        .iter()
        .filter(|(_, _, i)| matches!(i, Item::Mark(_)))
        .count();
    let chars: Vec<char> = doc.text.chars().collect();
    let name_of = |id: &str| {
        r.entities
            .iter()
            .find(|e| e.id == id)
            .map_or_else(|| id.to_string(), |e| e.name.to_string())
    };
    let mentions: usize = r.entities.iter().map(|e| e.mentions.len()).sum();
    // Every span of the record is one mark, but those in the header line.
    let expected_spans = marks;
    let relations = r
        .relations
        .iter()
        .map(|rel| RelationRow {
            kind: rel.kind.to_string(),
            head: name_of(&rel.head),
            tail: name_of(&rel.tail),
            head_id: rel.head.to_string(),
            tail_id: rel.tail.to_string(),
            reading: READINGS
                .iter()
                .find(|(kind, _)| *kind == rel.kind)
                .map_or("→", |(_, reading)| reading),
            rule: rel.rule.as_deref().unwrap_or_default().to_string(),
            sentence: rel.evidence.as_ref().and_then(|ev| {
                sentences
                    .iter()
                    .position(|s| s.start == ev.start && s.end == ev.end)
            }),
            evidence: rel
                .evidence
                .as_ref()
                .filter(|ev| ev.start <= ev.end && ev.end <= chars.len())
                .map(|ev| chars[ev.start..ev.end].iter().collect::<String>())
                .unwrap_or_default(),
        })
        .collect();
    DocView {
        id: r.id.to_string(),
        source: r.source.to_string(),
        dct: r.dct.clone(),
        error: r.error.clone(),
        warnings: r.warnings.clone().unwrap_or_default(),
        counts: Counts {
            entities: r.entities.len(),
            mentions,
            money: r.money.len(),
            percents: r.percents.len(),
            dates: r.dates.len(),
            relations: r.relations.len(),
        },
        expected_spans,
        events: events(&shown, items),
        relations,
    }
}

/// Renders the report page. `total` is how many documents were given, of
/// which the first `max_docs` are shown.
pub fn render(
    docs: &[ReportDoc],
    total: usize,
    max_docs: usize,
) -> Result<String, minijinja::Error> {
    let capped = total > docs.len();
    let mut env = Environment::new();
    // The `.html` name turns on HTML auto-escaping for every value.
    env.add_template("page.css", PAGE_CSS)?;
    env.add_template("report.html", TEMPLATE)?;
    let views: Vec<DocView> = docs.iter().map(doc_view).collect();
    env.get_template("report.html")?.render(context! {
        docs => minijinja::Value::from(minijinja::value::Serde(&views)),
        types => TYPES,
        capped => capped,
        total => total,
        max_docs => max_docs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::PipelineBuilder;

    fn page(text: &str) -> String {
        let pipeline = PipelineBuilder::new().build().unwrap();
        let doc = pipeline.process_text("x<y", "a&b.txt", text, None);
        let rec = Record::from_document(&doc);
        render(&[ReportDoc { record: &rec, text }], 1, 10).unwrap()
    }

    /// The article text of a page (its `<div class="text">`), tags removed.
    fn shown_text(html: &str) -> String {
        let start = html.find("<div class=\"text\">").unwrap();
        let div = &html[start..start + html[start..].find("</div>").unwrap()];
        regex::Regex::new("<[^>]*>")
            .unwrap()
            .replace_all(div, "")
            .into_owned()
    }

    #[test]
    fn the_date_header_is_not_article_text() {
        let html = page(" date 2024-03-05\n\nTencent rose on Monday.");
        let text = shown_text(&html);
        assert!(text.starts_with("Tencent rose"), "{text}");
        assert!(html.contains("dct 2024-03-05"));
        assert_eq!(
            html.matches("<mark class=\"hl").count(),
            2,
            "Tencent, Monday"
        );
        assert_eq!(header_chars("Tencent rose."), 0);
        assert_eq!(header_chars(" date 2024-03-05\n\nT"), 18);
        assert_eq!(header_chars(" date 2021-03-17 Alibaba Group plans"), 17);
    }

    #[test]
    fn relation_rows_read_from_head_to_tail_with_their_evidence() {
        let html = page("Shares rose. Tencent invested in JD.com last year.");
        assert!(html.contains("<td title=\"tencent\">Tencent</td><td>invested in →</td><td title=\"jd-com\">JD.com</td>"), "{html}");
        assert!(html.contains("<td class=\"evidence\">Tencent invested in JD.com last year.</td>"));
        for t in crate::document::RelationType::ALL {
            assert!(
                READINGS.iter().any(|(kind, _)| *kind == t.as_str()),
                "{t:?}"
            );
        }
    }

    #[test]
    fn a_capped_page_says_how_many_documents_there_were() {
        let pipeline = PipelineBuilder::new().build().unwrap();
        let doc = pipeline.process_text("a", "a.txt", "Tencent rose.", None);
        let rec = Record::from_document(&doc);
        let html = render(
            &[ReportDoc {
                record: &rec,
                text: "Tencent rose.",
            }],
            7,
            1,
        )
        .unwrap();
        assert!(html.contains("7 documents were given; the first 1 are shown (--max-docs 1)"));
    }

    #[test]
    fn text_and_attributes_are_escaped() {
        let html =
            page("Tencent <script>alert(1)</script> said \"><img src=x onerror=alert(2)> & more.");
        assert!(!html.contains("<script>alert"));
        assert!(!html.contains("<img"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
        assert!(html.contains("x&lt;y"));
    }

    #[test]
    fn every_span_is_one_mark() {
        let text = "Alibaba’s Taobao sold $5 billion, up 4% on Monday. Tencent’s WeChat rose.";
        let html = page(text);
        assert_eq!(html.matches("<mark class=\"hl").count(), 7);
        assert_eq!(html.matches("</mark>").count(), 7);
        assert_eq!(html.matches("<span class=\"sent\"").count(), 2);
    }

    #[test]
    fn events_nest_and_clip() {
        let items = vec![
            (0, 5, Item::Sentence(0)),
            (
                0,
                3,
                Item::Mark(MarkAttrs {
                    kind: "ORG",
                    key: "a".into(),
                    title: String::new(),
                }),
            ),
            (
                4,
                9,
                Item::Mark(MarkAttrs {
                    kind: "DATE",
                    key: "b".into(),
                    title: String::new(),
                }),
            ),
        ];
        let evs = events("abcdefghij", items);
        let shape: Vec<String> = evs
            .iter()
            .map(|e| {
                match (
                    &e.open_sentence,
                    &e.open_mark,
                    e.close_sentence,
                    e.close_mark,
                ) {
                    (Some(i), _, _, _) => format!("S{i}"),
                    (_, Some(m), _, _) => format!("M{}", m.key),
                    (_, _, true, _) => "/S".into(),
                    (_, _, _, true) => "/M".into(),
                    _ => e.text.clone(),
                }
            })
            .collect();
        assert_eq!(
            shape,
            ["S0", "Ma", "abc", "/M", "d", "Mb", "e", "/M", "/S", "fghij"]
        );
    }
}
