//! Small closed word lists of English news text that the rules consult, and
//! their loader. The words live in `lexicon/*.txt`, one word or phrase a
//! line (see [`word_list`]); the files are built into the binary and parsed
//! once, on first use. (Open-ended knowledge — names of entities — lives in
//! `gazetteers/`.)

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{LazyLock, OnceLock};

use crate::document::Token;
use crate::error::LexiconError;

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
    thread_local! {
        // Every index is written at the write position, so the buffer needs
        // a slot per token; kept per thread, it is zeroed once, not per call
        // (that cost as much as a tenth of this function's work).
        static SLOTS: std::cell::RefCell<Vec<usize>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    SLOTS.with_borrow_mut(|slots| {
        if slots.len() <= tokens.len() {
            slots.resize(tokens.len() + 1, 0);
        }
        let mut n = 0;
        for (i, t) in tokens.iter().enumerate() {
            slots[n] = i;
            n += usize::from(keep(t));
        }
        slots[..n].to_vec()
    })
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

impl WordList {
    /// The built-in list of `lexicon/<name>` ([`builtin_words`]).
    pub(crate) fn builtin(name: &str) -> WordList {
        WordList::new(builtin_words(name))
    }
}

/// `(file name, text)` of a file of `lexicon/`, built into the binary.
macro_rules! lexicon_file {
    ($name:literal) => {
        ($name, include_str!(concat!("../lexicon/", $name)))
    };
}

/// The word lists of `lexicon/`, by file name: the rules' closed lists of
/// English words, one word or phrase a line ([`word_list`]).
pub(crate) const BUILTIN_WORD_LISTS: &[(&str, &str)] = &[
    lexicon_file!("non-name-words.txt"),
    lexicon_file!("org-heads.txt"),
    lexicon_file!("org-heads-before-of.txt"),
    lexicon_file!("person-titles.txt"),
    lexicon_file!("person-roles.txt"),
    lexicon_file!("org-trailing-nouns.txt"),
    lexicon_file!("chinese-surnames.txt"),
    lexicon_file!("given-names.txt"),
    lexicon_file!("org-descriptors.txt"),
    lexicon_file!("title-chain-words.txt"),
    lexicon_file!("relation-blockers.txt"),
    lexicon_file!("adverbial-openers.txt"),
    lexicon_file!("auxiliaries.txt"),
    lexicon_file!("clause-verbs.txt"),
    lexicon_file!("role-titles.txt"),
    lexicon_file!("authority-heads.txt"),
    lexicon_file!("authority-references.txt"),
    lexicon_file!("company-references.txt"),
    lexicon_file!("date-start-words.txt"),
    lexicon_file!("date-prepositions.txt"),
    lexicon_file!("future-cues.txt"),
    lexicon_file!("abbreviations-never-final.txt"),
    lexicon_file!("abbreviations-maybe-final.txt"),
    lexicon_file!("sentence-openers.txt"),
    lexicon_file!("its-phrase-ends.txt"),
    lexicon_file!("not-owned-after-its.txt"),
];

/// Every word list, parsed once: `(file name, words)`.
type ParsedLists = Vec<(&'static str, &'static [&'static str])>;
static PARSED_WORD_LISTS: LazyLock<Result<ParsedLists, LexiconError>> = LazyLock::new(|| {
    BUILTIN_WORD_LISTS
        .iter()
        .map(|&(name, builtin)| -> Result<_, LexiconError> {
            let (origin, text) = lexicon_file(name, builtin);
            Ok((name, &*leak_words(word_list_from(&origin, text)?).leak()))
        })
        .collect()
});

/// Files that replace the built-in lexicon files of the same name
/// ([`use_lexicon_dir`]): file name → (path, text).
static REPLACEMENTS: OnceLock<HashMap<String, (String, &'static str)>> = OnceLock::new();

/// Set when a lexicon file is first read: later replacements would be ignored.
static LEXICON_READ: AtomicBool = AtomicBool::new(false);

/// The files a `--lexicon` directory gave ([`use_lexicon_dir`]): file
/// name and text, in name order.
pub(crate) fn replacement_files() -> Vec<(&'static str, &'static str)> {
    let Some(files) = REPLACEMENTS.get() else {
        return Vec::new();
    };
    let mut out: Vec<(&'static str, &'static str)> = file_names()
        .filter_map(|name| files.get(name).map(|(_, text)| (name, *text)))
        .collect();
    out.sort();
    out
}

/// The names of every lexicon file the pipeline reads (the names a
/// `--lexicon` directory may use).
pub fn file_names() -> impl Iterator<Item = &'static str> {
    let currency = crate::money::currencies::FORM_FILES
        .iter()
        .chain([&crate::money::currencies::CUE_FILE])
        .map(|(origin, _)| origin.trim_start_matches("lexicon/"));
    BUILTIN_WORD_LISTS
        .iter()
        .map(|(name, _)| *name)
        .chain(["legal-suffixes.tsv", "common-words.txt"])
        .chain(currency)
}

/// The origin (for errors) and text of lexicon file `name`: the user's copy
/// when [`use_lexicon_dir`] gave one, else the built-in `builtin`.
pub(crate) fn lexicon_file(name: &str, builtin: &'static str) -> (String, &'static str) {
    LEXICON_READ.store(true, Ordering::Relaxed);
    match REPLACEMENTS.get().and_then(|files| files.get(name)) {
        Some((path, text)) => (path.clone(), text),
        None => (format!("lexicon/{name}"), builtin),
    }
}

/// Reads edited copies of lexicon files from `dir`: each file there named
/// like a built-in one (`role-titles.txt`, `currencies.tsv` …) replaces it
/// for the rest of the process; the others stay built in. Call it before the
/// first pipeline is built (the lexicon is parsed once per process); errors
/// for a file no lexicon file is named like, an unreadable directory or
/// file, or a call after the lexicon was read. Returns the names replaced.
/// Parse errors in the files come when the pipeline is built, naming file
/// and line.
pub fn use_lexicon_dir(dir: &Path) -> Result<Vec<String>, LexiconError> {
    let origin = dir.display().to_string();
    let err = |message: String| LexiconError::new(&origin, 0, message);
    if LEXICON_READ.load(Ordering::Relaxed) || REPLACEMENTS.get().is_some() {
        return Err(err(
            "the lexicon is already loaded: give the directory before building a pipeline".into(),
        ));
    }
    let entries = std::fs::read_dir(dir).map_err(|e| err(format!("cannot read: {e}")))?;
    let known: Vec<&str> = file_names().collect();
    let mut files = HashMap::new();
    for entry in entries {
        let entry = entry.map_err(|e| err(format!("cannot read: {e}")))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        // Hidden files (editor swap files, `.gitkeep`) and notes are not lists.
        if name.starts_with('.') || name.starts_with("README") || path.is_dir() {
            continue;
        }
        if !known.contains(&name.as_str()) {
            return Err(LexiconError::new(
                &path.display().to_string(),
                0,
                format!("not a lexicon file (known: {})", known.join(", ")),
            ));
        }
        let text = std::fs::read_to_string(&path).map_err(|e| {
            LexiconError::new(&path.display().to_string(), 0, format!("cannot read: {e}"))
        })?;
        files.insert(name, (path.display().to_string(), &*text.leak()));
    }
    let mut names: Vec<String> = files.keys().cloned().collect();
    names.sort();
    REPLACEMENTS
        .set(files)
        .map_err(|_| err("a lexicon directory was already given".into()))?;
    Ok(names)
}

/// Parses `text` as the lexicon file `name` (`role-titles.txt`,
/// `legal-suffixes.tsv`, `currencies.tsv` …) would be parsed, as a
/// `--lexicon` copy of it: the currency files together with the other
/// built-in ones. Errors name `name` and the line; a name no lexicon file
/// has is an error too.
pub fn check_file(name: &str, text: &str) -> Result<(), LexiconError> {
    use crate::money::currencies::{CUE_FILE, CurrencyTable, FORM_FILES};
    if BUILTIN_WORD_LISTS.iter().any(|(n, _)| *n == name) || name == "common-words.txt" {
        return word_list_from(name, text).map(drop);
    }
    if name == "legal-suffixes.tsv" {
        return legal_suffix_rows(name, text).map(drop);
    }
    let bare = |origin: &'static str| origin.trim_start_matches("lexicon/");
    if bare(CUE_FILE.0) == name {
        return CurrencyTable::parse(&FORM_FILES, (name, text)).map(drop);
    }
    if FORM_FILES.iter().any(|(origin, _)| bare(origin) == name) {
        let forms: Vec<(&str, &str)> = FORM_FILES
            .iter()
            .map(|&(origin, builtin)| {
                if bare(origin) == name {
                    (name, text)
                } else {
                    (origin, builtin)
                }
            })
            .collect();
        return CurrencyTable::parse(&forms, CUE_FILE).map(drop);
    }
    let known: Vec<&str> = file_names().collect();
    Err(LexiconError::new(
        name,
        0,
        format!("not a lexicon file (known: {})", known.join(", ")),
    ))
}

/// Whether the built-in word lists and legal suffixes load (the pipeline
/// builder asks before any document is read; the statics built from them
/// then cannot fail).
pub(crate) fn check() -> Result<(), LexiconError> {
    PARSED_WORD_LISTS.as_ref().map_err(Clone::clone)?;
    LEGAL_SUFFIXES.as_ref().map_err(Clone::clone)?;
    Ok(())
}

/// The words of the built-in list `lexicon/<name>`, in file order.
pub(crate) fn builtin_words(name: &str) -> &'static [&'static str] {
    let lists = PARSED_WORD_LISTS
        .as_ref()
        .unwrap_or_else(|e| panic!("a built-in word list does not load: {e}"));
    lists
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, words)| *words)
        .unwrap_or_else(|| panic!("no built-in word list lexicon/{name}"))
}

