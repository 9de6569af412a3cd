//! Small closed word lists of English news text that the rules consult.
//! (Open-ended knowledge — names of entities — lives in `gazetteers/`.)

use std::sync::OnceLock;

use crate::document::Token;

/// A fixed list of words with constant-time membership: the rules ask for
/// every token, and almost every answer is no. A 4,096-bit filter on a word's
/// length and first and last bytes, computed at compile time, turns most of
/// those noes away; the rest look in a small table by the same key, built on
/// first use.
pub(crate) struct WordList {
    words: &'static [&'static str],
    filter: KeyFilter,
    table: OnceLock<KeyTable>,
}

/// A list's words by [`word_key`]: open addressing, the key's low bits the
/// first slot, linear probing. (A `HashSet<&str>` hashed the word again and
/// cost about three times as much per look-up.)
struct KeyTable {
    /// `(key, index into the list + 1)`; 0 marks an empty slot.
    slots: Box<[(u16, u16)]>,
    mask: usize,
}

impl KeyTable {
    fn new(words: &[&str]) -> KeyTable {
        assert!(
            words.len() < usize::from(u16::MAX),
            "a word list of 65,535 words"
        );
        // At most half full, so probes are short.
        let size = (2 * words.len()).next_power_of_two().max(2);
        let mut slots = vec![(0u16, 0u16); size].into_boxed_slice();
        let mask = size - 1;
        for (i, w) in words.iter().enumerate() {
            let key = word_key_of(w.as_bytes());
            let mut slot = usize::from(key) & mask;
            while slots[slot].1 != 0 {
                slot = (slot + 1) & mask;
            }
            slots[slot] = (key, i as u16 + 1);
        }
        KeyTable { slots, mask }
    }
}

/// A set of [`word_key`]s (4,096 bits): "may a word with this key be here?"
/// No means no.
#[derive(Debug, Clone)]
pub(crate) struct KeyFilter([u64; 64]);

impl KeyFilter {
    pub(crate) const fn new() -> KeyFilter {
        KeyFilter([0; 64])
    }

    pub(crate) const fn insert(&mut self, key: u16) {
        let bit = key as usize;
        self.0[bit / 64] |= 1 << (bit % 64);
    }

    /// The keys the words of `lists` have in any ASCII case (each word's
    /// first and last byte lowercase or uppercase): a token's own key,
    /// computed on its text as written, then says "maybe" for every token
    /// whose ASCII lowercase form is one of the words.
    pub(crate) const fn of_any_case(lists: &[&[&str]]) -> KeyFilter {
        let mut filter = KeyFilter::new();
        let mut l = 0;
        while l < lists.len() {
            let mut i = 0;
            while i < lists[l].len() {
                let w = lists[l][i].as_bytes();
                if let [first, .., last] | [first @ last] = w {
                    let firsts = [first.to_ascii_lowercase(), first.to_ascii_uppercase()];
                    let lasts = [last.to_ascii_lowercase(), last.to_ascii_uppercase()];
                    let mut f = 0;
                    while f < 2 {
                        let mut k = 0;
                        while k < 2 {
                            filter.insert(word_key(firsts[f], lasts[k], w.len()));
                            k += 1;
                        }
                        f += 1;
                    }
                }
                i += 1;
            }
            l += 1;
        }
        filter
    }

    /// The keys of every word of `lists`: one filter that turns a token away
    /// from several lists at once.
    pub(crate) const fn of(lists: &[&[&str]]) -> KeyFilter {
        let mut filter = KeyFilter::new();
        let mut l = 0;
        while l < lists.len() {
            let mut i = 0;
            while i < lists[l].len() {
                filter.insert(word_key_of(lists[l][i].as_bytes()));
                i += 1;
            }
            l += 1;
        }
        filter
    }

