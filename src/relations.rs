//! Relations between entities (SPEC §6), by rules over one sentence's tokens
//! and entity mentions. Every rule has an id, written as the relation's `rule`;
//! the evidence is the sentence. Argument types must fit the SPEC table, a
//! relation the sentence negates, denies or only plans is dropped, and each
//! `(type, head, tail)` is kept once per document (the first evidence).
//!
//! Shared notions:
//! * a **list** is a run of mentions joined by `,`, `and`, `or` (`JD.com Inc.
//!   and Pinduoduo Inc.`); a rule that finds one argument takes the whole list;
//! * a **possessive** `X's Y` points at `Y` when an argument would land on `X`
//!   (`competes with Alibaba's Ele.me` → Ele.me);
//! * the **subject** of a sentence is its first organisation or product after a
//!   leading adverbial (`Apart from …,`), moved to `Y` in `X's Y`;
//! * `its` refers to the organisation of the nearest clause subject before it
//!   (`Tencent could … its WeChat`), else of the sentence subject;
//! * the agent of a verb is the nearest organisation before it, unless a
//!   pronoun stands before the verb (`it had fined`): then the sentence subject
//!   if it precedes the pronoun, else no relation;
//! * a leading dateline (`BEIJING (Reuters) -`) holds no arguments;
//! * a **description** (`the regulator`, `Korean regulators`, `the company`)
//!   as an agent is the authority (a name ending in `Commission`, `Authority`
//!   …) or the other organisation named last in the sentence or before it.
//!
//! | rule | cue | relation |
//! | --- | --- | --- |
//! | `possessive` | `Tencent's WeChat`, `Alibaba's marketplaces, Taobao and Tmall` | owns |
//! | `its-possessive` | `Tencent … its WeChat app` | owns |
//! | `owned-modifier` | `Alibaba-owned Lazada` | owns |
//! | `owner-of` | `ByteDance, owner of TikTok`; `TikTok parent ByteDance` | owns |
//! | `owns-verb` | `X owns / acquired / bought Y`; `Y, owned / controlled by X` | owns |
//! | `founded-by` | `Alibaba, founded by Jack Ma`; `founded in Nanjing in 2008 by X`; `founder Jack Ma at Alibaba` | founded_by |
//! | `founder-of` | `Jack Ma, founder of Alibaba`; `Alibaba founder Jack Ma` | founded_by |
//! | `person-role-at` | `Angela Zhang, a professor … at HKU`; `Pony Ma at Tencent` | works_for |
//! | `org-title-person` | `Alibaba chief executive Daniel Zhang` | works_for |
//! | `invested-in` | `Tencent has invested in JD.com and Pinduoduo`; `invested about $13 billion in X` | invested_in |
//! | `backer-of` | `it is also a backer of Meituan` | invested_in |
//! | `backed-modifier` | `Tencent-backed Kuaishou`; `backed by Tencent` | invested_in |
//! | `affiliate` | `Alibaba affiliate Ant Group`; `Ant, an affiliate of Alibaba` | affiliate_of |
//! | `competes-verb` | `Alipay competes with WeChat Pay`; `X and Y compete`; `competition from X` | competes_with |
//! | `rival-premodifier` | `fend off rival Pinduoduo` | competes_with |
//! | `rival-to` | `WeChat Pay, the payment service rival to Alipay` | competes_with |
//! | `two-rivals` | `the two tech rivals`, `They have been fierce rivals` (the two most-mentioned organisations) | competes_with |
//! | `fined` | `SAMR fined Alibaba`; `the regulator said it had fined carmaker X` | fined |
//! | `fined-passive` | `Y was fined by X`; `Y was fined $2 billion` (the authority named before) | fined |
//! | `fine-imposed` | `levied / imposed / issued a fine … against / on Y`; `slapped Y with a fine` | fined |
//! | `fine-against` | `a €1.8bn fine against Y` (the authority named before) | fined |
//! | `hit-with-fine` | `Y was hit with a record fine` | fined |
//! | `investor-of` | `Uber investor SoftBank`; `X, an investor in Y` | invested_in |
//! | `investors-include` | `its investors include A, B and C` | invested_in |
//! | `raised-from` | `X raised $N from A and B` | invested_in |
//! | `round-led-by` | `backers in X — led by A and including B`; `A led the company's Series B round` | invested_in |
//! | `minority-stake` | `X owns about 15% of Y` | invested_in |
//! | `majority-stake` | `X bought a 60 percent stake in Y`; `a controlling stake` | owns |
//! | `unit-of` | `Whole Foods, a unit of Amazon` | owns |
//! | `parent-of` | `Arm's Japanese parent SoftBank` | owns |
//! | `acquisition-of` | `X's acquisition of Y`; `with the acquisition of Y` (the clause's subject) | owns |
//! | `title-person` | `former CEO Travis Kalanick` (the company the sentence or article names) | works_for |
//! | `org-of-place` | `Inspired Capital of New York` | headquartered_in |
//! | `person-became-role` | `Ghosn became the chief operating officer of Nissan` | works_for |
//! | `worked-for` | `P began his career working for O` | works_for |
//! | `sued` | `ByteDance sued Tencent`; `filed a lawsuit against`; `was sued by` | sued |
//! | `blocked-verb` | `X blocked Y`; `Y services have been blocked on X`; `banned from X` | blocked |
//! | `blocking-access` | `blocking access to Y on X and Z`; `the blocking of Y links on X` | blocked |
//! | `prevented-from` | `prevented X's … from being used … on Y`; `preventing customers from using Y` | blocked |
//! | `cannot-on` | `X users cannot pay … on Y` | blocked |
//! | `headquartered-in` | `X headquarters in Y`; `X, based in Y` | headquartered_in |
//! | `based-modifier` | `Shenzhen-based Tencent`; `the Shenzhen-based company` (an organisation just mentioned whose headquarters the gazetteer knows) | headquartered_in |

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use foldhash::{HashMap, HashSet, HashSetExt};

use crate::document::{Document, EntityType, Relation, RelationType, Span};
use crate::gazetteer::Gazetteer;
use crate::lexicon::{KeyFilter, PERSON_ROLES, WordList};
use crate::stage::Stage;

/// The relation stage (needs sentences and entities).
#[derive(Debug, Clone, Default)]
pub struct RelationExtractor {
    /// Entity id → id of the GPE it is headquartered in (from the gazetteer).
    hq: HashMap<String, String>,
}

impl RelationExtractor {
    /// An extractor that knows the gazetteer's headquarters.
    pub fn new(gazetteer: &Gazetteer) -> RelationExtractor {
        let hq = gazetteer
            .entries
            .iter()
            .filter_map(|e| e.hq.clone().map(|h| (e.id.clone(), h)))
            .collect();
        RelationExtractor { hq }
    }
}

/// Words that, shortly before a cue, say the relation is denied, unreal or only planned.
static BLOCKERS: LazyLock<WordList> = LazyLock::new(|| WordList::builtin("relation-blockers.txt"));

/// Openers of a leading adverbial clause that holds no subject.
static ADVERBIAL_OPENERS: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("adverbial-openers.txt"));

/// Words between a subject and its verb (`it had also fined`).
static AUXILIARIES: LazyLock<WordList> = LazyLock::new(|| WordList::builtin("auxiliaries.txt"));

/// Sentences longer than this many tokens yield no relations.
const MAX_SENTENCE_TOKENS: usize = 300;

/// Every word that starts a cue of the verb and phrase rules (a fast skip for the rest).
static VERB_CUES: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("relation-verb-cues.txt"));

