//! The one document model every stage shares: the original text, never
//! modified, plus stand-off layers whose spans are **byte** offsets into it.
//!
//! Byte offsets are what Rust string slicing, `regex` and `aho-corasick` speak,
//! so every stage works in bytes; [`crate::record`] converts them to Unicode
//! code points exactly once, when the output record is built (SPEC §1).

use chrono::NaiveDate;

/// A half-open byte range `[start, end)` into [`Document::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (bytes).
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end);
        Span { start, end }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// True when the two spans share at least one byte.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// True when `other` lies inside `self`.
    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// What a token is made of; decided by the tokenizer's character classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (possibly with digits, inner `.` as in `JD.com`, `U.S`).
    Word,
    /// Digits, possibly with inner `,` or `.` (`500,000`, `18.2`).
    Number,
    /// One punctuation or symbol character.
    Punct,
}

/// A word-level token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Where the token is.
    pub span: Span,
    /// Its class.
    pub kind: TokenKind,
    /// A 12-bit digest of its text (length, first and last byte) that the
    /// word lists' filters are indexed by: stages ask "may this token be in
    /// list L" without reading the text, and most answers are no.
    pub word_key: u16,
    /// Features of its characters the tokenizer saw anyway (initial case,
    /// inner `.`, non-ASCII bytes): rules ask them of every token, many times.
    pub shape: Shape,
    /// Line breaks (`\n`) in the whitespace before the token, counted up to 2
    /// (a blank line): the sentence splitter asks at every token.
    pub breaks_before: u8,
}

impl Token {
    /// The token's text in `text` (the document's).
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.span.start..self.span.end]
    }
}

/// Character features of a token (a bit set), decided once by the tokenizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shape(pub(crate) u8);

impl Shape {
    pub(crate) const UPPER_INITIAL: u8 = 1;
    pub(crate) const LOWER_INITIAL: u8 = 2;
    pub(crate) const DOTTED: u8 = 4;
    pub(crate) const NON_ASCII: u8 = 8;

    /// The shape of `token`, from its text (what the tokenizer computes on the
    /// fly; tests hold the two equal).
    pub fn of(token: &str) -> Shape {
        let first = token.chars().next();
        Shape(
            Shape::bit(first.is_some_and(char::is_uppercase), Shape::UPPER_INITIAL)
                | Shape::bit(first.is_some_and(char::is_lowercase), Shape::LOWER_INITIAL)
                | Shape::bit(token.contains('.'), Shape::DOTTED)
                | Shape::bit(!token.is_ascii(), Shape::NON_ASCII),
        )
    }

    /// `bit` when `on`, else nothing.
    pub(crate) fn bit(on: bool, bit: u8) -> u8 {
        if on { bit } else { 0 }
    }

    /// The first character is uppercase (Unicode).
    pub fn upper_initial(self) -> bool {
        self.0 & Shape::UPPER_INITIAL != 0
    }

    /// The first character is lowercase (Unicode).
    pub fn lower_initial(self) -> bool {
        self.0 & Shape::LOWER_INITIAL != 0
    }

    /// The token holds a `.` (`JD.com`, `U.S`).
    pub fn dotted(self) -> bool {
        self.0 & Shape::DOTTED != 0
    }

    /// The token holds a non-ASCII character.
    pub fn non_ascii(self) -> bool {
        self.0 & Shape::NON_ASCII != 0
    }
}

/// Entity types (OntoNotes names, SPEC §2).
///
/// More types may come in a minor release (`#[non_exhaustive]`): a `match`
/// outside this crate needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum EntityType {
    /// People.
    Person,
    /// Companies, regulators, courts, media, universities, exchanges, governments.
    Org,
    /// Countries, cities, provinces, regions.
    Gpe,
    /// Apps, platforms, services, payment systems, marketplaces.
    Product,
}

impl EntityType {
    /// The label used in the output (`PERSON`, `ORG`, `GPE`, `PRODUCT`).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "PERSON",
            EntityType::Org => "ORG",
            EntityType::Gpe => "GPE",
            EntityType::Product => "PRODUCT",
        }
    }

    /// Parses an output label (case-sensitive).
    pub fn parse(label: &str) -> Option<EntityType> {
        Some(match label {
            "PERSON" => EntityType::Person,
            "ORG" => EntityType::Org,
            "GPE" => EntityType::Gpe,
            "PRODUCT" => EntityType::Product,
            _ => return None,
        })
    }
}