    #[inline]
    pub(crate) fn may_contain(&self, key: u16) -> bool {
        // Keys have 12 bits; the mask lets the compiler drop the bounds check.
        let bit = usize::from(key & 0xfff);
        self.0[bit / 64] & (1 << (bit % 64)) != 0
    }
}

/// A finer set than [`KeyFilter`] (65,536 bits) of a digest of a word's text:
/// its length and its first two and last two bytes. For a list so large that
/// the 12-bit key says "maybe" to many words (the gazetteer's thousand first
/// words let a third of a text's words through, two in three of them none
/// of those words): a second question for the price of reading the word's
/// bytes. No means no.
#[derive(Debug, Clone)]
pub(crate) struct TextFilter(Box<[u64; 1024]>);

impl TextFilter {
    pub(crate) fn new() -> TextFilter {
        TextFilter(Box::new([0; 1024]))
    }

    pub(crate) fn insert(&mut self, word: &[u8]) {
        let bit = usize::from(text_digest(word));
        self.0[bit / 64] |= 1 << (bit % 64);
    }

    #[inline]
    pub(crate) fn may_contain(&self, word: &[u8]) -> bool {
        let bit = usize::from(text_digest(word));
        self.0[bit / 64] & (1 << (bit % 64)) != 0
    }
}

/// The 16-bit digest [`TextFilter`] is indexed by (0 for the empty word).
#[inline]
fn text_digest(word: &[u8]) -> u16 {
    let n = word.len();
    if n == 0 {
        return 0;
    }
    // The first two and the last two bytes (of a one-byte word, that byte
    // four times), read without a branch on the length.
    let (second, penult) = (word[1.min(n - 1)], word[n.saturating_sub(2)]);
    let key =
        u64::from(u32::from_le_bytes([word[0], second, penult, word[n - 1]])) | (n as u64) << 32;
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as u16
}

/// `table` (a per-byte flag) with the ASCII digits set too.
pub(crate) const fn with_ascii_digits(mut table: [bool; 256]) -> [bool; 256] {
    let mut b = b'0';
    while b <= b'9' {
        table[b as usize] = true;
        b += 1;
    }
    table
}

/// The indices of the tokens `keep` accepts, in order, gathered without a
/// branch per token: every index is written, and the write position moves on
/// by `keep`'s answer. For a cheap first question (a token's kind, case,
/// first byte, word key) that lets a good part of a text's tokens through: a
/// branch on each answer would be mispredicted at a token in two or three.
/// `keep` should combine its tests with `&` and `|`, which do not branch.
pub(crate) fn tokens_where(tokens: &[Token], keep: impl Fn(&Token) -> bool) -> Vec<usize> {
    let mut out = vec![0; tokens.len() + 1];
    let mut n = 0;
    for (i, t) in tokens.iter().enumerate() {
        out[n] = i;
        n += usize::from(keep(t));
    }
    out.truncate(n);
    out
}

/// The filter bit of a word: mixes its length with its first and last bytes.
/// The tokenizer stores it in every [`Token`](crate::document::Token) as
/// `word_key`, so a stage can rule a list out without reading the text.
pub(crate) const fn word_key_of(word: &[u8]) -> u16 {
    match word {
        [] => word_key(0, 0, 0),
        [f, .., l] => word_key(*f, *l, word.len()),
        [f] => word_key(*f, *f, 1),
    }
}

/// [`word_key_of`] from what the tokenizer has at hand: a non-empty word's
/// first and last byte and its length.
#[inline]
pub(crate) const fn word_key(first: u8, last: u8, len: usize) -> u16 {
    let key = (first as u32) << 16 | (last as u32) << 8 | (len as u32 & 0xff);
    // Fibonacci hashing: the top 12 bits of the product spread the keys well.
    (key.wrapping_mul(0x9E37_79B1) >> 20) as u16
}

