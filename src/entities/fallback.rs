//! Rules of English news text for names no gazetteer knows. Each rule is
//! narrow on purpose (precision first): a capitalised name needs a cue that
//! says what it is.
//!
//! | rule | cue | example |
//! | --- | --- | --- |
//! | `org-head` | last word is corporate/institutional | `Hangzhou Internet Court`, `Zhong Lun Partners` |
//! | `org-of` | institutional word + `of` | `University of Macau`, `Ministry of Commerce` |
//! | `org-trailing-noun` | followed by `law firm`, `brokerage` … | `the Zhong Lun law firm` |
//! | `org-domain` | a web address used as a name | `jiemian.com` |
//! | `org-descriptor` | a company noun right before, or heading an apposition after (`lexicon/org-descriptors.txt`) | `payments startup Finix`, `Finix, a payments company,` |
//! | `person-title` | a title before 2–3 names | `chief executive Daniel Zhang` |
//! | `person-appositive` | `, a/an/the … <role>` after 2–3 names | `Liu Qiang, an analyst at …` |
//! | `person-said` | attribution verb and a known given name or surname | `said Wang Fang` |
//! | `person-founder` | `founded … by` and a known given name or surname | `founded in 2008 by Xu Yangtian` |
//! | `person-byline` | a byline or credit line: `By A and B` opening a line, `Reporting by A; Editing by B` | `By Nick Turner and Ian King` |

use std::sync::LazyLock;

use crate::document::{Document, EntityType, MentionSource, Span, Token, TokenKind};
use crate::entities::{Candidate, Target, slug};
use crate::lexicon::{
    CHINESE_SURNAMES, GIVEN_NAMES, KeyFilter, NAME_CONNECTORS, NON_NAME_WORDS, ORG_HEADS,
    ORG_HEADS_BEFORE_OF, ORG_TRAILING_NOUNS, PERSON_ROLES, PERSON_TITLES, WordList, tokens_where,
};

/// Words inside a title chain (`Chief Financial Officer`, `chief operating officer`).
static TITLE_WORDS: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("title-chain-words.txt"));

const DOMAIN_TLDS: &[&str] = &["com", "cn", "net", "org", "io", "hk", "co", "tv"];
/// The cues of `founded by` (`co-founded` is three tokens, the last one
/// `founded`).
const FOUNDED_WORDS: &[&str] = &["founded", "cofounded"];
static FOUNDED: WordList = WordList::new(FOUNDED_WORDS);

/// The word keys of every cue of the token-cued rules but `org-domain` (which
/// needs a `.`): titles, `founded`, and `By`/`by` of bylines. One look-up
/// turns most word tokens away from all of them.
static TOKEN_CUES: LazyLock<KeyFilter> =
    LazyLock::new(|| KeyFilter::of(&[PERSON_TITLES.words(), FOUNDED_WORDS, &["By", "by"]]));

/// The first words of [`ORG_TRAILING_NOUNS`]: a run not followed by one of
/// them is spared the comparison with every noun.
static TRAILING_NOUN_STARTS: LazyLock<WordList> = LazyLock::new(|| {
    let mut firsts: Vec<&'static str> = ORG_TRAILING_NOUNS
        .iter()
        .map(|noun| noun.split(' ').next().unwrap_or(noun))
        .collect();
    firsts.dedup();
    // Built once for the process, like the static lists.
    WordList::new(firsts.leak())
});
static SAID: WordList = WordList::new(&[
    "said",
    "says",
    "told",
    "added",
    "wrote",
    "noted",
    "explained",
]);

struct View<'a> {
    doc: &'a Document,
}

/// A capitalised word that can be part of a name (no `.`: `U.S`, `JD.com`).
/// Its tests are joined by `&`, which does not branch, for the pass that
/// gathers the run starts.
fn capitalised_word(t: &Token) -> bool {
    (t.kind == TokenKind::Word) & t.shape.upper_initial() & !t.shape.dotted()
}