/// How a list spells case: a property of the list, not of its words, set by
/// a `# case: …` line before its first word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    /// `# case: exact` (the default): each word as written.
    Exact,
    /// `# case: lower+capitalised`: each word as written and, if it starts
    /// with a lowercase letter, capitalised too (`executive` gives
    /// `executive` and `Executive`).
    LowerCapitalised,
}

/// The words of a word-list file: one word or phrase a line, trimmed; blank
/// lines and `#` comments skipped; a `# case: exact` (the default) or
/// `# case: lower+capitalised` line before the first word says how the
/// list spells case ([`Case`]). A word listed twice, also by the case
/// expansion, is an error naming both lines. `name` is the file's name in
/// `lexicon/`, for errors.
#[cfg(test)]
pub(crate) fn word_list(name: &str, text: &'static str) -> Result<Vec<&'static str>, LexiconError> {
    word_list_from(&format!("lexicon/{name}"), text).map(leak_words)
}

/// Words as the process-wide lists keep them: a case expansion (made while
/// parsing) lives as long as the list, which is the rest of the run.
fn leak_words(words: Vec<Cow<'static, str>>) -> Vec<&'static str> {
    words
        .into_iter()
        .map(|w| match w {
            Cow::Borrowed(w) => w,
            Cow::Owned(w) => &*w.leak(),
        })
        .collect()
}

/// The words of a word-list file (see `word_list`), with `origin` (a path)
/// in errors: borrowed from `text`, or made by the case expansion.
fn word_list_from<'t>(origin: &str, text: &'t str) -> Result<Vec<Cow<'t, str>>, LexiconError> {
    let err = |line: usize, message: String| LexiconError::new(origin, line, message);
    let mut case = Case::Exact;
    let mut case_line: Option<usize> = None;
    let mut words: Vec<Cow<'t, str>> = Vec::new();
    // Each word, as listed or as the case expansion made it → its line.
    let mut line_of: HashMap<Cow<'t, str>, usize> = HashMap::new();
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = raw.trim();
        if let Some(comment) = line.strip_prefix('#') {
            let Some(value) = comment.trim().strip_prefix("case:") else {
                continue;
            };
            if let Some(first) = case_line {
                return Err(err(
                    line_no,
                    format!("a second `# case:` line (the first is line {first})"),
                ));
            }
            if !words.is_empty() {
                return Err(err(
                    line_no,
                    "the `# case:` line must come before the first word".to_string(),
                ));
            }
            case = match value.trim() {
                "exact" => Case::Exact,
                "lower+capitalised" => Case::LowerCapitalised,
                other => {
                    return Err(err(
                        line_no,
                        format!("unknown case `{other}` (exact or lower+capitalised)"),
                    ));
                }
            };
            case_line = Some(line_no);
            continue;
        }
        if line.is_empty() {
            continue;
        }
        let expanded = match case {
            Case::Exact => None,
            Case::LowerCapitalised => capitalised(line),
        };
        let forms = std::iter::once(Cow::Borrowed(line)).chain(expanded.map(Cow::Owned));
        for word in forms {
            if let Some(first) = line_of.insert(word.clone(), line_no) {
                let how = if case == Case::LowerCapitalised {
                    " (the list adds the capitalised form of each lowercase word)"
                } else {
                    ""
                };
                return Err(err(
                    line_no,
                    format!("`{word}` is listed twice: lines {first} and {line_no}{how}"),
                ));
            }
            words.push(word);
        }
    }
    Ok(words)
}