impl WordList {
    pub(crate) const fn new(words: &'static [&'static str]) -> WordList {
        WordList {
            words,
            filter: KeyFilter::of(&[words]),
            table: OnceLock::new(),
        }
    }

    /// Whether a word whose [`word_key_of`] is `key` may be in the list (no
    /// means no; yes needs [`WordList::contains`]).
    #[inline]
    pub(crate) fn may_contain(&self, key: u16) -> bool {
        self.filter.may_contain(key)
    }

    #[inline]
    pub(crate) fn contains(&self, word: &str) -> bool {
        let key = word_key_of(word.as_bytes());
        self.may_contain(key) && self.table_contains(key, word)
    }

    /// Whether token `t` of `text` is in the list: its `word_key` turns most
    /// tokens away before the text is read.
    #[inline]
    pub(crate) fn contains_token(&self, t: &Token, text: &str) -> bool {
        self.may_contain(t.word_key) && self.table_contains(t.word_key, t.text(text))
    }

    /// The words of the list.
    pub(crate) fn words(&self) -> &'static [&'static str] {
        self.words
    }

    /// Whether `word`, whose key is `key`, is in the list.
    fn table_contains(&self, key: u16, word: &str) -> bool {
        let table = self.table.get_or_init(|| KeyTable::new(self.words));
        let mut slot = usize::from(key) & table.mask;
        loop {
            let (slot_key, index) = table.slots[slot];
            if index == 0 {
                return false;
            }
            if slot_key == key && self.words[usize::from(index - 1)] == word {
                return true;
            }
            slot = (slot + 1) & table.mask;
        }
    }
}

/// Words that open sentences or phrases and are never the first word of a name.
pub(crate) static NON_NAME_WORDS: WordList = WordList::new(&[
    "The",
    "A",
    "An",
    "This",
    "That",
    "These",
    "Those",
    "It",
    "Its",
    "He",
    "She",
    "They",
    "We",
    "I",
    "You",
    "His",
    "Her",
    "Their",
    "Our",
    "My",
    "Your",
    "But",
    "And",
    "Or",
    "Nor",
    "So",
    "Yet",
    "In",
    "On",
    "At",
    "As",
    "By",
    "For",
    "From",
    "Of",
    "To",
    "With",
    "Without",
    "If",
    "When",
    "While",
    "Where",
    "Why",
    "How",
    "What",
    "Who",
    "Which",
    "After",
    "Before",
    "Since",
    "Until",
    "During",
    "Meanwhile",
    "However",
    "Still",
    "Also",
    "Both",
    "Either",
    "Neither",
    "Some",
    "Many",
    "Most",
    "All",
    "Any",
    "Each",
    "Every",
    "Other",
    "Another",
    "Such",
    "Only",
    "Even",
    "Last",
    "Next",
    "Earlier",
    "Later",
    "Now",
    "Then",
    "There",
    "Here",
    "Today",
    "Yesterday",
    "Tomorrow",
    "According",
    "Unlike",
    "Like",
    "Apart",
    "Despite",
    "Although",
    "Though",
    "Because",
    "Under",
    "Over",
    "About",
    "Around",
    "Among",
    "Between",
    "Into",
    "Through",
    "Representatives",
    "Analysts",
    "Shares",
    "Sources",
    "Officials",
    "Regulators",
    "Investors",
    "Chinese",
    "American",
    "European",
    "British",
    "Japanese",
    "Korean",
    "Indian",
    "Asian",
    "Photo",
    "Reading",
    "Advertisement",
    "Read",
    "More",
    "Related",
    "Why",
    "Initial",
    "Talks",
    "New",
    "Big",
    "Further",
    "Mainland",
    "Local",
    "State",
    "National",
    "Global",
    "Federal",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Startups",
    "Companies",
    "Firms",
    "Users",
    "Alleged",
    "Antitrust",
]);