impl<'a> View<'a> {
    fn len(&self) -> usize {
        self.doc.tokens.len()
    }
    /// Token `i`'s text. Sliced when asked: the rules ask for few tokens'
    /// texts (word keys and shapes answer most questions), so slicing every
    /// token up front cost more than it saved.
    fn text(&self, i: usize) -> &'a str {
        self.doc.slice(self.doc.tokens[i].span)
    }
    fn span(&self, i: usize) -> Span {
        self.doc.tokens[i].span
    }
    fn is_word(&self, i: usize) -> bool {
        i < self.len() && self.doc.tokens[i].kind == TokenKind::Word
    }
    fn new(doc: &'a Document) -> View<'a> {
        View { doc }
    }
    /// Token `i` is a [`capitalised_word`].
    fn is_cap(&self, i: usize) -> bool {
        self.doc.tokens.get(i).is_some_and(capitalised_word)
    }
    /// Tokens `i` and `i + 1` are separated by exactly one space.
    fn joined(&self, i: usize) -> bool {
        i + 1 < self.len() && {
            // Bytes, not a `str` slice: no char-boundary checks for a gap
            // that is most often one byte.
            let bytes = self.doc.text.as_bytes();
            let gap = &bytes[self.span(i).end..self.span(i + 1).start];
            gap == b" " || gap == "\u{a0}".as_bytes()
        }
    }
    /// Tokens `i` and `i + 1` touch.
    fn touching(&self, i: usize) -> bool {
        i + 1 < self.len() && self.span(i).end == self.span(i + 1).start
    }
    fn is(&self, i: usize, word: &str) -> bool {
        i < self.len() && self.text(i) == word
    }
    /// Token `i` is in `list` (its word key turns most tokens away unread).
    fn in_list(&self, i: usize, list: &WordList) -> bool {
        self.doc
            .tokens
            .get(i)
            .is_some_and(|t| list.contains_token(t, &self.doc.text))
    }
    fn lower_is(&self, i: usize, words: &[&str]) -> bool {
        i < self.len() && {
            let text = self.text(i);
            words.iter().any(|w| text.eq_ignore_ascii_case(w))
        }
    }
}

fn push(out: &mut Vec<Candidate>, doc: &Document, span: Span, kind: EntityType) {
    let name = doc.slice(span).to_string();
    let id = slug(&name);
    if id.is_empty() {
        return;
    }
    out.push(Candidate {
        span,
        target: Target::New { kind, id, name },
        source: MentionSource::Fallback,
    });
}

/// The capitalised run starting at `i` (names joined by single spaces, with
/// connectors such as `of`/`for` between capitalised words); returns the
/// exclusive end token.
fn cap_run(v: &View, i: usize) -> usize {
    let mut j = i + 1;
    loop {
        // `Vietnam E-Commerce Association`, `Beijing-Shanghai High Speed Railway`
        if v.is(j, "-") && v.touching(j - 1) && v.touching(j) && v.is_cap(j + 1) {
            j += 2;
            continue;
        }
        // `Xi’an Qinchuan`, `O’Neill`: an apostrophe inside a word, not a
        // possessive or a contraction (`Tencent’s`, `isn’t`).
        if (v.is(j, "’") || v.is(j, "'"))
            && v.touching(j - 1)
            && v.touching(j)
            && j + 1 < v.len()
            && v.doc.tokens[j + 1].kind == TokenKind::Word
            && !matches!(v.text(j + 1), "s" | "t" | "re" | "ll" | "ve" | "d" | "m")
        {
            j += 2;
            continue;
        }
        if !v.joined(j - 1) {
            break;
        }
        if v.is_cap(j) {
            j += 1;
        } else if v.in_list(j, &NAME_CONNECTORS) && v.joined(j) && v.is_cap(j + 1) {
            j += 2;
        } else {
            break;
        }
    }
    j
}