/// Function words that end the noun phrase after `its` (`its check that
/// Finix`, `its own shares to Alphabet`).
static ITS_PHRASE_ENDS: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("its-phrase-ends.txt"));

/// Words in the noun phrase after `its` that say the organisation named
/// next is not one the subject owns (`its rival Y`, `its biggest
/// shareholder Y`, `its bid for Y`).
static NOT_OWNED_AFTER_ITS: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("not-owned-after-its.txt"));

/// Auxiliaries and common verbs that follow a clause's subject.
static CLAUSE_VERBS: LazyLock<WordList> = LazyLock::new(|| WordList::builtin("clause-verbs.txt"));

static FOUNDER_WORDS: WordList = WordList::new(&[
    "founder",
    "co-founder",
    "cofounder",
    "founders",
    "co-founders",
    "founded",
    "co-founded",
    "cofounded",
]);

static ROLE_TITLES: LazyLock<WordList> = LazyLock::new(|| WordList::builtin("role-titles.txt"));

/// Kinds that coordinate in one list: the same, or organisations with products
/// (`competes with Google's Gemini and Anthropic`).
fn same_family(a: EntityType, b: EntityType) -> bool {
    use EntityType::*;
    a == b || matches!((a, b), (Org, Product) | (Product, Org))
}

#[derive(Debug, Clone, Copy)]
struct M {
    ent: usize,
    kind: EntityType,
    /// Local token range `[a, b)`.
    a: usize,
    b: usize,
}

struct Sent<'a> {
    doc: &'a Document,
    /// Global index of the first token.
    t0: usize,
    n: usize,
    ms: Vec<M>,
    /// Lowercased token texts (borrowed from the text or its ASCII-lowercased
    /// copy; owned only for the rare non-ASCII token that lowercasing changes).
    low: Vec<Cow<'a, str>>,
}

type Found = (RelationType, usize, usize, &'static str);

/// The vectors of a [`Sent`], handed from one sentence to the next so that
/// each document allocates them once rather than once per sentence.
#[derive(Default)]
struct SentBuffers<'a> {
    ms: Vec<M>,
    low: Vec<Cow<'a, str>>,
}

