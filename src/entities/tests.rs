use super::*;
use crate::sentences::split;
use crate::tokenize::tokenize;
use std::sync::LazyLock;

static TAGGER: LazyLock<EntityTagger> = LazyLock::new(|| {
    EntityTagger::new(Gazetteer::builtin().expect("built-in gazetteers")).expect("tagger")
});

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
fn the_first_pair_filter_passes_every_alias() {
    // Every alias once, each after a space: the filtered token starts must
    // find what trying every token start finds.
    let every_alias = TAGGER.gazetteer.surfaces().join(" | ");
    for text in [
        every_alias.as_str(),
        "Alibaba's Taobao and Tencent's WeChat Pay; Sino-US talks in Hong Kong.",
        "www.JD.com, Alibaba.com and JD.com; the US$14 million deal; HK$500.",
        "阿里巴巴 and 腾讯 said; (Tencent) \"Baidu\" — Huawei’s 36Kr report on 1688.com",
        "TencentX Alibabas XAlibaba e-Alibaba 36Kr, 2,36Kr",
        "",
    ] {
        let mut doc = Document::new("t", "t", text);
        doc.tokens = tokenize(text);
        let (mut filtered, mut targets) = (Vec::new(), Vec::new());
        TAGGER.gazetteer_candidates(&doc, &mut filtered, &mut targets);
        let (mut every, mut every_targets, mut free_from) = (Vec::new(), Vec::new(), 0);
        let matcher = TAGGER.gazetteer.matcher();
        for t in &doc.tokens {
            if t.span.start >= free_from
                && let Some(end) =
                    TAGGER.alias_at(&matcher, text, t.span, &mut every, &mut every_targets)
            {
                free_from = end;
            }
        }
        assert_eq!(filtered, every, "{text:?}");
        assert_eq!(targets, every_targets, "{text:?}");
        if text == every_alias {
            let n = TAGGER.gazetteer.surfaces().len();
            assert!(
                filtered.len() * 100 >= n * 95,
                "{} of {n} aliases found",
                filtered.len()
            );
        }
    }
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