/// Adds fallback candidates for `doc` (needs tokens).
pub(crate) fn candidates(doc: &Document, out: &mut Vec<Candidate>) {
    let v = View::new(doc);
    // Rules cued by one token (titles may stand inside a capitalised run:
    // `OpenAI Chief Financial Officer Sarah Friar`). Each starts at a word
    // token with a `.` (`org-domain`) or whose word key a title or
    // `founded` has.
    let token_cues = &*TOKEN_CUES;
    let cued = tokens_where(&doc.tokens, |t| {
        (t.kind == TokenKind::Word) & (t.shape.dotted() | token_cues.may_contain(t.word_key))
    });
    for i in cued {
        if doc.tokens[i].shape.dotted() {
            domain(&v, i, out);
        }
        person_title(&v, i, out);
        founded_by_person(&v, i, out);
        byline(&v, i, out);
    }
    // Rules over capitalised runs, which start at a capitalised word not
    // joined to a capitalised word before it.
    let capitalised = tokens_where(&doc.tokens, capitalised_word);
    let non_name = &*NON_NAME_WORDS;
    let mut from = 0;
    for i in capitalised {
        if i < from || (i > 0 && v.is_cap(i - 1) && v.joined(i - 1)) {
            continue;
        }
        // Skip words that never begin a name.
        let mut start = i;
        let end = cap_run(&v, i);
        while start < end && (v.in_list(start, non_name) || v.in_list(start, &NAME_CONNECTORS)) {
            start += 1;
        }
        if start < end && v.is_cap(start) {
            org_rules(&v, start, end, out);
            person_rules(&v, start, end, out);
        }
        from = end.max(i + 1);
    }
}

/// Nouns that mark a capitalised name as an organisation's (one a line in
/// `lexicon/org-descriptors.txt`).
static ORG_DESCRIPTORS: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("org-descriptors.txt"));

/// Whether `word` (lower case) is a company noun of `lexicon/org-descriptors.txt`.
pub(crate) fn is_org_descriptor(word: &str) -> bool {
    ORG_DESCRIPTORS.contains(word)
}

/// `payments startup Finix`, `Finix, a payments infrastructure company`: a
/// run of one to four capitalised words that a company noun describes. The
/// run must not open its sentence with nothing before it (`Bank` there is
/// no name), and none of its words may be a word that never begins a name.
fn org_descriptor(v: &View, start: usize, end: usize) -> bool {
    let (non_name, descriptors) = (&*NON_NAME_WORDS, &*ORG_DESCRIPTORS);
    if end - start > 4 || (start..end).any(|k| v.in_list(k, non_name)) {
        return false;
    }
    let lower_before = start > 0
        && v.doc.tokens[start - 1].shape.lower_initial()
        && v.joined(start - 1)
        && v.in_list(start - 1, descriptors);
    // `, a|an|the [lowercase words] <descriptor>` after the run.
    let apposition = v.is(end, ",")
        && v.lower_is(end + 1, &["a", "an", "the"])
        && (end + 2..(end + 8).min(v.len()))
            .take_while(|&k| v.doc.tokens[k].shape.lower_initial() || v.is(k, "-"))
            .any(|k| v.in_list(k, descriptors));
    lower_before || apposition
}

fn org_rules(v: &View, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let doc = v.doc;
    // org-of: `University of Hong Kong`, `Ministry of Ecology and Environment`
    // (a known name after `and` makes it two names; the tagger drops it then).
    if v.in_list(start, &ORG_HEADS_BEFORE_OF) && start + 2 < end && v.is(start + 1, "of") {
        let span = Span::new(v.span(start).start, v.span(end - 1).end);
        push(out, doc, span, EntityType::Org);
        return;
    }
    // org-head: the last corporate/institutional word of the run ends the name.
    let heads = &*ORG_HEADS;
    if let Some(k) = (start + 1..end).rev().find(|&k| v.in_list(k, heads))
        && !v.in_list(k - 1, &NAME_CONNECTORS)
    {
        let mut stop = v.span(k).end;
        // An abbreviated legal form (`Corp`) takes its `.`.
        let abbreviated = &crate::lexicon::legal_suffixes().abbreviated;
        if abbreviated.contains(v.text(k)) && v.touching(k) && v.is(k + 1, ".") {
            stop = v.span(k + 1).end;
        }
        push(
            out,
            doc,
            Span::new(v.span(start).start, stop),
            EntityType::Org,
        );
        return;
    }
    // org-trailing-noun: `the Zhong Lun law firm`. The text after the run
    // can start with a noun only where the next token is the noun's first
    // word, or holds a `.` (`brokerage.com` starts with `brokerage`).
    let noun_may_follow = v.in_list(end, &TRAILING_NOUN_STARTS)
        || v.doc.tokens.get(end).is_some_and(|t| t.shape.dotted());
    if end - start <= 4 && v.joined(end - 1) && noun_may_follow {
        let after = doc.text[v.span(end - 1).end..].trim_start_matches(' ');
        for noun in ORG_TRAILING_NOUNS.iter() {
            if after.starts_with(noun)
                && !after[noun.len()..].starts_with(|c: char| c.is_alphanumeric())
            {
                push(
                    out,
                    doc,
                    Span::new(v.span(start).start, v.span(end - 1).end),
                    EntityType::Org,
                );
                return;
            }
        }
    }
    // org-descriptor
    if org_descriptor(v, start, end) {
        push(
            out,
            doc,
            Span::new(v.span(start).start, v.span(end - 1).end),
            EntityType::Org,
        );
    }
}

