//! Sentence splitter for news text, over the token layer.
//!
//! A sentence ends:
//! * after `.`, `!`, `?` or `…` (plus any closing quotes or brackets) when
//!   white space follows and the next token opens a sentence (an uppercase
//!   letter, a digit, an opening quote or bracket, a bullet), unless the `.`
//!   closes an abbreviation: titles and months (`Mr.`, `Feb.`, `No.`) never end
//!   a sentence; company and country abbreviations (`Inc.`, `Ltd.`, `U.S.`)
//!   end one only when a typical sentence opener (`The`, `It`, `But` …) follows;
//! * at a blank line (paragraphs, headlines);
//! * at a line break when the line ends in sentence punctuation or the next
//!   line opens a sentence; a hard-wrapped line that continues in lowercase
//!   stays in its sentence.
//!
//! Sentence spans run from the first to the last token; a piece without any
//! word or number (a stray `.`) is merged into the sentence before it.

use std::sync::LazyLock;

use crate::document::{Document, Span, TokenKind};
use crate::lexicon::WordList;
use crate::stage::Stage;

/// The sentence splitter stage (needs tokens).
#[derive(Debug, Default, Clone, Copy)]
pub struct SentenceSplitter;

/// Abbreviations after which a `.` never ends a sentence.
static NEVER_FINAL: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("abbreviations-never-final.txt"));

/// Abbreviations that may end a sentence when a typical opener follows.
static MAYBE_FINAL: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("abbreviations-maybe-final.txt"));

/// Words that typically open a sentence; after `Inc.` or `U.S.` they signal a boundary.
static OPENERS: LazyLock<WordList> = LazyLock::new(|| WordList::builtin("sentence-openers.txt"));

fn is_closer(s: &str) -> bool {
    matches!(s, "\"" | "'" | "”" | "’" | ")" | "]" | "»")
}

fn is_opener_punct(s: &str) -> bool {
    matches!(
        s,
        "\"" | "'" | "“" | "‘" | "(" | "[" | "«" | "•" | "-" | "–" | "—" | "*"
    )
}

fn starts_upper_or_digit(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_numeric() || !c.is_alphabetic() && !c.is_ascii())
}

/// Splits `doc.text` into sentence spans using `doc.tokens`.
pub fn split(doc: &Document) -> Vec<Span> {
    let text = doc.text.as_str();
    let toks = &doc.tokens;
    // News sentences run 20-30 tokens: room for one per 16 rarely grows.
    let mut out: Vec<Span> = Vec::with_capacity(toks.len() / 16 + 1);
    let mut start_tok = 0usize;
    let mut has_content = false;
    let tok = |i: usize| &text[toks[i].span.start..toks[i].span.end];

    let push = |out: &mut Vec<Span>, a: usize, b: usize, content: bool| {
        let span = Span::new(toks[a].span.start, toks[b].span.end);
        match out.last_mut() {
            Some(last) if !content => last.end = span.end,
            _ => out.push(span),
        }
    };

    // The ` date YYYY-MM-DD` header line is a sentence of its own.
    let header_end = crate::dct::find_header(text).map(|(span, _)| span.end);

    let mut i = 0;
    while i < toks.len() {
        // Most tokens are words or numbers inside a line: they end nothing.
        // (What the general path below would conclude for them, in a few
        // instructions rather than a few dozen.)
        if toks[i].kind != TokenKind::Punct
            && toks.get(i + 1).is_some_and(|next| next.breaks_before == 0)
            && header_end != Some(toks[i].span.end)
        {
            has_content = true;
            i += 1;
            continue;
        }
        has_content |= toks[i].kind != TokenKind::Punct;
        let mut end = i; // last token of a sentence ending here, if any
        let mut boundary = header_end == Some(toks[i].span.end);
        // Only punctuation tokens can end a sentence by themselves.
        let t = if toks[i].kind == TokenKind::Punct {
            tok(i)
        } else {
            ""
        };
        if matches!(t, "." | "!" | "?" | "…") {
            // Absorb repeated terminals and closing quotes/brackets.
            while end + 1 < toks.len()
                && toks[end + 1].span.start == toks[end].span.end
                && (is_closer(tok(end + 1)) || matches!(tok(end + 1), "." | "!" | "?"))
            {
                end += 1;
            }
            match toks.get(end + 1) {
                None => boundary = true,
                Some(next) if next.span.start > toks[end].span.end => {
                    let next_s = tok(end + 1);
                    let opens = starts_upper_or_digit(next_s) || is_opener_punct(next_s);
                    boundary = if next.breaks_before > 0 {
                        true
                    } else if !opens {
                        false
                    } else if t == "." && i > 0 && toks[i - 1].span.end == toks[i].span.start {
                        let prev = tok(i - 1);
                        let single_initial =
                            prev.chars().count() == 1 && prev.chars().all(|c| c.is_uppercase());
                        if NEVER_FINAL.contains(prev) || single_initial {
                            false
                        } else if MAYBE_FINAL.contains(prev) {
                            OPENERS.contains(next_s)
                        } else {
                            true
                        }
                    } else {
                        true
                    };
                }
                Some(_) => {}
            }
        }
        // A line break before the next token (the tokenizer counted them).
        if !boundary
            && let Some(next) = toks.get(i + 1)
            && next.breaks_before > 0
        {
            let blank = next.breaks_before > 1;
            let next_s = tok(i + 1);
            let ends_sentence = matches!(t, "." | "!" | "?" | "…" | ":") || is_closer(t);
            boundary =
                blank || ends_sentence || starts_upper_or_digit(next_s) || is_opener_punct(next_s);
        }
        if boundary || end + 1 >= toks.len() {
            push(&mut out, start_tok, end, has_content);
            start_tok = end + 1;
            has_content = false;
            i = end + 1;
        } else {
            i += 1;
        }
    }
    out
}

