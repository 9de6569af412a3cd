//! The output line of a processed document, written straight from the
//! [`Document`]'s layers: the bytes `serde_json` writes for
//! [`Record::from_document`](super::Record::from_document) (tests hold the two
//! equal), without building the record first.
//!
//! Why by hand: building the record (a vector per entity, a `Cow` per string,
//! a `serde_json::Value` per amount) and serialising it (serde escapes some
//! 500 keys and strings of a typical record byte by byte) cost more than
//! several of the pipeline's stages. Here keys and punctuation are constant
//! byte strings, strings that need no escaping are copied, and only the rare
//! rest go through `serde_json`.

use sha2::{Digest, Sha256};

use super::CharIndex;
use crate::document::{Decimal, Document, Span};

/// Appends the record of `doc` (and its `tokens` layer, when given) to `out`
/// as one JSON object, without a newline.
pub fn write_record(doc: &Document, tokens: Option<&serde_json::Value>, out: &mut Vec<u8>) {
    let at = CharIndex::new(&doc.text);
    let mut w = JsonOut { out, at: &at };
    w.raw(b"{\"id\":");
    w.str(&doc.id);
    w.raw(b",\"source\":");
    w.str(&doc.source);
    w.raw(b",\"dct\":");
    match doc.dct {
        Some(date) => w.clean_str(&crate::dct::iso_date(date)),
        None => w.null(),
    }
    w.raw(b",\"text_sha256\":\"");
    hex_digits(&Sha256::digest(doc.text.as_bytes()), w.out);
    w.raw(b"\"");
    if doc.text_in_record {
        w.raw(b",\"text\":");
        w.str(&doc.text);
    }
    w.raw(b",\"sentences\":[");
    for (k, &s) in doc.sentences.iter().enumerate() {
        w.comma(k);
        w.span_object(s);
    }
    w.raw(b"],\"entities\":[");
    let grouped = MentionsByEntity::of(doc);
    for (k, e) in doc.entities.iter().enumerate() {
        w.comma(k);
        w.raw(b"{\"id\":");
        w.clean_str(&e.id);
        w.raw(b",\"type\":");
        w.clean_str(e.kind.as_str());
        w.raw(b",\"name\":");
        w.str(&e.name);
        w.raw(b",\"mentions\":[");
        for (j, &m) in grouped.of_entity(k).iter().enumerate() {
            w.spanned_item(j, doc, doc.mentions[m as usize].span);
            w.raw(b"}");
        }
        w.raw(b"]}");
    }
    w.raw(b"],\"money\":[");
    for (k, m) in doc.money.iter().enumerate() {
        w.spanned_item(k, doc, m.span);
        w.raw(b",\"value\":");
        w.decimal(m.value);
        w.raw(b",\"currency\":");
        w.clean_str(m.currency);
        w.raw(if m.approx {
            b",\"approx\":true,\"equivalent_of\":"
        } else {
            b",\"approx\":false,\"equivalent_of\":"
        });
        match m.equivalent_of {
            Some(i) => w.uint(i),
            None => w.null(),
        }
        w.raw(b"}");
    }
    w.raw(b"],\"percents\":[");
    for (k, p) in doc.percents.iter().enumerate() {
        w.spanned_item(k, doc, p.span);
        w.raw(b",\"value\":");
        w.decimal(p.value);
        w.raw(b",\"modifier\":");
        w.clean_str_or_null(p.modifier.map(|m| m.as_str()));
        w.raw(b"}");
    }
    w.raw(b"],\"dates\":[");
    for (k, d) in doc.dates.iter().enumerate() {
        w.spanned_item(k, doc, d.span);
        w.raw(b",\"type\":");
        w.clean_str(d.kind.as_str());
        w.raw(b",\"value\":");
        w.clean_str_or_null(d.value.as_deref());
        w.raw(b"}");
    }
    w.raw(b"],\"relations\":[");
    for (k, r) in doc.relations.iter().enumerate() {
        w.comma(k);
        w.raw(b"{\"type\":");
        w.clean_str(r.kind.as_str());
        w.raw(b",\"head\":");
        w.clean_str(&doc.entities[r.head].id);
        w.raw(b",\"tail\":");
        w.clean_str(&doc.entities[r.tail].id);
        w.raw(b",\"evidence\":");
        w.span_object(r.evidence);
        w.raw(b",\"rule\":");
        w.clean_str(r.rule);
        w.raw(b"}");
    }
    w.raw(b"],\"warnings\":[");
    for (k, s) in doc.warnings.iter().enumerate() {
        w.comma(k);
        w.str(s);
    }
    w.raw(b"]");
    if let Some(tokens) = tokens {
        w.raw(b",\"tokens\":");
        w.json(tokens);
    }
    w.raw(b"}");
}

