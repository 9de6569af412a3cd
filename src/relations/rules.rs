//! The relation rules: [`RULES`], one row per construction, each with its id
//! (written as the relation's `rule`), relation type, argument types, anchor
//! (a mention, a mention next to given words, or cue words) and one small
//! function that finds its pairs.
//!
//! A function gets the sentence and the anchor (a mention index, or the
//! token index of a cue word) and pushes `(head, tail)` entity indices; the
//! stage adds the row's type and id, keeps pairs whose types fit the row,
//! and runs the rows in table order (the first evidence of a relation wins).
//! Rows may share an id: one id names a family of constructions (`affiliate`
//! covers `Alibaba affiliate Ant`, `Ant, an affiliate of Alibaba` and
//! `Alibaba's affiliate Ant`).

use std::cell::{Cell, RefCell};
use std::sync::LazyLock;

use foldhash::HashMap;

use super::sent::{COMPANY_NOUNS, PHRASE_ENDS, Sent};
use super::{Context, Found, MentionCounts};
use crate::document::{Document, EntityType, Percent, RelationType};
use crate::lexicon::{KeyFilter, PERSON_ROLES, WordList, builtin_words};

use EntityType::{Gpe, Org, Person, Product};
use RelationType::*;

/// What a rule reads: the sentence and what the document said before it.
pub(super) struct Scope<'s, 'a> {
    pub(super) s: &'s Sent<'a>,
    pub(super) ctx: Context<'s>,
    /// Organisation mentions so far (`the two rivals`; the company the
    /// article's lede names).
    pub(super) mentioned: MentionCounts<'s>,
    /// The gazetteer (its entries' headquarters, `hq=`).
    pub(super) gazetteer: &'s crate::gazetteer::Gazetteer,
    /// The last organisations named before the sentence (entity indices).
    pub(super) prev_orgs: &'s [usize],
    /// Analyses several rows share, made once per mention.
    pub(super) memo: Memo<'s>,
}

/// What the rows of one construction share about an anchor: how a mention's
/// `X's [words] Y` reads, its apposition; the phrase after an `its`, what an
/// ownership verb says. Keyed by the mention's or token's index; a new
/// sentence gets a new memo.
#[derive(Default)]
pub(super) struct Memo<'s> {
    possessive: RefCell<Option<(usize, Readings)>>,
    apposition: Keyed<Option<Apposition<'s>>>,
    /// Per cue token: the phrase after `its` and its owner.
    its: Keyed<(usize, Option<usize>)>,
    /// Per cue token: what `X owns|acquired … Y` says.
    holding: Keyed<Option<(usize, usize, Holding)>>,
}

/// A value computed for one anchor (a mention's or token's index).
type Keyed<T> = Cell<Option<(usize, T)>>;

/// The value `cell` holds for `key`, else `compute`'s, kept for the next
/// row at the same anchor.
fn memoised<T: Copy>(cell: &Keyed<T>, key: usize, compute: impl FnOnce() -> T) -> T {
    if let Some((at, found)) = cell.get()
        && at == key
    {
        return found;
    }
    let found = compute();
    cell.set(Some((key, found)));
    found
}

/// Where a rule puts the `(head, tail)` entity indices it finds: kept when
/// their types fit the rule, with its relation type and id.
pub(super) struct Pairs<'o> {
    rule: &'static Rule,
    doc: &'o Document,
    out: &'o mut Vec<Found>,
}

impl<'o> Pairs<'o> {
    pub(super) fn new(rule: &'static Rule, doc: &'o Document, out: &'o mut Vec<Found>) -> Self {
        Pairs { rule, doc, out }
    }

    pub(super) fn push(&mut self, (head, tail): (usize, usize)) {
        let kind = |e: usize| self.doc.entities[e].kind;
        if self.rule.head.contains(&kind(head)) && self.rule.tail.contains(&kind(tail)) {
            self.out
                .push((self.rule.relation, head, tail, self.rule.id));
        }
    }
}

impl Extend<(usize, usize)> for Pairs<'_> {
    fn extend<I: IntoIterator<Item = (usize, usize)>>(&mut self, pairs: I) {
        for pair in pairs {
            self.push(pair);
        }
    }
}

/// Where a rule is tried.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Anchor {
    /// At every mention of the sentence (the function gets its index).
    Mention,
    /// At a mention whose next token is one of the words (lowercase).
    MentionThen(Words),
    /// At a mention whose previous token is one of the words (lowercase).
    WordsThenMention(Words),
    /// At every token that is one of `words` (lowercase; the function gets
    /// the token's index). With `unless_negated`, not where a blocker word
    /// (`not`, `plans`, `denied` …) stands in the four tokens before.
    Cue {
        words: &'static [&'static str],
        unless_negated: bool,
    },
}

/// The words of an anchor.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Words {
    /// These words.
    Are(&'static [&'static str]),
    /// The words of the list `lexicon/<file>`.
    Listed(&'static str),
}

impl Words {
    fn words(self) -> &'static [&'static str] {
        match self {
            Words::Are(words) => words,
            Words::Listed(file) => builtin_words(file),
        }
    }

    /// For the docs: the words, or the list's file.
    fn describe(self) -> String {
        match self {
            Words::Are(words) => words
                .iter()
                .map(|w| format!("`{w}`"))
                .collect::<Vec<_>>()
                .join(" "),
            Words::Listed(file) => format!("a word of `lexicon/{file}`"),
        }
    }
}

/// One relation rule.
pub(crate) struct Rule {
    /// Written as the relation's `rule`.
    pub(crate) id: &'static str,
    pub(crate) relation: RelationType,
    /// The entity types the head and the tail may have.
    pub(crate) head: &'static [EntityType],
    pub(crate) tail: &'static [EntityType],
    pub(crate) anchor: Anchor,
    /// A phrase the rule reads (for the docs).
    pub(crate) example: &'static str,
    pub(super) find: fn(&Scope, usize, &mut Pairs),
}

const ORG: &[EntityType] = &[Org];
const ORG_PRODUCT: &[EntityType] = &[Org, Product];
const PERSON: &[EntityType] = &[Person];
const GPE: &[EntityType] = &[Gpe];

const fn followed_by(words: &'static [&'static str]) -> Anchor {
    Anchor::MentionThen(Words::Are(words))
}

const fn preceded_by(words: &'static [&'static str]) -> Anchor {
    Anchor::WordsThenMention(Words::Are(words))
}

const fn cue(words: &'static [&'static str]) -> Anchor {
    Anchor::Cue {
        words,
        unless_negated: true,
    }
}

/// A cue read even after a blocker word (the rule looks for negation itself,
/// or a denial rarely precedes it).
const fn cue_even_negated(words: &'static [&'static str]) -> Anchor {
    Anchor::Cue {
        words,
        unless_negated: false,
    }
}

macro_rules! rule {
    ($id:literal, $relation:expr, $head:expr => $tail:expr, $anchor:expr, $example:literal, $find:expr $(,)?) => {
        Rule {
            id: $id,
            relation: $relation,
            head: $head,
            tail: $tail,
            anchor: $anchor,
            example: $example,
            find: $find,
        }
    };
}