/// Words (or abbreviations without their `.`) that end an organisation name.
pub(crate) static ORG_HEADS: WordList = WordList::new(&[
    "Inc",
    "Ltd",
    "Co",
    "Corp",
    "Corporation",
    "Company",
    "Limited",
    "LLC",
    "LLP",
    "plc",
    "PLC",
    "AG",
    "SA",
    "SE",
    "NV",
    "GmbH",
    "Group",
    "Holdings",
    "Holding",
    "Bank",
    "Bancorp",
    "Exchange",
    "Court",
    "Commission",
    "Administration",
    "Ministry",
    "Department",
    "Agency",
    "Authority",
    "Council",
    "Bureau",
    "Office",
    "Association",
    "Institute",
    "Institution",
    "Foundation",
    "Federation",
    "Fund",
    "Partners",
    "Capital",
    "Ventures",
    "Securities",
    "Investments",
    "Technologies",
    "Technology",
    "Systems",
    "Networks",
    "Software",
    "Semiconductor",
    "Electronics",
    "Motors",
    "Airlines",
    "Airways",
    "Pharmaceuticals",
    "Pharma",
    "Media",
    "Entertainment",
    "Studios",
    "Telecom",
    "Communications",
    "Insurance",
    "Assurance",
    "Trust",
    "Energy",
    "Industries",
    "Industry",
    "Industrial",
    "Labs",
    "Laboratories",
    "University",
    "College",
    "School",
    "Academy",
    "Party",
    "Congress",
    "Parliament",
    "Senate",
    "Committee",
    "Board",
    "Regulator",
    "Tribunal",
    "Police",
    "Army",
    "Union",
    "Alliance",
    "Consortium",
    "Society",
    "Center",
    "Centre",
    "Club",
    "Press",
    "News",
    "Times",
    "Post",
    "Journal",
    "Daily",
    "Herald",
    "Gazette",
    "Review",
    "Magazine",
    "Network",
    "Broadcasting",
    "Television",
    "Radio",
]);

/// Heads that name an institution when followed by `of` (`University of …`).
pub(crate) static ORG_HEADS_BEFORE_OF: WordList = WordList::new(&[
    "University",
    "Bank",
    "Ministry",
    "Department",
    "Court",
    "Office",
    "Bureau",
    "Institute",
    "Academy",
    "Commission",
    "Council",
    "Association",
    "Federation",
    "Chamber",
    "College",
    "School",
    "Board",
    "Administration",
    "Agency",
    "Authority",
    "Government",
    "Embassy",
    "Consulate",
    "Museum",
]);

/// Words between the capitalised words of a name (`State Administration for Market Regulation`).
pub(crate) static NAME_CONNECTORS: WordList =
    WordList::new(&["of", "for", "and", "&", "de", "du", "von", "van", "der"]);

/// Titles that come before a person's name (`President Xi Jinping`, `chief executive Tim Cook`).
pub(crate) static PERSON_TITLES: WordList = WordList::new(PERSON_TITLE_WORDS);

/// The words of [`PERSON_TITLES`].
pub(crate) const PERSON_TITLE_WORDS: &[&str] = &[
    "President",
    "Premier",
    "Chairman",
    "Chairwoman",
    "Chair",
    "Chancellor",
    "Minister",
    "Secretary",
    "Senator",
    "Sen",
    "Representative",
    "Rep",
    "Governor",
    "Gov",
    "Mayor",
    "Judge",
    "Justice",
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Dr",
    "Prof",
    "Professor",
    "Sir",
    "Dame",
    "Lord",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Pope",
    "General",
    "Gen",
    "Commissioner",
    "Ambassador",
    "Vice",
    "CEO",
    "CFO",
    "COO",
    "CTO",
    "Founder",
    "Co-founder",
    "Chief",
    "Director",
    "Commerce",
    "Treasury",
    "Spokesperson",
    "Spokesman",
    "Spokeswoman",
    "Analyst",
    "Economist",
    "founder",
    "co-founder",
    "chairman",
    "chairwoman",
    "executive",
    "analyst",
    "economist",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "billionaire",
    "entrepreneur",
    "lawyer",
    "attorney",
    "professor",
    "director",
    "president",
    "premier",
    "minister",
    "tycoon",
    "investor",
    "officer",
    "industrialist",
    "financier",
    "banker",
    "magnate",
];