/// Where an entity mention came from; used by the overlap policy and for
/// debugging, not written to the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MentionSource {
    /// A gazetteer alias.
    Gazetteer,
    /// A rule for names no gazetteer knows.
    Fallback,
    /// A short form (surname, declared short alias) linked to an earlier mention.
    ShortForm,
}

/// One span that names an entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Where it is.
    pub span: Span,
    /// Index into [`Document::entities`].
    pub entity: usize,
    /// How it was found.
    pub source: MentionSource,
}

/// A distinct real-world entity in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// Stable lowercase slug (the gazetteer's id for known entities).
    pub id: String,
    /// Its type, the same everywhere.
    pub kind: EntityType,
    /// Canonical name.
    pub name: String,
}

/// A money amount (SPEC §3).
#[derive(Debug, Clone, PartialEq)]
pub struct Money {
    /// Currency + number + scale word.
    pub span: Span,
    /// The amount as an exact decimal string (`18200000000`, `0.5`).
    pub value: Decimal,
    /// ISO 4217 code.
    pub currency: &'static str,
    /// A qualifier such as `about` or `over` stood just before it.
    pub approx: bool,
    /// For a bracketed conversion: index of the amount it converts.
    pub equivalent_of: Option<usize>,
}

/// A percentage (SPEC §4).
#[derive(Debug, Clone, PartialEq)]
pub struct Percent {
    /// Qualifier (if any) + number + sign or word.
    pub span: Span,
    /// The number.
    pub value: Decimal,
    /// From a qualifier inside the span.
    pub modifier: Option<PercentModifier>,
}

/// The qualifier of a percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PercentModifier {
    /// `over`, `more than`, `above` …
    MoreThan,
    /// `under`, `less than`, `below` …
    LessThan,
    /// `about`, `around`, `nearly`, `roughly` …
    About,
}

impl PercentModifier {
    /// The output label.
    pub fn as_str(self) -> &'static str {
        match self {
            PercentModifier::MoreThan => "more_than",
            PercentModifier::LessThan => "less_than",
            PercentModifier::About => "about",
        }
    }
}

/// A non-negative decimal number held exactly, as digits and a scale:
/// `value = digits / 10^scale`. Amounts like 18.2 billion are computed without
/// float noise and printed as JSON numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    /// All digits of the number.
    pub digits: u128,
    /// Digits after the decimal point.
    pub scale: u32,
}

impl Decimal {
    /// A whole number.
    pub fn from_int(n: u128) -> Decimal {
        Decimal {
            digits: n,
            scale: 0,
        }
    }

    /// Parses `18.2`, `500,000`, `1,234.5` (commas are thousands separators).
    pub fn parse(s: &str) -> Option<Decimal> {
        let mut digits: u128 = 0;
        let mut scale = 0u32;
        let mut seen_point = false;
        let mut any = false;
        for c in s.chars() {
            match c {
                '0'..='9' => {
                    digits = digits
                        .checked_mul(10)?
                        .checked_add(c as u128 - '0' as u128)?;
                    if seen_point {
                        scale += 1;
                    }
                    any = true;
                }
                ',' if !seen_point => {}
                '.' if !seen_point => seen_point = true,
                _ => return None,
            }
        }
        any.then(|| Decimal { digits, scale }.normalized())
    }

    /// Multiplies by `10^exp` exactly (for scale words: billion = 10^9).
    pub fn times_pow10(self, exp: u32) -> Option<Decimal> {
        let mut d = self;
        for _ in 0..exp {
            if d.scale > 0 {
                d.scale -= 1;
            } else {
                d.digits = d.digits.checked_mul(10)?;
            }
        }
        Some(d.normalized())
    }

    /// Divides by `10^exp` exactly (cents: 50 cents = 0.5).
    pub fn div_pow10(self, exp: u32) -> Decimal {
        Decimal {
            digits: self.digits,
            scale: self.scale + exp,
        }
        .normalized()
    }

    /// Multiplies by a small whole number.
    pub fn times(self, k: u128) -> Option<Decimal> {
        Some(
            Decimal {
                digits: self.digits.checked_mul(k)?,
                scale: self.scale,
            }
            .normalized(),
        )
    }

