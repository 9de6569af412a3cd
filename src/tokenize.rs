//! Word tokenizer: a single pass over the bytes with an ASCII fast path.
//!
//! Why not the `tokenizers` crate here: its BERT pre-tokenizer runs at about
//! 3 MB/s and its whitespace one at about 14 MB/s on this project's machine,
//! far below the 50 MB/s end-to-end budget, and its rules (split at every
//! punctuation mark) are not the ones news text wants (`JD.com`, `500,000`,
//! `18.2` are single tokens here). A byte-class scan runs at hundreds of MB/s;
//! non-ASCII characters fall back to Unicode's `char::is_alphanumeric` and
//! `char::is_whitespace`. The `tokenizers` crate belongs to the model-subword
//! layer, where matching a model's own vocabulary is the point.
//!
//! Rules:
//! * a word is a run of alphanumeric characters; it continues through a `.`
//!   that has a letter or digit on both sides (`JD.com`, `Ele.me`, `U.S`);
//! * a number is a run of digits that continues through `,` or `.` with digits
//!   on both sides (`500,000`, `18.2`); a number followed directly by letters
//!   (`36Kr`, `4bn`) is one word token;
//! * every other non-space character is a one-character punctuation token.

use crate::document::{Document, Shape, Span, Token, TokenKind};
use crate::lexicon::word_key;
use crate::stage::Stage;

/// The word tokenizer stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tokenizer;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Space,
    Alpha,
    Digit,
    Punct,
}

/// Classes of the ASCII bytes, one table lookup each.
const ASCII_CLASS: [Class; 128] = {
    let mut table = [Class::Punct; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => Class::Alpha,
            b'0'..=b'9' => Class::Digit,
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => Class::Space,
            _ => Class::Punct,
        };
        b += 1;
    }
    table
};

/// Bits of [`ASCII_WORD`].
const WORD_DIGIT: u8 = 1;
const WORD_ALPHA: u8 = 2;

/// Per byte: [`WORD_ALPHA`] for an ASCII letter, [`WORD_DIGIT`] for an ASCII
/// digit, 0 for anything else (non-ASCII bytes take the char path).
const ASCII_WORD: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = match ASCII_CLASS[b] {
            Class::Alpha => WORD_ALPHA,
            Class::Digit => WORD_DIGIT,
            _ => 0,
        };
        b += 1;
    }
    table
};

/// Per ASCII byte: the [`Shape`] bits of a token that starts with it.
const ASCII_INITIAL_SHAPE: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b'A'..=b'Z' => Shape::UPPER_INITIAL,
            b'a'..=b'z' => Shape::LOWER_INITIAL,
            b'.' => Shape::DOTTED,
            _ => 0,
        };
        b += 1;
    }
    table
};

/// The [`Shape`] bits of a token that starts with `c` (`w` bytes long).
fn initial_shape(c: char, w: usize) -> u8 {
    if w == 1 {
        ASCII_INITIAL_SHAPE[c as usize]
    } else {
        Shape::NON_ASCII
            | Shape::bit(c.is_uppercase(), Shape::UPPER_INITIAL)
            | Shape::bit(c.is_lowercase(), Shape::LOWER_INITIAL)
    }
}

fn class_of(c: char) -> Class {
    if c.is_ascii() {
        ASCII_CLASS[c as usize]
    } else if ('\u{2010}'..='\u{2027}').contains(&c) {
        // Dashes, quotes, bullets and the ellipsis of General Punctuation,
        // frequent in news text: punctuation without three Unicode table searches.
        Class::Punct
    } else if c.is_alphabetic() {
        Class::Alpha
    } else if c.is_numeric() {
        Class::Digit
    } else if c.is_whitespace() {
        Class::Space
    } else {
        Class::Punct
    }
}

fn is_word_class(c: Class) -> bool {
    matches!(c, Class::Alpha | Class::Digit)
}

/// The char at byte `i` of `text` (a char boundary) and its width.
fn char_at(text: &str, i: usize) -> (char, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        (char::from(b), 1)
    } else {
        let c = text[i..].chars().next().unwrap_or('\u{FFFD}');
        (c, c.len_utf8())
    }
}