/// Role nouns that, in an appositive after a name, mark the name as a person
/// (`Chen Pengfei, an attorney with …`).
pub(crate) static PERSON_ROLES: WordList = WordList::new(&[
    "professor",
    "analyst",
    "attorney",
    "lawyer",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "economist",
    "executive",
    "founder",
    "co-founder",
    "chairman",
    "chairwoman",
    "director",
    "partner",
    "researcher",
    "official",
    "minister",
    "president",
    "vice-president",
    "CEO",
    "CFO",
    "COO",
    "CTO",
    "chief",
    "head",
    "manager",
    "strategist",
    "fellow",
    "scholar",
    "consultant",
    "adviser",
    "advisor",
    "investor",
    "entrepreneur",
    "billionaire",
    "secretary",
    "editor",
    "reporter",
    "journalist",
    "correspondent",
    "engineer",
    "scientist",
    "lecturer",
    "dean",
    "officer",
    "commissioner",
    "regulator",
    "judge",
    "senator",
    "governor",
    "mayor",
    "author",
    "co-author",
    "employee",
    "staffer",
    "trader",
    "banker",
    "owner",
    "developer",
]);

/// Nouns after which a preceding capitalised name is an organisation
/// (`the Beijing Shijing law firm`).
pub(crate) const ORG_TRAILING_NOUNS: &[&str] = &[
    "law firm",
    "consultancy",
    "consulting firm",
    "research firm",
    "brokerage",
    "investment firm",
    "investment bank",
    "accounting firm",
    "advisory firm",
    "venture firm",
    "hedge fund",
    "think tank",
    "news agency",
    "newspaper",
];

/// Common Chinese surnames (pinyin): a two-word name starting with one is
/// written surname-first (`Chen Pengfei` → short form `Chen`).
pub(crate) static CHINESE_SURNAMES: WordList = WordList::new(&[
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma",
    "Zhu", "Hu", "Guo", "He", "Gao", "Lin", "Luo", "Zheng", "Liang", "Xie", "Song", "Tang", "Han",
    "Feng", "Deng", "Cao", "Peng", "Zeng", "Xiao", "Tian", "Dong", "Pan", "Yuan", "Cai", "Jiang",
    "Yu", "Du", "Ye", "Cheng", "Wei", "Su", "Lu", "Ding", "Ren", "Shen", "Yao", "Jin", "Fu",
    "Zhong", "Cui", "Tan", "Fan", "Wen", "Fang", "Shi", "Xi", "Lei", "Hou", "Shao", "Meng", "Long",
    "Wan", "Duan", "Qian", "Tang", "Yin", "Qin", "Dai", "Xia", "Mao", "Kong", "Bai", "Qiu", "Jia",
    "Zou", "Xiong", "Hao", "Gu", "Mo", "Kang", "Yan", "Lai", "Qi", "Niu", "Ge", "Chang", "Lau",
    "Wong", "Leung", "Cheung", "Chan", "Ng", "Ho", "Tsang", "Lam", "Kwok", "Chu", "Lee", "Kim",
    "Park", "Choi",
]);