    fn normalized(mut self) -> Decimal {
        while self.scale > 0 && self.digits.is_multiple_of(10) {
            self.digits /= 10;
            self.scale -= 1;
        }
        self
    }

    /// The number as a JSON number (integers stay integers).
    pub fn to_json(self) -> serde_json::Value {
        if self.scale == 0
            && let Ok(n) = u64::try_from(self.digits)
        {
            return serde_json::Value::from(n);
        }
        let s = self.to_string();
        serde_json::from_str::<serde_json::Number>(&s)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null)
    }
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.digits.to_string();
        let scale = self.scale as usize;
        if scale == 0 {
            return f.write_str(&s);
        }
        if s.len() <= scale {
            write!(f, "0.{}{}", "0".repeat(scale - s.len()), s)
        } else {
            let (int, frac) = s.split_at(s.len() - scale);
            write!(f, "{int}.{frac}")
        }
    }
}

/// DATE or DURATION (SPEC §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimexType {
    /// A calendar expression.
    Date,
    /// A length of time.
    Duration,
}

impl TimexType {
    /// The output label.
    pub fn as_str(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Duration => "DURATION",
        }
    }
}

/// A date or duration expression with its TIMEX3 value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timex {
    /// The expression, without a leading preposition or `the`.
    pub span: Span,
    /// DATE or DURATION.
    pub kind: TimexType,
    /// ISO 8601 / TIMEX3 value; `None` when it needs a document date there is not.
    pub value: Option<String>,
}

/// The relation types of SPEC §6.
///
/// More types may come in a minor release (`#[non_exhaustive]`): a `match`
/// outside this crate needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum RelationType {
    /// ORG → PERSON.
    FoundedBy,
    /// ORG → ORG/PRODUCT.
    Owns,
    /// ORG → ORG.
    InvestedIn,
    /// ORG (the affiliate) → ORG.
    AffiliateOf,
    /// ORG/PRODUCT ↔ ORG/PRODUCT (symmetric).
    CompetesWith,
    /// ORG → ORG.
    Fined,
    /// ORG → ORG.
    Sued,
    /// ORG/PRODUCT (the blocker) → ORG/PRODUCT.
    Blocked,
    /// PERSON → ORG.
    WorksFor,
    /// ORG → GPE.
    HeadquarteredIn,
}

impl RelationType {
    /// Every type, in SPEC §6 order.
    pub const ALL: [RelationType; 10] = [
        RelationType::FoundedBy,
        RelationType::Owns,
        RelationType::InvestedIn,
        RelationType::AffiliateOf,
        RelationType::CompetesWith,
        RelationType::Fined,
        RelationType::Sued,
        RelationType::Blocked,
        RelationType::WorksFor,
        RelationType::HeadquarteredIn,
    ];

    /// The output label.
    pub fn as_str(self) -> &'static str {
        match self {
            RelationType::FoundedBy => "founded_by",
            RelationType::Owns => "owns",
            RelationType::InvestedIn => "invested_in",
            RelationType::AffiliateOf => "affiliate_of",
            RelationType::CompetesWith => "competes_with",
            RelationType::Fined => "fined",
            RelationType::Sued => "sued",
            RelationType::Blocked => "blocked",
            RelationType::WorksFor => "works_for",
            RelationType::HeadquarteredIn => "headquartered_in",
        }
    }

    /// Whether `(head, tail)` types fit the SPEC §6 table.
    pub fn admits(self, head: EntityType, tail: EntityType) -> bool {
        use EntityType::*;
        let org_or_product = |t| matches!(t, Org | Product);
        match self {
            RelationType::FoundedBy => head == Org && tail == Person,
            RelationType::Owns => head == Org && org_or_product(tail),
            RelationType::InvestedIn
            | RelationType::AffiliateOf
            | RelationType::Fined
            | RelationType::Sued => head == Org && tail == Org,
            RelationType::CompetesWith | RelationType::Blocked => {
                org_or_product(head) && org_or_product(tail)
            }
            RelationType::WorksFor => head == Person && tail == Org,
            RelationType::HeadquarteredIn => head == Org && tail == Gpe,
        }
    }

    /// Symmetric relations are stored with head and tail in id order.
    pub fn is_symmetric(self) -> bool {
        self == RelationType::CompetesWith
    }
}

