use super::*;
use crate::sentences::split;
use crate::tokenize::tokenize;
use std::sync::LazyLock;

static TAGGER: LazyLock<EntityTagger> = LazyLock::new(|| {
    EntityTagger::new(Gazetteer::builtin().expect("built-in gazetteers")).expect("tagger")
});

/// (surface, type, id) of every mention, in order.
fn tag(text: &str) -> Vec<(String, &'static str, String)> {
    let mut doc = Document::new("t", "t", text);
    doc.tokens = tokenize(text);
    doc.sentences = split(&doc);
    TAGGER.tag(&mut doc);
    doc.mentions
        .iter()
        .map(|m| {
            let e = &doc.entities[m.entity];
            (doc.slice(m.span).to_string(), e.kind.as_str(), e.id.clone())
        })
        .collect()
}

type Row<'a> = (&'a str, &'a [(&'a str, &'a str, &'a str)]);

fn check(rows: &[Row]) {
    for &(text, want) in rows {
        let want: Vec<(String, &str, String)> = want
            .iter()
            .map(|w| (w.0.to_string(), w.1, w.2.to_string()))
            .collect();
        assert_eq!(tag(text), want, "{text:?}");
    }
}

#[test]
fn gazetteer_matching_and_boundaries() {
    check(&[
        (
            "Baidu Inc. and Xiaomi Corp. rose.",
            &[
                ("Baidu Inc.", "ORG", "baidu"),
                ("Xiaomi Corp.", "ORG", "xiaomi"),
            ],
        ),
        (
            "Shares of Meituan-Dianping fell.",
            &[("Meituan-Dianping", "ORG", "meituan")],
        ),
        ("He moved to Nanjing.", &[("Nanjing", "GPE", "nanjing")]),
        ("Baiduism is not a company; nor is Tencents.", &[]),
        ("It raised US$14 million in HK$ terms.", &[]),
        (
            "Visit Alibaba.com today.",
            &[("Alibaba.com", "PRODUCT", "alibaba-com")],
        ),
        (
            "NetEase Cloud Music grew.",
            &[("NetEase Cloud Music", "PRODUCT", "netease-cloud-music")],
        ),
        (
            "The Hangzhou Internet Court ruled.",
            &[("Hangzhou Internet Court", "ORG", "hangzhou-internet-court")],
        ),
    ]);
}

#[test]
fn possessives_and_modifiers_are_left_out_or_kept() {
    check(&[
        (
            "Huawei’s phones and Xiaomi's rivals.",
            &[("Huawei", "ORG", "huawei"), ("Xiaomi", "ORG", "xiaomi")],
        ),
        (
            "Tencent-backed JD Logistics",
            &[
                ("Tencent", "ORG", "tencent"),
                ("JD Logistics", "ORG", "jd-logistics"),
            ],
        ),
        (
            "a Guangzhou-based startup",
            &[("Guangzhou", "GPE", "guangzhou")],
        ),
        (
            "Baidu users in Japan",
            &[("Baidu", "ORG", "baidu"), ("Japan", "GPE", "japan")],
        ),
    ]);
}

#[test]
fn overlaps_take_the_longest() {
    check(&[
        (
            "Bank of China and Hong Kong",
            &[
                ("Bank of China", "ORG", "bank-of-china"),
                ("Hong Kong", "GPE", "hong-kong"),
            ],
        ),
        (
            "the South China Morning Post said",
            &[(
                "South China Morning Post",
                "ORG",
                "south-china-morning-post",
            )],
        ),
        (
            "Tencent Music Entertainment Group",
            &[("Tencent Music Entertainment Group", "ORG", "tencent-music")],
        ),
    ]);
}

