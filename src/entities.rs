//! Entity tagging (SPEC §2): gazetteer automata, fallback rules for names no
//! list knows, one overlap policy, and linking of mentions into entities.
//!
//! Steps, per document:
//! 1. **Gazetteer matches**: every alias of every entry is a key of a
//!    compiled list's `fst` map (`gazetteer`); at each token start the longest
//!    alias the text starts with is looked up, case-sensitively. A match counts only
//!    on word boundaries (no letter or digit on either side, no `.x` joining it
//!    to a domain or abbreviation, no `$` making it a currency prefix); a
//!    possessive `'s` is outside every alias, so it stays out of the span. An
//!    organisation's alias extends over a legal suffix that follows it
//!    (`Starbucks` + ` Corp.`).
//! 2. **Fallback candidates** (`fallback`): organisation names ending in a
//!    corporate or institutional word, `University of …`-style names, names
//!    before `law firm` and kin, web sites (`jiemian.com`), and people introduced
//!    by a title, an appositive role or an attribution verb.
//! 3. **Overlap policy** ([`resolve_overlaps`]), the one every layer uses: the
//!    longest span wins, then the earliest, then the higher source priority
//!    (gazetteer over fallback).
//! 4. **Linking**: a full alias names its gazetteer entry; a fallback name gets an
//!    id that is the slug of its name without legal suffix. A `~short` alias and a
//!    person's surname count only after an introduction earlier in the document,
//!    and go to the nearest preceding introduced entity that has them; a fallback
//!    organisation's name without its legal suffix (`Acme` after `Acme Corp.`)
//!    joins it too.

use std::borrow::Cow;

use foldhash::{HashMap, HashMapExt};

use crate::document::{Document, Entity, EntityType, Mention, MentionSource, Span, TokenKind};
use crate::error::GazetteerError;
use crate::gazetteer::{AliasMatcher, Gazetteer};
use crate::lexicon::{self, KeyFilter};
use crate::stage::Stage;
use crate::tokenize::tokenize;

pub(crate) mod fallback;

/// What a candidate mention would name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// A gazetteer alias: the range of its `(entry, needs_intro)` targets
    /// in the document's target list (see `EntityTagger::tag`).
    Gazetteer(u32, u32),
    /// A name no gazetteer knows.
    New {
        kind: EntityType,
        id: String,
        name: String,
    },
}

/// A possible mention before overlaps are settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub span: Span,
    pub target: Target,
    pub source: MentionSource,
}

/// The entity tagger stage.
#[derive(Debug, Clone)]
pub struct EntityTagger {
    gazetteer: Gazetteer,
}

/// The acronym in brackets right after a name (` (KFTC)`, ` (SME)`): two to
/// ten letters, digits or `&`, starting with a capital, mostly capitals.
fn bracketed_acronym(after: &str) -> Option<&str> {
    let inner = after.strip_prefix(" (")?;
    let end = inner.find(')')?;
    let acronym = &inner[..end];
    let capitals = acronym.chars().filter(char::is_ascii_uppercase).count();
    (acronym.len() >= 2
        && acronym.len() <= 10
        && acronym.starts_with(|c: char| c.is_ascii_uppercase())
        && acronym
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '&')
        && capitals * 2 > acronym.len())
    .then_some(acronym)
}

/// Resolves overlapping spans by the pipeline's one policy: longest first,
/// then earliest start, then lower `priority` value. Returns the indices of the
/// kept items, sorted by start.
///
/// Spans that overlap nothing (most of them) are kept at once: the spans are
/// ordered by start and cut into runs that overlap in a chain, and the policy
/// is applied within each run of two or more. A span's fate depends only on
/// the spans of its run, so this keeps what applying the policy to all spans
/// at once keeps (a test holds the two equal), without sorting every span by
/// length or inserting each into a sorted list.
pub fn resolve_overlaps<T>(
    items: &[T],
    span: impl Fn(&T) -> Span,
    priority: impl Fn(&T) -> u8,
) -> Vec<usize> {
    // (span, index), by start; equal starts stay in index order. Candidates
    // arrive in a few sorted runs, which a stable sort merges in linear time.
    let mut by_start: Vec<(Span, usize)> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (span(item), i))
        .filter(|(s, _)| !s.is_empty())
        .collect();
    by_start.sort_by_key(|&(s, _)| s.start);
    let mut kept = Vec::with_capacity(by_start.len());
    let mut run_start = 0;
    while run_start < by_start.len() {
        let mut run_end = run_start + 1;
        let mut reach = by_start[run_start].0.end;
        while run_end < by_start.len() && by_start[run_end].0.start < reach {
            reach = reach.max(by_start[run_end].0.end);
            run_end += 1;
        }
        let run = &by_start[run_start..run_end];
        if let [(_, i)] = run {
            kept.push(*i);
        } else {
            resolve_run(run, items, &priority, &mut kept);
        }
        run_start = run_end;
    }
    kept
}

