//! Relations between entities (SPEC §6), by rules over one sentence's tokens
//! and entity mentions. The rules are the rows of [`rules::RULES`], each with
//! an id (written as the relation's `rule`), a type, argument types, an
//! anchor and one function; `docs/RELATION-RULES.md` lists them. The evidence
//! is the sentence. Argument types must fit the rule and the SPEC table, a
//! relation the sentence negates, denies or only plans is dropped, and each
//! `(type, head, tail)` is kept once per document (the first evidence).
//!
//! Shared notions ([`sent::Sent`]):
//! * a **list** is a run of mentions joined by `,`, `and`, `or` (`JD.com Inc.
//!   and Pinduoduo Inc.`); a rule that finds one argument takes the whole list;
//! * a **noun phrase** is a mention with the descriptor before it (`a
//!   state-owned carmaker Xi'an Qinchuan`, `Bernstein analyst Jane Ortiz`):
//!   a rule that looks for a name a few tokens on finds it from the phrase's
//!   start;
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
//!   …) or the other organisation named last in the sentence or before it;
//!   a sentence that opens with `He` or `She` is about the person named last.

use std::sync::LazyLock;

use foldhash::{HashSet, HashSetExt};

use crate::document::{Document, EntityType, Relation, RelationType, Span};
use crate::gazetteer::Gazetteer;
use crate::lexicon::WordList;
use crate::stage::Stage;

mod rules;
mod sent;

pub use rules::rules_markdown;

use rules::{Anchor, MENTION_ROWS, Memo, Pairs, RULES, RULES_BY_CUE, Scope};
use sent::{AUXILIARIES, Sent, SentBuffers};

/// The relation stage (needs sentences and entities).
#[derive(Debug, Clone, Default)]
pub struct RelationExtractor {
    /// For the places entities are headquartered in (`hq=`), looked up as
    /// needed: a list of a million entries is not walked at start-up.
    gazetteer: Gazetteer,
}

impl RelationExtractor {
    /// An extractor that knows the gazetteer's headquarters.
    pub fn new(gazetteer: &Gazetteer) -> RelationExtractor {
        RelationExtractor {
            gazetteer: gazetteer.clone(),
        }
    }
}

/// Sentences longer than this many tokens yield no relations.
const MAX_SENTENCE_TOKENS: usize = 300;

/// Organisation mentions so far in a document: per entity index, and the
/// organisations in the order first seen.
#[derive(Clone, Copy)]
struct MentionCounts<'c> {
    counts: &'c [usize],
    seen_order: &'c [usize],
}

impl MentionCounts<'_> {
    /// The first organisation the article named that `keep` accepts: the
    /// subject of its lede, usually the company it is about.
    fn first_named(self, keep: impl Fn(usize) -> bool) -> Option<usize> {
        self.seen_order.iter().copied().find(|&e| keep(e))
    }

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
    /// The last person named before the sentence: who a leading `He` or
    /// `She` is.
    last_person: Option<usize>,
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

/// A relation found in a sentence: type, head and tail entity indices, rule id.
type Found = (RelationType, usize, usize, &'static str);

/// All relations stated by one sentence: every rule of [`RULES`] at its
/// anchors, in table order. `rows` is a buffer.
fn sentence_relations(x: &Scope, rows: &mut Vec<usize>, out: &mut Vec<Found>) {
    let s = x.s;
    let mention_rows = &*MENTION_ROWS;
    for (mi, m) in s.ms.iter().enumerate() {
        // The rows at this mention, in table order.
        rows.clear();
        rows.extend_from_slice(&mention_rows.any);
        if let Some(next) = mention_rows.by_next.get(s.w(m.b)) {
            rows.extend_from_slice(next);
        }
        if m.a > 0
            && let Some(previous) = mention_rows.by_previous.get(s.w(m.a - 1))
        {
            rows.extend_from_slice(previous);
        }
        rows.sort_unstable();
        for &k in rows.iter() {
            let rule = &RULES[k];
            (rule.find)(x, mi, &mut Pairs::new(rule, s.doc, out));
        }
    }
    let mut next = s.next_cue(0);
    while let Some(i) = next {
        next = s.next_cue(i + 1);
        let Some(cue_rows) = RULES_BY_CUE.get(s.w(i)) else {
            continue;
        };
        // Asked once per cue token, and only when a row needs it.
        let mut negated = None;
        for &k in cue_rows {
            let rule = &RULES[k];
            if let Anchor::Cue {
                unless_negated: true,
                ..
            } = rule.anchor
                && *negated.get_or_insert_with(|| s.negated(i, 4))
            {
                continue;
            }
            (rule.find)(x, i, &mut Pairs::new(rule, s.doc, out));
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
        let (mut last_authority, mut last_company, mut last_person) = (None, None, None);
        // One sentence's findings (reused: most sentences find nothing).
        let mut here = Vec::new();
        let mut rows = Vec::new();
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
                    || (b - a == 1
                        && (last_authority.is_some()
                            || last_company.is_some()
                            || last_person.is_some()))
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
                    last_person,
                };
                let scope = Scope {
                    s: &s,
                    ctx,
                    mentioned,
                    gazetteer: &self.gazetteer,
                    prev_orgs: &recent_orgs,
                    memo: Memo::default(),
                };
                sentence_relations(&scope, &mut rows, &mut here);
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
            if let Some(m) = doc.mentions[a..b]
                .iter()
                .rfind(|m| doc.entities[m.entity].kind == EntityType::Person)
            {
                last_person = Some(m.entity);
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