/// `word` with its first letter uppercase, if that letter is lowercase.
fn capitalised(word: &str) -> Option<String> {
    let mut chars = word.chars();
    let first = chars.next()?;
    first
        .is_lowercase()
        .then(|| first.to_uppercase().chain(chars).collect())
}

/// The legal-form suffixes of organisation names (`Inc.`, `Co., Ltd.`,
/// `GmbH`), from the one list of `lexicon/legal-suffixes.tsv`.
pub(crate) struct LegalSuffixes {
    /// The legal forms (one word each), which a name drops from its end
    /// for its slug and short form.
    pub(crate) forms: WordList,
    /// The legal forms listed with and without a final `.` (`Inc`): an
    /// organisation name the fallback rules find that ends in one takes
    /// the `.` after it.
    pub(crate) abbreviated: WordList,
    /// The suffixes a gazetteer organisation's alias also matches with, as
    /// they follow the alias: ` Inc.`, ` Holdings Ltd.`, `, Inc.`.
    pub(crate) alias_tails: Vec<&'static str>,
    /// Which bytes open an alias tail (`[0]`) and come second in one (`[1]`):
    /// a quick no for most text.
    pub(crate) alias_starts: [[bool; 256]; 2],
}

/// `lexicon/legal-suffixes.tsv`, parsed once; [`check`] reports its errors.
static LEGAL_SUFFIXES: LazyLock<Result<LegalSuffixes, LexiconError>> = LazyLock::new(|| {
    let (origin, text) = lexicon_file(
        "legal-suffixes.tsv",
        include_str!("../lexicon/legal-suffixes.tsv"),
    );
    legal_suffixes_of(&origin, text)
});