/// A run of 2–3 plain capitalised words (no connectors, no heads) from `start`.
fn name_words(v: &View, start: usize, end: usize) -> Option<usize> {
    let (heads, non_name) = (&*ORG_HEADS, &*NON_NAME_WORDS);
    let mut j = start;
    while j < end && j - start < 3 && v.is_cap(j) && !v.in_list(j, heads) && !v.in_list(j, non_name)
    {
        j += 1;
    }
    (j - start >= 2 && (j == end || !v.is_cap(j))).then_some(j)
}

fn person_rules(v: &View, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let Some(stop) = name_words(v, start, end) else {
        return;
    };
    if stop != end {
        return;
    }
    let span = Span::new(v.span(start).start, v.span(stop - 1).end);
    // person-appositive: `Name, a senior analyst at …`
    if v.is(stop, ",") {
        let mut k = stop + 1;
        if v.lower_is(k, &["a", "an", "the"]) {
            k += 1;
        }
        let roles = &*PERSON_ROLES;
        for m in k..(k + 5).min(v.len()) {
            if v.doc.tokens[m].kind == TokenKind::Punct && !v.is(m, "-") {
                break;
            }
            if v.in_list(m, roles) {
                push(out, v.doc, span, EntityType::Person);
                return;
            }
        }
    }
    // person-said: `said Wang Fang` / `Wang Fang said`, with a name-like first word.
    let name_like = v.in_list(start, &GIVEN_NAMES) || v.in_list(start, &CHINESE_SURNAMES);
    let said_before = start > 0 && v.in_list(start - 1, &SAID) && v.joined(start - 1);
    let said_after = stop < v.len() && v.in_list(stop, &SAID) && v.joined(stop - 1);
    if name_like && (said_before || said_after) {
        push(out, v.doc, span, EntityType::Person);
    }
}

fn person_title(v: &View, i: usize, out: &mut Vec<Candidate>) {
    if !v.is_word(i) || !v.in_list(i, &PERSON_TITLES) {
        return;
    }
    let mut k = i;
    // Titles chain (`Vice Premier`, `Chief Financial Officer`) and may end in `.`
    // (`Mr.`); `chief executive, Cussion Pang,` puts the name in commas.
    let mut in_commas = false;
    loop {
        if v.touching(k) && v.is(k + 1, ".") {
            k += 1;
        }
        if v.touching(k) && v.is(k + 1, ",") && !in_commas {
            k += 1;
            in_commas = true;
            if !v.joined(k) {
                return;
            }
            break;
        }
        if !v.joined(k) {
            return;
        }
        let next = k + 1;
        if next >= v.len() {
            return;
        }
        if v.in_list(next, &PERSON_TITLES) || v.in_list(next, &TITLE_WORDS) {
            k = next;
            continue;
        }
        break;
    }
    // In commas, the name ends the apposition: a comma, or the sentence's end
    // (`after its founder, Lee Soo Man.`).
    if let Some((span, stop)) = name_at(v, k + 1)
        && (!in_commas || v.is(stop, ",") || v.is(stop, ".") || v.is(stop, ";"))
    {
        push(out, v.doc, span, EntityType::Person);
    }
}