/// The rules, in the order they run.
#[rustfmt::skip]
pub(crate) static RULES: &[Rule] = &[
    // At a mention.
    rule!("affiliate", AffiliateOf, ORG => ORG, followed_by(&["'"]), "Alibaba's affiliate Ant Group", possessive_affiliate),
    rule!("founder-of", FoundedBy, ORG => PERSON, followed_by(&["'"]), "Xiaomi's founder Lei Jun", possessive_founder),
    rule!("org-title-person", WorksFor, PERSON => ORG, followed_by(&["'"]), "Nissan's CEO Makoto Uchida", possessive_title_person),
    rule!("investor-of", InvestedIn, ORG => ORG, followed_by(&["'"]), "Uber's biggest investor SoftBank", possessive_investor),
    rule!("parent-of", Owns, ORG => ORG_PRODUCT, followed_by(&["'"]), "Arm's Japanese parent SoftBank", possessive_parent),
    rule!("rival-premodifier", CompetesWith, ORG_PRODUCT => ORG_PRODUCT, followed_by(&["'"]), "Alibaba's rival JD.com", possessive_rival),
    rule!("possessive", Owns, ORG => ORG_PRODUCT, followed_by(&["'"]), "Tencent's WeChat; Alibaba's marketplaces, Taobao and Tmall", possessive_owned),
    rule!("owned-modifier", Owns, ORG => ORG_PRODUCT, followed_by(&["-"]), "Alibaba-owned Lazada", owned_modifier),
    rule!("backed-modifier", InvestedIn, ORG => ORG, followed_by(&["-"]), "Tencent-backed Kuaishou", backed_modifier),
    rule!("based-modifier", HeadquarteredIn, ORG => GPE, followed_by(&["-"]), "Shenzhen-based Tencent; the Shenzhen-based company (one the gazetteer places there)", based_modifier),
    rule!("bracketed-product", Owns, ORG => ORG_PRODUCT, followed_by(&["("]), "Ant Financial (Alipay)", bracketed_product),
    rule!("org-of-place", HeadquarteredIn, ORG => GPE, followed_by(&["of"]), "Inspired Capital of New York", org_of_place),
    rule!("owner-of", Owns, ORG => ORG_PRODUCT, followed_by(&["parent", "owner", "operator"]), "TikTok parent ByteDance", owner_premodifier),
    rule!("investor-of", InvestedIn, ORG => ORG, followed_by(&["investor", "backer", "shareholder"]), "Uber investor SoftBank", investor_premodifier),
    rule!("affiliate", AffiliateOf, ORG => ORG, followed_by(&["affiliate"]), "Alibaba affiliate Ant Group", affiliate_premodifier),
    rule!("founder-of", FoundedBy, ORG => PERSON, followed_by(&["founder", "cofounder", "co"]), "Alibaba founder Jack Ma", founder_premodifier),
    rule!("founder-of", FoundedBy, ORG => PERSON, Anchor::MentionThen(Words::Listed("role-titles.txt")), "Xiaomi founder and chief executive Lei Jun", title_chain_founder),
    rule!("org-title-person", WorksFor, PERSON => ORG, Anchor::MentionThen(Words::Listed("role-titles.txt")), "Alibaba chief executive Daniel Zhang", title_chain_person),
    rule!("owner-of", Owns, ORG => ORG_PRODUCT, followed_by(&[",", ")"]), "ByteDance, the owner of TikTok; X, the parent company of Y", apposition_owner),
    rule!("unit-of", Owns, ORG => ORG_PRODUCT, followed_by(&[",", ")"]), "Whole Foods, a unit of Amazon", apposition_unit),
    rule!("affiliate", AffiliateOf, ORG => ORG, followed_by(&[",", ")"]), "Ant, an affiliate of Alibaba", apposition_affiliate),
    rule!("investor-of", InvestedIn, ORG => ORG, followed_by(&[",", ")"]), "SoftBank, an investor in Uber", apposition_investor),
    rule!("founder-of", FoundedBy, ORG => PERSON, followed_by(&[",", ")"]), "Jack Ma, founder of Alibaba", apposition_founder),
    rule!("rival-to", CompetesWith, ORG_PRODUCT => ORG_PRODUCT, followed_by(&[",", ")"]), "WeChat Pay, the payment service rival to Alipay", apposition_rival),
    rule!("headquartered-in", HeadquarteredIn, ORG => GPE, followed_by(&[",", ")"]), "Kiwoom, based in Seoul", apposition_based),
    rule!("person-role-at", WorksFor, PERSON => ORG, followed_by(&[","]), "Angela Zhang, an associate professor of law at HKU", apposition_role_at),
    rule!("founded-by", FoundedBy, ORG => PERSON, followed_by(&["at"]), "founder Jack Ma at Alibaba", person_at_founded),
    rule!("person-role-at", WorksFor, PERSON => ORG, followed_by(&["at"]), "Pony Ma at Tencent", person_at_works),
    rule!("headquartered-in", HeadquarteredIn, ORG => GPE, Anchor::Mention, "X headquarters in Y; X is expected to remain headquartered in Y", headquartered_in),
    rule!("title-person", WorksFor, PERSON => ORG, Anchor::WordsThenMention(Words::Listed("role-titles.txt")), "former CEO Travis Kalanick (the company the sentence or article names)", title_person),
    rule!("person-became-role", WorksFor, PERSON => ORG, followed_by(&["became", "is", "was", "remains", "becomes"]), "Ghosn became the chief operating officer of Nissan", person_became_role),
    rule!("rival-to", CompetesWith, ORG_PRODUCT => ORG_PRODUCT, preceded_by(&["to", "of"]), "X has become a rival to Y (the subject)", rival_to_subject),
    rule!("rival-premodifier", CompetesWith, ORG_PRODUCT => ORG_PRODUCT, preceded_by(&["rival", "rivals"]), "X fends off rival Pinduoduo (the subject)", rival_premodifier),
    // At a cue word.
    rule!("rival-premodifier", CompetesWith, ORG_PRODUCT => ORG_PRODUCT, cue_even_negated(&["its"]), "Samsung and its South Korean rival, LG", its_rival),
    rule!("investor-of", InvestedIn, ORG => ORG, cue_even_negated(&["its"]), "Uber and its biggest shareholder SoftBank", its_investor),
    rule!("its-possessive", Owns, ORG => ORG_PRODUCT, cue_even_negated(&["its"]), "Tencent … its WeChat app", its_possessive),
    rule!("founded-by", FoundedBy, ORG => PERSON, cue_even_negated(&["founded", "co-founded", "cofounded", "started", "established"]), "Alibaba, founded by Jack Ma; founded in Nanjing in 2008 by X", founded_by),
    rule!("invested-in", InvestedIn, ORG => ORG, cue(&["invested", "invests", "invest"]), "Tencent has invested in JD.com; invested about $13 billion in X", invested_in),
    rule!("parent-of", Owns, ORG => ORG_PRODUCT, cue(&["parent", "owner"]), "Nvidia will buy Arm Holdings from the British chip designer's Japanese parent SoftBank", described_parent),
    rule!("invested-into", InvestedIn, ORG => ORG, cue(&["invested", "invests", "investing", "pumped", "pumps", "injected", "injects", "poured", "pours", "put"]), "SoftBank has pumped $1.4 billion into One97; Alibaba injected another $2 billion into Lazada", invested_into),
    rule!("backer-of", InvestedIn, ORG => ORG, cue(&["backer", "backers", "investor", "shareholder", "stake"]), "it is also a backer of Meituan; X's stake in Y", backer_of),
    rule!("majority-stake", Owns, ORG => ORG_PRODUCT, cue(&["stake"]), "X's 60 percent stake in Y; a controlling stake in Y", majority_stake_in),
    rule!("backed-modifier", InvestedIn, ORG => ORG, cue(&["backed"]), "Kuaishou, backed by Tencent", backed_by),
    rule!("owns-verb", Owns, ORG => ORG_PRODUCT, cue(&["owned", "controlled"]), "Y, owned by X", owned_by),
    rule!("owns-verb", Owns, ORG => ORG_PRODUCT, cue(&["owns", "acquired", "acquires", "bought", "buys", "purchased"]), "X owns / acquired / bought Y", owns_verb),
    rule!("minority-stake", InvestedIn, ORG => ORG, cue(&["owns", "acquired", "acquires", "bought", "buys", "purchased"]), "X owns about 15% of Y", minority_stake_verb),
    rule!("majority-stake", Owns, ORG => ORG_PRODUCT, cue(&["owns", "acquired", "acquires", "bought", "buys", "purchased"]), "X bought 60 percent of Y", majority_stake_verb),
    rule!("acquisition-of", Owns, ORG => ORG_PRODUCT, cue(&["acquisition", "acquisitions", "purchase", "takeover", "buyout"]), "X's acquisition of Y; with the acquisition of Y (the clause's subject)", acquisition_of),
    rule!("investors-include", InvestedIn, ORG => ORG, cue(&["investors", "backers", "shareholders"]), "its investors include A, B and C", investors_include),
    rule!("raised-from", InvestedIn, ORG => ORG, cue(&["raised", "raises"]), "X raised $N from A and B", raised_from),
    rule!("round-led-by", InvestedIn, ORG => ORG, cue(&["led"]), "backers in X — led by A and including B; A led the company's Series B round", round_led_by),
    rule!("joined", WorksFor, PERSON => ORG, cue(&["joined", "joins", "joining"]), "Smith joined Goldman Sachs in 2010; He joined Google (a leading pronoun: the person named last)", joined),
    rule!("hired-by", WorksFor, PERSON => ORG, cue(&["recruited", "hired", "poached"]), "He was recruited by Renault in 1996; Google hired Smith", hired_by),
    rule!("role-verb", WorksFor, PERSON => ORG, cue(&["served", "serves", "serving", "appointed", "named", "elevated", "promoted"]), "He served as chief executive with the alliance; She was named chief financial officer of X; elevated to CEO at Nissan", role_verb),
    rule!("worked-for", WorksFor, PERSON => ORG, cue(&["working", "worked", "works"]), "P began his career working for O", worked_for),
    rule!("competes-verb", CompetesWith, ORG_PRODUCT => ORG_PRODUCT, cue(&["compete", "competes", "competed", "competing", "vies", "vie"]), "Alipay competes with WeChat Pay; X and Y compete", competes_verb),
    rule!("competes-verb", CompetesWith, ORG_PRODUCT => ORG_PRODUCT, cue(&["competition"]), "growing competition from X (the subject)", competition_from),
    rule!("two-rivals", CompetesWith, ORG_PRODUCT => ORG_PRODUCT, cue(&["rivals", "competitors"]), "the two tech rivals; They have been fierce rivals (the two most-mentioned organisations)", two_rivals),
    rule!("fined-passive", Fined, ORG => ORG, cue(&["fined", "fines", "fining"]), "Y was fined by X; Y was fined $2 billion (the authority named before)", fined_passive),
    rule!("fined", Fined, ORG => ORG, cue(&["fined", "fines", "fining"]), "SAMR fined Alibaba; the regulator said it had fined carmaker X", fined),
    rule!("fine-imposed", Fined, ORG => ORG, cue(&["levied", "imposed", "slapped", "issued", "handed"]), "levied / imposed / issued a fine … against / on Y; slapped Y with a fine", fine_imposed),
    rule!("fine-against", Fined, ORG => ORG, cue(&["fine", "penalty"]), "a €1.8bn fine against Y (the authority named before)", fine_against),
    rule!("hit-with-fine", Fined, ORG => ORG, cue(&["hit"]), "Y was hit with a record fine (the authority named before)", hit_with_fine),
    rule!("sued", Sued, ORG => ORG, cue(&["sued", "sues", "suing", "sue"]), "ByteDance sued Tencent; X and 30 states are suing Y; Y was sued by X", sued),
    rule!("sued", Sued, ORG => ORG, cue(&["lawsuit", "suit", "complaint"]), "X filed a lawsuit against Y", lawsuit_against),
    rule!("blocked-verb", Blocked, ORG_PRODUCT => ORG_PRODUCT, cue(&["blocked", "banned", "barred", "blocks", "bans", "bars", "block", "ban"]), "X blocked Y; Y services have been blocked on X; banned from X", blocked_verb),
    rule!("blocking-access", Blocked, ORG_PRODUCT => ORG_PRODUCT, cue(&["blocking", "blocked", "block", "blocks", "restricting", "restricted"]), "blocking access to Y on X and Z; the blocking of Y links on X", blocking_access),
    rule!("prevented-from", Blocked, ORG_PRODUCT => ORG_PRODUCT, cue(&["prevented", "preventing", "prevents", "prevent", "stopped", "stopping", "barring"]), "prevented X's … from being used … on Y; preventing customers from using Y", prevented_from),
    rule!("cannot-on", Blocked, ORG_PRODUCT => ORG_PRODUCT, cue(&["cannot", "can't", "can"]), "X users cannot pay … on Y", cannot_on),
];