/// The built-in legal suffixes (checked when the pipeline is built).
pub(crate) fn legal_suffixes() -> &'static LegalSuffixes {
    LEGAL_SUFFIXES
        .as_ref()
        .unwrap_or_else(|e| panic!("the built-in legal suffixes do not load: {e}"))
}

/// The rows of a legal-suffix table: the legal forms, and the alias tails
/// as they follow an alias (` Inc.`, `, Inc.`).
struct LegalSuffixRows<'t> {
    forms: Vec<&'t str>,
    alias_tails: Vec<Cow<'t, str>>,
}

/// Parses a legal-suffix table: a suffix as written, a tab, its uses
/// (`form`, `alias`, separated by spaces); blank lines and `#` comments
/// skipped. A suffix listed twice is an error naming both lines.
fn legal_suffix_rows<'t>(origin: &str, text: &'t str) -> Result<LegalSuffixRows<'t>, LexiconError> {
    let err = |line: usize, message: String| LexiconError::new(origin, line, message);
    let (mut forms, mut alias_tails) = (Vec::new(), Vec::new());
    let mut line_of: HashMap<&str, usize> = HashMap::new();
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let Some((suffix, uses)) = line.split_once('\t') else {
            return Err(err(
                line_no,
                "expected a suffix, a tab and its uses (form, alias)".to_string(),
            ));
        };
        let suffix = suffix.trim();
        if suffix.len() < 2 {
            return Err(err(line_no, format!("suffix `{suffix}` is too short")));
        }
        if let Some(first) = line_of.insert(suffix, line_no) {
            return Err(err(
                line_no,
                format!("`{suffix}` is listed twice: lines {first} and {line_no}"),
            ));
        }
        if uses.split_whitespace().next().is_none() {
            return Err(err(
                line_no,
                format!("`{suffix}` has no uses (form, alias)"),
            ));
        }
        for used in uses.split_whitespace() {
            match used {
                "form" if suffix.contains([' ', ',']) => {
                    return Err(err(
                        line_no,
                        format!("a legal form is one word: `{suffix}`"),
                    ));
                }
                "form" => forms.push(suffix),
                "alias" if suffix.starts_with(',') => alias_tails.push(Cow::Borrowed(suffix)),
                "alias" => alias_tails.push(Cow::Owned(format!(" {suffix}"))),
                other => {
                    return Err(err(line_no, format!("unknown use `{other}` (form, alias)")));
                }
            }
        }
    }
    Ok(LegalSuffixRows { forms, alias_tails })
}