impl Stage for SentenceSplitter {
    fn name(&self) -> &'static str {
        "sentences"
    }

    fn process(&self, doc: &mut Document) {
        doc.sentences = split(doc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tokenize;

    fn sentences(text: &str) -> Vec<String> {
        let mut doc = Document::new("t", "t", text);
        doc.tokens = tokenize(text);
        split(&doc)
            .iter()
            .map(|s| text[s.start..s.end].to_string())
            .collect()
    }

    #[test]
    fn sentence_table() {
        let rows: &[(&str, &[&str])] = &[
            ("One here. Two there.", &["One here.", "Two there."]),
            (
                "Shares of Apple Inc. rose. Then fell.",
                &["Shares of Apple Inc. rose.", "Then fell."],
            ),
            (
                "He joined Apple Inc. The deal closed.",
                &["He joined Apple Inc.", "The deal closed."],
            ),
            (
                "Mr. Smith met Dr. Lee on Feb. 2 in the U.S. capital.",
                &["Mr. Smith met Dr. Lee on Feb. 2 in the U.S. capital."],
            ),
            (
                "It sold to the U.S. But not Europe.",
                &["It sold to the U.S.", "But not Europe."],
            ),
            (
                "“We will win.” She smiled.",
                &["“We will win.”", "She smiled."],
            ),
            (
                "Headline without stop\n\nBody starts here.",
                &["Headline without stop", "Body starts here."],
            ),
            (
                "A wrapped line that\ncontinues here. Next one.",
                &["A wrapped line that\ncontinues here.", "Next one."],
            ),
            ("Line one\nLine two", &["Line one", "Line two"]),
            (
                "a heading in lowercase\n\nbody in lowercase.",
                &["a heading in lowercase", "body in lowercase."],
            ),
            (
                "It is J. K. Rowling's book.",
                &["It is J. K. Rowling's book."],
            ),
            ("Really? Yes! Fine...", &["Really?", "Yes!", "Fine..."]),
            (
                "They were not. not allowed.",
                &["They were not. not allowed."],
            ),
            ("The platform. .\n\nNext.", &["The platform. .", "Next."]),
            ("No. 1 spot. Done.", &["No. 1 spot.", "Done."]),
            (
                "Reading Time:3 minutes\nWhy",
                &["Reading Time:3 minutes", "Why"],
            ),
            (
                " date 2021-03-17 Alibaba rose. It fell.",
                &["date 2021-03-17", "Alibaba rose.", "It fell."],
            ),
            ("", &[]),
        ];
        for &(text, want) in rows {
            assert_eq!(sentences(text), want, "{text:?}");
        }
    }
}