/// The policy of [`resolve_overlaps`] over one run of overlapping spans (by
/// start): pushes the kept indices, by start.
fn resolve_run<T>(
    run: &[(Span, usize)],
    items: &[T],
    priority: &impl Fn(&T) -> u8,
    kept: &mut Vec<usize>,
) {
    // Keys computed once (a sort calls its key function on every comparison);
    // the index makes every key distinct, so an unstable sort is deterministic.
    let mut order: Vec<(std::cmp::Reverse<usize>, usize, u8, usize, Span)> = run
        .iter()
        .map(|&(s, i)| {
            (
                std::cmp::Reverse(s.len()),
                s.start,
                priority(&items[i]),
                i,
                s,
            )
        })
        .collect();
    order.sort_unstable();
    // Kept spans by start; they do not overlap, so one neighbour check on
    // each side suffices.
    let mut run_kept: Vec<(Span, usize)> = Vec::with_capacity(order.len());
    for (_, start, _, i, s) in order {
        let at = run_kept.partition_point(|(k, _)| k.start < start);
        let clashes = |k: Option<&(Span, usize)>| k.is_some_and(|(k, _)| k.overlaps(&s));
        if clashes(at.checked_sub(1).and_then(|b| run_kept.get(b))) || clashes(run_kept.get(at)) {
            continue;
        }
        run_kept.insert(at, (s, i));
    }
    kept.extend(run_kept.into_iter().map(|(_, i)| i));
}

/// The short form a person is referred back to by: an explicit `surname=`,
/// else the first word of a two-word Chinese-order name (`Chen Pengfei` → `Chen`),
/// else the last word (`Jack Ma` → `Ma`).
pub(crate) fn person_surname(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() < 2 {
        return None;
    }
    let first = words[0];
    let chinese_order = words.len() == 2
        && lexicon::CHINESE_SURNAMES.contains(first)
        && !lexicon::GIVEN_NAMES.contains(first);
    let s = if chinese_order {
        first
    } else {
        words[words.len() - 1]
    };
    Some(s.trim_end_matches('.').to_string())
}