/// Every cue word of [`RULES`]: a sentence is read at these tokens only.
pub(super) static CUES: LazyLock<WordList> = LazyLock::new(|| {
    let mut words: Vec<&'static str> = Vec::new();
    for rule in RULES {
        if let Anchor::Cue { words: cues, .. } = rule.anchor {
            for w in cues {
                if !words.contains(w) {
                    words.push(w);
                }
            }
        }
    }
    WordList::new(words.leak())
});

/// The keys of [`CUES`] in any case: an ASCII token whose lowercase form is
/// a cue has one of them, so most tokens are ruled out unread.
pub(super) static CUE_KEYS: LazyLock<KeyFilter> =
    LazyLock::new(|| KeyFilter::of_any_case(&[CUES.words()]));

/// Per cue word, the indices into [`RULES`] of the rows it anchors, in order.
pub(super) static RULES_BY_CUE: LazyLock<HashMap<&'static str, Vec<usize>>> = LazyLock::new(|| {
    let mut by_cue: HashMap<&'static str, Vec<usize>> = HashMap::default();
    for (k, rule) in RULES.iter().enumerate() {
        if let Anchor::Cue { words, .. } = rule.anchor {
            for &w in words {
                by_cue.entry(w).or_default().push(k);
            }
        }
    }
    by_cue
});

/// The rows anchored at mentions, as indices into [`RULES`]: at every
/// mention, and by the word after or before one.
pub(super) struct MentionRows {
    pub(super) any: Vec<usize>,
    pub(super) by_next: HashMap<&'static str, Vec<usize>>,
    pub(super) by_previous: HashMap<&'static str, Vec<usize>>,
}

pub(super) static MENTION_ROWS: LazyLock<MentionRows> = LazyLock::new(|| {
    let mut rows = MentionRows {
        any: Vec::new(),
        by_next: HashMap::default(),
        by_previous: HashMap::default(),
    };
    for (k, rule) in RULES.iter().enumerate() {
        let (index, words) = match rule.anchor {
            Anchor::Mention => {
                rows.any.push(k);
                continue;
            }
            Anchor::MentionThen(words) => (&mut rows.by_next, words),
            Anchor::WordsThenMention(words) => (&mut rows.by_previous, words),
            Anchor::Cue { .. } => continue,
        };
        for &w in words.words() {
            index.entry(w).or_default().push(k);
        }
    }
    rows
});

/// Words of role titles (`chief`, `executive`, `president`, `founder` …).
static ROLE_TITLES: LazyLock<WordList> = LazyLock::new(|| WordList::builtin("role-titles.txt"));

/// Words in the noun phrase after `its` that say the organisation named
/// next is not one the subject owns (`its rival Y`, `its biggest
/// shareholder Y`, `its bid for Y`).
static NOT_OWNED_AFTER_ITS: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("not-owned-after-its.txt"));

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

fn is_founder_word(w: &str) -> bool {
    FOUNDER_WORDS.contains(w)
}

fn is_rival_word(w: &str) -> bool {
    matches!(w, "rival" | "rivals" | "competitor" | "competitors")
}

/// Pushes `(head, tail)` for every tail in `tails`.
fn each_tail(out: &mut Pairs, head: usize, tails: impl IntoIterator<Item = usize>) {
    out.extend(tails.into_iter().map(|t| (head, t)));
}

/// Pushes `(head, tail)` for every head in `heads`.
fn each_head(out: &mut Pairs, heads: impl IntoIterator<Item = usize>, tail: usize) {
    out.extend(heads.into_iter().map(|h| (h, tail)));
}

// ---------------------------------------------------------------------------
// `X's [words] Y`: what the words between say decides the relation.

/// Each tail of a possessive with how it reads.
type Readings = Vec<(usize, PossessiveReading)>;

/// How `X's [words] Y` reads for one `Y` (or an item of a list after it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PossessiveReading {
    /// `X's affiliate Y`: Y is an affiliate of X.
    Affiliate,
    /// `X's founder Y`.
    Founder,
    /// `Xiaomi's founder and chief executive Lei Jun`: both (SPEC §6).
    FounderWithRole,
    /// `X's chief executive Y`.
    TitledPerson,
    /// `X's biggest investor Y` (an organisation).
    Investor,
    /// `X's parent Y` (an organisation).
    Parent,
    /// `X's rival Y`.
    Rival,
    /// `X's Y`, `X's messaging app Y`: X owns Y.
    Owned,
}

/// The readings of `X's [words] Y (, Z …)` at organisation mention `mi`:
/// each tail with how it reads.
fn possessive_readings(x: &Scope, mi: usize, into: &mut Vec<(usize, PossessiveReading)>) {
    use PossessiveReading::*;
    let s = x.s;
    let m = s.ms[mi];
    let p = s.possessive(m.b);
    if p == 0 || m.kind != Org {
        return;
    }
    let role_titles = &*ROLE_TITLES;
    let (mut i, mut gap) = (m.b + p, 0);
    // Lowercase words and titles; a capitalised adjective before a lowercase
    // word (`Arm's Japanese parent SoftBank`).
    let adjective = |k: usize| s.raw(k).starts_with(char::is_uppercase) && s.is_lower_word(k + 1);
    while gap < 6
        && (s.is_lower_word(i) || s.w(i) == "-" || role_titles.contains(s.w(i)) || adjective(i))
        && s.mention_at(i).is_none()
        && !PHRASE_ENDS.contains(s.w(i))
    {
        i += 1;
        gap += 1;
    }
    if s.w(i) == "," && gap > 0 {
        i += 1;
    }
    let Some(y) = s.mention_at(i) else {
        return;
    };
    let has = |test: &dyn Fn(&str) -> bool| (m.b + p..i).any(|k| test(s.w(k)));
    // `SoftBank's stake in Yahoo Japan`, `Microsoft's acquisition of
    // Activision`: left to the stake and acquisition rules.
    if has(&|w| {
        matches!(
            w,
            "stake" | "stakes" | "acquisition" | "purchase" | "takeover" | "buyout"
        )
    }) {
        return;
    }
    let is_affiliate = has(&|w| w == "affiliate");
    let is_founder = has(&is_founder_word);
    let is_investor = has(&|w| matches!(w, "investor" | "backer" | "shareholder"));
    let is_parent = has(&|w| matches!(w, "parent" | "owner" | "owners"));
    let is_rival = has(&is_rival_word);
    let any_role = has(&|w| role_titles.contains(w));
    let role_besides_founder = has(&|w| role_titles.contains(w) && !is_founder_word(w));
    // An authority's unit is not owned (`the FTC's Bureau of Competition`).
    let authority = x.ctx.authority[s.ent(mi)];
    for t in s.list_from(y) {
        let kind = s.ms[t].kind;
        let reading = if is_affiliate {
            Affiliate
        } else if is_founder {
            if role_besides_founder && kind == Person {
                FounderWithRole
            } else {
                Founder
            }
        } else if is_investor && kind == Org {
            Investor
        } else if is_parent && kind == Org {
            Parent
        } else if is_rival {
            Rival
        } else if kind == Person {
            if !any_role {
                continue;
            }
            TitledPerson
        } else if authority {
            continue;
        } else {
            Owned
        };
        into.push((t, reading));
    }
}

/// The pairs of `X's [words] Y` at mention `mi` that read as `want`.
fn possessive_pairs(x: &Scope, mi: usize, want: PossessiveReading, out: &mut Pairs) {
    use PossessiveReading::*;
    let s = x.s;
    if s.possessive(s.ms[mi].b) == 0 {
        return;
    }
    let mut memo = x.memo.possessive.borrow_mut();
    let (_, readings) = match &mut *memo {
        Some(memo) if memo.0 == mi => memo,
        memo => {
            let mut readings = memo.take().map(|(_, r)| r).unwrap_or_default();
            readings.clear();
            possessive_readings(x, mi, &mut readings);
            memo.insert((mi, readings))
        }
    };
    for &(t, reading) in readings.iter() {
        let fits = match want {
            Founder => matches!(reading, Founder | FounderWithRole),
            TitledPerson => matches!(reading, TitledPerson | FounderWithRole),
            _ => reading == want,
        };
        if fits {
            let (x_, y_) = (s.ent(mi), s.ent(t));
            out.push(match want {
                Founder | Rival | Owned => (x_, y_),
                _ => (y_, x_),
            });
        }
    }
}

fn possessive_affiliate(x: &Scope, mi: usize, out: &mut Pairs) {
    possessive_pairs(x, mi, PossessiveReading::Affiliate, out);
}

fn possessive_founder(x: &Scope, mi: usize, out: &mut Pairs) {
    possessive_pairs(x, mi, PossessiveReading::Founder, out);
}

fn possessive_title_person(x: &Scope, mi: usize, out: &mut Pairs) {
    possessive_pairs(x, mi, PossessiveReading::TitledPerson, out);
}