/// The legal suffixes of a table (see [`legal_suffix_rows`]), kept for the
/// rest of the run.
fn legal_suffixes_of(origin: &str, text: &'static str) -> Result<LegalSuffixes, LexiconError> {
    let LegalSuffixRows { forms, alias_tails } = legal_suffix_rows(origin, text)?;
    let alias_tails = leak_words(alias_tails);
    let abbreviated: Vec<&'static str> = forms
        .iter()
        .copied()
        .filter(|f| !f.contains('.') && forms.iter().any(|g| g.strip_suffix('.') == Some(*f)))
        .collect();
    let mut alias_starts = [[false; 256]; 2];
    for tail in &alias_tails {
        let b = tail.as_bytes();
        alias_starts[0][usize::from(b[0])] = true;
        alias_starts[1][usize::from(b[1])] = true;
    }
    Ok(LegalSuffixes {
        forms: WordList::new(forms.leak()),
        abbreviated: WordList::new(abbreviated.leak()),
        alias_tails,
        alias_starts,
    })
}

/// Words that open sentences or phrases and are never the first word of a name.
pub(crate) static NON_NAME_WORDS: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("non-name-words.txt"));

/// Words (or abbreviations without their `.`) that end an organisation name.
pub(crate) static ORG_HEADS: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("org-heads.txt"));

/// Heads that name an institution when followed by `of` (`University of …`).
pub(crate) static ORG_HEADS_BEFORE_OF: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("org-heads-before-of.txt"));

/// Words between the capitalised words of a name (`State Administration for Market Regulation`).
pub(crate) static NAME_CONNECTORS: WordList =
    WordList::new(&["of", "for", "and", "&", "de", "du", "von", "van", "der"]);

/// Titles that come before a person's name (`President Xi Jinping`, `chief executive Tim Cook`).
pub(crate) static PERSON_TITLES: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("person-titles.txt"));

/// Role nouns that, in an appositive after a name, mark the name as a person
/// (`Chen Pengfei, an attorney with …`).
pub(crate) static PERSON_ROLES: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("person-roles.txt"));

/// Nouns after which a preceding capitalised name is an organisation
/// (`the Beijing Shijing law firm`).
pub(crate) static ORG_TRAILING_NOUNS: LazyLock<&'static [&'static str]> =
    LazyLock::new(|| builtin_words("org-trailing-nouns.txt"));

/// Common Chinese surnames (pinyin): a two-word name starting with one is
/// written surname-first (`Chen Pengfei` → short form `Chen`).
pub(crate) static CHINESE_SURNAMES: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("chinese-surnames.txt"));

