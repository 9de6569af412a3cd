//! One sentence as the relation rules read it: its lowercased tokens, its
//! mentions by token range, and the shared notions of the module docs
//! (lists, possessives, the subject, agents, negation).

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use super::rules::{CUE_KEYS, CUES};
use crate::document::{Document, EntityType, Span};
use crate::lexicon::{PERSON_ROLES, WordList};

/// Words that, shortly before a cue, say the relation is denied, unreal or only planned.
pub(super) static BLOCKERS: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("relation-blockers.txt"));

/// Openers of a leading adverbial clause that holds no subject.
pub(super) static ADVERBIAL_OPENERS: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("adverbial-openers.txt"));

/// Words between a subject and its verb (`it had also fined`).
pub(super) static AUXILIARIES: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("auxiliaries.txt"));

/// Function words that end the noun phrase after `its` or `X's` (`its
/// check that Finix`, `its own shares to Alphabet`, `Nvidia's computing with
/// Arm`).
pub(super) static PHRASE_ENDS: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("its-phrase-ends.txt"));

/// Company nouns (`designer`, `carmaker`, `lender`): a description that
/// stands for a company the sentence named before.
pub(super) static COMPANY_NOUNS: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("org-descriptors.txt"));

/// Auxiliaries and common verbs that follow a clause's subject.
pub(super) static CLAUSE_VERBS: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("clause-verbs.txt"));

/// Kinds that coordinate in one list: the same, or organisations with products
/// (`competes with Google's Gemini and Anthropic`).
pub(super) fn same_family(a: EntityType, b: EntityType) -> bool {
    use EntityType::*;
    a == b || matches!((a, b), (Org, Product) | (Product, Org))
}

#[derive(Debug, Clone, Copy)]
pub(super) struct M {
    pub(super) ent: usize,
    pub(super) kind: EntityType,
    /// Local token range `[a, b)`.
    pub(super) a: usize,
    pub(super) b: usize,
    /// Where the noun phrase the mention heads starts: before a descriptor
    /// (`a state-owned carmaker Xi'an Qinchuan`, `Bernstein analyst Jane
    /// Ortiz` from `analyst`), else at `a`.
    pub(super) np: usize,
}

pub(super) struct Sent<'a> {
    pub(super) doc: &'a Document,
    /// Global index of the first token.
    pub(super) t0: usize,
    pub(super) n: usize,
    pub(super) ms: Vec<M>,
    /// Lowercased token texts (borrowed from the text or its ASCII-lowercased
    /// copy; owned only for the rare non-ASCII token that lowercasing changes).
    pub(super) low: Vec<Cow<'a, str>>,
}

/// The vectors of a [`Sent`], handed from one sentence to the next so that
/// each document allocates them once rather than once per sentence.
#[derive(Default)]
pub(super) struct SentBuffers<'a> {
    pub(super) ms: Vec<M>,
    pub(super) low: Vec<Cow<'a, str>>,
}