fn possessive_investor(x: &Scope, mi: usize, out: &mut Pairs) {
    possessive_pairs(x, mi, PossessiveReading::Investor, out);
}

fn possessive_parent(x: &Scope, mi: usize, out: &mut Pairs) {
    possessive_pairs(x, mi, PossessiveReading::Parent, out);
}

fn possessive_rival(x: &Scope, mi: usize, out: &mut Pairs) {
    possessive_pairs(x, mi, PossessiveReading::Rival, out);
}

fn possessive_owned(x: &Scope, mi: usize, out: &mut Pairs) {
    possessive_pairs(x, mi, PossessiveReading::Owned, out);
}

// ---------------------------------------------------------------------------
// `X-owned Y`, `X-backed Y`, `X-based Y`.

/// `X-<cue> Y`: the cue word and Y, for mention `mi`.
fn hyphen_modifier<'s>(s: &'s Sent, mi: usize) -> Option<(&'s str, Option<usize>)> {
    let after = s.ms[mi].b;
    (s.w(after) == "-" && after + 2 <= s.n).then(|| (s.w(after + 1), s.first_after(after + 2, 3)))
}

fn owned_modifier(x: &Scope, mi: usize, out: &mut Pairs) {
    if let Some(("owned", Some(y))) = hyphen_modifier(x.s, mi) {
        out.push((x.s.ent(mi), x.s.ent(y)));
    }
}

fn backed_modifier(x: &Scope, mi: usize, out: &mut Pairs) {
    if let Some(("backed", Some(y))) = hyphen_modifier(x.s, mi) {
        out.push((x.s.ent(mi), x.s.ent(y)));
    }
}

fn based_modifier(x: &Scope, mi: usize, out: &mut Pairs) {
    let s = x.s;
    match hyphen_modifier(s, mi) {
        Some(("based" | "headquartered", Some(y))) => out.push((s.ent(y), s.ent(mi))),
        // `the Shenzhen-based company`: an organisation just mentioned that
        // the gazetteer places there.
        Some(("based" | "headquartered", None)) if s.ms[mi].kind == Gpe => {
            let gpe = &s.doc.entities[s.ent(mi)].id;
            let known = x.prev_orgs.iter().rev().find(|&&e| {
                let entry = x.gazetteer.get(&s.doc.entities[e].id);
                entry.and_then(|g| g.hq()) == Some(gpe.as_str())
            });
            if let Some(&org) = known {
                out.push((org, s.ent(mi)));
            }
        }
        _ => {}
    }
}

/// `Ant Financial (Alipay)`: a product in brackets right after an
/// organisation is the organisation's.
fn bracketed_product(x: &Scope, mi: usize, out: &mut Pairs) {
    let s = x.s;
    let after = s.ms[mi].b;
    if s.ms[mi].kind == Org
        && let Some(p) = s.mention_at(after + 1).filter(|&p| s.ms[p].kind == Product)
        && s.w(s.ms[p].b) == ")"
    {
        out.push((s.ent(mi), s.ent(p)));
    }
}

fn org_of_place(x: &Scope, mi: usize, out: &mut Pairs) {
    let s = x.s;
    let after = s.ms[mi].b;
    if s.ms[mi].kind == Org
        && s.w(after) == "of"
        && let Some(y) = s.mention_at(after + 1).filter(|&y| s.ms[y].kind == Gpe)
        && !matches!(s.w(s.ms[y].b), "-" | "'")
    {
        out.push((s.ent(mi), s.ent(y)));
    }
}

// ---------------------------------------------------------------------------
// `Y parent X`, `Y investor X`, `X affiliate Y`, `X founder Y`: a role noun
// between two names.

fn owner_premodifier(x: &Scope, mi: usize, out: &mut Pairs) {
    let s = x.s;
    let after = s.ms[mi].b;
    if matches!(s.w(after), "parent" | "owner" | "operator")
        && let Some(owner) = s.mention_at(after + 1)
    {
        out.push((s.ent(owner), s.ent(mi)));
    }
}

fn investor_premodifier(x: &Scope, mi: usize, out: &mut Pairs) {
    let s = x.s;
    let after = s.ms[mi].b;
    if matches!(s.w(after), "investor" | "backer" | "shareholder")
        && let Some(investor) = s.mention_at(after + 1).filter(|&o| s.ms[o].kind == Org)
    {
        out.push((s.ent(investor), s.ent(mi)));
    }
}

fn affiliate_premodifier(x: &Scope, mi: usize, out: &mut Pairs) {
    let s = x.s;
    let after = s.ms[mi].b;
    if s.w(after) == "affiliate"
        && let Some(y) = s.mention_at(after + 1)
    {
        out.push((s.ent(y), s.ent(mi)));
    }
}

fn founder_premodifier(x: &Scope, mi: usize, out: &mut Pairs) {
    let s = x.s;
    let len = s.founder_word_at(s.ms[mi].b);
    if len > 0
        && let Some(y) = s.mention_at(s.ms[mi].b + len)
    {
        out.push((s.ent(mi), s.ent(y)));
    }
}

/// `X chief executive Y`, `X founder and chief executive Y`: the person
/// after a chain of title words, and whether the chain holds a founder
/// word and a role besides.
fn title_chain(s: &Sent, mi: usize) -> Option<(usize, bool, bool)> {
    let role_titles = &*ROLE_TITLES;
    let after = s.ms[mi].b;
    if s.ms[mi].kind != Org || !role_titles.contains(s.w(after)) {
        return None;
    }
    let mut i = after;
    while i < s.n && (role_titles.contains(s.w(i)) || s.w(i) == "and") {
        i += 1;
    }
    let y = s.mention_at(i).filter(|&y| s.ms[y].kind == Person)?;
    let founder = (after..i).any(|k| is_founder_word(s.w(k)));
    let role = (after..i).any(|k| role_titles.contains(s.w(k)) && !is_founder_word(s.w(k)));
    Some((y, founder, role))
}

fn title_chain_founder(x: &Scope, mi: usize, out: &mut Pairs) {
    if let Some((y, true, _)) = title_chain(x.s, mi) {
        out.push((x.s.ent(mi), x.s.ent(y)));
    }
}

fn title_chain_person(x: &Scope, mi: usize, out: &mut Pairs) {
    if let Some((y, _, true)) = title_chain(x.s, mi) {
        out.push((x.s.ent(y), x.s.ent(mi)));
    }
}

// ---------------------------------------------------------------------------
// `X, (the) owner of Y`: a noun phrase after a comma, ending at a preposition.

#[derive(Clone, Copy)]
struct Apposition<'s> {
    /// After an article (`X, a unit of Y`), not a clause.
    article: bool,
    /// Token range `[nouns.0, nouns.1)` of the nouns.
    nouns: (usize, usize),
    /// The preposition after them.
    prep: &'s str,
    /// The last noun (`parent` for `parent company`, `holding company`).
    last: &'s str,
    /// The first mention after the preposition.
    y: usize,
}

/// The apposition after mention `mi`, from the memo.
fn apposition<'s>(x: &Scope<'s, '_>, mi: usize) -> Option<Apposition<'s>> {
    memoised(&x.memo.apposition, mi, || read_apposition(x.s, mi))
}

fn read_apposition<'s>(s: &'s Sent, mi: usize) -> Option<Apposition<'s>> {
    let mut after = s.ms[mi].b;
    if s.w(after) == ")" && s.w(after + 1) == "," {
        after += 1;
    }
    if s.w(after) != "," {
        return None;
    }
    let mut i = after + 1;
    let article = matches!(s.w(i), "the" | "a" | "an" | "its");
    if article {
        i += 1;
    }
    let start = i;
    while i < s.n && i < start + 8 && (s.is_lower_word(i) || s.w(i) == "-") && s.w(i) != "," {
        if matches!(s.w(i), "of" | "at" | "with" | "for" | "from" | "in" | "to") {
            break;
        }
        i += 1;
    }
    let last = if i > start { s.w(i - 1) } else { "" };
    let last = if matches!(last, "company" | "group" | "firm")
        && i >= start + 2
        && matches!(s.w(i - 2), "parent" | "holding")
    {
        "parent"
    } else {
        last
    };
    Some(Apposition {
        article,
        nouns: (start, i),
        prep: s.w(i),
        last,
        y: s.first_after(i + 1, 2)?,
    })
}

fn apposition_owner(x: &Scope, mi: usize, out: &mut Pairs) {
    let s = x.s;
    if s.ms[mi].kind == Org
        && let Some(a) = apposition(x, mi)
        && a.prep == "of"
        && matches!(
            a.last,
            "owner" | "parent" | "operator" | "maker" | "developer" | "publisher"
        )
    {
        each_tail(out, s.ent(mi), s.ents(s.list_from(a.y)));
    }
}

fn apposition_unit(x: &Scope, mi: usize, out: &mut Pairs) {
    let s = x.s;
    if matches!(s.ms[mi].kind, Org | Product)
        && let Some(a) = apposition(x, mi)
        && a.article
        && a.prep == "of"
        && matches!(a.last, "unit" | "subsidiary" | "division" | "arm")
    {
        out.push((s.ent(a.y), s.ent(mi)));
    }
}

fn apposition_affiliate(x: &Scope, mi: usize, out: &mut Pairs) {
    let s = x.s;
    if s.ms[mi].kind == Org
        && let Some(a) = apposition(x, mi)
        && a.prep == "of"
        && a.last == "affiliate"
    {
        out.push((s.ent(mi), s.ent(a.y)));
    }
}