/// A stable lowercase slug of a name: legal suffixes dropped, non-alphanumerics
/// to single `-`.
pub fn slug(name: &str) -> String {
    let base = strip_legal_suffix(name);
    let mut out = String::with_capacity(base.len());
    // A `-` is written only before the next letter or digit, so runs of
    // separators give one and none trails.
    let mut dash = false;
    for c in base.chars() {
        let alphanumeric = if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            c.is_alphanumeric()
        };
        if !alphanumeric {
            dash = !out.is_empty();
            continue;
        }
        if dash {
            out.push('-');
            dash = false;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// `Acme Holdings Ltd.` → `Acme Holdings`; `Acme Corp.` → `Acme`.
pub(crate) fn strip_legal_suffix(name: &str) -> &str {
    let forms = &crate::lexicon::legal_suffixes().forms;
    let mut s = name.trim();
    loop {
        let trimmed = s.trim_end_matches(',').trim_end();
        let Some((head, last)) = trimmed.rsplit_once(' ') else {
            return trimmed;
        };
        if forms.contains(last) && !head.is_empty() {
            s = head.trim_end_matches(',');
        } else {
            return trimmed;
        }
    }
}

/// Length of a legal-form suffix (`Inc.`, `Holdings Ltd.` …) starting `rest`, or 0.
fn legal_suffix_len(rest: &str) -> usize {
    let suffixes = crate::lexicon::legal_suffixes();
    let starts = &suffixes.alias_starts;
    match rest.as_bytes() {
        [a, b, ..] if starts[0][usize::from(*a)] && starts[1][usize::from(*b)] => {}
        _ => return 0,
    }
    suffixes
        .alias_tails
        .iter()
        .filter(|s| rest.starts_with(**s))
        .filter(|s| {
            let after = &rest[s.len()..];
            let mut cs = after.chars();
            let (a1, a2) = (cs.next(), cs.next());
            // Not followed by a letter, nor by `.x` (a domain or abbreviation).
            let joins_on = a1.is_some_and(is_word_char)
                || (a1 == Some('.') && !s.ends_with('.') && a2.is_some_and(is_word_char));
            !joins_on
        })
        .map(|s| s.len())
        .max()
        .unwrap_or(0)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether the char before byte `pos` (a char boundary) is a letter or digit.
fn follows_word_char(text: &str, pos: usize) -> bool {
    match text.as_bytes()[..pos].last() {
        None => false,
        Some(&b) if b.is_ascii() => b.is_ascii_alphanumeric(),
        Some(_) => text[..pos].chars().next_back().is_some_and(is_word_char),
    }
}

/// Whether `span` sits on word boundaries in `text`.
pub(crate) fn on_word_boundaries(text: &str, span: Span) -> bool {
    let before = text[..span.start].chars().next_back();
    let after_rest = &text[span.end..];
    let mut after = after_rest.chars();
    let a1 = after.next();
    let a2 = after.next();
    let matched = &text[span.start..span.end];
    if follows_word_char(text, span.start) || a1.is_some_and(is_word_char) {
        return false;
    }
    // `Alibaba` inside `Alibaba.com`, `JD` inside `www.JD.com`.
    if a1 == Some('.') && a2.is_some_and(|c| c.is_alphanumeric()) && !matched.ends_with('.') {
        return false;
    }
    if before == Some('.') {
        let b2 = text[..span.start - 1].chars().next_back();
        if b2.is_some_and(is_word_char) {
            return false;
        }
    }
    // `US` in `US$14 million`, `HK` in `HK$500`: a currency prefix, not a place.
    a1 != Some('$')
}

impl EntityTagger {
    /// A tagger that matches the gazetteer's aliases.
    ///
    /// The gazetteer's lists are compiled (`fst` maps of their aliases, read
    /// in place): nothing is built here, so start-up does not grow with them.
    pub fn new(gazetteer: Gazetteer) -> Result<EntityTagger, GazetteerError> {
        Ok(EntityTagger { gazetteer })
    }

    /// The gazetteer this tagger matches.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Gazetteer matches on word boundaries, left to right; at each start the
    /// longest alias wins. A match can only count where no letter or digit
    /// precedes it, at the start of a token, so only token starts are tried,
    /// and of those only the ones whose first bytes some alias starts with.
    /// Each candidate's targets are appended to `targets`.
    fn gazetteer_candidates(
        &self,
        doc: &Document,
        out: &mut Vec<Candidate>,
        targets: &mut Vec<(usize, bool)>,
    ) {
        let text = doc.text.as_str();
        let bytes = text.as_bytes();
        let matcher = self.gazetteer.matcher();
        let mut free_from = 0;
        for token in &doc.tokens {
            let start = token.span.start;
            if start >= free_from
                && self.gazetteer.may_start(&bytes[start..])
                && let Some(end) = self.alias_at(&matcher, text, token.span, out, targets)
            {
                free_from = end;
            }
        }
    }

    /// Tries an alias at the start of `token`: pushes the candidate (and its
    /// targets) and returns its end when one starts there on word boundaries.
    fn alias_at(
        &self,
        matcher: &AliasMatcher<'_>,
        text: &str,
        token: Span,
        out: &mut Vec<Candidate>,
        targets: &mut Vec<(usize, bool)>,
    ) -> Option<usize> {
        let pos = token.start;
        if follows_word_char(text, pos) {
            return None;
        }
        let mark = targets.len();
        let end = pos + matcher.longest_alias(&text.as_bytes()[pos..], targets)?;
        let mut span = Span::new(pos, end);
        let found = &targets[mark..];
        let names = |kind: EntityType, full: bool| {
            found
                .iter()
                .any(|&(e, intro)| !(full && intro) && self.gazetteer.entry(e).kind() == kind)
        };
        // An alias covers the token it starts with: tokens join across `,`
        // between digits, so `360` is no name in `360,000`. On a rejection a
        // shorter alias may still start later inside the match.
        let mut rejected = end < token.end || !on_word_boundaries(text, span);
        if !rejected && names(EntityType::Org, true) {
            span.end += legal_suffix_len(&text[end..]);
        }
        // `US dollars`, `Hong Kong dollars`: a currency's name (SPEC §2).
        let rest = &text[span.end..];
        rejected |= (rest.starts_with(" dollar") || rest.starts_with(" Dollar"))
            && names(EntityType::Gpe, false);
        if rejected {
            targets.truncate(mark);
            return None;
        }
        out.push(Candidate {
            span,
            target: Target::Gazetteer(mark as u32, targets.len() as u32),
            source: MentionSource::Gazetteer,
        });
        Some(end)
    }

    /// Tags `doc` (needs tokens).
    pub fn tag(&self, doc: &mut Document) {
        // News text has about one candidate per ten tokens: room for one per
        // eight rarely needs to grow.
        let mut cands = Vec::with_capacity(doc.tokens.len() / 8);
        // The entries each gazetteer candidate names (`Target::Gazetteer`).
        let mut targets = Vec::with_capacity(doc.tokens.len() / 8);
        self.gazetteer_candidates(doc, &mut cands, &mut targets);
        let targets_of = |a: u32, b: u32| &targets[a as usize..b as usize];
        let n_gazetteer = cands.len();
        fallback::candidates(doc, &mut cands);
        // A fallback name that strings together two known names, the last an
        // organisation or product (`Alibaba Affiliate Ant Group Co.`), is two
        // names, not one: drop it and let the known names stand.
        let (known, guessed) = cands.split_at(n_gazetteer);
        let joins_two_names: Vec<bool> = guessed
            .iter()
            .map(|f| {
                // Gazetteer candidates come in text order: a binary search finds those inside.
                let first = known.partition_point(|k| k.span.start < f.span.start);
                let inside = known[first..]
                    .iter()
                    .take_while(|k| k.span.start < f.span.end)
                    .filter(|k| f.span.contains(&k.span));
                let names_org = |k: &Candidate| match k.target {
                    Target::Gazetteer(a, b) => targets_of(a, b).iter().any(|&(e, _)| {
                        matches!(
                            self.gazetteer.entry(e).kind(),
                            EntityType::Org | EntityType::Product
                        )
                    }),
                    Target::New { .. } => false,
                };
                let coordinated = |k: &Candidate| {
                    doc.text[..k.span.start].ends_with(" and ")
                        || doc.text[k.span.end..].starts_with(" and ")
                };
                // The guessed name ends in a known one that starts later
                // (`Alibaba Affiliate [Ant Group Co.]`), or coordinates one with `and`
                // (`[Bank of China] and [Hong Kong]`).
                let ends_in_known =
                    |k: &Candidate| k.span.end == f.span.end && k.span.start > f.span.start;
                let (mut n_inside, mut ends_in_org, mut any_coordinated) = (0, false, false);
                for k in inside {
                    n_inside += 1;
                    ends_in_org |= names_org(k) && ends_in_known(k);
                    any_coordinated |= coordinated(k);
                }
                (n_inside >= 2 && ends_in_org) || any_coordinated
            })
            .collect();
        let mut drop = joins_two_names.into_iter();
        cands.retain(|c| c.source != MentionSource::Fallback || !drop.next().unwrap_or(false));
        let kept = resolve_overlaps(&cands, |c| c.span, |c| c.source as u8);

        let mut linker = Linker::with_capacity(kept.len());
        let mut ambiguous = 0;
        for i in kept {
            let c = &cands[i];
            match &c.target {
                &Target::Gazetteer(a, b) => {
                    let found = targets_of(a, b);
                    let mut full = found.iter().filter(|t| !t.1).map(|t| t.0);
                    if let Some(first) = full.next() {
                        let entry = match full.next() {
                            None => Some(first),
                            // An alias several entries share (a user's large
                            // list): the document decides, else `rank=`.
                            Some(_) => self.resolve_shared(found, &linker, c.span.start),
                        };
                        let Some(entry) = entry else {
                            ambiguous += 1;
                            continue;
                        };
                        let e = self.gazetteer.entry(entry);
                        let idx = linker.entity(e.id(), e.kind(), e.name());
                        linker.add(c.span, idx, MentionSource::Gazetteer, true);
                    } else {
                        // A short form: the nearest preceding introduced entry that has it.
                        let ids = found.iter().map(|t| self.gazetteer.entry(t.0).id());
                        if let Some(idx) = linker.nearest_intro(ids, c.span.start) {
                            linker.add(c.span, idx, MentionSource::ShortForm, false);
                        } else if let Some(entry) =
                            self.cued_short_form(doc, found, c.span, linker.last_org_end())
                        {
                            // `broadcaster Sky`: the text marks the short
                            // form as this organisation's name, which
                            // introduces it (SPEC §2 on ordinary words).
                            let e = self.gazetteer.entry(entry);
                            let idx = linker.entity(e.id(), e.kind(), e.name());
                            linker.add(c.span, idx, MentionSource::ShortForm, true);
                        }
                    }
                }
                Target::New { kind, id, name } => {
                    let gaz = self.gazetteer.get(id).filter(|e| e.kind() == *kind);
                    let idx = match gaz {
                        Some(e) => linker.entity(e.id(), e.kind(), e.name()),
                        None => linker.entity(id, *kind, name),
                    };
                    linker.add(c.span, idx, MentionSource::Fallback, true);
                }
            }
        }
        self.link_short_forms(doc, &mut linker);
        linker.finish(doc);
        if ambiguous > 0 {
            doc.warnings.push(format!(
                "{ambiguous} mention(s) of a name several gazetteer entries share, none introduced and no rank= to decide: not tagged"
            ));
        }
    }

    /// The entry a full alias that several entries share names at `pos`: the
    /// one the document introduced nearest before, else the one of lowest
    /// `rank=` (if only one has it), else none.
    fn resolve_shared(
        &self,
        targets: &[(usize, bool)],
        linker: &Linker<'_>,
        pos: usize,
    ) -> Option<usize> {
        let full: Vec<usize> = targets.iter().filter(|t| !t.1).map(|t| t.0).collect();
        let ids = full.iter().map(|&e| self.gazetteer.entry(e).id());
        if let Some(idx) = linker.nearest_intro(ids, pos) {
            let id = linker.entities[idx].id;
            return full
                .iter()
                .copied()
                .find(|&e| self.gazetteer.entry(e).id() == id);
        }
        let rank = |e: usize| self.gazetteer.entry(e).rank().unwrap_or(u32::MAX);
        let best = full.iter().copied().min_by_key(|&e| rank(e))?;
        let tied = full.iter().filter(|&&e| rank(e) == rank(best)).count();
        (rank(best) < u32::MAX && tied == 1).then_some(best)
    }

    /// The one organisation or product a `~short` alias at `span` names when
    /// a company noun stands right before it (`broadcaster Sky`, `carrier
    /// CSAV`), or when it is an item of a list after an organisation
    /// (`Samsung, Dell, Motorola and Huawei`; `prev_org_end`: where the last
    /// organisation mention ends); none when several entries share the short
    /// form or it is a person's.
    fn cued_short_form(
        &self,
        doc: &Document,
        targets: &[(usize, bool)],
        span: Span,
        prev_org_end: Option<usize>,
    ) -> Option<usize> {
        let [(entry, true)] = targets[..] else {
            return None;
        };
        if !matches!(
            self.gazetteer.entry(entry).kind(),
            EntityType::Org | EntityType::Product
        ) {
            return None;
        }
        let listed = prev_org_end.is_some_and(|end| {
            end <= span.start && matches!(&doc.text[end..span.start], ", " | " and " | ", and ")
        });
        if listed {
            return Some(entry);
        }
        let before = doc.text[..span.start].strip_suffix(' ')?;
        let word = before
            .rsplit(|c: char| !c.is_ascii_lowercase() && c != '-')
            .next()
            .unwrap_or(before);
        fallback::is_org_descriptor(word).then_some(entry)
    }

    /// Surnames of introduced people, and fallback organisations' names without
    /// their legal suffix, found again later in the document.
    fn link_short_forms(&self, doc: &Document, linker: &mut Linker<'_>) {
        // (short form, entity index, position of the introduction)
        let mut forms: Vec<(Cow<str>, usize, usize)> = Vec::new();
        for m in linker.mentions.iter().filter(|m| m.intro) {
            let e = &linker.entities[m.entity];
            // A fallback organisation is found again by its name as the cue
            // gave it (`Finix, a payments company … Finix told employees`)
            // and without its legal suffix (`Acme` after `Acme Corp.`).
            let (form, again) = match e.kind {
                EntityType::Person => (
                    match self.gazetteer.get(e.id) {
                        Some(g) if g.kind() != EntityType::Person => None,
                        Some(g) => match g.surname() {
                            Some(s) => Some(Cow::Borrowed(s)),
                            None => person_surname(g.name()).map(Cow::Owned),
                        },
                        None => person_surname(e.name).map(Cow::Owned),
                    },
                    None,
                ),
                EntityType::Org if m.source == MentionSource::Fallback => {
                    let surface = doc.slice(m.span);
                    let base = strip_legal_suffix(surface);
                    (
                        (base.len() < surface.trim_end_matches('.').len())
                            .then_some(Cow::Borrowed(base)),
                        Some(Cow::Borrowed(surface)),
                    )
                }
                _ => (None, None),
            };
            // `Korea Fair Trade Commission (KFTC)`: an acronym the text
            // defines in brackets names the entity there and later (SPEC §2).
            let acronym = (e.kind != EntityType::Person)
                .then(|| bracketed_acronym(&doc.text[m.span.end..]))
                .flatten()
                .map(Cow::Borrowed);
            for f in form.into_iter().chain(again).chain(acronym) {
                if !forms.iter().any(|(g, i, _)| *g == f && *i == m.entity) {
                    forms.push((f, m.entity, m.span.start));
                }
            }
        }
        if forms.is_empty() {
            return;
        }
        let text = doc.text.as_str();
        let toks = &doc.tokens;
        let mut taken: Vec<Span> = linker.mentions.iter().map(|m| m.span).collect();
        taken.sort();
        // Whether `span` overlaps a sorted, non-overlapping list of spans.
        let overlaps_any = |sorted: &[Span], span: &Span| {
            let i = sorted.partition_point(|s| s.end <= span.start);
            sorted.get(i).is_some_and(|s| s.overlaps(span))
        };
        let form_words: Vec<usize> = forms.iter().map(|(f, _, _)| f.split(' ').count()).collect();
        // A form can only start at a token equal to its own first token: one
        // filter look-up by word key rules out nearly every token unread.
        let mut form_first_tokens = KeyFilter::new();
        for (f, _, _) in &forms {
            if let Some(t) = tokenize(f).first() {
                form_first_tokens.insert(t.word_key);
            }
        }
        let mut found: Vec<(Span, usize)> = Vec::new();
        let keyed = lexicon::tokens_where(toks, |t| {
            (t.kind == TokenKind::Word) & form_first_tokens.may_contain(t.word_key)
        });
        for ti in keyed {
            let t = &toks[ti];
            let word = &text[t.span.start..t.span.end];
            for ((form, _, _), &n_words) in forms.iter().zip(&form_words) {
                let Some(last) = toks.get(ti + n_words - 1) else {
                    continue;
                };
                let span = Span::new(t.span.start, last.span.end);
                if !form.starts_with(word) || text[span.start..span.end] != **form {
                    continue;
                }
                if overlaps_any(&taken, &span) || found.last().is_some_and(|f| f.0.overlaps(&span))
                {
                    continue;
                }
                // `Ma` inside an unknown `Ma Huateng` is someone else's name.
                let capital = |i: usize| {
                    toks.get(i).is_some_and(|x| {
                        x.kind == TokenKind::Word
                            && x.shape.upper_initial()
                            && !lexicon::PERSON_TITLES.contains_token(x, text)
                            && !lexicon::NON_NAME_WORDS.contains_token(x, text)
                    })
                };
                let joined = |a: usize, b: usize| {
                    let (a, b) = (toks[a].span, toks[b].span);
                    text[a.end..b.start] == *" "
                };
                if ti > 0 && capital(ti - 1) && joined(ti - 1, ti) {
                    continue;
                }
                let after = ti + n_words;
                if after < toks.len() && capital(after) && joined(after - 1, after) {
                    continue;
                }
                let owners = forms
                    .iter()
                    .filter(|(f, _, intro)| f == form && *intro < span.start)
                    .map(|(_, e, _)| *e);
                if let Some(e) = linker.nearest_of(owners, span.start) {
                    found.push((span, e));
                }
                break;
            }
        }
        for (span, e) in found {
            linker.add(span, e, MentionSource::ShortForm, false);
        }
    }
}

impl Stage for EntityTagger {
    fn name(&self) -> &'static str {
        "entities"
    }

    fn process(&self, doc: &mut Document) {
        self.tag(doc);
    }
}

struct LinkedMention {
    span: Span,
    entity: usize,
    source: MentionSource,
    /// A full name (not a short form): it introduces the entity.
    intro: bool,
}

/// An entity as the linker knows it, borrowing its id and name.
#[derive(Clone, Copy)]
struct LinkedEntity<'a> {
    id: &'a str,
    kind: EntityType,
    name: &'a str,
}

/// Entities and mentions as they are linked. Ids and names borrow from the
/// gazetteer and the candidates; owned strings are made once, in `finish`.
struct Linker<'a> {
    entities: Vec<LinkedEntity<'a>>,
    by_id: HashMap<&'a str, usize>,
    mentions: Vec<LinkedMention>,
    /// Per entity, the spans of its introducing (full) mentions, in text
    /// order. (One list for all, searched back from a position, would save
    /// an allocation per entity, but its searches grow with the document:
    /// quadratic time for a long one full of short forms.)
    intros: Vec<Vec<Span>>,
}