/// Bylines and credits (SPEC §2) at token `by`: `By A and B` at the start of
/// a line, and `Reporting by A; Editing by B and C` anywhere. Each 2–3 word
/// name of the list is a person.
fn byline(v: &View, by: usize, out: &mut Vec<Candidate>) {
    let text = v.doc.text.as_str();
    let start = v.span(by).start;
    let cue = if v.is(by, "By") {
        // Opening its line.
        text[..start]
            .trim_end_matches([' ', '\t'])
            .chars()
            .next_back()
            .is_none_or(|c| c == '\n')
    } else {
        v.is(by, "by")
            && by > 0
            && v.joined(by - 1)
            && v.lower_is(by - 1, &["reporting", "editing", "writing"])
    };
    if !cue || !v.joined(by) {
        return;
    }
    // A list: names of two or three capitalised words joined by `,`, `and`,
    // `&` (read word by word: a run would take `A and B` as one).
    let non_name = &*NON_NAME_WORDS;
    let mut i = by + 1;
    loop {
        let mut stop = i;
        while stop < i + 3
            && v.is_cap(stop)
            && (stop == i || v.joined(stop - 1))
            && !v.in_list(stop, non_name)
        {
            stop += 1;
        }
        if stop - i < 2 || (v.is_cap(stop) && v.joined(stop - 1)) {
            return;
        }
        push(
            out,
            v.doc,
            Span::new(v.span(i).start, v.span(stop - 1).end),
            EntityType::Person,
        );
        i = stop;
        while v.is(i, ",") || v.is(i, "and") || v.is(i, "&") {
            i += 1;
        }
    }
}

/// A 2–3 word name that is a whole capitalised run starting at token `start`:
/// its span and the token after it.
fn name_at(v: &View, start: usize) -> Option<(Span, usize)> {
    if !v.is_cap(start) {
        return None;
    }
    let end = cap_run(v, start);
    let stop = name_words(v, start, end).filter(|&stop| stop == end)?;
    Some((Span::new(v.span(start).start, v.span(stop - 1).end), stop))
}

/// `founded by|co-founded by Xu Yangtian`: the founder is a person.
fn founded_by_person(v: &View, i: usize, out: &mut Vec<Candidate>) {
    if !v.in_list(i, &FOUNDED) {
        return;
    }
    // `founded in Nanjing in 2008 by X`: `by` within a few words.
    let Some(by) = (i + 1..(i + 9).min(v.len())).find(|&k| v.is(k, "by")) else {
        return;
    };
    if !v.joined(by) {
        return;
    }
    let start = by + 1;
    if let Some((span, _)) = name_at(v, start)
        && (v.in_list(start, &GIVEN_NAMES) || v.in_list(start, &CHINESE_SURNAMES))
    {
        push(out, v.doc, span, EntityType::Person);
    }
}

fn domain(v: &View, i: usize, out: &mut Vec<Candidate>) {
    if !v.is_word(i) || !v.doc.tokens[i].shape.dotted() {
        return;
    }
    let t = v.text(i);
    // Every top-level domain here has 2 or 3 letters: look for its dot first.
    let b = t.as_bytes();
    let dot_at = |back: usize| b.len() > back && b[b.len() - back] == b'.';
    if !dot_at(3) && !dot_at(4) {
        return;
    }
    let Some((name, tld)) = t.rsplit_once('.') else {
        return;
    };
    if !DOMAIN_TLDS.contains(&tld)
        || name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.')
        || name.starts_with("www.")
    {
        return;
    }
    let s = v.span(i);
    let before = v.doc.text[..s.start].chars().next_back();
    let after = v.doc.text[s.end..].chars().next();
    if matches!(before, Some('/' | '@' | '.' | ':')) || matches!(after, Some('/' | '@')) {
        return;
    }
    push(out, v.doc, s, EntityType::Org);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_trailing_noun_makes_its_run_an_org() {
        for noun in ORG_TRAILING_NOUNS.iter() {
            let text = format!("They hired the Zhong Lun {noun} last year.");
            let mut doc = Document::new("t", "t", text);
            doc.tokens = crate::tokenize::tokenize(&doc.text);
            let mut out = Vec::new();
            candidates(&doc, &mut out);
            let org = out.iter().any(|c| {
                doc.slice(c.span) == "Zhong Lun"
                    && matches!(
                        &c.target,
                        Target::New {
                            kind: EntityType::Org,
                            ..
                        }
                    )
            });
            assert!(org, "{noun}");
        }
    }
}
