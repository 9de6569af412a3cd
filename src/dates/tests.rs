use super::*;
use crate::tokenize::tokenize;

#[test]
fn every_form_has_an_example_and_its_own_regex_has_its_groups() {
    let text = "On 2017-09-04, Monday, January 5th, 2017 and 5 January 2017; May 8 and \
                8 May; March of 2019; mid-2020; Q3 2021, the second quarter of 2018 and \
                2019 Q1; fiscal 2019; H1 2023; summer of 2022; a 39-year-old; the 1990s; two years ago; the next three months; earlier this \
                week; the year-long probe; 12-month; today; on Friday; over the weekend; in September; in 2016.";
    let seen: Vec<DateForm> = DATE_RE
        .find_iter(text)
        .map(|m| DATE_FORMS[m.pattern().as_usize()].0)
        .collect();
    for (name, _) in DATE_FORMS.iter() {
        assert!(seen.contains(name), "no example of {name:?} in {seen:?}");
    }
    // The groups are resolved by each form's own regex: the same groups, in
    // the same order, as the form has in the multi-pattern regex.
    assert_eq!(DATE_FORMS.len(), FORMS);
    let info = DATE_RE.group_info();
    for k in 0..FORMS {
        let pid = regex_automata::PatternID::must(k);
        let own: Vec<Option<&str>> = form_regex(k)
            .group_info()
            .pattern_names(regex_automata::PatternID::ZERO)
            .collect();
        let shared: Vec<Option<&str>> = info.pattern_names(pid).collect();
        assert_eq!(own, shared, "{:?}", DATE_FORMS[k].0);
    }
}

#[test]
fn candidate_tries_find_what_a_scan_finds() {
    // Every word a form can start with, in the contexts the forms want.
    let mut text = String::from(
        "On 2017-09-04, Monday, January 5th, 2017 and 5 January 2017; mid-2020; Q3 2021, \
         the 1990s; 1st quarter; two years ago; a decade; an hour-long wait; fifteen-day. ",
    );
    // Every word of every form's pattern (`[Ee]arly` as `Early` and `early`),
    // so a word missing from the candidate lists shows as a scan-only match.
    let mut words: Vec<String> = Vec::new();
    for (_, pattern) in DATE_FORMS.iter() {
        for pick in [1, 2] {
            let mut plain = String::new();
            let chars: Vec<char> = pattern.chars().collect();
            let mut k = 0;
            while k < chars.len() {
                if chars[k] == '['
                    && chars.get(k + 3) == Some(&']')
                    && chars[k + 1].is_ascii_uppercase()
                {
                    plain.push(chars[k + pick]);
                    k += 4;
                } else {
                    plain.push(chars[k]);
                    k += 1;
                }
            }
            words.extend(
                plain
                    .split(|c: char| !c.is_ascii_alphabetic())
                    .filter(|w| !w.is_empty())
                    .map(str::to_string),
            );
        }
    }
    words.sort();
    words.dedup();
    for w in &words {
        for after in [
            " 5, 2021",
            " 2019",
            " of 2018",
            " year",
            " week",
            " quarter",
            " three years",
            " years ago",
            "-2020",
            "-long",
            ",",
        ] {
            text.push_str(&format!("in {w}{after} and "));
        }
    }
    let mut doc = Document::new("t", "t", text.clone());
    doc.tokens = tokenize(&text);
    let tried: Vec<_> = date_matches(&doc)
        .iter()
        .map(|m| (m.range(), m.pattern()))
        .collect();
    let scanned: Vec<_> = DATE_RE
        .find_iter(&text)
        .map(|m| (m.range(), m.pattern()))
        .collect();
    assert!(tried.len() > 300, "{}", tried.len());
    assert_eq!(tried, scanned);
}

/// Words for texts the candidate pass is tried on: every word of the two
/// lists as written and capitalised, and tokens of the other kinds.
fn candidate_probe_words() -> Vec<String> {
    let listed = DATE_START_WORDS.words().iter().chain(NUMBER_WORDS.words());
    let mut words: Vec<String> = listed
        .flat_map(|w| {
            let mut capital = w.to_string();
            capital[..1].make_ascii_uppercase();
            [w.to_string(), capital]
        })
        .collect();
    let others = [
        "2017", "5th", "36Kr", "Q3", "q3", "1990s", "-", ",", "“", "the", "The", "é", "x", "QQ",
    ];
    words.extend(others.map(String::from));
    words
}

proptest::proptest! {
    #[test]
    fn date_candidates_are_the_tokens_may_start_date_accepts(
        words in proptest::collection::vec(proptest::sample::select(candidate_probe_words()), 0..40)
    ) {
        let text = words.join(" ");
        let mut doc = Document::new("t", "t", text.clone());
        doc.tokens = tokenize(&text);
        let every: Vec<usize> = (0..doc.tokens.len())
            .filter(|&i| may_start_date(&text, &doc.tokens, i, &DATE_START_WORDS, &NUMBER_WORDS))
            .collect();
        proptest::prop_assert_eq!(date_candidates(&doc), every, "{:?}", text);
    }
}

#[test]
fn taken_spans_answer_as_a_scan_of_them_does() {
    // Deterministic spans of many lengths, nested and overlapping, and
    // queries around each of them.
    let mut x: u64 = 7;
    let mut next = |n: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((x >> 33) % n) as usize
    };
    let spans: Vec<Span> = (0..200)
        .map(|_| {
            let start = next(1000);
            Span::new(start, start + next(40))
        })
        .collect();
    let taken = Taken::new(spans.iter().copied());
    for _ in 0..5000 {
        let start = next(1050);
        let query = Span::new(start, start + next(30));
        let scan = spans.iter().any(|s| s.overlaps(&query));
        assert_eq!(taken.overlaps(query), scan, "{query:?}");
    }
    assert!(!Taken::new(std::iter::empty()).overlaps(Span::new(0, 5)));
}