#[test]
fn linking_short_forms() {
    check(&[
        // A declared short form after its introduction…
        (
            "Ant Group delayed its listing. Ant said so.",
            &[
                ("Ant Group", "ORG", "ant-group"),
                ("Ant", "ORG", "ant-group"),
            ],
        ),
        // …and not before it.
        ("Ant said so.", &[]),
        // Surnames go to the nearest preceding full mention.
        (
            "Lei Jun met Ren Zhengfei. Lei smiled, then Ren left.",
            &[
                ("Lei Jun", "PERSON", "lei-jun"),
                ("Ren Zhengfei", "PERSON", "ren-zhengfei"),
                ("Lei", "PERSON", "lei-jun"),
                ("Ren", "PERSON", "ren-zhengfei"),
            ],
        ),
        (
            "Jack Ma spoke. Later Pony Ma spoke. Ma left.",
            &[
                ("Jack Ma", "PERSON", "jack-ma"),
                ("Pony Ma", "PERSON", "pony-ma"),
                ("Ma", "PERSON", "pony-ma"),
            ],
        ),
        // An ambiguous surname without an introduction is not tagged.
        ("Ma declined to comment.", &[]),
        // Mr. and titles are left out.
        (
            "Robin Li spoke. Mr. Li agreed.",
            &[
                ("Robin Li", "PERSON", "robin-li"),
                ("Li", "PERSON", "robin-li"),
            ],
        ),
        // A surname inside someone else's full name is not a back-reference.
        (
            "Jack Ma spoke. Ma Huateng replied.",
            &[
                ("Jack Ma", "PERSON", "jack-ma"),
                ("Ma Huateng", "PERSON", "pony-ma"),
            ],
        ),
    ]);
}

#[test]
fn ordinary_word_short_forms_and_currency_names() {
    check(&[
        // A `~short` form is introduced by a company noun before it…
        (
            "Comcast won broadcaster Sky. Sky said so.",
            &[
                ("Comcast", "ORG", "comcast"),
                ("Sky", "ORG", "sky-group"),
                ("Sky", "ORG", "sky-group"),
            ],
        ),
        // …and not without one.
        ("The sky is blue. Sky said so.", &[]),
        // `US dollars` names a currency, not a place (SPEC §2).
        (
            "It paid in US dollars, not in the US.",
            &[("US", "GPE", "united-states")],
        ),
    ]);
}

#[test]
fn fallback_rules() {
    check(&[
        // org-descriptor, and the name found again by repetition.
        (
            "The payments startup Quorvia raised money. Quorvia said so.",
            &[("Quorvia", "ORG", "quorvia"), ("Quorvia", "ORG", "quorvia")],
        ),
        (
            "Brindlewood, a payments infrastructure company, grew. Later Brindlewood hired.",
            &[
                ("Brindlewood", "ORG", "brindlewood"),
                ("Brindlewood", "ORG", "brindlewood"),
            ],
        ),
        ("Bank shares fell. Company executives said so.", &[]),
        // person-byline
        (
            "Shares fell\nBy Nick Turner and Ian King\n\nReporting by Josh Horwitz; Editing by Tom Hogue",
            &[
                ("Nick Turner", "PERSON", "nick-turner"),
                ("Ian King", "PERSON", "ian-king"),
                ("Josh Horwitz", "PERSON", "josh-horwitz"),
                ("Tom Hogue", "PERSON", "tom-hogue"),
            ],
        ),
        ("It was approved By The Board.", &[]),
        // An acronym defined in brackets names the entity there and later.
        (
            "Quorvia Data Holdings (QDH) grew. QDH said so.",
            &[
                ("Quorvia Data Holdings", "ORG", "quorvia-data-holdings"),
                ("QDH", "ORG", "quorvia-data-holdings"),
                ("QDH", "ORG", "quorvia-data-holdings"),
            ],
        ),
        // Hyphen-joined capitalised words inside a name.
        (
            "the Vietnam E-Commerce Association said",
            &[(
                "Vietnam E-Commerce Association",
                "ORG",
                "vietnam-e-commerce-association",
            )],
        ),
        (
            "Shares of Zhongan Online Holdings fell.",
            &[("Zhongan Online Holdings", "ORG", "zhongan-online-holdings")],
        ),
        (
            "Acme Widgets Corp. grew. Acme Widgets said so.",
            &[
                ("Acme Widgets Corp.", "ORG", "acme-widgets"),
                ("Acme Widgets", "ORG", "acme-widgets"),
            ],
        ),
        (
            "the Ministry of Ecology and Environment said",
            &[(
                "Ministry of Ecology and Environment",
                "ORG",
                "ministry-of-ecology-and-environment",
            )],
        ),
        (
            "at the University of Macau today",
            &[("University of Macau", "ORG", "university-of-macau")],
        ),
        (
            "a lawyer at the Zhong Yin law firm",
            &[("Zhong Yin", "ORG", "zhong-yin")],
        ),
        (
            "according to news site yicai.com",
            &[("yicai.com", "ORG", "yicai-com")],
        ),
        ("see https://www.example.com/a", &[]),
        (
            "chief executive Wang Xiaochuan said",
            &[("Wang Xiaochuan", "PERSON", "wang-xiaochuan")],
        ),
        (
            "Liu Qiang, a senior analyst at Bernstein, said Liu expects more.",
            &[
                ("Liu Qiang", "PERSON", "liu-qiang"),
                ("Liu", "PERSON", "liu-qiang"),
            ],
        ),
        (
            "“It is over,” said Zhou Wei.",
            &[("Zhou Wei", "PERSON", "zhou-wei")],
        ),
        (
            "at the University of Macau and Tencent",
            &[("Macau", "GPE", "macau"), ("Tencent", "ORG", "tencent")],
        ),
        (
            "The company's chief executive, Cussion Pang, said so.",
            &[("Cussion Pang", "PERSON", "cussion-pang")],
        ),
        // No cue, no guess.
        ("Golden Dragon Harbour reopened.", &[]),
        // Two known names side by side are two mentions, not one guessed name.
        (
            "Alibaba Affiliate Ant Group Co. listed.",
            &[
                ("Alibaba", "ORG", "alibaba-group"),
                ("Ant Group Co.", "ORG", "ant-group"),
            ],
        ),
    ]);
}