fn apposition_investor(x: &Scope, mi: usize, out: &mut Pairs) {
    let s = x.s;
    if s.ms[mi].kind == Org
        && let Some(a) = apposition(x, mi)
        && a.article
        && matches!(a.prep, "in" | "of")
        && matches!(a.last, "investor" | "backer" | "shareholder")
    {
        out.push((s.ent(mi), s.ent(a.y)));
    }
}

fn apposition_founder(x: &Scope, mi: usize, out: &mut Pairs) {
    let s = x.s;
    if s.ms[mi].kind == Person
        && let Some(a) = apposition(x, mi)
        && a.prep == "of"
        && (a.nouns.0..a.nouns.1).any(|k| is_founder_word(s.w(k)))
    {
        out.push((s.ent(a.y), s.ent(mi)));
    }
}

fn apposition_rival(x: &Scope, mi: usize, out: &mut Pairs) {
    let s = x.s;
    if matches!(s.ms[mi].kind, Org | Product)
        && let Some(a) = apposition(x, mi)
        && matches!(a.prep, "to" | "of")
        && a.last == "rival"
    {
        out.push((s.ent(mi), s.ent(a.y)));
    }
}

fn apposition_based(x: &Scope, mi: usize, out: &mut Pairs) {
    let s = x.s;
    if s.ms[mi].kind == Org
        && let Some(a) = apposition(x, mi)
        && a.prep == "in"
        && matches!(a.last, "headquartered" | "based")
    {
        out.push((s.ent(mi), s.ent(a.y)));
    }
}

// ---------------------------------------------------------------------------
// People and their organisations.

/// `P, an associate professor of law at O`: a role other than founder
/// (`founder and chief executive of` gives both relations, SPEC §6; `founder
/// of` alone is founded_by) and the first organisation after a preposition.
fn apposition_role_at(x: &Scope, mi: usize, out: &mut Pairs) {
    let s = x.s;
    let after = s.ms[mi].b;
    if s.ms[mi].kind != Person || s.w(after) != "," {
        return;
    }
    let role_titles = &*ROLE_TITLES;
    let end = (after + 1..(after + 16).min(s.n))
        .find(|&k| matches!(s.w(k), "," | ";" | "." | "("))
        .unwrap_or((after + 16).min(s.n));
    let has_role = (after + 1..end).any(|k| {
        (PERSON_ROLES.contains(s.raw(k)) || role_titles.contains(s.w(k)))
            && !is_founder_word(s.w(k))
    });
    // `at Shanghai-based brokerage X`: past the words before the name.
    let org = (after + 2..end)
        .find(|&k| matches!(s.w(k), "at" | "with" | "of" | "for" | "from"))
        .and_then(|p| (p + 1..end).find_map(|k| s.mention_at(k).filter(|&o| s.ms[o].kind == Org)));
    if has_role && let Some(o) = org {
        out.push((s.ent(mi), s.ent(o)));
    }
}

/// `P at O`: the organisation P belongs to; read as founding when the
/// sentence speaks of founders.
fn person_at(s: &Sent, mi: usize) -> Option<(usize, bool)> {
    let after = s.ms[mi].b;
    if s.ms[mi].kind != Person || s.w(after) != "at" {
        return None;
    }
    let o = s.mention_at(after + 1).filter(|&o| s.ms[o].kind == Org)?;
    // Asked here only: a scan of the whole sentence for one rare pattern.
    Some((o, s.has_word(&FOUNDER_WORDS)))
}

fn person_at_founded(x: &Scope, mi: usize, out: &mut Pairs) {
    if let Some((o, true)) = person_at(x.s, mi) {
        out.push((x.s.ent(o), x.s.ent(mi)));
    }
}

fn person_at_works(x: &Scope, mi: usize, out: &mut Pairs) {
    if let Some((o, false)) = person_at(x.s, mi) {
        out.push((x.s.ent(mi), x.s.ent(o)));
    }
}

/// `X headquarters|headquartered|based in Y`; `X is expected to remain
/// headquartered in Y` (lowercase words between, no other name).
fn headquartered_in(x: &Scope, mi: usize, out: &mut Pairs) {
    let s = x.s;
    if s.ms[mi].kind != Org {
        return;
    }
    let after = s.ms[mi].b;
    let cue = |w: &str| matches!(w, "headquarters" | "headquartered" | "based");
    let mut i = after;
    while i < after + 6 && s.is_lower_word(i) && !cue(s.w(i)) {
        i += 1;
    }
    if cue(s.w(i))
        && s.w(i + 1) == "in"
        && !s.negated(i, i - after)
        && let Some(y) = s.mention_at(i + 2)
    {
        out.push((s.ent(mi), s.ent(y)));
    }
}

/// `Chairman and chief executive Brian Roberts has …`, `former CEO Travis
/// Kalanick`: an executive title right before a person with no organisation
/// of its own names the company the sentence, else the article, is about
/// (the first company its lede names).
fn title_person(x: &Scope, mi: usize, out: &mut Pairs) {
    let s = x.s;
    let m = s.ms[mi];
    if m.kind != Person {
        return;
    }
    let role_titles = &*ROLE_TITLES;
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
        // Else the company the article is about: the first its lede names.
        let company = |e: usize| !x.ctx.authority[e];
        let org = s
            .nearest_before(k, &[Org])
            .map(|o| s.ent(o))
            .filter(|&e| company(e))
            .or_else(|| x.mentioned.first_named(company))
            .or(x.ctx.last_company);
        if let Some(o) = org {
            out.push((s.ent(mi), o));
        }
    }
}

/// `P became|is|was (the|a) ROLE of|at O`.
fn person_became_role(x: &Scope, mi: usize, out: &mut Pairs) {
    let s = x.s;
    let after = s.ms[mi].b;
    if s.ms[mi].kind != Person
        || !matches!(s.w(after), "became" | "is" | "was" | "remains" | "becomes")
    {
        return;
    }
    let mut i = after + 1;
    if matches!(s.w(i), "the" | "a" | "an" | "its") {
        i += 1;
    }
    let start = i;
    while i < start + 5 && ROLE_TITLES.contains(s.w(i)) {
        i += 1;
    }
    if i > start
        && matches!(s.w(i), "of" | "at")
        && let Some(o) = s.first_after(i + 1, 1).filter(|&o| s.ms[o].kind == Org)
    {
        out.push((s.ent(mi), s.ent(o)));
    }
}

// ---------------------------------------------------------------------------
// Rivals named around a mention.

/// `(the) rival to|of Y`, not in an appositive: the subject is the rival.
fn rival_to_subject(x: &Scope, mi: usize, out: &mut Pairs) {
    let s = x.s;
    let m = s.ms[mi];
    if m.a >= 2
        && matches!(s.w(m.a - 1), "to" | "of")
        && s.w(m.a - 2) == "rival"
        && !s.negated(m.a - 2, 3)
    {
        let appositive = (m.a.saturating_sub(8)..m.a - 2).any(|k| s.w(k) == ",");
        if !appositive && let Some(subj) = s.subject().filter(|&x| s.ms[x].ent != m.ent) {
            out.push((s.ent(subj), s.ent(s.possessed(mi))));
        }
    }
}

/// `rival Y` as a premodifier: the sentence's subject competes with Y.
fn rival_premodifier(x: &Scope, mi: usize, out: &mut Pairs) {
    let s = x.s;
    let m = s.ms[mi];
    if m.a > 0
        && matches!(s.w(m.a - 1), "rival" | "rivals")
        && !s.negated(m.a - 1, 3)
        && let Some(subj) = s
            .subject()
            .filter(|&x| s.ms[x].ent != m.ent && s.ms[x].a < m.a)
    {
        out.push((s.ent(subj), s.ent(mi)));
    }
}

// ---------------------------------------------------------------------------
// `its [words] Y`: the organisation of the clause's subject.

/// The end of the noun phrase after `its` at `i` (a function word ends it:
/// `its check that Finix`, `its own shares to Alphabet`), and the owner.
fn its_phrase(x: &Scope, i: usize) -> (usize, Option<usize>) {
    memoised(&x.memo.its, i, || read_its_phrase(x, i))
}

fn read_its_phrase(x: &Scope, i: usize) -> (usize, Option<usize>) {
    let s = x.s;
    let phrase_ends = &*PHRASE_ENDS;
    let mut k = i + 1;
    while k < i + 6
        && (s.is_lower_word(k) || s.w(k) == "-")
        && s.mention_at(k).is_none()
        && !phrase_ends.contains(s.w(k))
    {
        k += 1;
    }
    // The clause's subject; else the sentence's, unless another company
    // stands between it and `its` (`X's app sued Y, alleging that its
    // platforms …`: X's or Y's?). A court or regulator there is no rival
    // reading (`filed a lawsuit at the court against its rival`).
    let owner = s.clause_subject_before(i).or_else(|| {
        let other_company = |o: usize| {
            s.ms.iter().any(|m| {
                m.kind == Org
                    && m.a >= s.ms[o].b
                    && m.b <= i
                    && m.ent != s.ms[o].ent
                    && !x.ctx.authority[m.ent]
            })
        };
        s.subject_org().filter(|&o| !other_company(o))
    });
    (k, owner)
}

/// `its South Korean rival, Samsung`: the owner's competitor.
fn its_rival(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    let rival = (i + 1..(i + 6).min(s.n))
        .take_while(|&j| s.mention_at(j).is_none() && !matches!(s.w(j), "," | "." | ";"))
        .find(|&j| is_rival_word(s.w(j)));
    if let Some(r) = rival {
        let at = if s.w(r + 1) == "," { r + 2 } else { r + 1 };
        if let (Some(y), (_, Some(owner))) = (s.mention_at(at), its_phrase(x, i))
            && !s.negated(i, 4)
        {
            let tails = s.ents(s.list_from_mixed(y));
            each_tail(out, s.ent(owner), tails);
        }
    }
}