/// Splits `text` into tokens with exact byte spans.
///
/// One pass; the common case (an ASCII word or number followed by a space or
/// an ASCII punctuation mark) takes a table look-up per byte and a few
/// comparisons per token, and only non-ASCII characters are decoded.
pub fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    // News text has a token every 5-6 bytes.
    let mut tokens = Vec::with_capacity(n / 5 + 1);
    // Line breaks seen since the last token (up to 2).
    let mut breaks = 0u8;
    let mut i = 0;
    while i < n {
        let b = bytes[i];
        if b < 0x80 {
            match ASCII_CLASS[usize::from(b)] {
                Class::Space => {
                    if b == b'\n' {
                        breaks = (breaks + 1).min(2);
                    }
                    i += 1;
                }
                Class::Punct => {
                    tokens.push(Token {
                        span: Span::new(i, i + 1),
                        kind: TokenKind::Punct,
                        word_key: word_key(b, b, 1),
                        shape: Shape(ASCII_INITIAL_SHAPE[usize::from(b)]),
                        breaks_before: std::mem::take(&mut breaks),
                    });
                    // `,` and `.` are mostly followed by one space: stepped
                    // over here, as after a word, rather than dispatched on.
                    i += if bytes.get(i + 1) == Some(&b' ') {
                        2
                    } else {
                        1
                    };
                }
                Class::Alpha => {
                    // Most tokens: ASCII letters and digits up to a space or
                    // a mark other than `.` and `,` (which may join on).
                    let end = ascii_alnum_run_end(bytes, i + 1);
                    let plain_end = bytes
                        .get(end)
                        .is_none_or(|&c| c < 0x80 && c != b'.' && c != b',');
                    let word = if plain_end {
                        Word {
                            end,
                            has_alpha: true,
                            shape: ASCII_INITIAL_SHAPE[usize::from(b)],
                        }
                    } else {
                        scan_word(
                            text,
                            i,
                            Class::Alpha,
                            1,
                            ASCII_INITIAL_SHAPE[usize::from(b)],
                        )
                    };
                    i = push_word(&mut tokens, bytes, i, word, &mut breaks);
                }
                first => {
                    let shape = ASCII_INITIAL_SHAPE[usize::from(b)];
                    let word = scan_word(text, i, first, 1, shape);
                    i = push_word(&mut tokens, bytes, i, word, &mut breaks);
                }
            }
            continue;
        }
        let (c, w) = char_at(text, i);
        match class_of(c) {
            Class::Space => i += w,
            Class::Punct => {
                tokens.push(Token {
                    span: Span::new(i, i + w),
                    kind: TokenKind::Punct,
                    word_key: word_key(b, bytes[i + w - 1], w),
                    shape: Shape(initial_shape(c, w)),
                    breaks_before: std::mem::take(&mut breaks),
                });
                i += w;
            }
            first => {
                let word = scan_word(text, i, first, w, initial_shape(c, w));
                i = push_word(&mut tokens, bytes, i, word, &mut breaks);
            }
        }
    }
    tokens
}