/// A typed relation between two entities of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// Its type.
    pub kind: RelationType,
    /// Index into [`Document::entities`].
    pub head: usize,
    /// Index into [`Document::entities`].
    pub tail: usize,
    /// The sentence that states it.
    pub evidence: Span,
    /// Id of the rule that found it.
    pub rule: &'static str,
}

/// The document and all its layers.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The input file's stem or the JSONL `id`.
    pub id: String,
    /// Where the document came from.
    pub source: String,
    /// The original text, never modified.
    pub text: String,
    /// The document creation time, when known.
    pub dct: Option<NaiveDate>,
    /// The span of the ` date YYYY-MM-DD` header's date, if there is one.
    pub dct_header: Option<Span>,
    /// Word-level tokens, in order.
    pub tokens: Vec<Token>,
    /// Sentence spans, in order, not overlapping.
    pub sentences: Vec<Span>,
    /// Distinct entities, in order of first mention.
    pub entities: Vec<Entity>,
    /// Entity mentions, sorted by start.
    pub mentions: Vec<Mention>,
    /// Money amounts, sorted by start.
    pub money: Vec<Money>,
    /// Percentages, sorted by start.
    pub percents: Vec<Percent>,
    /// Dates and durations, sorted by start.
    pub dates: Vec<Timex>,
    /// Relations, in order of evidence.
    pub relations: Vec<Relation>,
    /// Things the pipeline noticed about the input (lossy decoding, …).
    pub warnings: Vec<String>,
    /// The record carries the text (`text`): it is not an input field as it
    /// is (a headline put first, a page's extracted text), or it was asked
    /// for (`--emit-text`).
    pub text_in_record: bool,
}

impl Document {
    /// A document with no layers yet.
    pub fn new(id: impl Into<String>, source: impl Into<String>, text: impl Into<String>) -> Self {
        Document {
            id: id.into(),
            source: source.into(),
            text: text.into(),
            ..Document::default()
        }
    }

    /// The text of a span.
    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.start..span.end]
    }

    /// Index of the sentence holding byte `pos` (the last one starting at or before it).
    pub fn sentence_at(&self, pos: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.start <= pos);
        i.checked_sub(1).filter(|&i| pos < self.sentences[i].end)
    }

    /// Range of token indices inside `span`.
    pub fn tokens_in(&self, span: Span) -> std::ops::Range<usize> {
        let a = self.tokens.partition_point(|t| t.span.start < span.start);
        let b = self.tokens.partition_point(|t| t.span.end <= span.end);
        a..b.max(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_parse_and_scale_exactly() {
        let rows: &[(&str, u32, &str)] = &[
            ("18.2", 9, "18200000000"),
            ("500,000", 0, "500000"),
            ("2.8", 9, "2800000000"),
            ("4.34", 9, "4340000000"),
            ("0.5", 6, "500000"),
            ("1,234.50", 0, "1234.5"),
            ("3", 3, "3000"),
            ("0.125", 1, "1.25"),
        ];
        for &(input, exp, want) in rows {
            let got = Decimal::parse(input).unwrap().times_pow10(exp).unwrap();
            assert_eq!(got.to_string(), want, "{input} × 10^{exp}");
        }
        assert_eq!(Decimal::parse("1.2.3"), None);
        assert_eq!(Decimal::parse(""), None);
    }

    #[test]
    fn decimal_json_keeps_integers_integral() {
        let d = Decimal::parse("18.2").unwrap().times_pow10(9).unwrap();
        assert_eq!(d.to_json().to_string(), "18200000000");
        assert_eq!(Decimal::parse("4.5").unwrap().to_json().to_string(), "4.5");
    }

    #[test]
    fn relation_type_table_follows_spec() {
        use EntityType::*;
        let rows = [
            (RelationType::FoundedBy, Org, Person, true),
            (RelationType::FoundedBy, Person, Org, false),
            (RelationType::Owns, Org, Product, true),
            (RelationType::Owns, Product, Product, false),
            (RelationType::Blocked, Product, Org, true),
            (RelationType::WorksFor, Person, Org, true),
            (RelationType::HeadquarteredIn, Org, Gpe, true),
            (RelationType::Fined, Gpe, Org, false),
        ];
        for (kind, h, t, ok) in rows {
            assert_eq!(kind.admits(h, t), ok, "{kind:?} {h:?}->{t:?}");
        }
    }
}