impl<'a> Sent<'a> {
    /// The sentence at `span`, whose tokens are `range` and whose mentions
    /// start in `doc.mentions[mentions]`; `lower` is `doc.text` with ASCII
    /// letters lowercased (same byte offsets), computed once per document.
    pub(super) fn new(
        doc: &'a Document,
        lower: &'a str,
        span: Span,
        range: Range<usize>,
        mentions: Range<usize>,
        buffers: SentBuffers<'a>,
    ) -> Sent<'a> {
        let SentBuffers { mut ms, mut low } = buffers;
        ms.clear();
        low.clear();
        let t0 = range.start;
        let n = range.len();
        low.extend(doc.tokens[range.clone()].iter().map(|token| {
            let span = token.span;
            if !token.shape.non_ascii() {
                // Most tokens: their lowercase form, already in `lower`.
                return Cow::Borrowed(&lower[span.start..span.end]);
            }
            let t = doc.slice(span);
            if t == "’" {
                Cow::Borrowed("'")
            } else {
                // Rare (quotes, dashes, CJK): Unicode lowercasing decides.
                let folded = t.to_lowercase();
                if folded == t {
                    Cow::Borrowed(t)
                } else {
                    Cow::Owned(folded)
                }
            }
        }));
        // A leading dateline (`BEIJING (Reuters) -`) names the source, not an actor.
        let dateline_end = (1..n.min(12))
            .find(|&k| {
                let t = doc.slice(doc.tokens[t0 + k].span);
                matches!(t, "-" | "—" | "–") && doc.slice(doc.tokens[t0 + k - 1].span) == ")"
            })
            .map_or(span.start, |k| doc.tokens[t0 + k].span.end);
        // Mentions come sorted by start, so each one's first token is
        // searched for past the one before's; its end is a few tokens on.
        let tokens = &doc.tokens[range];
        let mut a = 0;
        for m in &doc.mentions[mentions] {
            if m.span.start < dateline_end || !span.contains(&m.span) {
                continue;
            }
            a += tokens[a..].partition_point(|t| t.span.start < m.span.start);
            let mut b = a;
            while b < n && tokens[b].span.end <= m.span.end {
                b += 1;
            }
            if a < b {
                ms.push(M {
                    ent: m.entity,
                    kind: doc.entities[m.entity].kind,
                    a,
                    b,
                    np: a,
                });
            }
        }
        let mut sent = Sent {
            doc,
            t0,
            n,
            ms,
            low,
        };
        for k in 0..sent.ms.len() {
            sent.ms[k].np = sent.phrase_start(k);
        }
        sent
    }

    /// The start of the noun phrase mention `m` heads: a descriptor right
    /// before it (a company noun, `carmaker`, `firm`; a person's role,
    /// `analyst`) with its modifiers (lowercase words, hyphens, capitalised
    /// adjectives: `Chilean maritime carrier`) and article; else the
    /// mention's own start. Function words and other mentions end it.
    fn phrase_start(&self, m: usize) -> usize {
        let a = self.ms[m].a;
        let descriptor = |k: usize| {
            self.is_lower_word(k)
                && (COMPANY_NOUNS.contains(self.w(k)) || PERSON_ROLES.contains(self.raw(k)))
        };
        if a == 0 || !descriptor(a - 1) {
            return a;
        }
        let floor = m.checked_sub(1).map_or(0, |p| self.ms[p].b);
        let mut j = a - 1;
        while j > floor && j + 6 > a {
            let k = j - 1;
            let word = self.w(k);
            let modifier = (self.is_lower_word(k) || word == "-" || self.is_capitalised_word(k))
                && !PHRASE_ENDS.contains(word)
                && !matches!(word, "the" | "a" | "an" | "its" | "their" | "his" | "her");
            if !modifier {
                break;
            }
            j = k;
        }
        if j > floor && matches!(self.w(j - 1), "the" | "a" | "an") {
            j -= 1;
        }
        j
    }

    fn is_capitalised_word(&self, i: usize) -> bool {
        i < self.n && self.doc.tokens[self.t0 + i].shape.upper_initial()
    }

    /// The mention whose noun phrase (see [`M::np`]) starts at token `i`
    /// before the mention itself.
    fn phrase_at(&self, i: usize) -> Option<usize> {
        self.ms.iter().position(|m| m.np == i && m.np < m.a)
    }

    /// The vectors, for the next sentence.
    pub(super) fn into_buffers(self) -> SentBuffers<'a> {
        SentBuffers {
            ms: self.ms,
            low: self.low,
        }
    }

    /// The entity of mention `m`.
    pub(super) fn ent(&self, m: usize) -> usize {
        self.ms[m].ent
    }

    /// The entities of mentions `ms` (a list), in order.
    pub(super) fn ents(&self, ms: Vec<usize>) -> impl Iterator<Item = usize> + '_ {
        ms.into_iter().map(|m| self.ms[m].ent)
    }

    pub(super) fn w(&self, i: usize) -> &str {
        self.low.get(i).map_or("", |w| w.as_ref())
    }

    pub(super) fn raw(&self, i: usize) -> &str {
        if i >= self.n {
            return "";
        }
        self.doc.slice(self.doc.tokens[self.t0 + i].span)
    }

    pub(super) fn is_lower_word(&self, i: usize) -> bool {
        i < self.n && self.doc.tokens[self.t0 + i].shape.lower_initial()
    }

    /// The mention starting at token `i`.
    pub(super) fn mention_at(&self, i: usize) -> Option<usize> {
        // Mentions are sorted and do not overlap: binary search.
        let k = self.ms.partition_point(|m| m.a < i);
        (k < self.ms.len() && self.ms[k].a == i).then_some(k)
    }

    /// The mention ending just before token `i`.
    pub(super) fn mention_ending(&self, i: usize) -> Option<usize> {
        let k = self.ms.partition_point(|m| m.b < i);
        (k < self.ms.len() && self.ms[k].b == i).then_some(k)
    }

    /// Tokens `i..` spell `words` (lowercase).
    pub(super) fn at(&self, i: usize, words: &[&str]) -> bool {
        words.iter().enumerate().all(|(k, w)| self.w(i + k) == *w)
    }

    /// How many tokens a `founder` word at `i` spans: one for `founder` and
    /// `cofounder`, three for `co-founder` (`co`, `-`, `founder`); 0 for none.
    pub(super) fn founder_word_at(&self, i: usize) -> usize {
        match self.w(i) {
            "founder" | "cofounder" => 1,
            "co" if self.w(i + 1) == "-" && self.w(i + 2) == "founder" => 3,
            _ => 0,
        }
    }

    /// Length in tokens of a possessive `'s` at `i` (`'` `s` or `’` `s`), or 0.
    pub(super) fn possessive(&self, i: usize) -> usize {
        if self.w(i) == "'" && self.w(i + 1) == "s" {
            2
        } else {
            0
        }
    }

    /// Mention `m` and the mentions of its kind coordinated after it (`A, B and C`).
    pub(super) fn list_from(&self, m: usize) -> Vec<usize> {
        self.list_after(m, |a, b| a == b)
    }

    /// Like [`Sent::list_from`], with organisations and products in one list
    /// (`competes with Google's Gemini and Anthropic`).
    pub(super) fn list_from_mixed(&self, m: usize) -> Vec<usize> {
        self.list_after(m, same_family)
    }

    pub(super) fn list_after(
        &self,
        m: usize,
        coordinates: fn(EntityType, EntityType) -> bool,
    ) -> Vec<usize> {
        let mut out = vec![m];
        let mut cur = m;
        loop {
            let mut i = self.ms[cur].b;
            // legal-suffix punctuation is inside mentions; skip a comma, `and`, `or`
            let mut joined = false;
            while i < self.n && matches!(self.w(i), "," | "and" | "or" | "&") {
                joined = true;
                i += 1;
            }
            match self.mention_at(i) {
                Some(next) if joined && coordinates(self.ms[next].kind, self.ms[m].kind) => {
                    // `… and Microsoft's Azure`: the possessed name is the item.
                    let item = self.possessed(next);
                    out.push(item);
                    cur = item;
                }
                _ => return out,
            }
        }
    }

    /// Mention `m` and the mentions joined to it by `and`/`or` alone (no comma):
    /// the end of a relative clause (`that owns X, and Y …`) is a comma.
    pub(super) fn list_tight(&self, m: usize) -> Vec<usize> {
        let mut out = vec![m];
        let mut cur = m;
        loop {
            // A head noun may follow a name (`the NBC network and Universal Pictures`).
            let mut i = self.ms[cur].b;
            if self.is_lower_word(i) && !matches!(self.w(i), "and" | "or") {
                i += 1;
            }
            match self
                .mention_at(i + 1)
                .filter(|_| matches!(self.w(i), "and" | "or"))
            {
                Some(next) => {
                    out.push(next);
                    cur = next;
                }
                None => return out,
            }
        }
    }

    /// Mention `m` and the mentions coordinated before it.
    pub(super) fn list_ending_at(&self, m: usize) -> Vec<usize> {
        let mut out = vec![m];
        let mut cur = m;
        loop {
            let mut i = self.ms[cur].a;
            let mut joined = false;
            while i > 0 && matches!(self.w(i - 1), "," | "and" | "or" | "&") {
                joined = true;
                i -= 1;
            }
            match self.mention_ending(i) {
                Some(prev) if joined && same_family(self.ms[prev].kind, self.ms[m].kind) => {
                    out.push(prev);
                    cur = prev;
                }
                _ => return out,
            }
        }
    }

    /// `X's Y` → Y (when Y follows within two words); else `m` itself.
    pub(super) fn possessed(&self, m: usize) -> usize {
        let p = self.possessive(self.ms[m].b);
        if p == 0 {
            return m;
        }
        let first = self.ms[m].b + p;
        for i in first..first + 3 {
            if let Some(y) = self.mention_at(i) {
                return y;
            }
            if !self.is_lower_word(i) {
                break;
            }
        }
        m
    }

    /// The first mention at or after token `i`, or whose noun phrase starts
    /// there (stopping at a clause break), resolved through possessives.
    pub(super) fn first_after(&self, i: usize, max_gap: usize) -> Option<usize> {
        let mut k = i;
        while k < self.n && k <= i + max_gap {
            // A described mention counts from its phrase's start.
            if let Some(m) = self.mention_at(k).or_else(|| self.phrase_at(k)) {
                return Some(self.possessed(m));
            }
            if matches!(self.w(k), "." | ";" | ":" | "—" | "–") {
                return None;
            }
            k += 1;
        }
        None
    }

    /// The nearest mention ending at or before token `i`.
    pub(super) fn nearest_before(&self, i: usize, types: &[EntityType]) -> Option<usize> {
        self.ms
            .iter()
            .enumerate()
            .filter(|(_, m)| m.b <= i && types.contains(&m.kind))
            .max_by_key(|(_, m)| m.b)
            .map(|(k, _)| k)
    }

    /// The organisation acting in the verb at token `i`: the nearest one before
    /// it, or, when a pronoun stands right before the verb (`it had fined`), the
    /// sentence subject if that comes before the pronoun (else nobody).
    pub(super) fn agent_before(&self, i: usize) -> Option<usize> {
        let (mut k, auxiliaries) = (i, &*AUXILIARIES);
        while k > 0 && auxiliaries.contains(self.w(k - 1)) {
            k -= 1;
        }
        if k > 0 && matches!(self.w(k - 1), "it" | "they" | "he" | "she") {
            return self.subject_org().filter(|&m| self.ms[m].b < k - 1);
        }
        self.nearest_before(i, &[EntityType::Org])
    }

    /// The sentence subject (see the module docs).
    pub(super) fn subject(&self) -> Option<usize> {
        let mut start = 0;
        if ADVERBIAL_OPENERS.contains(self.w(0))
            && let Some(c) = (0..self.n).find(|&i| self.w(i) == ",")
        {
            start = c + 1;
        }
        let m = self.ms.iter().position(|m| {
            m.a >= start && matches!(m.kind, EntityType::Org | EntityType::Product)
        })?;
        Some(self.possessed(m))
    }

    /// The organisation behind the subject (`Alibaba` for `Alibaba's Deals app`).
    pub(super) fn subject_org(&self) -> Option<usize> {
        let s = self.subject()?;
        if self.ms[s].kind == EntityType::Org {
            return Some(s);
        }
        // A possessed product: take its possessor.
        let a = self.ms[s].a;
        if a >= 2 && self.possessive(a - 2) == 2 {
            return self
                .mention_ending(a - 2)
                .filter(|&p| self.ms[p].kind == EntityType::Org);
        }
        None
    }

    /// The nearest organisation before token `i` that a verb follows
    /// (`Tencent could …`, `Alibaba flagged …`): the subject of the clause.
    pub(super) fn clause_subject_before(&self, i: usize) -> Option<usize> {
        self.ms
            .iter()
            .enumerate()
            .filter(|(_, m)| m.b <= i && m.kind == EntityType::Org)
            .filter(|(_, m)| {
                let next = self.w(m.b);
                CLAUSE_VERBS.contains(next)
                    || next.len() > 3 && next.ends_with("ed") && self.is_lower_word(m.b)
            })
            .max_by_key(|(_, m)| m.b)
            .map(|(k, _)| k)
    }

    /// A blocker word within the `before` tokens before `i`.
    pub(super) fn negated(&self, i: usize, before: usize) -> bool {
        let blockers = &*BLOCKERS;
        (i.saturating_sub(before)..i).any(|k| {
            blockers.contains(self.w(k)) || self.w(k) == "t" && self.w(k.wrapping_sub(1)) == "'"
        })
    }

    /// The first token at or after `from` that starts a cue of the verb and
    /// phrase rules ([`CUES`]). A loop of its own: inside the rules'
    /// loop, whose state fills the registers, each of the many tokens that
    /// start no cue cost about 70 instructions instead of about 15.
    #[inline(never)]
    pub(super) fn next_cue(&self, from: usize) -> Option<usize> {
        // The key of a token as written rules most out unread: an ASCII
        // token whose lowercase form is a cue has a key of the cue in some
        // case. (Unicode lowercasing can change a non-ASCII token more.)
        let (cue_keys, cues) = (&*CUE_KEYS, &*CUES);
        let tokens = &self.doc.tokens[self.t0..self.t0 + self.n];
        (from..self.n).find(|&i| {
            let t = &tokens[i];
            (t.shape.non_ascii() || cue_keys.may_contain(t.word_key)) && cues.contains(self.w(i))
        })
    }

    pub(super) fn has_word(&self, words: &WordList) -> bool {
        self.low.iter().any(|w| words.contains(w))
    }
}