/// Common given names (English and others used by Chinese executives): a
/// two-word name starting with one is written given-name-first.
pub(crate) static GIVEN_NAMES: WordList = WordList::new(&[
    "Jack",
    "Pony",
    "Robin",
    "Richard",
    "Colin",
    "Daniel",
    "Joseph",
    "Eddie",
    "Jane",
    "Angela",
    "Tim",
    "Elon",
    "Mark",
    "Jeff",
    "Bill",
    "Steve",
    "Sundar",
    "Satya",
    "Jensen",
    "Lisa",
    "Sam",
    "John",
    "James",
    "Robert",
    "Michael",
    "William",
    "David",
    "Thomas",
    "Charles",
    "Christopher",
    "Matthew",
    "Anthony",
    "Donald",
    "Paul",
    "Andrew",
    "Joshua",
    "Kevin",
    "Brian",
    "George",
    "Edward",
    "Ronald",
    "Jason",
    "Ryan",
    "Jacob",
    "Gary",
    "Nicholas",
    "Eric",
    "Jonathan",
    "Stephen",
    "Larry",
    "Justin",
    "Scott",
    "Brandon",
    "Benjamin",
    "Samuel",
    "Gregory",
    "Frank",
    "Alexander",
    "Patrick",
    "Jack",
    "Dennis",
    "Jerry",
    "Tyler",
    "Aaron",
    "Jose",
    "Henry",
    "Adam",
    "Douglas",
    "Nathan",
    "Peter",
    "Zachary",
    "Kyle",
    "Walter",
    "Harold",
    "Jeremy",
    "Ethan",
    "Carl",
    "Keith",
    "Roger",
    "Gerald",
    "Christian",
    "Terry",
    "Sean",
    "Arthur",
    "Austin",
    "Noah",
    "Lawrence",
    "Jesse",
    "Joe",
    "Bryan",
    "Billy",
    "Jordan",
    "Albert",
    "Dylan",
    "Bruce",
    "Willie",
    "Gabriel",
    "Alan",
    "Juan",
    "Logan",
    "Wayne",
    "Ralph",
    "Roy",
    "Eugene",
    "Randy",
    "Vincent",
    "Russell",
    "Louis",
    "Philip",
    "Bobby",
    "Johnny",
    "Bradley",
    "Mary",
    "Patricia",
    "Jennifer",
    "Linda",
    "Elizabeth",
    "Barbara",
    "Susan",
    "Jessica",
    "Sarah",
    "Karen",
    "Nancy",
    "Betty",
    "Margaret",
    "Sandra",
    "Ashley",
    "Kimberly",
    "Emily",
    "Donna",
    "Michelle",
    "Dorothy",
    "Carol",
    "Amanda",
    "Melissa",
    "Deborah",
    "Stephanie",
    "Rebecca",
    "Sharon",
    "Laura",
    "Cynthia",
    "Kathleen",
    "Amy",
    "Shirley",
    "Anna",
    "Brenda",
    "Pamela",
    "Emma",
    "Nicole",
    "Helen",
    "Samantha",
    "Katherine",
    "Christine",
    "Debra",
    "Rachel",
    "Catherine",
    "Carolyn",
    "Janet",
    "Ruth",
    "Maria",
    "Heather",
    "Diane",
    "Virginia",
    "Julie",
    "Joyce",
    "Victoria",
    "Olivia",
    "Kelly",
    "Christina",
    "Lauren",
    "Joan",
    "Evelyn",
    "Judith",
    "Megan",
    "Cheryl",
    "Andrea",
    "Hannah",
    "Martha",
    "Jacqueline",
    "Frances",
    "Gloria",
    "Ann",
    "Teresa",
    "Kathryn",
    "Sara",
    "Janice",
    "Jean",
    "Alice",
    "Madison",
    "Doris",
    "Abigail",
    "Julia",
    "Judy",
    "Grace",
    "Denise",
    "Amber",
    "Marilyn",
    "Beverly",
    "Danielle",
    "Theresa",
    "Sophia",
    "Marie",
    "Diana",
    "Brittany",
    "Natalie",
    "Isabella",
    "Charlotte",
    "Rose",
    "Alexis",
    "Kayla",
    "Alex",
    "Max",
    "Tony",
    "Jimmy",
    "Charlie",
    "Martin",
    "Simon",
    "Oliver",
    "Harry",
    "Hans",
    "Klaus",
    "Pierre",
    "Jean-Pierre",
    "Carlos",
    "Luis",
    "Miguel",
    "Ahmed",
    "Mohammed",
    "Raj",
    "Rahul",
    "Vivian",
    "Winston",
    "Leo",
    "Rita",
    "Cathy",
    "Wendy",
    "Jenny",
    "Jackie",
    "Ken",
    "Kenneth",
    "Vincent",
    "Yuki",
    "Masayoshi",
    "Hiroshi",
    "Tadashi",
    "Jay",
]);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A list of many words: long probe runs in its table.
    static MANY: std::sync::LazyLock<WordList> = std::sync::LazyLock::new(|| {
        let words: Vec<&'static str> = (0..1500)
            .map(|i| &*Box::leak(format!("w{i}x").into_boxed_str()))
            .collect();
        WordList::new(Box::leak(words.into_boxed_slice()))
    });

    /// The lists the rules consult most, and [`MANY`].
    fn lists() -> [&'static WordList; 6] {
        [
            &NON_NAME_WORDS,
            &ORG_HEADS,
            &PERSON_TITLES,
            &GIVEN_NAMES,
            &CHINESE_SURNAMES,
            &MANY,
        ]
    }

    #[test]
    fn every_word_of_a_list_is_in_it() {
        for list in lists() {
            for w in list.words {
                assert!(list.contains(w), "{w}");
            }
        }
    }

    #[test]
    fn text_filter_holds_its_words_and_turns_most_others_away() {
        // Real words: every other word of the lexicon's lists goes in (with
        // a few short ones), the rest are asked about.
        let mut lexicon: Vec<&str> = lists()[..5]
            .iter()
            .flat_map(|l| l.words.iter().copied())
            .collect();
        lexicon.sort_unstable();
        lexicon.dedup();
        let (mut words, mut others) = (Vec::new(), Vec::new());
        for (k, w) in lexicon.into_iter().enumerate() {
            if k % 2 == 0 {
                words.push(w);
            } else {
                others.push(w);
            }
        }
        words.extend(["a", "Co", "", "\u{4E2D}"]);
        let mut filter = TextFilter::new();
        for w in &words {
            filter.insert(w.as_bytes());
        }
        for w in &words {
            assert!(filter.may_contain(w.as_bytes()), "{w}");
        }
        let passed = others
            .iter()
            .filter(|w| filter.may_contain(w.as_bytes()))
            .count();
        assert!(
            passed * 20 < others.len(),
            "{passed} of {} passed",
            others.len()
        );
    }

    proptest! {
        #[test]
        fn any_case_filter_holds_every_case_of_every_word(flips in proptest::collection::vec(any::<bool>(), 20)) {
            let filter = KeyFilter::of_any_case(&[PERSON_TITLE_WORDS, &["a", "its", "co-founded"]]);
            for w in PERSON_TITLE_WORDS.iter().chain(&["a", "its", "co-founded"]) {
                let cased: String = w
                    .chars()
                    .zip(flips.iter().cycle())
                    .map(|(c, &up)| if up { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
                    .collect();
                prop_assert!(filter.may_contain(word_key_of(cased.as_bytes())), "{}", cased);
            }
        }

        #[test]
        fn tokens_where_is_a_filter(text in "[A-Za-z0-9 ,.$-]{0,60}", key_bits in any::<u64>()) {
            let tokens = crate::tokenize::tokenize(&text);
            let keep = |t: &Token| (t.kind != crate::document::TokenKind::Punct) & (key_bits >> (t.word_key % 64) & 1 == 1);
            let want: Vec<usize> = (0..tokens.len()).filter(|&i| keep(&tokens[i])).collect();
            prop_assert_eq!(tokens_where(&tokens, keep), want);
        }

        #[test]
        fn membership_is_that_of_the_word_slice(word in "[A-Za-z0-9-]{0,12}|w[0-9]{1,4}x") {
            for list in lists() {
                prop_assert_eq!(list.contains(&word), list.words.contains(&word.as_str()), "{}", word);
            }
        }
    }
}