/// The SHA-256 of `text` in lowercase hex (`text_sha256`).
pub(crate) fn sha256_hex(text: &str) -> String {
    let mut out = Vec::with_capacity(64);
    hex_digits(&Sha256::digest(text.as_bytes()), &mut out);
    // Hex digits are ASCII.
    String::from_utf8(out).unwrap_or_default()
}

/// `00` to `99`, two bytes each: [`JsonOut::uint`]'s digits.
const DIGIT_PAIRS: [u8; 200] = {
    let mut table = [0u8; 200];
    let mut k = 0;
    while k < 100 {
        table[2 * k] = b'0' + (k / 10) as u8;
        table[2 * k + 1] = b'0' + (k % 10) as u8;
        k += 1;
    }
    table
};

fn hex_digits(bytes: &[u8], out: &mut Vec<u8>) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for &b in bytes {
        out.extend_from_slice(&[DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 0xf)]]);
    }
}

/// The mentions of each entity, in document order: one index array grouped
/// by entity (a counting sort) instead of a vector per entity.
struct MentionsByEntity {
    /// Mention indices, entity 0's first.
    grouped: Vec<u32>,
    /// Where each entity's run starts in `grouped`, plus the end.
    starts: Vec<u32>,
}

impl MentionsByEntity {
    fn of(doc: &Document) -> MentionsByEntity {
        let mut starts = vec![0u32; doc.entities.len() + 1];
        for m in &doc.mentions {
            starts[m.entity + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        let mut next = starts.clone();
        let mut grouped = vec![0u32; doc.mentions.len()];
        for (i, m) in doc.mentions.iter().enumerate() {
            grouped[next[m.entity] as usize] = i as u32;
            next[m.entity] += 1;
        }
        MentionsByEntity { grouped, starts }
    }

    fn of_entity(&self, entity: usize) -> &[u32] {
        &self.grouped[self.starts[entity] as usize..self.starts[entity + 1] as usize]
    }
}

/// Whether JSON writes `s` as it is between its quotes: no control
/// character, quote or backslash.
fn needs_no_escape(s: &str) -> bool {
    s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\')
}

/// JSON pieces appended to a line buffer; spans are written in code points.
struct JsonOut<'o, 't> {
    out: &'o mut Vec<u8>,
    at: &'o CharIndex<'t>,
}

impl JsonOut<'_, '_> {
    fn raw(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }

    /// The comma before every item of a list but its first (`k`: the item's index).
    fn comma(&mut self, k: usize) {
        if k > 0 {
            self.out.push(b',');
        }
    }

    /// A string the pipeline made that JSON needs no escapes for: labels,
    /// rule ids, entity ids (slugs), TIMEX values. Written without looking.
    fn clean_str(&mut self, s: &str) {
        debug_assert!(needs_no_escape(s));
        self.out.push(b'"');
        self.out.extend_from_slice(s.as_bytes());
        self.out.push(b'"');
    }

    fn null(&mut self) {
        self.raw(b"null");
    }

    /// [`Self::clean_str`] for a field that may be absent (`null`).
    fn clean_str_or_null(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.clean_str(s),
            None => self.null(),
        }
    }

    /// A JSON string, escaped as `serde_json` escapes it.
    fn str(&mut self, s: &str) {
        if needs_no_escape(s) {
            self.clean_str(s);
        } else {
            // Writing into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *self.out, s);
        }
    }

    /// A whole number. Offsets below a million (nearly all) are written as
    /// one fixed-size piece by digit count, two digits per table look-up (as
    /// itoa does; its digits would then be copied by a `memcpy` call, for
    /// five bytes or so, some 200 times a line).
    fn uint(&mut self, n: usize) {
        // The two digits of `k` (below 100).
        let pair = |k: usize| [DIGIT_PAIRS[2 * k], DIGIT_PAIRS[2 * k + 1]];
        let one = |k: usize| b'0' + k as u8;
        match n {
            0..=9 => self.out.push(one(n)),
            10..=99 => self.out.extend_from_slice(&pair(n)),
            100..=999 => {
                let [a, b] = pair(n % 100);
                self.out.extend_from_slice(&[one(n / 100), a, b]);
            }
            1000..=9999 => {
                let ([a, b], [c, d]) = (pair(n / 100), pair(n % 100));
                self.out.extend_from_slice(&[a, b, c, d]);
            }
            10_000..=99_999 => {
                let low = n % 10_000;
                let ([b, c], [d, e]) = (pair(low / 100), pair(low % 100));
                self.out.extend_from_slice(&[one(n / 10_000), b, c, d, e]);
            }
            100_000..=999_999 => {
                let low = n % 10_000;
                let [a, b] = pair(n / 10_000);
                let ([c, d], [e, f]) = (pair(low / 100), pair(low % 100));
                self.out.extend_from_slice(&[a, b, c, d, e, f]);
            }
            _ => self
                .out
                .extend_from_slice(itoa::Buffer::new().format(n).as_bytes()),
        }
    }

    /// A number as [`Decimal::to_json`] writes it: whole numbers as integers.
    fn decimal(&mut self, d: Decimal) {
        match u64::try_from(d.digits) {
            Ok(n) if d.scale == 0 => {
                self.out
                    .extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
            }
            _ => self.json(&d.to_json()),
        }
    }

    fn json(&mut self, v: &serde_json::Value) {
        let _ = serde_json::to_writer(&mut *self.out, v);
    }

    /// `{"start":S,"end":E` (the object left open for more fields).
    fn span_fields(&mut self, span: Span) {
        self.raw(b"{\"start\":");
        self.uint(self.at.char_offset(span.start));
        self.raw(b",\"end\":");
        self.uint(self.at.char_offset(span.end));
    }

    /// `{"start":S,"end":E}`.
    fn span_object(&mut self, span: Span) {
        self.span_fields(span);
        self.raw(b"}");
    }

    /// `,"text":"…"`: the span's text.
    fn text_field(&mut self, doc: &Document, span: Span) {
        self.raw(b",\"text\":");
        self.str(doc.slice(span));
    }

    /// The opening of list item `k` that is a span of the text:
    /// `{"start":S,"end":E,"text":T`, the item's own fields to follow.
    fn spanned_item(&mut self, k: usize, doc: &Document, span: Span) {
        self.comma(k);
        self.span_fields(span);
        self.text_field(doc, span);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_are_written_as_their_decimal_digits() {
        let at = CharIndex::new("");
        let mut out = Vec::new();
        let mut w = JsonOut {
            out: &mut out,
            at: &at,
        };
        let mut want = String::new();
        let edges = (0..19).flat_map(|p| {
            let ten = 10usize.pow(p);
            [ten - 1, ten, ten + 1, 5 * ten + 7]
        });
        let every_small = 0..20_000;
        for (k, n) in edges
            .chain([usize::MAX, 123_456, 999_999])
            .chain(every_small)
            .enumerate()
        {
            w.comma(k);
            w.uint(n);
            want += &format!("{}{n}", if k > 0 { "," } else { "" });
        }
        assert_eq!(String::from_utf8(out).expect("digits"), want);
    }
}