/// `its biggest shareholder SoftBank`: the named one invests in the owner.
fn its_investor(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    let (k, owner) = its_phrase(x, i);
    let investor_word = (i + 1..k).any(|j| {
        matches!(
            s.w(j),
            "shareholder" | "investor" | "backer" | "shareholders" | "investors" | "backers"
        )
    });
    // `its investors include A, B and C`: the investors-include rule's.
    let listing =
        (i + 1..k).any(|j| matches!(s.w(j), "include" | "includes" | "included" | "are" | "were"));
    if let (Some(y), Some(owner)) = (s.mention_at(k), owner)
        && investor_word
        && !listing
        && s.ms[y].kind == Org
    {
        each_head(out, s.ents(s.list_from(y)), s.ent(owner));
    }
}

/// `Tencent could … its WeChat`: owned by the clause's subject.
fn its_possessive(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    let (k, owner) = its_phrase(x, i);
    let not_owned = &*NOT_OWNED_AFTER_ITS;
    if let (Some(y), Some(owner)) = (s.mention_at(k), owner)
        && !(i + 1..k).any(|j| not_owned.contains(s.w(j)))
    {
        each_tail(out, s.ent(owner), s.ents(s.list_from(y)));
    }
}

// ---------------------------------------------------------------------------
// Founding, investment and ownership verbs.

/// `founded by P`, `founded in Nanjing in 2008 by P`; `Founded in 1995 by P,
/// a chemist, BYD moved …` (the organisation the opening participle
/// describes comes after it).
fn founded_by(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    let Some(by) = (i + 1..(i + 9).min(s.n))
        .take_while(|&k| !matches!(s.w(k), "," | ";" | "."))
        .find(|&k| s.w(k) == "by")
    else {
        return;
    };
    let Some(p) = s.first_after(by + 1, 4) else {
        return;
    };
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
        each_tail(out, s.ent(o), s.ents(s.list_from(p)));
    }
}

/// `… Arm Holdings from the British chip designer's Japanese parent
/// SoftBank`: a company noun's possessive before `parent X` stands for the
/// organisation the sentence named last before it.
fn described_parent(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    let Some(owner) = s.mention_at(i + 1).filter(|&o| s.ms[o].kind == Org) else {
        return;
    };
    // `'s`, then up to three adjectives, then `parent`.
    let Some(k) = (i.saturating_sub(5)..i.saturating_sub(1))
        .rev()
        .find(|&k| s.possessive(k) == 2)
    else {
        return;
    };
    let adjectives = (k + 2..i).all(|j| s.mention_at(j).is_none() && s.w(j).len() > 1);
    let described = k > 0 && s.is_lower_word(k - 1) && COMPANY_NOUNS.contains(s.w(k - 1));
    if !adjectives || !described || s.mention_ending(k).is_some() {
        return;
    }
    if let Some(owned) = s.nearest_before(k - 1, &[Org, Product]) {
        out.push((s.ent(owner), s.ent(owned)));
    }
}

/// `invested (about $13 billion) in Y`.
fn invested_in(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    let into = (i + 1..(i + 8).min(s.n))
        .take_while(|&k| s.mention_at(k).is_none() && s.w(k) != ",")
        .find(|&k| s.w(k) == "in");
    if let Some(k) = into
        && let (Some(h), Some(t)) = (s.agent_before(i), s.first_after(k + 1, 3))
    {
        each_tail(out, s.ent(h), s.ents(s.list_from(t)));
    }
}

/// `X pumped|injected|poured|put (another) $N into Y`: money into a company
/// is an investment in it (SPEC §6: a funding round, a minority stake).
fn invested_into(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    // The amount between: no name, no clause break.
    let into = (i + 1..(i + 12).min(s.n))
        .take_while(|&k| s.mention_at(k).is_none() && !matches!(s.w(k), "," | ";" | "."))
        .find(|&k| s.w(k) == "into");
    let money = into.is_some_and(|k| {
        let (from, to) = (
            s.doc.tokens[s.t0 + i].span.end,
            s.doc.tokens[s.t0 + k].span.start,
        );
        s.doc
            .money
            .iter()
            .any(|m| m.span.start >= from && m.span.end <= to)
    });
    if let (Some(k), true) = (into, money)
        && let Some(h) = x.ctx.agent(s, i)
        && let Some(t) = s.first_after(k + 1, 3).filter(|&t| s.ms[t].kind == Org)
    {
        each_tail(out, h, s.ents(s.list_from(t)));
    }
}

/// `a backer of Y`, `an investor in Y`, `X's stake in Y`: the holder (the
/// possessor a few words back, else the subject), the held, and whether the
/// stake is a majority (SPEC §6: `a 60 percent stake`, `a controlling stake`).
fn stake_in(s: &Sent, i: usize) -> Option<(usize, usize, bool)> {
    let w = s.w(i);
    // `stake in`; `backer of`, `investor in`.
    let stake = w == "stake";
    let held = if stake {
        s.w(i + 1) == "in"
    } else {
        matches!(s.w(i + 1), "of" | "in")
    };
    if !held {
        return None;
    }
    let t = s.first_after(i + 2, 3)?;
    let h = (i.saturating_sub(6)..i)
        .rev()
        .find(|&k| s.possessive(k) == 2)
        .and_then(|k| s.mention_ending(k))
        .or_else(|| s.subject_org())?;
    let at = s.doc.tokens[s.t0 + i].span.start;
    let majority = stake
        && (s
            .doc
            .percents
            .iter()
            .any(|p| p.span.end <= at && at - p.span.end <= 12 && over_half(p))
            || (i.saturating_sub(3)..i).any(|k| matches!(s.w(k), "majority" | "controlling")));
    Some((h, t, majority))
}

fn backer_of(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    if let Some((h, t, false)) = stake_in(s, i) {
        each_tail(out, s.ent(h), s.ents(s.list_from(t)));
    }
}

fn majority_stake_in(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    if let Some((h, t, true)) = stake_in(s, i) {
        each_tail(out, s.ent(h), s.ents(s.list_from(t)));
    }
}

/// `Y, backed by X`.
fn backed_by(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    if s.w(i + 1) == "by"
        && let (Some(t), Some(h)) = (s.nearest_before(i, &[Org]), s.first_after(i + 2, 2))
    {
        out.push((s.ent(h), s.ent(t)));
    }
}

/// `Y, owned|controlled by X`.
fn owned_by(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    if s.w(i + 1) == "by"
        && let (Some(t), Some(h)) = (
            s.nearest_before(i, &[Org, Product]),
            s.first_after(i + 2, 2),
        )
    {
        out.push((s.ent(h), s.ent(t)));
    }
}

/// A percentage above 50: a majority stake (SPEC §6).
fn over_half(p: &Percent) -> bool {
    p.value.digits > 50 * 10u128.pow(p.value.scale)
}

/// What `X owns|acquired|bought … Y` says: a share (`owns about 15% of Y`:
/// the percentage's value), or whole ownership.
#[derive(Clone, Copy)]
enum Holding {
    Share(bool),
    Whole,
}

/// `X owns|acquired|bought … Y`: the agent, the first mention after the
/// verb, and the holding.
fn verb_holding(x: &Scope, i: usize) -> Option<(usize, usize, Holding)> {
    memoised(&x.memo.holding, i, || read_verb_holding(x.s, i))
}

fn read_verb_holding(s: &Sent, i: usize) -> Option<(usize, usize, Holding)> {
    let (h, t) = (s.agent_before(i)?, s.first_after(i + 1, 5)?);
    let at = s.doc.tokens[s.t0 + i].span.end;
    let until = s.doc.tokens[s.t0 + s.ms[t].a].span.start;
    let share = s
        .doc
        .percents
        .iter()
        .find(|p| p.span.start >= at && p.span.end <= until);
    let holding = match share {
        Some(p) => Holding::Share(over_half(p)),
        None => Holding::Whole,
    };
    Some((h, t, holding))
}

fn owns_verb(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    let Some((h, t, Holding::Whole)) = verb_holding(x, i) else {
        return;
    };
    // Only a stake reaches that far (`owns about 15% of`); `bought by` is passive.
    if s.ms[t].np > i + 3 || s.at(i + 1, &["by"]) {
        return;
    }
    // `that owns X, and Y …`: a relative clause ends at a comma.
    let relative = i > 0 && matches!(s.w(i - 1), "that" | "which" | "who");
    let tails = if relative {
        s.list_tight(t)
    } else {
        s.list_from(t)
    };
    each_tail(out, s.ent(h), s.ents(tails));
}

/// `X owns about 15% of Y`: a minority stake is an investment (SPEC §6).
fn minority_stake_verb(x: &Scope, i: usize, out: &mut Pairs) {
    if let Some((h, t, Holding::Share(false))) = verb_holding(x, i) {
        out.push((x.s.ent(h), x.s.ent(t)));
    }
}

fn majority_stake_verb(x: &Scope, i: usize, out: &mut Pairs) {
    if let Some((h, t, Holding::Share(true))) = verb_holding(x, i) {
        out.push((x.s.ent(h), x.s.ent(t)));
    }
}