#[test]
fn slugs() {
    for (name, want) in [
        ("Acme Holdings Ltd.", "acme-holdings"),
        ("Zhong Lun", "zhong-lun"),
        ("jiemian.com", "jiemian-com"),
        ("Société Générale SA", "société-générale"),
        ("Acme Corp., Inc.", "acme"),
        ("  Ant -- Group! ", "ant-group"),
        ("ÉCOLE Ⅻ 42", "école-ⅻ-42"),
    ] {
        assert_eq!(slug(name), want);
    }
    assert_eq!(person_surname("Chen Pengfei").as_deref(), Some("Chen"));
    assert_eq!(person_surname("Angela Zhang").as_deref(), Some("Zhang"));
    assert_eq!(person_surname("Madonna"), None);
}

#[test]
fn overlap_policy_is_longest_then_earliest_then_priority() {
    let items = [(0, 5, 1u8), (0, 5, 0), (3, 9, 1), (10, 12, 1), (11, 12, 0)];
    let kept = resolve_overlaps(&items, |x| Span::new(x.0, x.1), |x| x.2);
    assert_eq!(kept, vec![2, 3]);
    let items = [(0, 4, 1u8), (0, 4, 0), (5, 7, 0)];
    assert_eq!(
        resolve_overlaps(&items, |x| Span::new(x.0, x.1), |x| x.2),
        vec![1, 2]
    );
}

/// The overlap policy applied to all spans at once: what `resolve_overlaps`
/// computed before it cut the spans into overlapping runs.
fn reference_resolve_overlaps<T>(
    items: &[T],
    span: impl Fn(&T) -> Span,
    priority: impl Fn(&T) -> u8,
) -> Vec<usize> {
    // Keys computed once (a sort calls its key function on every comparison);
    // the index makes every key distinct, so an unstable sort is deterministic.
    let mut order: Vec<(std::cmp::Reverse<usize>, usize, u8, usize)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let s = span(item);
            (!s.is_empty()).then(|| (std::cmp::Reverse(s.len()), s.start, priority(item), i))
        })
        .collect();
    order.sort_unstable();
    // Kept spans sorted by start; non-overlapping, so one neighbour check on
    // each side suffices. A document holds a few hundred candidates at most,
    // so inserting into a Vec beats a tree.
    let mut kept: Vec<(Span, usize)> = Vec::with_capacity(order.len());
    for (_, start, _, i) in order {
        let s = span(&items[i]);
        let at = kept.partition_point(|(k, _)| k.start < start);
        let clashes = |k: Option<&(Span, usize)>| k.is_some_and(|(k, _)| k.overlaps(&s));
        if clashes(at.checked_sub(1).and_then(|b| kept.get(b))) || clashes(kept.get(at)) {
            continue;
        }
        kept.insert(at, (s, i));
    }
    kept.into_iter().map(|(_, i)| i).collect()
}