/// Where the run of ASCII letters and digits starting at `i` ends. Eight
/// bytes a step while eight remain: the bytes that end the run are marked in
/// a mask, and its lowest mark is the end. (A byte-by-byte loop leaves its
/// loop at a different byte for every word, which the branch predictor
/// cannot learn: a miss a word.)
#[inline(always)]
fn ascii_alnum_run_end(bytes: &[u8], mut i: usize) -> usize {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const fn splat(b: u8) -> u64 {
        b as u64 * 0x0101_0101_0101_0101
    }
    // Bit 7 of each byte lane whose 7-bit value lies in `lo..=hi`: adding
    // `0x80 - lo` sets it from `lo` up, adding `0x7f - hi` from past `hi`;
    // neither addition carries out of a lane.
    let in_range = |y: u64, lo: u8, hi: u8| {
        y.wrapping_add(splat(0x80 - lo)) & !y.wrapping_add(splat(0x7f - hi)) & HIGH
    };
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let y = x & LOW7;
        // Letters fold to lowercase with bit 5; bit 7 set means non-ASCII.
        let alnum = (in_range(y, b'0', b'9') | in_range(y | splat(0x20), b'a', b'z')) & !x;
        let stop = !alnum & HIGH;
        if stop != 0 {
            return i + (stop.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() && ASCII_WORD[usize::from(bytes[i])] != 0 {
        i += 1;
    }
    i
}

/// A word or number token as [`scan_word`] found it.
struct Word {
    end: usize,
    has_alpha: bool,
    shape: u8,
}

/// Pushes the word token `start..word.end` and returns where the scan goes
/// on: past the one space that ends most words (rather than classifying it
/// again at the top of the loop).
#[inline(always)]
fn push_word(
    tokens: &mut Vec<Token>,
    bytes: &[u8],
    start: usize,
    word: Word,
    breaks: &mut u8,
) -> usize {
    let end = word.end;
    tokens.push(Token {
        span: Span::new(start, end),
        kind: if word.has_alpha {
            TokenKind::Word
        } else {
            TokenKind::Number
        },
        word_key: word_key(bytes[start], bytes[end - 1], end - start),
        shape: Shape(word.shape),
        breaks_before: std::mem::take(breaks),
    });
    if bytes.get(end) == Some(&b' ') {
        end + 1
    } else {
        end
    }
}

/// Scans the word or number that starts at byte `start` with a char of class
/// `first` (a letter or digit), `width` bytes wide, whose shape bits are
/// `shape`: letters and digits of any script, and `.` or `,` between them by
/// the rules in the module docs. (Inlined: a call's register saves cost a
/// fifth of a typical word's scan.)
#[inline(always)]
fn scan_word(text: &str, start: usize, first: Class, width: usize, mut shape: u8) -> Word {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut has_alpha = first == Class::Alpha;
    let mut i = start + width;
    loop {
        // ASCII letters and digits, most of every word: one look-up a byte.
        if has_alpha {
            while i < n && ASCII_WORD[usize::from(bytes[i])] != 0 {
                i += 1;
            }
        } else {
            while i < n && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i < n && bytes[i].is_ascii_alphabetic() {
                has_alpha = true;
                continue;
            }
        }
        let Some(&b) = bytes.get(i) else { break };
        if b == b'.' || b == b',' {
            // `.` joins when a letter or digit follows (`JD.com`, `U.S`,
            // `18.2`); `,` only between digits of a number (`500,000`). (A
            // token without letters holds only digits so far, so the char
            // before a `,` that joins is a digit.)
            let next = match bytes.get(i + 1) {
                None => break,
                Some(&next) if next < 0x80 => ASCII_CLASS[usize::from(next)],
                Some(_) => class_of(char_at(text, i + 1).0),
            };
            let joins = if b == b'.' {
                is_word_class(next)
            } else {
                next == Class::Digit && !has_alpha
            };
            if !joins {
                break;
            }
            if b == b'.' {
                shape |= Shape::DOTTED;
            }
            i += 1;
            continue;
        }
        if b < 0x80 {
            break;
        }
        // A non-ASCII char: a letter or digit of another script continues the word.
        let (c, w) = char_at(text, i);
        let class = class_of(c);
        if !is_word_class(class) {
            break;
        }
        has_alpha |= class == Class::Alpha;
        shape |= Shape::NON_ASCII;
        i += w;
    }
    Word {
        end: i,
        has_alpha,
        shape,
    }
}

impl Stage for Tokenizer {
    fn name(&self) -> &'static str {
        "tokenize"
    }

    fn process(&self, doc: &mut Document) {
        doc.tokens = tokenize(&doc.text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::word_key_of;
    use proptest::prelude::*;

    /// The tokenizer before its rewrite for speed, char by char: the
    /// reference the fast one is held equal to.
    fn reference(text: &str) -> Vec<Token> {
        let bytes = text.as_bytes();
        let mut tokens = Vec::with_capacity(text.len() / 5);
        let mut i = 0;
        let n = bytes.len();
        // Decodes the char at byte i (ASCII fast path).
        let char_at = |i: usize| -> (char, usize) {
            let b = bytes[i];
            if b < 0x80 {
                (b as char, 1)
            } else {
                // `i` is always a char boundary here: we only ever advance by whole chars.
                let c = text[i..].chars().next().unwrap_or('\u{FFFD}');
                (c, c.len_utf8())
            }
        };
        // Line breaks seen since the last token (up to 2).
        let mut breaks = 0u8;
        while i < n {
            let (c, w) = char_at(i);
            let class = class_of(c);
            match class {
                Class::Space => {
                    if c == '\n' {
                        breaks = (breaks + 1).min(2);
                    }
                    i += w;
                }
                Class::Punct => {
                    tokens.push(Token {
                        span: Span::new(i, i + w),
                        kind: TokenKind::Punct,
                        word_key: word_key(bytes[i], bytes[i + w - 1], w),
                        shape: Shape(initial_shape(c, w)),
                        breaks_before: std::mem::take(&mut breaks),
                    });
                    i += w;
                }
                Class::Alpha | Class::Digit => {
                    let start = i;
                    let mut has_alpha = class == Class::Alpha;
                    let mut prev = class;
                    let mut shape = initial_shape(c, w);
                    i += w;
                    while i < n {
                        // ASCII letters and digits, most of every word: one table
                        // look-up a byte.
                        let run_start = i;
                        let mut seen = 0u8;
                        while i < n && ASCII_WORD[usize::from(bytes[i])] != 0 {
                            seen |= ASCII_WORD[usize::from(bytes[i])];
                            i += 1;
                        }
                        if i > run_start {
                            has_alpha |= seen & WORD_ALPHA != 0;
                            prev = ASCII_CLASS[usize::from(bytes[i - 1])];
                            if i == n {
                                break;
                            }
                        }
                        let (c, w) = char_at(i);
                        let cl = class_of(c);
                        if is_word_class(cl) {
                            has_alpha |= cl == Class::Alpha;
                            prev = cl;
                            if w > 1 {
                                shape |= Shape::NON_ASCII;
                            }
                            i += w;
                            continue;
                        }
                        // Inner `.` or `,` joins when a word character follows.
                        if (c == '.' || c == ',') && i + 1 < n {
                            let (next, _) = char_at(i + 1);
                            let next_cl = class_of(next);
                            let joins = if c == ',' {
                                prev == Class::Digit && next_cl == Class::Digit && !has_alpha
                            } else if prev == Class::Digit && next_cl == Class::Digit {
                                true
                            } else {
                                is_word_class(next_cl) && (has_alpha || next_cl == Class::Alpha)
                            };
                            if joins {
                                if c == '.' {
                                    shape |= Shape::DOTTED;
                                }
                                i += 1;
                                continue;
                            }
                        }
                        break;
                    }
                    tokens.push(Token {
                        span: Span::new(start, i),
                        kind: if has_alpha {
                            TokenKind::Word
                        } else {
                            TokenKind::Number
                        },
                        word_key: word_key(bytes[start], bytes[i - 1], i - start),
                        shape: Shape(shape),
                        breaks_before: std::mem::take(&mut breaks),
                    });
                    // Most words end at one plain space: step over it here
                    // rather than classify it again at the top of the loop.
                    if bytes.get(i) == Some(&b' ') {
                        i += 1;
                    }
                }
            }
        }
        tokens
    }

    fn surfaces(text: &str) -> Vec<&str> {
        tokenize(text)
            .iter()
            .map(|t| &text[t.span.start..t.span.end])
            .collect()
    }

    #[test]
    fn tokens_table() {
        let rows: &[(&str, &[&str])] = &[
            ("Tencent's WeChat.", &["Tencent", "'", "s", "WeChat", "."]),
            ("JD.com Inc. rose", &["JD.com", "Inc", ".", "rose"]),
            ("the U.S. market", &["the", "U.S", ".", "market"]),
            ("500,000 yuan", &["500,000", "yuan"]),
            ("18.2 billion", &["18.2", "billion"]),
            ("$2.8bn, or 4%.", &["$", "2.8bn", ",", "or", "4", "%", "."]),
            ("Tencent-backed", &["Tencent", "-", "backed"]),
            ("“Ele.me”", &["“", "Ele.me", "”"]),
            ("a, b", &["a", ",", "b"]),
            ("1,2", &["1,2"]),
            ("Zürich’s bank", &["Zürich", "’", "s", "bank"]),
            ("北京 2021", &["北京", "2021"]),
            ("end.", &["end", "."]),
            ("", &[]),
            ("  \n\t", &[]),
        ];
        for &(text, want) in rows {
            assert_eq!(surfaces(text), want, "{text:?}");
        }
    }

    /// Pieces news text is made of, and the ones the join rules are about.
    const PIECES: &[&str] = &[
        "a", "Z", "word", "JD", "com", "U", "S", "36Kr", "4bn", "0", "18", "500", "é", "Zürich",
        "北京", "٣", "Ⅻ", ".", ",", "’", "'", "-", "—", "…", "$", "€", "%", " ", "  ", "\n",
        "\n\n", "\r\n", "\t", "\u{a0}", "\u{2028}", "\u{3000}", "\u{200b}", "\u{fe0f}", "\u{301}",
        "𝄞", "(", ")", "“", "”",
    ];

    proptest! {
        #[test]
        fn tokens_equal_the_reference_on_news_like_text(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..40)
        ) {
            let text = pieces.concat();
            prop_assert_eq!(tokenize(&text), reference(&text), "{:?}", text);
        }

        #[test]
        fn tokens_equal_the_reference_where_dots_and_commas_join(
            pieces in proptest::collection::vec(
                proptest::sample::select(&["4", "bn", "x", "é", "٣", ".", ",", " ", "’"][..]),
                0..12,
            )
        ) {
            let text = pieces.concat();
            prop_assert_eq!(tokenize(&text), reference(&text), "{:?}", text);
        }

        #[test]
        fn tokens_equal_the_reference_on_any_text(text in any::<String>()) {
            prop_assert_eq!(tokenize(&text), reference(&text));
        }
    }

    proptest! {
        #[test]
        fn alnum_runs_end_where_a_byte_loop_ends_them(
            bytes in proptest::collection::vec(any::<u8>(), 0..40),
            from in 0usize..40,
        ) {
            let from = from.min(bytes.len());
            let mut end = from;
            while end < bytes.len() && bytes[end].is_ascii_alphanumeric() {
                end += 1;
            }
            prop_assert_eq!(ascii_alnum_run_end(&bytes, from), end);
        }
    }

    #[test]
    fn tokens_equal_the_reference_on_the_seeds() {
        let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seeds");
        for entry in std::fs::read_dir(seeds).expect("seeds").flatten() {
            let text = std::fs::read_to_string(entry.path()).expect("seed");
            assert_eq!(tokenize(&text), reference(&text), "{:?}", entry.path());
        }
    }

    #[test]
    fn word_keys_and_shapes_are_those_of_the_text() {
        let text = "Tencent’s “WeChat” raised €4.34bn, 500,000 yuan — 北京 a I. \
                    JD.com Ele.me U.S. Zürich Élysée éclair ǅemal Σ ß 36Kr iPhone.";
        for t in tokenize(text) {
            let word = &text[t.span.start..t.span.end];
            assert_eq!(t.word_key, word_key_of(word.as_bytes()), "{word:?}");
            assert_eq!(t.shape, Shape::of(word), "{word:?}");
        }
    }

    #[test]
    fn breaks_before_count_the_line_breaks_of_the_gap() {
        let text = "A b.\nC\n\n\nD \r\n E\u{2028}F\t\n\t\nG";
        let toks = tokenize(text);
        let mut prev_end = 0;
        for t in &toks {
            let gap = &text[prev_end..t.span.start];
            let want = gap.matches('\n').count().min(2) as u8;
            assert_eq!(t.breaks_before, want, "{gap:?}");
            prev_end = t.span.end;
        }
        let breaks: Vec<u8> = toks.iter().map(|t| t.breaks_before).collect();
        assert_eq!(breaks, [0, 0, 0, 1, 2, 1, 0, 2]);
    }

    #[test]
    fn token_kinds() {
        let toks = tokenize("36Kr paid 500,000 .");
        let kinds: Vec<TokenKind> = toks.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [
                TokenKind::Word,
                TokenKind::Word,
                TokenKind::Number,
                TokenKind::Punct
            ]
        );
    }

    #[test]
    fn general_punctuation_fast_path_agrees_with_unicode() {
        for c in '\u{2010}'..='\u{2027}' {
            assert!(
                !c.is_alphabetic() && !c.is_numeric() && !c.is_whitespace(),
                "{c:?} is not plain punctuation"
            );
            assert!(class_of(c) == Class::Punct);
        }
    }

    #[test]
    fn spans_are_char_boundaries_and_exact() {
        let text = "“Ant Group” — 蚂蚁集团 — raised €4.34bn\u{a0}in 2020…";
        for t in tokenize(text) {
            assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
            assert!(!text[t.span.start..t.span.end].trim().is_empty());
        }
    }
}
