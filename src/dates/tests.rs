use super::*;
use crate::sentences::split;
use crate::stage::Stage;
use crate::tokenize::tokenize;

fn run(text: &str, dct: Option<&str>) -> Vec<(String, &'static str, Option<String>)> {
    let mut doc = Document::new("t", "t", text);
    doc.tokens = tokenize(text);
    doc.sentences = split(&doc);
    crate::dct::DctDetector {
        default: dct.and_then(crate::dct::parse_iso_date),
    }
    .process(&mut doc);
    doc.money = crate::money::find_money(text, &doc.tokens);
    doc.percents = crate::money::find_percents(text, &doc.tokens);
    find_dates(&doc)
        .into_iter()
        .map(|t| {
            (
                text[t.span.start..t.span.end].to_string(),
                t.kind.as_str(),
                t.value,
            )
        })
        .collect()
}

type Row<'a> = (
    &'a str,
    Option<&'a str>,
    &'a [(&'a str, &'a str, Option<&'a str>)],
);

#[test]
fn date_forms_table() {
    let dct = Some("2021-03-17"); // a Wednesday
    let rows: &[Row] = &[
        (
            "It opened in 2017 and grew.",
            dct,
            &[("2017", "DATE", Some("2017"))],
        ),
        (
            "Blocked since 2013 when it",
            dct,
            &[("2013", "DATE", Some("2013"))],
        ),
        (
            "It was fined last year.",
            dct,
            &[("last year", "DATE", Some("2020"))],
        ),
        (
            "They signed it this week.",
            dct,
            &[("this week", "DATE", Some("2021-W11"))],
        ),
        (
            "Regulators acted earlier this month.",
            dct,
            &[("earlier this month", "DATE", Some("2021-03"))],
        ),
        (
            "He spoke on Monday.",
            dct,
            &[("Monday", "DATE", Some("2021-03-15"))],
        ),
        (
            "He will speak on Monday.",
            dct,
            &[("Monday", "DATE", Some("2021-03-22"))],
        ),
        (
            "She spoke on Wednesday.",
            dct,
            &[("Wednesday", "DATE", Some("2021-03-17"))],
        ),
        (
            "It was sued in February.",
            dct,
            &[("February", "DATE", Some("2021-02"))],
        ),
        (
            "He said in May that sales would grow.",
            dct,
            &[("May", "DATE", Some("2020-05"))],
        ),
        (
            "It was sued in November.",
            dct,
            &[("November", "DATE", Some("2020-11"))],
        ),
        (
            "Shares fell on July 13.",
            dct,
            &[("July 13", "DATE", Some("2020-07-13"))],
        ),
        (
            "The firm will close the deal on July 13.",
            dct,
            &[("July 13", "DATE", Some("2021-07-13"))],
        ),
        (
            "On Feb. 2 it said so.",
            dct,
            &[("Feb. 2", "DATE", Some("2021-02-02"))],
        ),
        (
            "Sept. 17 was busy.",
            dct,
            &[("Sept. 17", "DATE", Some("2020-09-17"))],
        ),
        (
            "on Saturday, May 8, 2021. Photo",
            dct,
            &[("Saturday, May 8, 2021", "DATE", Some("2021-05-08"))],
        ),
        (
            "on 8 May 2021 in",
            dct,
            &[("8 May 2021", "DATE", Some("2021-05-08"))],
        ),
        (
            "in July 2016 it",
            dct,
            &[("July 2016", "DATE", Some("2016-07"))],
        ),
        (
            "by mid-2020 and late 2020",
            dct,
            &[
                ("mid-2020", "DATE", Some("2020")),
                ("late 2020", "DATE", Some("2020")),
            ],
        ),
        (
            "Sales in Q1 2021 and the second quarter",
            dct,
            &[
                ("Q1 2021", "DATE", Some("2021-Q1")),
                ("second quarter", "DATE", Some("2021-Q2")),
            ],
        ),
        (
            "It happened yesterday, not today.",
            dct,
            &[
                ("yesterday", "DATE", Some("2021-03-16")),
                ("today", "DATE", Some("2021-03-17")),
            ],
        ),
        (
            "It arrives tomorrow.",
            dct,
            &[("tomorrow", "DATE", Some("2021-03-18"))],
        ),
        (
            "It launched a year ago.",
            dct,
            &[("a year ago", "DATE", Some("2020"))],
        ),
        (
            "It launched two weeks ago.",
            dct,
            &[("two weeks ago", "DATE", Some("2021-W09"))],
        ),
        (
            "reports in the next three years",
            dct,
            &[("next three years", "DURATION", Some("P3Y"))],
        ),
        (
            "within 10 days of",
            dct,
            &[("10 days", "DURATION", Some("P10D"))],
        ),
        (
            "for six months",
            dct,
            &[("six months", "DURATION", Some("P6M"))],
        ),
        (
            "over a decade",
            dct,
            &[("over a decade", "DURATION", Some("P10Y"))],
        ),
        (
            "a year-long probe",
            dct,
            &[("year-long", "DURATION", Some("P1Y"))],
        ),
        (
            "Reading Time:3 minutes",
            dct,
            &[("3 minutes", "DURATION", Some("PT3M"))],
        ),
        (
            "a 30-day window",
            dct,
            &[("30-day", "DURATION", Some("P30D"))],
        ),
        ("in the 1990s", dct, &[("1990s", "DATE", Some("199"))]),
        ("next year", dct, &[("next year", "DATE", Some("2022"))]),
        (
            "last month",
            dct,
            &[("last month", "DATE", Some("2021-02"))],
        ),
        // SPEC §5: ages, qualifiers, parts of periods, anchors, fiscal
        // periods, halves and seasons.
        (
            "A 39-year-old founder",
            dct,
            &[("39-year-old", "DURATION", Some("P39Y"))],
        ),
        (
            "the 166 year-old bank",
            dct,
            &[("166 year-old", "DURATION", Some("P166Y"))],
        ),
        (
            "barely six months old",
            dct,
            &[("barely six months", "DURATION", Some("P6M"))],
        ),
        (
            "for nearly eight years",
            dct,
            &[("nearly eight years", "DURATION", Some("P8Y"))],
        ),
        (
            "for more than 160 years",
            dct,
            &[("more than 160 years", "DURATION", Some("P160Y"))],
        ),
        (
            "it fell late last month",
            dct,
            &[("late last month", "DATE", Some("2021-02"))],
        ),
        (
            "stocks at end-March",
            dct,
            &[("end-March", "DATE", Some("2021-03"))],
        ),
        (
            "in the early 2000s",
            dct,
            &[("early 2000s", "DATE", Some("200"))],
        ),
        (
            "It will list next Thursday.",
            dct,
            &[("next Thursday", "DATE", Some("2021-03-18"))],
        ),
        (
            "It listed last Thursday.",
            dct,
            &[("last Thursday", "DATE", Some("2021-03-11"))],
        ),
        (
            "It launched in 2016 and expanded a year later.",
            dct,
            &[
                ("2016", "DATE", Some("2016")),
                ("a year later", "DATE", Some("2017")),
            ],
        ),
        (
            "It was sold in August last year.",
            dct,
            &[("August last year", "DATE", Some("2020-08"))],
        ),
        (
            "Its first-quarter results beat Q3 forecasts.",
            dct,
            &[
                ("first-quarter", "DATE", Some("2021-Q1")),
                ("Q3", "DATE", Some("2021-Q3")),
            ],
        ),
        (
            "in fiscal 2019 and the 2018 fiscal year, FY24",
            dct,
            &[
                ("fiscal 2019", "DATE", Some("FY2019")),
                ("2018 fiscal year", "DATE", Some("FY2018")),
                ("FY24", "DATE", Some("FY2024")),
            ],
        ),
        (
            "in H1 2023 and the second half of 2022",
            dct,
            &[
                ("H1 2023", "DATE", Some("2023-H1")),
                ("second half of 2022", "DATE", Some("2022-H2")),
            ],
        ),
        (
            "in the summer of 2022 and fall 2021",
            dct,
            &[
                ("summer of 2022", "DATE", Some("2022-SU")),
                ("fall 2021", "DATE", Some("2021-FA")),
            ],
        ),
        (
            "the past decade",
            dct,
            &[("past decade", "DURATION", Some("P10Y"))],
        ),
        ("a day before", dct, &[("a day", "DURATION", Some("P1D"))]),
        (
            "Comcast will pay $40, a premium to its price on Friday.",
            dct,
            &[("Friday", "DATE", Some("2021-03-12"))],
        ),
        ("founded in 1856", dct, &[("1856", "DATE", Some("1856"))]),
    ];
    check(rows);
}