/// `X's acquisition|purchase|takeover of Y`; `X's $26 billion acquisition of
/// Y`; `the acquisition of Y by X`; `with the acquisition of Y` by the
/// clause's subject. (Planned or blocked deals are negated.)
fn acquisition_of(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    if s.w(i + 1) != "of" {
        return;
    }
    // (`the acquisition of a state-owned carmaker Xi'an Qinchuan`: a
    // described name counts from its phrase.)
    let Some(t) = s.first_after(i + 2, 4) else {
        return;
    };
    let possessor = (i >= 2 && s.possessive(i - 2) == 2)
        .then(|| s.mention_ending(i - 2))
        .flatten()
        .or_else(|| {
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
        each_tail(out, s.ent(o), s.ents(s.list_from(t)));
    }
}

/// `(Its|X's) investors include A, B and C`.
fn investors_include(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    if !matches!(
        s.w(i + 1),
        "include" | "includes" | "included" | "are" | "were"
    ) {
        return;
    }
    let Some(first) = s.first_after(i + 2, 2) else {
        return;
    };
    let company = (i >= 2 && s.possessive(i - 2) == 2)
        .then(|| s.mention_ending(i - 2).map(|m| s.ent(m)))
        .flatten()
        .or_else(|| {
            // `its investors`: the clause's subject, else the company named last.
            let its = i > 0 && s.w(i - 1) == "its" || i > 1 && s.w(i - 2) == "its";
            its.then(|| {
                s.clause_subject_before(i)
                    .or_else(|| s.subject_org().filter(|&o| s.ms[o].b <= i))
                    .map(|m| s.ent(m))
                    .or(x.ctx.last_company)
            })
            .flatten()
        });
    if let Some(c) = company {
        each_head(out, s.ents(s.list_from(first)), c);
    }
}

/// `X raised $N (…) from A and B`; `… in a round led by A`.
fn raised_from(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    let Some(c) = x.ctx.agent(s, i) else {
        return;
    };
    let from = (i + 1..(i + 16).min(s.n))
        .take_while(|&k| !matches!(s.w(k), ";" | "."))
        .find(|&k| s.w(k) == "from" || s.at(k, &["led", "by"]));
    let first = from.and_then(|k| {
        let skip = if s.w(k) == "from" { 1 } else { 2 };
        s.first_after(k + skip, 3)
    });
    if let Some(first) = first.filter(|&f| s.ms[f].kind == Org) {
        each_head(out, s.ents(s.list_from(first)), c);
    }
}

/// Funding rounds: `backers in X — led by A and including B`, `a round led
/// by A`, `A led the company's Series B round`.
fn round_led_by(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
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
    let company = company.map(|m| s.ent(m)).or_else(|| {
        s.ms.iter()
            .find(|m| m.kind == Org && !investors.iter().any(|&x| s.ms[x].ent == m.ent))
            .map(|m| m.ent)
            .or(x.ctx.last_company)
    });
    if let Some(c) = company {
        for investor in investors {
            out.push((s.ent(investor), c));
        }
    }
}

/// The person acting in the verb at `i`: the nearest person named before it
/// in the sentence, else, for a sentence that opens with `He` or `She`, the
/// person the article named last.
fn person_before(x: &Scope, i: usize) -> Option<usize> {
    let s = x.s;
    match s.nearest_before(i, &[Person]) {
        Some(p) => Some(s.ent(p)),
        None if matches!(s.w(0), "he" | "she") => x.ctx.last_person,
        None => None,
    }
}

/// `P joined O`; `He joined Google in 2004`. (Not `joined forces with`.)
fn joined(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    if let Some(o) = s.mention_at(i + 1).filter(|&o| s.ms[o].kind == Org)
        && let Some(p) = person_before(x, i)
    {
        out.push((p, s.ent(o)));
    }
}

/// `P was recruited|hired by O`; `O hired P`.
fn hired_by(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    if s.w(i + 1) == "by" {
        if let Some(o) = s.first_after(i + 2, 1).filter(|&o| s.ms[o].kind == Org)
            && let Some(p) = person_before(x, i)
        {
            out.push((p, s.ent(o)));
        }
    } else if let Some(p) = s.mention_at(i + 1).filter(|&p| s.ms[p].kind == Person)
        && let Some(o) = s.mention_ending(i).filter(|&o| s.ms[o].kind == Org)
    {
        out.push((s.ent(p), s.ent(o)));
    }
}

/// `P served as chief executive with|at|of O`, `P was named|appointed (as)
/// chief financial officer of O`, `P was elevated|promoted to CEO at O`.
fn role_verb(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    let mut k = i + 1;
    if matches!(s.w(k), "as" | "to") {
        k += 1;
    }
    if matches!(s.w(k), "the" | "its" | "a" | "an") {
        k += 1;
    }
    let start = k;
    while k < start + 5 && ROLE_TITLES.contains(s.w(k)) {
        k += 1;
    }
    if k > start
        && matches!(s.w(k), "of" | "at" | "with" | "for")
        && let Some(o) = s.first_after(k + 1, 2).filter(|&o| s.ms[o].kind == Org)
        && let Some(p) = person_before(x, i)
    {
        out.push((p, s.ent(o)));
    }
}

/// `P worked|working for|at O`.
fn worked_for(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    if matches!(s.w(i + 1), "for" | "at")
        && let Some(o) = s.first_after(i + 2, 2).filter(|&o| s.ms[o].kind == Org)
        && let Some(p) = s.nearest_before(i, &[Person])
    {
        out.push((s.ent(p), s.ent(o)));
    }
}

// ---------------------------------------------------------------------------
// Competition.

/// `X competes (directly) with Y (and Z)`; `X and Y (have been) competing`.
fn competes_verb(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    // `competes with`, `compete directly with`, `competes too directly with`
    let with = (i + 1..(i + 4).min(s.n))
        .take_while(|&k| s.is_lower_word(k))
        .find(|&k| s.w(k) == "with");
    let before = s
        .mention_ending(i)
        .or_else(|| s.nearest_before(i, &[Org, Product]));
    match with {
        Some(k) => {
            if let (Some(h), Some(t)) = (before, s.first_after(k + 1, 3)) {
                for h in s.list_ending_at(h) {
                    for t in s.list_from_mixed(t) {
                        out.push((s.ent(h), s.ent(t)));
                    }
                }
            }
        }
        None => {
            if let Some(h) = s.nearest_before(i, &[Org, Product]) {
                let list = s.list_ending_at(h);
                for a in 0..list.len() {
                    for b in a + 1..list.len() {
                        out.push((s.ent(list[a]), s.ent(list[b])));
                    }
                }
            }
        }
    }
}

/// `(growing) competition from X`: the subject competes with X.
fn competition_from(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    if s.w(i + 1) == "from"
        && let (Some(h), Some(t)) = (s.subject(), s.first_after(i + 2, 2))
    {
        each_tail(out, s.ent(h), s.ents(s.list_from_mixed(t)));
    }
}

/// `the two (tech) rivals`, `They have been fierce rivals`: the two
/// organisations the article has named most. (Which two: asked only here,
/// so not counted for every sentence.)
fn two_rivals(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    let two = (i.saturating_sub(5)..i).any(|k| matches!(s.w(k), "two" | "both"));
    let they = s.w(0) == "they" && i < 6;
    if two || they {
        let salient = x.mentioned.two_most_mentioned();
        if salient.len() >= 2 {
            out.push((salient[0], salient[1]));
        }
    }
}

// ---------------------------------------------------------------------------
// Fines.

fn is_passive_fine(s: &Sent, i: usize) -> bool {
    i > 0 && matches!(s.w(i - 1), "was" | "been" | "were" | "be" | "being")
}

/// `Y was fined (€X) by X`; without `by`, by the authority the article
/// named (SPEC §6).
fn fined_passive(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    if s.at(i + 1, &["for"]) || !is_passive_fine(s, i) {
        return;
    }
    let by = (i + 1..(i + 10).min(s.n))
        .take_while(|&k| !matches!(s.w(k), "," | ";" | "."))
        .find(|&k| s.w(k) == "by");
    let h = match by {
        Some(k) => s.first_after(k + 1, 2).map(|m| s.ent(m)),
        None => x.ctx.fining_authority(s, i),
    };
    if let (Some(t), Some(h)) = (s.nearest_before(i, &[Org]), h) {
        each_tail(out, h, s.ents(s.list_ending_at(t)));
    }
}

/// `SAMR fined Alibaba`; `the regulator said it had fined carmaker X`.
fn fined(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    if s.at(i + 1, &["for"]) || is_passive_fine(s, i) {
        return;
    }
    if let (Some(h), Some(t)) = (x.ctx.agent(s, i), s.first_after(i + 1, 2)) {
        each_tail(out, h, s.ents(s.list_from(t)));
    }
}

/// `levied / imposed / issued a fine … against / on Y`; `slapped Y with a
/// fine` (the object first).
fn fine_imposed(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    let Some(f) = (i + 1..(i + 6).min(s.n))
        .find(|&k| matches!(s.w(k), "fine" | "fines" | "penalty" | "penalties"))
    else {
        return;
    };
    let target = (f + 1..s.n).find(|&k| matches!(s.w(k), "against" | "on"));
    let object = (s.w(i) == "slapped")
        .then(|| s.first_after(i + 1, 2))
        .flatten();
    let t = object.or_else(|| target.and_then(|k| s.first_after(k + 1, 2)));
    if let (Some(h), Some(t)) = (x.ctx.agent(s, i), t) {
        each_tail(out, h, s.ents(s.list_from(t)));
    }
}

/// `a €1.8bn fine against Y`, `a penalty on Y`: by the authority named before.
fn fine_against(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    if matches!(s.w(i + 1), "against" | "on")
        && let (Some(t), Some(h)) = (s.first_after(i + 2, 2), x.ctx.fining_authority(s, i))
    {
        each_tail(out, h, s.ents(s.list_from(t)));
    }
}

/// `Y was hit with a (record) fine`: by the authority named before.
fn hit_with_fine(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    if s.w(i + 1) == "with"
        && (i + 2..(i + 7).min(s.n)).any(|k| matches!(s.w(k), "fine" | "penalty"))
        && let (Some(t), Some(h)) = (s.nearest_before(i, &[Org]), x.ctx.fining_authority(s, i))
    {
        out.push((h, s.ent(t)));
    }
}

// ---------------------------------------------------------------------------
// Lawsuits.

/// `ByteDance sued Tencent`; `X and 30 states are suing Y` (every named
/// plaintiff); `Y was sued by X`.
fn sued(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    let passive = (i.saturating_sub(2)..i)
        .any(|k| matches!(s.w(k), "was" | "been" | "were" | "being" | "is" | "are"));
    if passive && s.w(i) == "sued" {
        if let (Some(t), true) = (s.nearest_before(i, &[Org]), s.w(i + 1) == "by")
            && let Some(h) = s.first_after(i + 2, 2)
        {
            out.push((s.ent(h), s.ent(t)));
        }
    } else if let (Some(h), Some(t)) = (x.ctx.agent(s, i), s.first_after(i + 1, 2)) {
        let plaintiffs = match s.agent_before(i) {
            Some(m) => s.list_ending_at(m).into_iter().map(|m| s.ent(m)).collect(),
            None => vec![h],
        };
        for h in plaintiffs {
            each_tail(out, h, s.ents(s.list_from(t)));
        }
    }
}

/// `X filed a lawsuit|suit|complaint against Y`.
fn lawsuit_against(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    if s.w(i + 1) == "against"
        && let (Some(h), Some(t)) = (s.subject_org(), s.first_after(i + 2, 5))
    {
        out.push((s.ent(h), s.ent(t)));
    }
}

// ---------------------------------------------------------------------------
// Blocking.

/// `X blocked Y`; `Y services have been blocked on X`; `banned from X`.
fn blocked_verb(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    let passive = i > 0 && matches!(s.w(i - 1), "been" | "was" | "were" | "is" | "are" | "be");
    if passive {
        if matches!(s.w(i + 1), "on" | "from" | "by")
            && let (Some(t), Some(h)) = (
                s.nearest_before(i, &[Org, Product]),
                s.first_after(i + 2, 2),
            )
        {
            out.push((s.ent(h), s.ent(t)));
        }
    } else if s.w(i + 1) != "access"
        && let (Some(h), Some(t)) = (
            s.mention_ending(i)
                .or_else(|| s.nearest_before(i, &[Org, Product])),
            s.first_after(i + 1, 1),
        )
    {
        out.push((s.ent(h), s.ent(t)));
    }
}

/// `blocking access to (content from) Y … on X`; `the blocking of Y links on X`.
fn blocking_access(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    let w = s.w(i);
    let cue = matches!(s.w(i + 1), "access" | "of") || (w == "blocking" && s.w(i + 1) == "of");
    if !cue {
        return;
    }
    let Some(y) = s.first_after(i + 2, 5) else {
        return;
    };
    let on = (s.ms[y].b..(s.ms[y].b + 12).min(s.n)).find(|&k| s.w(k) == "on");
    if let Some(k) = on
        && let Some(blocker) = s.first_after(k + 1, 1)
    {
        each_head(out, s.ents(s.list_from(blocker)), s.ent(y));
    }
}

/// `prevented X('s …) from … on Y`; `preventing customers from using Y` (by
/// the subject).
fn prevented_from(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    let Some(f) = (i + 1..(i + 8).min(s.n)).find(|&k| s.w(k) == "from") else {
        return;
    };
    match (i + 1..f).find_map(|k| s.mention_at(k)) {
        Some(blocked) => {
            let on = (f..s.n).find(|&k| s.w(k) == "on");
            if let Some(y) = on.and_then(|k| s.first_after(k + 1, 1)) {
                out.push((s.ent(y), s.ent(blocked)));
            }
        }
        None => {
            if s.at(f + 1, &["using"])
                && let (Some(h), Some(t)) = (s.subject(), s.first_after(f + 2, 1))
            {
                out.push((s.ent(h), s.ent(t)));
            }
        }
    }
}

/// `X users cannot pay … on Y`.
fn cannot_on(x: &Scope, i: usize, out: &mut Pairs) {
    let s = x.s;
    if s.w(i) == "can" && s.w(i + 1) != "not" {
        return;
    }
    let Some(blocked) = s.subject().filter(|&m| s.ms[m].b <= i) else {
        return;
    };
    let on = (i + 1..s.n)
        .take_while(|&k| !matches!(s.w(k), "," | ";" | "while" | "but"))
        .find(|&k| s.w(k) == "on");
    if let Some(y) = on.and_then(|k| s.first_after(k + 1, 1)) {
        each_head(out, s.ents(s.list_from(y)), s.ent(blocked));
    }
}

/// The relation rules as a Markdown table, in the order they run: id,
/// relation type, argument types, anchor and an example
/// (`docs/RELATION-RULES.md` is this table).
pub fn rules_markdown() -> String {
    let types = |ts: &[EntityType]| ts.iter().map(|t| t.as_str()).collect::<Vec<_>>().join("/");
    let mut md = String::from(
        "# Relation rules\n\n\
         Generated from `RULES` in `src/relations/rules.rs` (a test holds this file\n\
         equal to the table; `NEWSIE_BLESS=1 cargo test rules_doc` rewrites it).\n\
         The rules run in this order; the first evidence of a relation wins. A rule\n\
         at a *mention* is tried at every entity mention of a sentence (or only where\n\
         the given words follow or precede it); a rule at cue words only at those\n\
         tokens, and, unless marked *even negated*, not where a blocker word (`not`,\n\
         `plans to`, `denied` …, `lexicon/relation-blockers.txt`) stands in the four\n\
         tokens before.\n\n\
         | rule | relation | head → tail | at | reads |\n\
         | --- | --- | --- | --- | --- |\n",
    );
    for r in RULES {
        let at = match r.anchor {
            Anchor::Mention => "a mention".to_string(),
            Anchor::MentionThen(words) => format!("a mention, then {}", words.describe()),
            Anchor::WordsThenMention(words) => format!("{}, then a mention", words.describe()),
            Anchor::Cue {
                words,
                unless_negated,
            } => {
                let words: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
                let negated = if unless_negated {
                    ""
                } else {
                    " (even negated)"
                };
                format!("{}{negated}", words.join(" "))
            }
        };
        md.push_str(&format!(
            "| `{}` | {} | {} → {} | {} | {} |\n",
            r.id,
            r.relation.as_str(),
            types(r.head),
            types(r.tail),
            at,
            r.example.replace('|', "\\|"),
        ));
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::word_key_of;

    /// `docs/RELATION-RULES.md` is the table of [`RULES`]; with
    /// `NEWSIE_BLESS=1` the test rewrites it.
    #[test]
    fn rules_doc_is_the_rule_table() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/RELATION-RULES.md");
        let want = rules_markdown();
        if std::env::var_os("NEWSIE_BLESS").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "{path} differs from RULES: run `NEWSIE_BLESS=1 cargo test rules_doc` and commit it"
        );
    }

    #[test]
    fn every_row_fits_its_relation() {
        for r in RULES {
            for &h in r.head {
                for &t in r.tail {
                    assert!(
                        r.relation.admits(h, t),
                        "{}: {:?} → {:?} is not a {:?}",
                        r.id,
                        h,
                        t,
                        r.relation
                    );
                }
            }
            let same_id = RULES.iter().filter(|o| o.id == r.id);
            assert!(
                same_id.clone().all(|o| o.relation == r.relation),
                "rows of {} disagree on the relation type",
                r.id
            );
            assert!(!r.example.is_empty(), "{} has no example", r.id);
        }
    }

    /// The cue words, the word list the sentence is scanned with and the
    /// prefilter on token keys all come from the rows: every cue word of
    /// every row is found, in any case, and leads to that row.
    #[test]
    fn cue_scan_reaches_every_cue_row() {
        let any_case = &*CUE_KEYS;
        for (k, r) in RULES.iter().enumerate() {
            let Anchor::Cue { words, .. } = r.anchor else {
                continue;
            };
            for &w in words {
                assert_eq!(w, w.to_lowercase(), "{}: cue {w:?} is not lowercase", r.id);
                assert!(CUES.contains(w), "{}: cue {w:?} not scanned for", r.id);
                for form in [w.to_string(), w.to_uppercase(), capitalised(w)] {
                    assert!(
                        any_case.may_contain(word_key_of(form.as_bytes())),
                        "{}: the prefilter drops {form:?}",
                        r.id
                    );
                }
                assert!(
                    RULES_BY_CUE[w].contains(&k),
                    "{}: {w:?} does not lead to it",
                    r.id
                );
            }
        }
        let rows: usize = RULES_BY_CUE.values().map(Vec::len).sum();
        let cue_rows: usize = RULES
            .iter()
            .map(|r| match r.anchor {
                Anchor::Cue { words, .. } => words.len(),
                _ => 0,
            })
            .sum();
        assert_eq!(rows, cue_rows, "the cue index holds rows no cue names");
    }

    /// Adding a rule is one row, one function and one test row: every rule
    /// id has a case in `tests/data/relations.toml`.
    #[test]
    fn every_rule_id_has_a_test_row() {
        let rows = include_str!("../../tests/data/relations.toml");
        for r in RULES {
            assert!(
                rows.contains(&format!("rule = \"{}\"", r.id)),
                "rule {} has no row in tests/data/relations.toml",
                r.id
            );
        }
    }

    fn capitalised(w: &str) -> String {
        let mut c = w.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    }
}