impl<'a> Sent<'a> {
    /// The sentence at `span`, whose tokens are `range` and whose mentions
    /// start in `doc.mentions[mentions]`; `lower` is `doc.text` with ASCII
    /// letters lowercased (same byte offsets), computed once per document.
    fn new(
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
                });
            }
        }
        Sent {
            doc,
            t0,
            n,
            ms,
            low,
        }
    }

    /// The vectors, for the next sentence.
    fn into_buffers(self) -> SentBuffers<'a> {
        SentBuffers {
            ms: self.ms,
            low: self.low,
        }
    }

    fn w(&self, i: usize) -> &str {
        self.low.get(i).map_or("", |w| w.as_ref())
    }

    fn raw(&self, i: usize) -> &str {
        if i >= self.n {
            return "";
        }
        self.doc.slice(self.doc.tokens[self.t0 + i].span)
    }

    fn is_lower_word(&self, i: usize) -> bool {
        i < self.n && self.doc.tokens[self.t0 + i].shape.lower_initial()
    }

    /// The mention starting at token `i`.
    fn mention_at(&self, i: usize) -> Option<usize> {
        // Mentions are sorted and do not overlap: binary search.
        let k = self.ms.partition_point(|m| m.a < i);
        (k < self.ms.len() && self.ms[k].a == i).then_some(k)
    }

    /// The mention ending just before token `i`.
    fn mention_ending(&self, i: usize) -> Option<usize> {
        let k = self.ms.partition_point(|m| m.b < i);
        (k < self.ms.len() && self.ms[k].b == i).then_some(k)
    }

    /// Tokens `i..` spell `words` (lowercase).
    fn at(&self, i: usize, words: &[&str]) -> bool {
        words.iter().enumerate().all(|(k, w)| self.w(i + k) == *w)
    }

    /// How many tokens a `founder` word at `i` spans: one for `founder` and
    /// `cofounder`, three for `co-founder` (`co`, `-`, `founder`); 0 for none.
    fn founder_word_at(&self, i: usize) -> usize {
        match self.w(i) {
            "founder" | "cofounder" => 1,
            "co" if self.w(i + 1) == "-" && self.w(i + 2) == "founder" => 3,
            _ => 0,
        }
    }

    /// Length in tokens of a possessive `'s` at `i` (`'` `s` or `’` `s`), or 0.
    fn possessive(&self, i: usize) -> usize {
        if self.w(i) == "'" && self.w(i + 1) == "s" {
            2
        } else {
            0
        }
    }

    /// Mention `m` and the mentions of its kind coordinated after it (`A, B and C`).
    fn list_from(&self, m: usize) -> Vec<usize> {
        self.list_after(m, |a, b| a == b)
    }

    /// Like [`Sent::list_from`], with organisations and products in one list
    /// (`competes with Google's Gemini and Anthropic`).
    fn list_from_mixed(&self, m: usize) -> Vec<usize> {
        self.list_after(m, same_family)
    }

    fn list_after(&self, m: usize, coordinates: fn(EntityType, EntityType) -> bool) -> Vec<usize> {
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
    fn list_tight(&self, m: usize) -> Vec<usize> {
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
    fn list_ending_at(&self, m: usize) -> Vec<usize> {
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
    fn possessed(&self, m: usize) -> usize {
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

    /// The first mention at or after token `i` (stopping at a clause break), resolved through possessives.
    fn first_after(&self, i: usize, max_gap: usize) -> Option<usize> {
        let mut k = i;
        while k < self.n && k <= i + max_gap {
            if let Some(m) = self.mention_at(k) {
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
    fn nearest_before(&self, i: usize, types: &[EntityType]) -> Option<usize> {
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
    fn agent_before(&self, i: usize) -> Option<usize> {
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
    fn subject(&self) -> Option<usize> {
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
    fn subject_org(&self) -> Option<usize> {
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
    fn clause_subject_before(&self, i: usize) -> Option<usize> {
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
    fn negated(&self, i: usize, before: usize) -> bool {
        let blockers = &*BLOCKERS;
        (i.saturating_sub(before)..i).any(|k| {
            blockers.contains(self.w(k)) || self.w(k) == "t" && self.w(k.wrapping_sub(1)) == "'"
        })
    }

    /// The first token at or after `from` that starts a cue of the verb and
    /// phrase rules ([`VERB_CUES`]). A loop of its own: inside the rules'
    /// loop, whose state fills the registers, each of the many tokens that
    /// start no cue cost about 70 instructions instead of about 15.
    #[inline(never)]
    fn next_cue(&self, from: usize) -> Option<usize> {
        // The key of a token as written rules most out unread: an ASCII
        // token whose lowercase form is a cue has a key of the cue in some
        // case. (Unicode lowercasing can change a non-ASCII token more.)
        static CUE_KEYS_ANY_CASE: LazyLock<KeyFilter> =
            LazyLock::new(|| KeyFilter::of_any_case(&[VERB_CUES.words()]));
        let (cue_keys, cues) = (&*CUE_KEYS_ANY_CASE, &*VERB_CUES);
        let tokens = &self.doc.tokens[self.t0..self.t0 + self.n];
        (from..self.n).find(|&i| {
            let t = &tokens[i];
            (t.shape.non_ascii() || cue_keys.may_contain(t.word_key)) && cues.contains(self.w(i))
        })
    }

    fn has_word(&self, words: &WordList) -> bool {
        self.low.iter().any(|w| words.contains(w))
    }
}

/// Organisation mentions so far in a document: per entity index, and the
/// organisations in the order first seen.
#[derive(Clone, Copy)]
struct MentionCounts<'c> {
    counts: &'c [usize],
    seen_order: &'c [usize],
}

impl MentionCounts<'_> {
    /// The two most-mentioned organisations so far (ties: the one seen first),
    /// most-mentioned first; fewer when fewer are known.
    fn two_most_mentioned(self) -> Vec<usize> {
        let MentionCounts { counts, seen_order } = self;
        // Ties go to the organisation seen first: its place in `seen_order`.
        let key = |k: usize| (std::cmp::Reverse(counts[seen_order[k]]), k);
        let mut best: Vec<usize> = Vec::with_capacity(2);
        for k in 0..seen_order.len() {
            match best.as_slice() {
                [] | [_] => best.push(k),
                [_, second] if key(k) < key(*second) => best[1] = k,
                _ => continue,
            }
            if best.len() == 2 && key(best[1]) < key(best[0]) {
                best.swap(0, 1);
            }
        }
        best.into_iter().map(|k| seen_order[k]).collect()
    }
}

/// Heads of the names of authorities: regulators, ministries, courts,
/// agencies (`Federal Financial Supervisory Authority`, `European Commission`).
static AUTHORITY_HEADS: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("authority-heads.txt"));

/// Words that refer back to an authority the article names (`the regulator`,
/// `Korean regulators`, `the watchdog`).
static AUTHORITY_REFERENCES: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("authority-references.txt"));

/// Words that refer back to a company the article names (`the company`,
/// `the carmaker`, `the lender`).
static COMPANY_REFERENCES: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("company-references.txt"));

/// Whether an organisation's name is an authority's (its last word is one of
/// [`AUTHORITY_HEADS`], or `of` follows one: `Ministry of Finance`).
fn is_authority_name(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    let head = words
        .iter()
        .position(|w| *w == "of")
        .map_or(words.last().copied(), |k| {
            k.checked_sub(1).map(|k| words[k])
        });
    head.is_some_and(|w| AUTHORITY_HEADS.contains(w.trim_end_matches(['\'', '’', 's'])))
        || head.is_some_and(|w| AUTHORITY_HEADS.contains(w))
}

/// What the rules know of the document before the sentence.
#[derive(Clone, Copy)]
struct Context<'c> {
    /// Per entity: it is an authority ([`is_authority_name`]).
    authority: &'c [bool],
    /// The last authority and the last other organisation named before the
    /// sentence (entity indices).
    last_authority: Option<usize>,
    last_company: Option<usize>,
}

impl Context<'_> {
    /// The entity a description at tokens before `i` refers to: the nearest
    /// `the regulator` / `the company` kind of phrase, resolved to an
    /// authority or a company named earlier in the sentence, else before it.
    fn described_before(&self, s: &Sent, i: usize) -> Option<usize> {
        let (authorities, companies) = (&*AUTHORITY_REFERENCES, &*COMPANY_REFERENCES);
        let k = (0..i)
            .rev()
            .take(12)
            .find(|&k| authorities.contains(s.w(k)) || companies.contains(s.w(k)))?;
        // A description, not part of a name: lowercase, after `the`/`its` or plural.
        let definite = k > 0 && matches!(s.w(k - 1), "the" | "this" | "that");
        if !s.is_lower_word(k) || !(definite || s.w(k).ends_with('s')) {
            return None;
        }
        // Nothing between it and the verb but auxiliaries, `said`, `it`.
        let auxiliaries = &*AUXILIARIES;
        let clean = (k + 1..i).all(|j| {
            auxiliaries.contains(s.w(j))
                || matches!(s.w(j), "said" | "says" | "it" | "that" | "they")
        });
        if !clean {
            return None;
        }
        let authority = authorities.contains(s.w(k));
        let in_sentence =
            s.ms.iter()
                .filter(|m| m.b <= k && m.kind == EntityType::Org)
                .map(|m| m.ent)
                .rfind(|&e| self.authority[e] == authority);
        in_sentence.or(if authority {
            self.last_authority
        } else {
            self.last_company
        })
    }

    /// The organisation acting in the verb at `i`: named before it in the
    /// sentence, or described (`the regulator said it had fined …`).
    fn agent(&self, s: &Sent, i: usize) -> Option<usize> {
        s.agent_before(i)
            .map(|m| s.ms[m].ent)
            .or_else(|| self.described_before(s, i))
    }

    /// The authority behind a fine the sentence does not attribute: one it
    /// names before `i`, else the last one named before the sentence.
    fn fining_authority(&self, s: &Sent, i: usize) -> Option<usize> {
        s.ms.iter()
            .rfind(|m| m.b <= i && m.kind == EntityType::Org && self.authority[m.ent])
            .map(|m| m.ent)
            .or(self.last_authority)
    }
}

/// All relations stated by one sentence.
fn sentence_relations(
    s: &Sent,
    mentioned: MentionCounts,
    hq: &HashMap<String, String>,
    prev_orgs: &[usize],
    ctx: Context,
    out: &mut Vec<Found>,
) {
    let role_titles = &*ROLE_TITLES;
    let (phrase_ends, not_owned) = (&*ITS_PHRASE_ENDS, &*NOT_OWNED_AFTER_ITS);
    use EntityType::*;
    use RelationType::*;
    let ent = |m: usize| s.ms[m].ent;
    let mut push =
        |kind: RelationType, h: usize, t: usize, rule: &'static str| out.push((kind, h, t, rule));

    for (mi, m) in s.ms.iter().enumerate() {
        let after = m.b;
        // possessive: X's [words] Y / X's [words], Y and Z
        let p = s.possessive(after);
        if p > 0 && m.kind == Org {
            let mut i = after + p;
            let mut gap = 0;
            while gap < 6
                && (s.is_lower_word(i) || s.w(i) == "-" || role_titles.contains(s.w(i)))
                && s.mention_at(i).is_none()
            {
                i += 1;
                gap += 1;
            }
            if s.w(i) == "," && gap > 0 {
                i += 1;
            }
            if let Some(y) = s.mention_at(i) {
                let is_affiliate = (after + p..i).any(|k| s.w(k) == "affiliate");
                let is_founder = (after + p..i).any(|k| FOUNDER_WORDS.contains(s.w(k)));
                let is_rival = (after + p..i)
                    .any(|k| matches!(s.w(k), "rival" | "rivals" | "competitor" | "competitors"));
                let has_role = (after + p..i)
                    .any(|k| role_titles.contains(s.w(k)) && !FOUNDER_WORDS.contains(s.w(k)));
                let is_investor =
                    (after + p..i).any(|k| matches!(s.w(k), "investor" | "backer" | "shareholder"));
                // `Arm's Japanese parent SoftBank`
                let is_parent =
                    (after + p..i).any(|k| matches!(s.w(k), "parent" | "owner" | "owners"));
                // `SoftBank's stake in Yahoo Japan`: left to the stake rule.
                let is_stake = (after + p..i).any(|k| matches!(s.w(k), "stake" | "stakes"));
                for t in s.list_from(y) {
                    if is_stake {
                        continue;
                    } else if is_affiliate {
                        push(AffiliateOf, ent(t), ent(mi), "affiliate");
                    } else if is_founder {
                        push(FoundedBy, ent(mi), ent(t), "founder-of");
                        if has_role && s.ms[t].kind == Person {
                            push(WorksFor, ent(t), ent(mi), "org-title-person");
                        }
                    } else if is_investor && s.ms[t].kind == Org {
                        push(InvestedIn, ent(t), ent(mi), "investor-of");
                    } else if is_parent && s.ms[t].kind == Org {
                        push(Owns, ent(t), ent(mi), "parent-of");
                    } else if is_rival {
                        push(CompetesWith, ent(mi), ent(t), "rival-premodifier");
                    } else if s.ms[t].kind == Person {
                        if (after + p..i).any(|k| role_titles.contains(s.w(k))) {
                            push(WorksFor, ent(t), ent(mi), "org-title-person");
                        }
                    } else {
                        push(Owns, ent(mi), ent(t), "possessive");
                    }
                }
            }
        }
        // X-owned Y, X-backed Y, X-based Y
        if s.w(after) == "-" && s.ms[mi].b + 2 <= s.n {
            let cue = s.w(after + 1);
            if let Some(y) = s.first_after(after + 2, 3) {
                match cue {
                    "owned" => push(Owns, ent(mi), ent(y), "owned-modifier"),
                    "backed" => push(InvestedIn, ent(mi), ent(y), "backed-modifier"),
                    "based" | "headquartered" => {
                        push(HeadquarteredIn, ent(y), ent(mi), "based-modifier")
                    }
                    _ => {}
                }
            }
            // `the Shenzhen-based company`: an organisation just mentioned.
            if matches!(cue, "based" | "headquartered")
                && m.kind == Gpe
                && s.first_after(after + 2, 3).is_none()
            {
                let gpe = &s.doc.entities[ent(mi)].id;
                let known = prev_orgs
                    .iter()
                    .rev()
                    .find(|&&e| hq.get(&s.doc.entities[e].id) == Some(gpe));
                if let Some(&org) = known {
                    push(HeadquarteredIn, org, ent(mi), "based-modifier");
                }
            }
        }
        // `Inspired Capital of New York`: an organisation of a place
        if m.kind == Org
            && s.w(after) == "of"
            && let Some(y) = s.mention_at(after + 1).filter(|&y| s.ms[y].kind == Gpe)
            && !matches!(s.w(s.ms[y].b), "-" | "'")
        {
            push(HeadquarteredIn, ent(mi), ent(y), "org-of-place");
        }
        // Y parent|owner X
        if matches!(s.w(after), "parent" | "owner" | "operator")
            && let Some(x) = s.mention_at(after + 1)
        {
            push(Owns, ent(x), ent(mi), "owner-of");
        }
        // Y investor|backer|shareholder X (`Uber investor SoftBank`)
        if matches!(s.w(after), "investor" | "backer" | "shareholder")
            && let Some(x) = s.mention_at(after + 1).filter(|&x| s.ms[x].kind == Org)
        {
            push(InvestedIn, ent(x), ent(mi), "investor-of");
        }
        // X affiliate Y
        if s.w(after) == "affiliate"
            && let Some(y) = s.mention_at(after + 1)
        {
            push(AffiliateOf, ent(y), ent(mi), "affiliate");
        }
        // X founder|co-founder Y
        let len = s.founder_word_at(after);
        if len > 0
            && let Some(y) = s.mention_at(after + len)
        {
            push(FoundedBy, ent(mi), ent(y), "founder-of");
        }
        // X chief executive|president Y
        if role_titles.contains(s.w(after)) && m.kind == Org {
            let mut i = after;
            while i < s.n && (role_titles.contains(s.w(i)) || s.w(i) == "and") {
                i += 1;
            }
            if let Some(y) = s.mention_at(i).filter(|&y| s.ms[y].kind == Person) {
                let founder = (after..i).any(|k| FOUNDER_WORDS.contains(s.w(k)));
                let role = (after..i)
                    .any(|k| role_titles.contains(s.w(k)) && !FOUNDER_WORDS.contains(s.w(k)));
                if founder {
                    push(FoundedBy, ent(mi), ent(y), "founder-of");
                }
                if role {
                    push(WorksFor, ent(y), ent(mi), "org-title-person");
                }
            }
        }
        // X, (the) owner|parent of Y / X, an affiliate of Y / Y, founder of X / P, a professor at O
        let after_bracket = if s.w(after) == ")" && s.w(after + 1) == "," {
            after + 1
        } else {
            after
        };
        if s.w(after_bracket) == "," {
            let after = after_bracket;
            let mut i = after + 1;
            // `X, a unit of Y`: a noun phrase in apposition, not a clause.
            let apposition = matches!(s.w(i), "the" | "a" | "an" | "its");
            if apposition {
                i += 1;
            }
            let start = i;
            while i < s.n && i < start + 8 && (s.is_lower_word(i) || s.w(i) == "-") && s.w(i) != ","
            {
                if matches!(s.w(i), "of" | "at" | "with" | "for" | "from" | "in" | "to") {
                    break;
                }
                i += 1;
            }
            let nouns = start..i;
            let prep = s.w(i);
            let last = if i > start { s.w(i - 1) } else { "" };
            // `the parent company of`, `a holding company of`
            let last = if matches!(last, "company" | "group" | "firm")
                && i >= start + 2
                && matches!(s.w(i - 2), "parent" | "holding")
            {
                "parent"
            } else {
                last
            };
            if let Some(y) = s.first_after(i + 1, 2) {
                match (m.kind, last, prep) {
                    (
                        Org,
                        "owner" | "parent" | "operator" | "maker" | "developer" | "publisher",
                        "of",
                    ) => {
                        for t in s.list_from(y) {
                            push(Owns, ent(mi), ent(t), "owner-of");
                        }
                    }
                    // `Whole Foods, a unit of Amazon`: owned by it.
                    (Org | Product, "unit" | "subsidiary" | "division" | "arm", "of")
                        if apposition =>
                    {
                        push(Owns, ent(y), ent(mi), "unit-of")
                    }
                    (Org, "affiliate", "of") => push(AffiliateOf, ent(mi), ent(y), "affiliate"),
                    (Org, "investor" | "backer" | "shareholder", "in" | "of") if apposition => {
                        push(InvestedIn, ent(mi), ent(y), "investor-of")
                    }
                    (Person, _, "of") if nouns.clone().any(|k| FOUNDER_WORDS.contains(s.w(k))) => {
                        push(FoundedBy, ent(y), ent(mi), "founder-of")
                    }
                    (Product | Org, _, "to" | "of") if last == "rival" => {
                        push(CompetesWith, ent(mi), ent(y), "rival-to")
                    }
                    (Org, _, "in") if matches!(last, "headquartered" | "based") => {
                        push(HeadquarteredIn, ent(mi), ent(y), "headquartered-in")
                    }
                    _ => {}
                }
            }
        }
        // P, an associate professor of law at O
        if m.kind == Person && s.w(after) == "," {
            let end = (after + 1..(after + 16).min(s.n))
                .find(|&k| matches!(s.w(k), "," | ";" | "." | "("))
                .unwrap_or((after + 16).min(s.n));
            // A role other than founder (`founder and chief executive of`
            // gives both relations, SPEC §6; `founder of` alone is founded_by).
            let has_role = (after + 1..end).any(|k| {
                (PERSON_ROLES.contains(s.raw(k)) || role_titles.contains(s.w(k)))
                    && !FOUNDER_WORDS.contains(s.w(k))
            });
            let founder = false;
            // The first organisation after a preposition (`at Shanghai-based brokerage X`).
            let org = (after + 2..end)
                .find(|&k| matches!(s.w(k), "at" | "with" | "of" | "for" | "from"))
                .and_then(|p| {
                    (p + 1..end).find(|&k| s.mention_at(k).is_some_and(|o| s.ms[o].kind == Org))
                });
            if let (true, false, Some(k)) = (has_role, founder, org)
                && let Some(o) = s.mention_at(k)
            {
                push(WorksFor, ent(mi), ent(o), "person-role-at");
            }
        }
        // P at O (founder context: founded_by)
        if m.kind == Person
            && s.w(after) == "at"
            && let Some(o) = s.mention_at(after + 1).filter(|&o| s.ms[o].kind == Org)
        {
            // Asked here only: a scan of the whole sentence for one rare pattern.
            if s.has_word(&FOUNDER_WORDS) {
                push(FoundedBy, ent(o), ent(mi), "founded-by");
            } else {
                push(WorksFor, ent(mi), ent(o), "person-role-at");
            }
        }
        // X headquarters|headquartered|based in Y; `X is expected to remain
        // headquartered in Y` (lowercase words between, no other name)
        if m.kind == Org {
            let mut i = after;
            while i < after + 6
                && s.is_lower_word(i)
                && !matches!(s.w(i), "headquarters" | "headquartered" | "based")
            {
                i += 1;
            }
            if matches!(s.w(i), "headquarters" | "headquartered" | "based")
                && s.w(i + 1) == "in"
                && !s.negated(i, i - after)
                && let Some(y) = s.mention_at(i + 2)
            {
                push(HeadquarteredIn, ent(mi), ent(y), "headquartered-in");
            }
        }
        // `Chairman and chief executive Brian Roberts has …`, `former CEO
        // Travis Kalanick`: an executive title right before a person with no
        // organisation of its own names the company the sentence, else the
        // article, is about.
        if m.kind == Person {
            let mut k = m.a;
            while k > 0 && (role_titles.contains(s.w(k - 1)) || (k < m.a && s.w(k - 1) == "and")) {
                k -= 1;
            }
            let executive = (k..m.a).any(|j| {
                matches!(
                    s.w(j),
                    // (`President Xi Jinping` heads a state, not the company.)
                    "chief" | "ceo" | "cfo" | "coo" | "cto" | "chairman" | "chairwoman" | "boss"
                )
            });
            let own_org = k > 0 && (s.mention_ending(k).is_some() || s.w(k - 1) == "s");
            if executive && !own_org && !s.negated(k, 3) {
                let org = s
                    .nearest_before(k, &[Org])
                    .map(ent)
                    .filter(|&e| !ctx.authority[e])
                    .or(ctx.last_company);
                if let Some(o) = org {
                    push(WorksFor, ent(mi), o, "title-person");
                }
            }
        }
        // P became|is|was (the|a) ROLE of|at O
        if m.kind == Person && matches!(s.w(after), "became" | "is" | "was" | "remains" | "becomes")
        {
            let mut i = after + 1;
            if matches!(s.w(i), "the" | "a" | "an" | "its") {
                i += 1;
            }
            let start = i;
            while i < start + 5 && role_titles.contains(s.w(i)) {
                i += 1;
            }
            if i > start
                && matches!(s.w(i), "of" | "at")
                && let Some(o) = s.first_after(i + 1, 1).filter(|&o| s.ms[o].kind == Org)
            {
                push(WorksFor, ent(mi), ent(o), "person-became-role");
            }
        }
        // (the) rival to|of Y, not in an appositive: the subject is the rival
        if m.a >= 2
            && matches!(s.w(m.a - 1), "to" | "of")
            && s.w(m.a - 2) == "rival"
            && !s.negated(m.a - 2, 3)
        {
            let appositive = (m.a.saturating_sub(8)..m.a - 2).any(|k| s.w(k) == ",");
            if !appositive && let Some(subj) = s.subject().filter(|&x| s.ms[x].ent != m.ent) {
                push(CompetesWith, ent(subj), ent(s.possessed(mi)), "rival-to");
            }
        }
        // rival Y (premodifier)
        if m.a > 0
            && matches!(s.w(m.a - 1), "rival" | "rivals")
            && !s.negated(m.a - 1, 3)
            && let Some(subj) = s
                .subject()
                .filter(|&x| s.ms[x].ent != m.ent && s.ms[x].a < m.a)
        {
            push(CompetesWith, ent(subj), ent(mi), "rival-premodifier");
        }
    }

    // Verb and phrase cues.
    let mut next = s.next_cue(0);
    while let Some(i) = next {
        next = s.next_cue(i + 1);
        let w = s.w(i);
        // its [words] Y (and Z): owned by the subject's organisation
        if w == "its" {
            let mut k = i + 1;
            // The noun phrase after `its` ends at a function word (`its check
            // that Finix`, `its own shares to Alphabet`).
            while k < i + 6
                && (s.is_lower_word(k) || s.w(k) == "-")
                && s.mention_at(k).is_none()
                && !phrase_ends.contains(s.w(k))
            {
                k += 1;
            }
            // `its South Korean rival, Samsung`: the owner's competitor.
            if let Some(r) = (i + 1..(i + 6).min(s.n))
                .take_while(|&j| s.mention_at(j).is_none() && !matches!(s.w(j), "," | "." | ";"))
                .find(|&j| matches!(s.w(j), "rival" | "rivals" | "competitor" | "competitors"))
            {
                let at = if s.w(r + 1) == "," { r + 2 } else { r + 1 };
                if let (Some(y), Some(owner)) = (
                    s.mention_at(at),
                    s.clause_subject_before(i).or_else(|| s.subject_org()),
                ) && !s.negated(i, 4)
                {
                    for t in s.list_from_mixed(y) {
                        push(CompetesWith, ent(owner), ent(t), "rival-premodifier");
                    }
                }
            }
            // `its biggest shareholder SoftBank`: the named one invests in the owner.
            if let (Some(y), Some(owner)) = (
                s.mention_at(k),
                s.clause_subject_before(i).or_else(|| s.subject_org()),
            ) && (i + 1..k).any(|j| {
                matches!(
                    s.w(j),
                    "shareholder"
                        | "investor"
                        | "backer"
                        | "shareholders"
                        | "investors"
                        | "backers"
                )
            }) && s.ms[y].kind == Org
            {
                for t in s.list_from(y) {
                    push(InvestedIn, ent(t), ent(owner), "investor-of");
                }
            }
            if let (Some(y), Some(owner)) = (
                s.mention_at(k),
                s.clause_subject_before(i).or_else(|| s.subject_org()),
            ) && !(i + 1..k).any(|j| not_owned.contains(s.w(j)))
            {
                for t in s.list_from(y) {
                    push(Owns, ent(owner), ent(t), "its-possessive");
                }
            }
        }
        // founded by P
        if matches!(
            w,
            "founded" | "co-founded" | "cofounded" | "started" | "established"
        )
            // `founded by X`, `founded in Nanjing in 2008 by X`
            && let Some(by) = (i + 1..(i + 9).min(s.n))
                .take_while(|&k| !matches!(s.w(k), "," | ";" | "."))
                .find(|&k| s.w(k) == "by")
            && let Some(p) = s.first_after(by + 1, 4)
        {
            // `Founded in 1995 by P, a chemist, BYD moved …`: the organisation
            // the opening participle describes comes after it.
            let org = s.nearest_before(i, &[Org]).or_else(|| {
                (i == 0 || s.w(i - 1) == "\"")
                    .then(|| {
                        (s.ms[p].b..s.n)
                            .skip_while(|&k| s.w(k) != ",")
                            .find_map(|k| s.mention_at(k).filter(|&o| s.ms[o].kind == Org))
                    })
                    .flatten()
            });
            if let Some(o) = org {
                for t in s.list_from(p) {
                    push(FoundedBy, ent(o), ent(t), "founded-by");
                }
            }
        }
        if s.negated(i, 4) {
            continue;
        }
        // invested (about $13 billion) in
        let invested_in = if matches!(w, "invested" | "invests" | "invest") {
            (i + 1..(i + 8).min(s.n))
                .take_while(|&k| s.mention_at(k).is_none() && s.w(k) != ",")
                .find(|&k| s.w(k) == "in")
        } else {
            None
        };
        if let Some(k) = invested_in
            && let (Some(h), Some(t)) = (s.agent_before(i), s.first_after(k + 1, 3))
        {
            for t in s.list_from(t) {
                push(InvestedIn, ent(h), ent(t), "invested-in");
            }
        }
        // a backer of / an investor in / a shareholder in
        if ((matches!(w, "backer" | "backers" | "investor" | "shareholder")
            && matches!(s.w(i + 1), "of" | "in"))
            || (w == "stake" && s.w(i + 1) == "in"))
            && let Some(t) = s.first_after(i + 2, 3)
            && let Some(h) = (i.saturating_sub(6)..i)
                .rev()
                .find(|&k| s.possessive(k) == 2)
                .and_then(|k| s.mention_ending(k))
                .or_else(|| s.subject_org())
        {
            // A majority stake is ownership (SPEC §6): `a 60 percent stake`,
            // `a majority stake`, `a controlling stake`.
            let majority = w == "stake"
                && (s.doc.percents.iter().any(|p| {
                    let at = s.doc.tokens[s.t0 + i].span.start;
                    p.span.end <= at
                        && at - p.span.end <= 12
                        && p.value.digits > 50 * 10u128.pow(p.value.scale)
                }) || (i.saturating_sub(3)..i)
                    .any(|k| matches!(s.w(k), "majority" | "controlling")));
            for t in s.list_from(t) {
                if majority {
                    push(Owns, ent(h), ent(t), "majority-stake");
                } else {
                    push(InvestedIn, ent(h), ent(t), "backer-of");
                }
            }
        }
        // backed by X
        if w == "backed"
            && s.w(i + 1) == "by"
            && let (Some(t), Some(h)) = (s.nearest_before(i, &[Org]), s.first_after(i + 2, 2))
        {
            push(InvestedIn, ent(h), ent(t), "backed-modifier");
        }
        // owns / acquired / bought
        if matches!(w, "owned" | "controlled")
            && s.w(i + 1) == "by"
            && let (Some(t), Some(h)) = (
                s.nearest_before(i, &[Org, Product]),
                s.first_after(i + 2, 2),
            )
        {
            push(Owns, ent(h), ent(t), "owns-verb");
        }
        if matches!(
            w,
            "owns" | "acquired" | "acquires" | "bought" | "buys" | "purchased"
        ) && let (Some(h), Some(t)) = (s.agent_before(i), s.first_after(i + 1, 5))
        {
            // `owns about 15% of Y`: a minority stake is an investment (SPEC §6).
            let at = s.doc.tokens[s.t0 + i].span.end;
            let until = s.doc.tokens[s.t0 + s.ms[t].a].span.start;
            let share = s
                .doc
                .percents
                .iter()
                .find(|p| p.span.start >= at && p.span.end <= until);
            if let Some(p) = share {
                if p.value.digits <= 50 * 10u128.pow(p.value.scale) {
                    push(InvestedIn, ent(h), ent(t), "minority-stake");
                } else {
                    push(Owns, ent(h), ent(t), "majority-stake");
                }
                continue;
            }
            if s.ms[t].a > i + 3 {
                // Only a stake reaches that far (`owns about 15% of`).
                continue;
            }
            let relative = i > 0 && matches!(s.w(i - 1), "that" | "which" | "who");
            let tails = if relative {
                s.list_tight(t)
            } else {
                s.list_from(t)
            };
            if !s.at(i + 1, &["by"]) {
                for t in tails {
                    push(Owns, ent(h), ent(t), "owns-verb");
                }
            }
        }
        // X's acquisition|purchase|takeover of Y; `with the acquisition of Y`
        // by the clause's subject. (Planned or blocked deals are negated above.)
        if matches!(
            w,
            "acquisition" | "acquisitions" | "purchase" | "takeover" | "buyout"
        ) && s.w(i + 1) == "of"
            && let Some(t) = s.first_after(i + 2, 4)
        {
            let possessor = (i >= 2 && s.possessive(i - 2) == 2)
                .then(|| s.mention_ending(i - 2))
                .flatten()
                .or_else(|| {
                    // `X's $26 billion acquisition of`: the possessive a few words back.
                    (i.saturating_sub(6)..i)
                        .rev()
                        .find(|&k| s.possessive(k) == 2)
                        .and_then(|k| s.mention_ending(k))
                });
            let by = (s.ms[t].b..(s.ms[t].b + 3).min(s.n))
                .find(|&k| s.w(k) == "by")
                .and_then(|k| s.first_after(k + 1, 1));
            let owner = possessor
                .or(by)
                .or_else(|| s.clause_subject_before(i))
                .or_else(|| s.subject_org().filter(|&o| s.ms[o].b <= i))
                .filter(|&o| s.ms[o].kind == Org);
            if let Some(o) = owner {
                for t in s.list_from(t) {
                    push(Owns, ent(o), ent(t), "acquisition-of");
                }
            }
        }
        // (Its|X's) investors include A, B and C
        if matches!(w, "investors" | "backers" | "shareholders")
            && matches!(
                s.w(i + 1),
                "include" | "includes" | "included" | "are" | "were"
            )
            && let Some(first) = s.first_after(i + 2, 2)
        {
            let company = (i >= 2 && s.possessive(i - 2) == 2)
                .then(|| s.mention_ending(i - 2).map(ent))
                .flatten()
                .or_else(|| {
                    // `its investors`: the clause's subject, else the company
                    // named last.
                    let its = i > 0 && s.w(i - 1) == "its" || i > 1 && s.w(i - 2) == "its";
                    its.then(|| {
                        s.clause_subject_before(i)
                            .or_else(|| s.subject_org().filter(|&o| s.ms[o].b <= i))
                            .map(ent)
                            .or(ctx.last_company)
                    })
                    .flatten()
                });
            if let Some(c) = company {
                for t in s.list_from(first) {
                    push(InvestedIn, ent(t), c, "investors-include");
                }
            }
        }
        // X raised $N (…) from A and B / in a round led by A
        if matches!(w, "raised" | "raises")
            && let Some(c) = ctx.agent(s, i)
        {
            let from = (i + 1..(i + 16).min(s.n))
                .take_while(|&k| !matches!(s.w(k), ";" | "."))
                .find(|&k| s.w(k) == "from" || s.at(k, &["led", "by"]));
            let first = from.and_then(|k| {
                let skip = if s.w(k) == "from" { 1 } else { 2 };
                s.first_after(k + skip, 3)
            });
            if let Some(first) = first.filter(|&f| s.ms[f].kind == Org) {
                for t in s.list_from(first) {
                    push(InvestedIn, ent(t), c, "raised-from");
                }
            }
        }
        // Funding rounds: `backers in X — led by A and including B`, `a round
        // led by A`, `A led the company's Series B round`.
        if w == "led" {
            let funding = |k: usize| {
                matches!(
                    s.w(k),
                    "round"
                        | "funding"
                        | "financing"
                        | "investment"
                        | "backers"
                        | "investors"
                        | "series"
                        | "raise"
                        | "raised"
                )
            };
            let (investors, company) = if s.w(i + 1) == "by" {
                let context = (i.saturating_sub(12)..i).any(funding);
                let first = s.first_after(i + 2, 2).filter(|&f| s.ms[f].kind == Org);
                let mut list: Vec<usize> = first.map(|f| s.list_from(f)).unwrap_or_default();
                // `… and including B`
                if let Some(inc) = (i + 2..(i + 16).min(s.n)).find(|&k| s.w(k) == "including")
                    && let Some(b) = s.first_after(inc + 1, 1)
                {
                    list.extend(s.list_from(b));
                }
                // `backers in X`: the company; else the sentence's first organisation.
                let backed = (i.saturating_sub(12)..i)
                    .find(|&k| matches!(s.w(k), "backers" | "investors") && s.w(k + 1) == "in")
                    .and_then(|k| s.mention_at(k + 2));
                (if context { list } else { Vec::new() }, backed)
            } else {
                let context = (i + 1..(i + 14).min(s.n)).any(funding);
                let investor = s.agent_before(i).filter(|_| context);
                (investor.into_iter().collect(), None)
            };
            let company = company.map(ent).or_else(|| {
                s.ms.iter()
                    .find(|m| m.kind == Org && !investors.iter().any(|&x| s.ms[x].ent == m.ent))
                    .map(|m| m.ent)
                    .or(ctx.last_company)
            });
            if let Some(c) = company {
                for x in investors {
                    push(InvestedIn, ent(x), c, "round-led-by");
                }
            }
        }
        // P worked|working for|at O
        if matches!(w, "working" | "worked" | "works")
            && matches!(s.w(i + 1), "for" | "at")
            && let Some(o) = s.first_after(i + 2, 2).filter(|&o| s.ms[o].kind == Org)
            && let Some(p) = s.nearest_before(i, &[Person])
        {
            push(WorksFor, ent(p), ent(o), "worked-for");
        }
        // compete(s) with
        if matches!(
            w,
            "compete" | "competes" | "competed" | "competing" | "vies" | "vie"
        ) {
            let with = (i + 1..(i + 3).min(s.n)).find(|&k| s.w(k) == "with");
            let before = s
                .mention_ending(i)
                .or_else(|| s.nearest_before(i, &[Org, Product]));
            match with {
                Some(k) => {
                    if let (Some(h), Some(t)) = (before, s.first_after(k + 1, 3)) {
                        for h in s.list_ending_at(h) {
                            for t2 in s.list_from_mixed(t) {
                                push(CompetesWith, ent(h), ent(t2), "competes-verb");
                            }
                        }
                    }
                }
                None => {
                    // X and Y (have been) competing
                    if let Some(h) = s.nearest_before(i, &[Org, Product]) {
                        let list = s.list_ending_at(h);
                        for a in 0..list.len() {
                            for b in a + 1..list.len() {
                                push(CompetesWith, ent(list[a]), ent(list[b]), "competes-verb");
                            }
                        }
                    }
                }
            }
        }
        // (growing) competition from X: the subject competes with X
        if w == "competition"
            && s.w(i + 1) == "from"
            && let (Some(h), Some(t)) = (s.subject(), s.first_after(i + 2, 2))
        {
            for t in s.list_from_mixed(t) {
                push(CompetesWith, ent(h), ent(t), "competes-verb");
            }
        }
        // the two (tech) rivals / They have been fierce rivals
        // (Which two: asked only here, so not counted for every sentence.)
        if matches!(w, "rivals" | "competitors") {
            let salient = mentioned.two_most_mentioned();
            if salient.len() >= 2 {
                let window: Vec<&str> = (i.saturating_sub(5)..i).map(|k| s.w(k)).collect();
                let two = window.contains(&"two") || window.contains(&"both");
                let they = s.w(0) == "they" && i < 6;
                if two || they {
                    push(CompetesWith, salient[0], salient[1], "two-rivals");
                }
            }
        }
        // fined / levied a fine ... against|on
        if matches!(w, "fined" | "fines" | "fining") && !s.at(i + 1, &["for"]) {
            if i > 0 && matches!(s.w(i - 1), "was" | "been" | "were" | "be" | "being") {
                // passive: Y was fined (€X) by X; without `by`, by the
                // authority the article named (SPEC §6).
                let by = (i + 1..(i + 10).min(s.n))
                    .take_while(|&k| !matches!(s.w(k), "," | ";" | "."))
                    .find(|&k| s.w(k) == "by");
                let h = match by {
                    Some(k) => s.first_after(k + 1, 2).map(ent),
                    None => ctx.fining_authority(s, i),
                };
                if let (Some(t), Some(h)) = (s.nearest_before(i, &[Org]), h) {
                    for t in s.list_ending_at(t) {
                        push(Fined, h, ent(t), "fined-passive");
                    }
                }
            } else if let (Some(h), Some(t)) = (ctx.agent(s, i), s.first_after(i + 1, 2)) {
                for t in s.list_from(t) {
                    push(Fined, h, ent(t), "fined");
                }
            }
        }
        if matches!(w, "levied" | "imposed" | "slapped" | "issued" | "handed") {
            let fine = (i + 1..(i + 6).min(s.n))
                .find(|&k| matches!(s.w(k), "fine" | "fines" | "penalty" | "penalties"));
            if let Some(f) = fine {
                let target = (f + 1..s.n).find(|&k| matches!(s.w(k), "against" | "on"));
                // `slapped Y with a fine`: the object comes first.
                let object = (w == "slapped").then(|| s.first_after(i + 1, 2)).flatten();
                let t = object.or_else(|| target.and_then(|k| s.first_after(k + 1, 2)));
                if let (Some(h), Some(t)) = (ctx.agent(s, i), t) {
                    for t in s.list_from(t) {
                        push(Fined, h, ent(t), "fine-imposed");
                    }
                }
            }
        }
        // a €1.8bn fine against Y / a penalty on Y
        if matches!(w, "fine" | "penalty")
            && matches!(s.w(i + 1), "against" | "on")
            && let (Some(t), Some(h)) = (s.first_after(i + 2, 2), ctx.fining_authority(s, i))
        {
            for t in s.list_from(t) {
                push(Fined, h, ent(t), "fine-against");
            }
        }
        // Y was hit with a (record) fine
        if w == "hit"
            && s.w(i + 1) == "with"
            && (i + 2..(i + 7).min(s.n)).any(|k| matches!(s.w(k), "fine" | "penalty"))
            && let (Some(t), Some(h)) = (s.nearest_before(i, &[Org]), ctx.fining_authority(s, i))
        {
            push(Fined, h, ent(t), "hit-with-fine");
        }
        // sued / lawsuit against
        if matches!(w, "sued" | "sues" | "suing" | "sue") {
            let passive = (i.saturating_sub(2)..i)
                .any(|k| matches!(s.w(k), "was" | "been" | "were" | "being" | "is" | "are"));
            if passive && w == "sued" {
                if let (Some(t), true) = (s.nearest_before(i, &[Org]), s.w(i + 1) == "by")
                    && let Some(h) = s.first_after(i + 2, 2)
                {
                    push(Sued, ent(h), ent(t), "sued");
                }
            } else if let (Some(h), Some(t)) = (ctx.agent(s, i), s.first_after(i + 1, 2)) {
                // `X and 30 states are suing Y`: every named plaintiff.
                let plaintiffs = match s.agent_before(i) {
                    Some(m) => s.list_ending_at(m).into_iter().map(ent).collect(),
                    None => vec![h],
                };
                for h in plaintiffs {
                    for t in s.list_from(t) {
                        push(Sued, h, ent(t), "sued");
                    }
                }
            }
        }
        if matches!(w, "lawsuit" | "suit" | "complaint")
            && s.w(i + 1) == "against"
            && let (Some(h), Some(t)) = (s.subject_org(), s.first_after(i + 2, 5))
        {
            push(Sued, ent(h), ent(t), "sued");
        }
        // blocked / banned / barred
        if matches!(
            w,
            "blocked" | "banned" | "barred" | "blocks" | "bans" | "bars" | "block" | "ban"
        ) {
            let passive =
                i > 0 && matches!(s.w(i - 1), "been" | "was" | "were" | "is" | "are" | "be");
            if passive {
                if matches!(s.w(i + 1), "on" | "from" | "by")
                    && let (Some(t), Some(h)) = (
                        s.nearest_before(i, &[Org, Product]),
                        s.first_after(i + 2, 2),
                    )
                {
                    push(Blocked, ent(h), ent(t), "blocked-verb");
                }
            } else if s.w(i + 1) != "access"
                && let (Some(h), Some(t)) = (
                    s.mention_ending(i)
                        .or_else(|| s.nearest_before(i, &[Org, Product])),
                    s.first_after(i + 1, 1),
                )
            {
                push(Blocked, ent(h), ent(t), "blocked-verb");
            }
        }
        // blocking access to (content from) Y ... on X / the blocking of Y ... on X
        if ((matches!(
            w,
            "blocking" | "blocked" | "block" | "blocks" | "restricting" | "restricted"
        ) && matches!(s.w(i + 1), "access" | "of"))
            || (w == "blocking" && s.w(i + 1) == "of"))
            && let Some(y) = s.first_after(i + 2, 5)
        {
            let on = (s.ms[y].b..(s.ms[y].b + 12).min(s.n)).find(|&k| s.w(k) == "on");
            if let Some(k) = on
                && let Some(x) = s.first_after(k + 1, 1)
            {
                for x in s.list_from(x) {
                    push(Blocked, ent(x), ent(y), "blocking-access");
                }
            }
        }
        // prevented X('s ...) from ... on Y / preventing customers from using Y
        if matches!(
            w,
            "prevented"
                | "preventing"
                | "prevents"
                | "prevent"
                | "stopped"
                | "stopping"
                | "barring"
        ) {
            let from = (i + 1..(i + 8).min(s.n)).find(|&k| s.w(k) == "from");
            if let Some(f) = from {
                let blocked_party = (i + 1..f).find_map(|k| s.mention_at(k));
                match blocked_party {
                    Some(x) => {
                        let on = (f..s.n).find(|&k| s.w(k) == "on");
                        if let Some(y) = on.and_then(|k| s.first_after(k + 1, 1)) {
                            push(Blocked, ent(y), ent(x), "prevented-from");
                        }
                    }
                    None => {
                        if s.at(f + 1, &["using"])
                            && let (Some(h), Some(t)) = (s.subject(), s.first_after(f + 2, 1))
                        {
                            push(Blocked, ent(h), ent(t), "prevented-from");
                        }
                    }
                }
            }
        }
        // X users cannot pay ... on Y
        if (matches!(w, "cannot" | "can't") || w == "can" && s.w(i + 1) == "not")
            && let Some(x) = s.subject().filter(|&x| s.ms[x].b <= i)
        {
            let on = (i + 1..s.n)
                .take_while(|&k| !matches!(s.w(k), "," | ";" | "while" | "but"))
                .find(|&k| s.w(k) == "on");
            if let Some(y) = on.and_then(|k| s.first_after(k + 1, 1)) {
                for y in s.list_from(y) {
                    push(Blocked, ent(y), ent(x), "cannot-on");
                }
            }
        }
    }
}

impl Stage for RelationExtractor {
    fn name(&self) -> &'static str {
        "relations"
    }

    fn process(&self, doc: &mut Document) {
        let mut found: Vec<(Found, Span)> = Vec::new();
        // Per entity index: organisation mentions so far; and the organisations
        // in the order first seen.
        let mut org_counts: Vec<usize> = vec![0; doc.entities.len()];
        let mut seen_order: Vec<usize> = Vec::with_capacity(doc.entities.len());
        // Holds the last 8, plus one sentence's before they are cut back.
        let mut recent_orgs: Vec<usize> = Vec::with_capacity(32);
        let lower = doc.text.to_ascii_lowercase();
        let authority: Vec<bool> = doc
            .entities
            .iter()
            .map(|e| e.kind == EntityType::Org && is_authority_name(&e.name))
            .collect();
        let (mut last_authority, mut last_company) = (None, None);
        // One sentence's findings (reused: most sentences find nothing).
        let mut here = Vec::new();
        let mut buffers = SentBuffers::default();
        // Sentences (apart) and mentions both come in text order: a cursor
        // that only moves forward finds each sentence's first mention, and a
        // walk over its few mentions the end (cheaper than two binary
        // searches a sentence; not so for its tokens, ten times as many).
        let mut a = 0;
        for &span in &doc.sentences {
            while a < doc.mentions.len() && doc.mentions[a].span.start < span.start {
                a += 1;
            }
            let mut b = a;
            while b < doc.mentions.len() && doc.mentions[b].span.start < span.end {
                b += 1;
            }
            let range = doc.tokens_in(span);
            let orgs = doc.mentions[a..b]
                .iter()
                .map(|m| m.entity)
                .filter(|&e| doc.entities[e].kind == EntityType::Org);
            for e in orgs.clone() {
                if org_counts[e] == 0 {
                    seen_order.push(e);
                }
                org_counts[e] += 1;
            }
            // Most sentences cannot state a relation: every rule needs two
            // mentions, except `the two rivals` and `the X-based company`.
            let sentence = doc.slice(span);
            // A "sentence" of hundreds of tokens is a run-on page, not a sentence:
            // its rules would be unreliable and its scans long.
            let run_on = range.len() > MAX_SENTENCE_TOKENS;
            let worth_it = !run_on
                && (b - a >= 2
                    || (b - a == 1 && (last_authority.is_some() || last_company.is_some()))
                    || sentence.contains("rivals")
                    || sentence.contains("competitors")
                    || (b - a == 1
                        && (sentence.contains("-based") || sentence.contains("-headquartered"))));
            if worth_it {
                let s = Sent::new(doc, &lower, span, range, a..b, std::mem::take(&mut buffers));
                let mentioned = MentionCounts {
                    counts: &org_counts,
                    seen_order: &seen_order,
                };
                let ctx = Context {
                    authority: &authority,
                    last_authority,
                    last_company,
                };
                sentence_relations(&s, mentioned, &self.hq, &recent_orgs, ctx, &mut here);
                buffers = s.into_buffers();
                found.extend(here.drain(..).map(|f| (f, span)));
            }
            for e in orgs.clone() {
                if authority[e] {
                    last_authority = Some(e);
                } else {
                    last_company = Some(e);
                }
            }
            recent_orgs.extend(orgs);
            let keep = recent_orgs.len().saturating_sub(8);
            recent_orgs.drain(..keep);
        }
        let mut seen: HashSet<(RelationType, usize, usize)> = HashSet::new();
        let mut founders: HashSet<usize> = HashSet::new();
        let mut rels: Vec<Relation> = Vec::new();
        for ((kind, mut head, mut tail, rule), evidence) in found {
            if head == tail || !kind.admits(doc.entities[head].kind, doc.entities[tail].kind) {
                continue;
            }
            if kind.is_symmetric() && doc.entities[tail].id < doc.entities[head].id {
                std::mem::swap(&mut head, &mut tail);
            }
            if kind == RelationType::FoundedBy {
                founders.insert(tail);
            }
            if seen.insert((kind, head, tail)) {
                rels.push(Relation {
                    kind,
                    head,
                    tail,
                    evidence,
                    rule,
                });
            }
        }
        // A founder gets founded_by, and works_for only where the text gives
        // a role besides (SPEC §6): `Jack Ma at Alibaba` is no role.
        rels.retain(|r| {
            !(r.kind == RelationType::WorksFor
                && r.rule == "person-role-at"
                && founders.contains(&r.head)
                && seen.contains(&(RelationType::FoundedBy, r.tail, r.head)))
        });
        doc.relations = rels;
    }
}