#[test]
fn not_dates_table() {
    let dct = Some("2021-03-17");
    let rows: &[Row] = &[
        ("You may go. They march on.", dct, &[]),
        ("The Sunday Times reported it.", dct, &[]),
        ("Over the years they feuded recently and now.", dct, &[]),
        ("It has spent years on it.", dct, &[]),
        ("At 07:30 the market opened.", dct, &[]),
        ("It had 2020 users who paid $2021 in fees.", dct, &[]),
        ("Theresa May said so.", dct, &[]),
        ("It pays once a year.", dct, &[]),
        ("Revenue rose from a year earlier.", dct, &[]),
        ("It grew 2020% fast.", dct, &[]),
        ("It cut a quarter of its staff.", dct, &[]),
        ("Leaves fall 2 metres.", dct, &[]),
    ];
    check(rows);
}

#[test]
fn dct_edge_cases_table() {
    let rows: &[Row] = &[
        // Year boundary: a past January date seen from early January stays in this year;
        // a past December date seen from January moves to last year.
        (
            "It was fined on Dec. 30.",
            Some("2021-01-02"),
            &[("Dec. 30", "DATE", Some("2020-12-30"))],
        ),
        (
            "It was fined last week.",
            Some("2021-01-02"),
            &[("last week", "DATE", Some("2020-W52"))],
        ),
        (
            "This week it rose.",
            Some("2021-01-02"),
            &[("This week", "DATE", Some("2020-W53"))],
        ),
        (
            "It was fined last month.",
            Some("2021-01-15"),
            &[("last month", "DATE", Some("2020-12"))],
        ),
        (
            "It happened yesterday.",
            Some("2021-01-01"),
            &[("yesterday", "DATE", Some("2020-12-31"))],
        ),
        // Leap years.
        (
            "It closed on Feb. 29.",
            Some("2020-03-10"),
            &[("Feb. 29", "DATE", Some("2020-02-29"))],
        ),
        (
            "It happened tomorrow.",
            Some("2024-02-28"),
            &[("tomorrow", "DATE", Some("2024-02-29"))],
        ),
        (
            "It closed on Feb. 30.",
            Some("2020-03-10"),
            &[("Feb. 30", "DATE", None)],
        ),
        // Weekday on the dct itself, past and future.
        (
            "It said on Wednesday.",
            Some("2021-03-17"),
            &[("Wednesday", "DATE", Some("2021-03-17"))],
        ),
        (
            "It will decide on Wednesday.",
            Some("2021-03-17"),
            &[("Wednesday", "DATE", Some("2021-03-17"))],
        ),
        // No dct: relative values are null, year-less dates keep XXXX.
        (
            "It said on Wednesday (July 13).",
            None,
            &[
                ("Wednesday", "DATE", None),
                ("July 13", "DATE", Some("XXXX-07-13")),
            ],
        ),
        (
            "In February it sued, last year too.",
            None,
            &[
                ("February", "DATE", Some("XXXX-02")),
                ("last year", "DATE", None),
            ],
        ),
        (
            "Since 2013 and May 8, 2021.",
            None,
            &[
                ("2013", "DATE", Some("2013")),
                ("May 8, 2021", "DATE", Some("2021-05-08")),
            ],
        ),
        (
            " date 2021-03-17 Text in 2020.",
            None,
            &[
                ("2021-03-17", "DATE", Some("2021-03-17")),
                ("2020", "DATE", Some("2020")),
            ],
        ),
    ];
    check(rows);
}

fn check(rows: &[Row]) {
    for &(text, dct, want) in rows {
        let want: Vec<(String, &str, Option<String>)> = want
            .iter()
            .map(|w| (w.0.to_string(), w.1, w.2.map(str::to_string)))
            .collect();
        assert_eq!(run(text, dct), want, "{text:?} (dct {dct:?})");
    }
}

#[test]
fn every_form_has_an_example_and_its_own_regex_has_its_groups() {
    let text = "On 2017-09-04, Monday, January 5th, 2017 and 5 January 2017; May 8 and \
                8 May; March of 2019; mid-2020; Q3 2021, the second quarter of 2018 and \
                2019 Q1; fiscal 2019; H1 2023; summer of 2022; a 39-year-old; the 1990s; two years ago; the next three months; earlier this \
                week; the year-long probe; 12-month; today; on Friday; in September; in 2016.";
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