/// Common given names (English and others used by Chinese executives): a
/// two-word name starting with one is written given-name-first.
pub(crate) static GIVEN_NAMES: LazyLock<WordList> =
    LazyLock::new(|| WordList::builtin("given-names.txt"));

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
        .map(|l| &**l)
    }

    #[test]
    fn check_file_reads_each_file_as_its_loader_does() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/lexicon");
        for name in file_names() {
            let text = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
            check_file(name, &text).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        let rows = [
            ("role-titles.txt", "chief\nchief\n", "role-titles.txt:2"),
            (
                "legal-suffixes.tsv",
                "Inc.\tform\nX\tform\n",
                "legal-suffixes.tsv:2",
            ),
            ("currencies.tsv", "dollar\tusd\tword\n", "currencies.tsv:1"),
            ("currency-cues.tsv", "JPY\t\n", "currency-cues.tsv:1"),
            ("no-such-list.txt", "a\n", "no-such-list.txt"),
        ];
        for (name, text, at) in rows {
            let e = check_file(name, text).unwrap_err().to_string();
            assert!(e.starts_with(at), "{name}: {e}");
        }
    }

    #[test]
    fn every_builtin_word_list_loads() {
        check().unwrap();
        for (name, _) in BUILTIN_WORD_LISTS {
            assert!(!builtin_words(name).is_empty(), "{name}");
        }
        // The ordinary English words that `newsie gazetteer check` reads
        // (not the rules, so not at pipeline build) are a word list too.
        let others = [("common-words.txt", crate::gazetteer::COMMON_WORDS)];
        for (name, text) in others {
            word_list(name, text).unwrap();
        }
        // And every word list of `lexicon/` is one of them.
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/lexicon");
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if name.ends_with(".txt") {
                assert!(
                    BUILTIN_WORD_LISTS
                        .iter()
                        .chain(&others)
                        .any(|(n, _)| *n == name),
                    "lexicon/{name} is not in BUILTIN_WORD_LISTS"
                );
            }
        }
    }

    #[test]
    fn a_word_list_skips_comments_and_blank_lines() {
        let words = word_list("t.txt", "# a list\n\nfirm\n  law firm  \n# more\nCEO\n").unwrap();
        assert_eq!(words, ["firm", "law firm", "CEO"]);
    }

    #[test]
    fn a_lower_capitalised_list_adds_capitalised_forms() {
        let text = "# titles\n# case: lower+capitalised\nexecutive\nCEO\nco-founder\n";
        let words = word_list("t.txt", text).unwrap();
        assert_eq!(
            words,
            ["executive", "Executive", "CEO", "co-founder", "Co-founder"]
        );
        let exact = word_list("t.txt", "# case: exact\nexecutive\n").unwrap();
        assert_eq!(exact, ["executive"]);
    }

    #[test]
    fn a_word_listed_twice_is_an_error_naming_both_lines() {
        let e = word_list("t.txt", "# x\nfirm\nbank\nfirm\n").unwrap_err();
        assert_eq!((e.origin.as_str(), e.line), ("lexicon/t.txt", 4));
        assert!(e.message.contains("lines 2 and 4"), "{}", e.message);
        // Also when the case expansion makes the second one.
        let text = "# case: lower+capitalised\nexecutive\nExecutive\n";
        let e = word_list("t.txt", text).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("lines 2 and 3"), "{}", e.message);
        assert_eq!(
            e.to_string().split(':').take(2).collect::<Vec<_>>(),
            ["lexicon/t.txt", "3"]
        );
    }

    #[test]
    fn a_bad_case_line_is_an_error() {
        for (text, line) in [
            ("# case: upper\nfirm\n", 1),
            ("firm\n# case: exact\n", 2),
            ("# case: exact\n# case: exact\nfirm\n", 2),
        ] {
            let e = word_list("t.txt", text).unwrap_err();
            assert_eq!(e.line, line, "{text:?}: {e}");
        }
    }

    #[test]
    fn the_legal_suffixes_give_each_use_its_list() {
        let legal = legal_suffixes();
        assert_eq!(legal.abbreviated.words(), ["Inc", "Ltd", "Co", "Corp"]);
        assert!(legal.forms.contains("GmbH") && !legal.forms.contains("Holdings"));
        assert!(legal.alias_tails.contains(&" Holdings Ltd."));
        assert!(legal.alias_tails.contains(&", Inc."));
        assert!(!legal.alias_tails.contains(&" Co"));
    }

    #[test]
    fn a_bad_legal_suffix_line_is_an_error() {
        for (text, line, says) in [
            ("# x\nInc.\n", 2, "a tab"),
            ("Inc.\tform\nLtd\tform\nInc.\talias\n", 3, "lines 1 and 3"),
            ("Inc.\tlegal\n", 1, "unknown use"),
            ("Co., Ltd.\tform\n", 1, "one word"),
            ("Inc.\t \n", 1, "no uses"),
        ] {
            let e = legal_suffixes_of("t.tsv", text).err().unwrap();
            assert_eq!((e.origin.as_str(), e.line), ("t.tsv", line), "{text:?}");
            assert!(e.message.contains(says), "{text:?}: {}", e.message);
        }
    }

    #[test]
    fn every_word_of_a_list_is_in_it() {
        for list in lists() {
            for w in list.words {
                assert!(list.contains(w), "{w}");
            }
        }
    }

    proptest! {
        #[test]
        fn any_case_filter_holds_every_case_of_every_word(flips in proptest::collection::vec(any::<bool>(), 20)) {
            let filter = KeyFilter::of_any_case(&[PERSON_TITLES.words(), &["a", "its", "co-founded"]]);
            for w in PERSON_TITLES.words().iter().chain(&["a", "its", "co-founded"]) {
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