proptest::proptest! {
    #[test]
    fn overlaps_resolved_by_runs_equal_the_policy_applied_at_once(
        items in proptest::collection::vec((0usize..40, 0usize..8, 0u8..3), 0..30)
    ) {
        let items: Vec<(usize, usize, u8)> =
            items.into_iter().map(|(start, len, p)| (start, start + len, p)).collect();
        let span = |x: &(usize, usize, u8)| Span::new(x.0, x.1);
        proptest::prop_assert_eq!(
            resolve_overlaps(&items, span, |x| x.2),
            reference_resolve_overlaps(&items, span, |x| x.2)
        );
    }
}

#[test]
fn token_starts_and_byte_scan_find_the_same_aliases() {
    let by_tokens = TAGGER.clone();
    assert!(
        by_tokens.word_initial,
        "built-in aliases all start with a letter or digit"
    );
    let mut by_bytes = TAGGER.clone();
    by_bytes.word_initial = false;
    // Every alias once: the token path's first-token filter must pass each.
    let every_alias: Vec<String> = TAGGER
        .gazetteer
        .patterns()
        .into_iter()
        .map(|p| p.0)
        .collect();
    let every_alias = every_alias.join(" | ");
    for text in [
        every_alias.as_str(),
        "Alibaba's Taobao and Tencent's WeChat Pay; Sino-US talks in Hong Kong.",
        "www.JD.com, Alibaba.com and JD.com; the US$14 million deal; HK$500.",
        "阿里巴巴 and 腾讯 said; (Tencent) \"Baidu\" — Huawei’s 36Kr report on 1688.com",
        "TencentX Alibabas XAlibaba e-Alibaba 36Kr,",
        "",
    ] {
        let mut doc = Document::new("t", "t", text);
        doc.tokens = tokenize(text);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        by_tokens.gazetteer_candidates(&doc, &mut a);
        by_bytes.gazetteer_candidates(&doc, &mut b);
        assert_eq!(a, b, "{text:?}");
    }
    // The one difference: after the `,` of a number the byte scan sees a
    // boundary, the token path (rightly) does not.
    let mut doc = Document::new("t", "t", "2,36Kr");
    doc.tokens = tokenize(&doc.text);
    let mut a = Vec::new();
    by_tokens.gazetteer_candidates(&doc, &mut a);
    assert!(a.is_empty(), "{a:?}");
}

proptest::proptest! {
    /// The slug is the name lowercased, every run of non-alphanumerics one
    /// `-`, none at either end (written here the plain way).
    #[test]
    fn slug_is_lowercase_words_joined_by_dashes(name in "[A-Za-zÉé0-9 .,&'’-]{0,24}") {
        let base = strip_legal_suffix(&name);
        let words: Vec<String> = base
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        proptest::prop_assert_eq!(slug(&name), words.join("-"));
    }
}

#[test]
fn a_number_alias_is_not_found_inside_a_longer_number() {
    let mut gazetteer = Gazetteer::default();
    gazetteer
        .add_source("test", "qihoo-360\tORG\tQihoo 360\t360|Qihoo\t\n")
        .expect("gazetteer");
    let tagger = EntityTagger::new(gazetteer).expect("tagger");
    let text = "Qihoo sold 360,000 shares to 360 investors.";
    let mut doc = Document::new("t", "t", text);
    doc.tokens = tokenize(text);
    doc.sentences = split(&doc);
    tagger.tag(&mut doc);
    let found: Vec<&str> = doc.mentions.iter().map(|m| doc.slice(m.span)).collect();
    assert_eq!(found, ["Qihoo", "360"]);
    assert_eq!(doc.mentions[1].span.start, text.rfind("360").unwrap());
}