impl<'a> Linker<'a> {
    /// Where the last organisation mention linked so far ends.
    fn last_org_end(&self) -> Option<usize> {
        self.mentions
            .last()
            .filter(|m| self.entities[m.entity].kind == EntityType::Org)
            .map(|m| m.span.end)
    }

    /// A linker sized for `mentions` mentions (fewer entities), so that its
    /// tables rarely grow while a document is linked.
    fn with_capacity(mentions: usize) -> Linker<'a> {
        let entities = mentions / 2 + 1;
        Linker {
            entities: Vec::with_capacity(entities),
            by_id: HashMap::with_capacity(entities),
            mentions: Vec::with_capacity(mentions + mentions / 4),
            intros: Vec::with_capacity(entities),
        }
    }

    fn entity(&mut self, id: &'a str, kind: EntityType, name: &'a str) -> usize {
        if let Some(&i) = self.by_id.get(id) {
            return i;
        }
        self.entities.push(LinkedEntity { id, kind, name });
        self.by_id.insert(id, self.entities.len() - 1);
        self.entities.len() - 1
    }

    fn add(&mut self, span: Span, entity: usize, source: MentionSource, intro: bool) {
        if intro {
            if self.intros.len() <= entity {
                self.intros.resize_with(entity + 1, Vec::new);
            }
            // Full mentions arrive in text order, so each list stays sorted.
            self.intros[entity].push(span);
        }
        self.mentions.push(LinkedMention {
            span,
            entity,
            source,
            intro,
        });
    }

    /// The entity among `ids` whose latest introduction before `pos` is nearest.
    fn nearest_intro<'i>(&self, ids: impl Iterator<Item = &'i str>, pos: usize) -> Option<usize> {
        self.nearest_of(ids.filter_map(|id| self.by_id.get(id).copied()), pos)
    }

    fn nearest_of(&self, entities: impl Iterator<Item = usize>, pos: usize) -> Option<usize> {
        entities
            .filter_map(|e| {
                let spans = self.intros.get(e)?;
                let i = spans.partition_point(|s| s.end <= pos);
                i.checked_sub(1).map(|i| (spans[i].start, e))
            })
            .max()
            .map(|(_, e)| e)
    }

    /// Writes entities (ordered by first mention) and mentions (by start) into `doc`.
    fn finish(mut self, doc: &mut Document) {
        self.mentions.sort_by_key(|m| m.span.start);
        let mut order: Vec<Option<usize>> = vec![None; self.entities.len()];
        let mut entities = Vec::with_capacity(self.entities.len());
        for m in &self.mentions {
            if order[m.entity].is_none() {
                order[m.entity] = Some(entities.len());
                let e = self.entities[m.entity];
                entities.push(Entity {
                    id: e.id.to_string(),
                    kind: e.kind,
                    name: e.name.to_string(),
                });
            }
        }
        doc.mentions = self
            .mentions
            .iter()
            .map(|m| Mention {
                span: m.span,
                entity: order[m.entity].expect("every mentioned entity has an order"),
                source: m.source,
            })
            .collect();
        doc.entities = entities;
    }
}

#[cfg(test)]
mod tests;
