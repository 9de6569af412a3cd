//! HTML pages as documents: the article's main text, extracted by
//! `dom_smoothie` (a port of Mozilla's Readability, the reader view of
//! Firefox) in its formatted text mode, with the headline first. Chosen over
//! legible, readabilityrs, trafilatura, rs-trafilatura and the two older
//! readability crates on seven news-like pages (docs/ARCHITECTURE.md): the
//! only one to give every paragraph, the right headline and plain text with
//! paragraph breaks, with the fewest dependencies. Scripts,
//! styles, navigation, sidebars and footers are left out; paragraphs are kept
//! apart by blank lines. Offsets then count in that text, which the record
//! carries (`text`). A page's `article:published_time` (or kin) is its date,
//! as a JSONL `date` would be.

use super::{DocumentError, InputText, parse_date_field, with_title};

/// The document of an HTML page, decoded to `page.text`.
pub(crate) fn page(page: InputText) -> Result<InputText, DocumentError> {
    let config = dom_smoothie::Config {
        // Blocks apart by a blank line, `&nbsp;` a plain space.
        text_mode: dom_smoothie::TextMode::Formatted,
        // With the default (500 characters) a short brief failed the test
        // and the whole page came back, cookie banner and share buttons
        // included.
        char_threshold: 200,
        ..Default::default()
    };
    let failed = |message: String| DocumentError::Html { message };
    let mut readability = dom_smoothie::Readability::new(page.text.as_str(), None, Some(config))
        .map_err(|e| failed(e.to_string()))?;
    let article = readability.parse().map_err(|e| failed(e.to_string()))?;
    let byline = article.byline.as_deref().map(str::trim);
    let mut paragraphs = article
        .text_content
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .peekable();
    // A byline line ("By Jane Doe, Business Reporter") that opens the text
    // is page furniture, kept apart in `article.byline`.
    if paragraphs.peek().is_some_and(|p| Some(*p) == byline) {
        paragraphs.next();
    }
    let body = paragraphs.collect::<Vec<_>>().join("\n\n");
    if body.is_empty() {
        return Err(failed("the page has no article text".into()));
    }
    let (text, _) = with_title(Some(article.title.as_str()), body);
    let mut warnings = page.warnings;
    let date = article
        .published_time
        .as_deref()
        .and_then(|d| match parse_date_field(d.trim()) {
            Ok(date) => Some(date),
            Err(e) => {
                warnings.push(format!("ignored the page's published time {e}"));
                None
            }
        });
    Ok(InputText {
        text,
        date,
        warnings,
        text_in_record: true,
    })
}
