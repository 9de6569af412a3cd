//! Gazetteers: the entity lists, as human-editable data files.
//!
//! Format (`gazetteers/*.tsv`): one entity a line, tab-separated columns
//!
//! ```text
//! # id          type     name            aliases (| separated)                 attributes
//! alibaba-group ORG      Alibaba Group   Alibaba|Alibaba Group Holding Ltd.     hq=hangzhou
//! ant-group     ORG      Ant Group       Ant Financial|~Ant                     hq=hangzhou
//! ```
//!
//! * `id`: a lowercase slug (`a-z`, `0-9`, `-`), unique across all files.
//! * `type`: `PERSON`, `ORG`, `GPE` or `PRODUCT`.
//! * `name`: the canonical name; it is an alias too.
//! * `aliases`: other surface forms, matched case-sensitively. A leading `~`
//!   marks a short form that only counts after the entity was introduced in
//!   the document by another alias (`~Ant` after `Ant Group`); several entities
//!   may share a `~` alias, and the nearest preceding introduction wins.
//! * `attributes` (optional): `key=value` pairs separated by spaces:
//!   `hq=<gpe id>` (headquarters, used to resolve "the Shenzhen-based company"),
//!   `surname=<word>` (a person's short form when the derived one is wrong; `_` stands for a space).
//!
//! ORG aliases also match with a legal suffix added (`Inc.`, `Ltd.`, `Corp.`,
//! `Co.`, `Holdings` …), so `Starbucks` covers `Starbucks Corp.`; a longer
//! explicit alias of another entity still wins (longest match first).
//!
//! Load errors name the file and line.

use std::collections::HashMap;
use std::path::Path;

use crate::document::EntityType;
use crate::error::GazetteerError;

/// One gazetteer entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GazEntry {
    /// Stable slug.
    pub id: String,
    /// Type.
    pub kind: EntityType,
    /// Canonical name.
    pub name: String,
    /// Aliases that introduce the entity (including the name).
    pub aliases: Vec<String>,
    /// Short forms valid only after an introduction.
    pub short_forms: Vec<String>,
    /// Headquarters (a GPE id).
    pub hq: Option<String>,
    /// Explicit surname for people.
    pub surname: Option<String>,
    /// Where the entry was defined (`file:line`).
    pub origin: String,
}

/// A loaded, validated set of gazetteer entries.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    /// All entries, in load order.
    pub entries: Vec<GazEntry>,
    by_id: HashMap<String, usize>,
}

/// The gazetteers shipped with newsie, built into the binary.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "gazetteers/companies.tsv",
        include_str!("../gazetteers/companies.tsv"),
    ),
    (
        "gazetteers/products.tsv",
        include_str!("../gazetteers/products.tsv"),
    ),
    (
        "gazetteers/institutions.tsv",
        include_str!("../gazetteers/institutions.tsv"),
    ),
    (
        "gazetteers/media.tsv",
        include_str!("../gazetteers/media.tsv"),
    ),
    (
        "gazetteers/people.tsv",
        include_str!("../gazetteers/people.tsv"),
    ),
    (
        "gazetteers/places.tsv",
        include_str!("../gazetteers/places.tsv"),
    ),
];

/// Legal-form suffixes that ORG aliases also match with.
pub(crate) const ORG_SUFFIXES: &[&str] = &[
    " Inc.",
    " Inc",
    ", Inc.",
    " Ltd.",
    " Ltd",
    " Limited",
    " Co.",
    " Co., Ltd.",
    " Co. Ltd.",
    " Corp.",
    " Corp",
    " Corporation",
    " Holdings",
    " Holdings Ltd.",
    " Holdings Limited",
    " Holdings Inc.",
    " Group",
    " Group Co.",
    " Group Ltd.",
    " Group Holding",
    " Group Holdings",
    " Group Holding Ltd.",
    " Group Holding Limited",
    " plc",
    " PLC",
    " LLC",
    " AG",
    " SA",
    " SE",
    " NV",
    " N.V.",
    " Bhd",
    " Berhad",
];

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl Gazetteer {
    /// The built-in gazetteers.
    pub fn builtin() -> Result<Gazetteer, GazetteerError> {
        let mut g = Gazetteer::default();
        for (name, text) in BUILTIN {
            g.add_source(name, text)?;
        }
        Ok(g)
    }

    /// Adds a user gazetteer file.
    pub fn add_file(&mut self, path: &Path) -> Result<(), GazetteerError> {
        let text = std::fs::read_to_string(path).map_err(|e| GazetteerError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        self.add_source(&path.display().to_string(), &text)
    }

    /// Adds entries from gazetteer text; `origin` names it in errors.
    pub fn add_source(&mut self, origin: &str, text: &str) -> Result<(), GazetteerError> {
        for (n, raw) in text.lines().enumerate() {
            let line_no = n + 1;
            let line = raw.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let err = |message: String| GazetteerError::Invalid {
                origin: origin.to_string(),
                line: line_no,
                message,
            };
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            if cols.len() < 3 || cols.len() > 5 {
                return Err(err(format!(
                    "expected 3 to 5 tab-separated columns (id, type, name, aliases, attributes), found {}",
                    cols.len()
                )));
            }
            let id = cols[0];
            if !is_slug(id) {
                return Err(err(format!(
                    "id {id:?} is not a lowercase slug (a-z, 0-9, -)"
                )));
            }
            let kind = EntityType::parse(cols[1]).ok_or_else(|| {
                err(format!(
                    "unknown type {:?} (expected PERSON, ORG, GPE or PRODUCT)",
                    cols[1]
                ))
            })?;
            let name = cols[2];
            if name.is_empty() {
                return Err(err("empty name".into()));
            }
            if let Some(&prev) = self.by_id.get(id) {
                return Err(err(format!(
                    "duplicate id {id:?} (first defined at {})",
                    self.entries[prev].origin
                )));
            }
            let mut aliases = vec![name.to_string()];
            let mut short_forms = Vec::new();
            for alias in cols.get(3).unwrap_or(&"").split('|').map(str::trim) {
                if alias.is_empty() {
                    continue;
                }
                if let Some(short) = alias.strip_prefix('~') {
                    short_forms.push(short.trim().to_string());
                } else if !aliases.iter().any(|a| a == alias) {
                    aliases.push(alias.to_string());
                }
            }
            let mut hq = None;
            let mut surname = None;
            for attr in cols.get(4).unwrap_or(&"").split_whitespace() {
                match attr.split_once('=') {
                    Some(("hq", v)) if is_slug(v) => hq = Some(v.to_string()),
                    Some(("surname", v)) if !v.is_empty() => surname = Some(v.replace('_', " ")),
                    _ => {
                        return Err(err(format!(
                            "unknown attribute {attr:?} (expected hq=<id> or surname=<word>)"
                        )));
                    }
                }
            }
            self.by_id.insert(id.to_string(), self.entries.len());
            self.entries.push(GazEntry {
                id: id.to_string(),
                kind,
                name: name.to_string(),
                aliases,
                short_forms,
                hq,
                surname,
                origin: format!("{origin}:{line_no}"),
            });
        }
        self.check_aliases()
    }

    /// Two entities may not claim the same full alias: which one a mention
    /// means would depend on load order.
    fn check_aliases(&self) -> Result<(), GazetteerError> {
        let mut owner: HashMap<&str, usize> = HashMap::new();
        for (i, e) in self.entries.iter().enumerate() {
            for a in &e.aliases {
                if let Some(&j) = owner.get(a.as_str())
                    && j != i
                {
                    let (origin, line) = split_origin(&e.origin);
                    return Err(GazetteerError::Invalid {
                        origin,
                        line,
                        message: format!(
                            "alias {a:?} of {:?} is already an alias of {:?} ({}); make one of them a ~short form or drop it",
                            e.id, self.entries[j].id, self.entries[j].origin
                        ),
                    });
                }
                owner.insert(a, i);
            }
        }
        Ok(())
    }

    /// The entry with this id.
    pub fn get(&self, id: &str) -> Option<&GazEntry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    /// Index of the entry with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Every pattern the matcher compiles: `(surface, entry index, needs_intro)`.
    /// (Legal suffixes are matched after an ORG alias by the tagger.)
    pub(crate) fn patterns(&self) -> Vec<(String, usize, bool)> {
        let mut out = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            for a in &e.aliases {
                out.push((a.clone(), i, false));
            }
            for s in &e.short_forms {
                out.push((s.clone(), i, true));
            }
        }
        out
    }
}

fn split_origin(origin: &str) -> (String, usize) {
    match origin.rsplit_once(':') {
        Some((o, l)) => (o.to_string(), l.parse().unwrap_or(0)),
        None => (origin.to_string(), 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_gazetteers_load_and_are_broad() {
        let g = Gazetteer::builtin().expect("built-in gazetteers are valid");
        assert!(g.entries.len() >= 600, "only {} entities", g.entries.len());
        let count = |k| g.entries.iter().filter(|e| e.kind == k).count();
        assert!(count(EntityType::Gpe) >= 200);
        assert!(count(EntityType::Org) >= 250);
        assert!(count(EntityType::Person) >= 60);
        assert!(count(EntityType::Product) >= 60);
        for e in &g.entries {
            if let Some(hq) = &e.hq {
                let target = g
                    .get(hq)
                    .unwrap_or_else(|| panic!("{}: hq {hq} unknown", e.origin));
                assert_eq!(
                    target.kind,
                    EntityType::Gpe,
                    "{}: hq {hq} is not a GPE",
                    e.origin
                );
            }
        }
    }

    #[test]
    fn load_errors_name_file_and_line() {
        let rows: &[(&str, &str)] = &[
            (
                "a\tORG\tA\nb\tORG\tB\na\tORG\tC",
                "x.tsv:3: duplicate id \"a\"",
            ),
            ("a\tCOMPANY\tA", "x.tsv:1: unknown type \"COMPANY\""),
            ("a\tORG", "x.tsv:1: expected 3 to 5"),
            ("Bad Id\tORG\tA", "x.tsv:1: id \"Bad Id\" is not"),
            (
                "a\tORG\tA\tAA\nb\tORG\tB\tAA",
                "x.tsv:2: alias \"AA\" of \"b\"",
            ),
            ("a\tORG\tA\t\tcolour=red", "x.tsv:1: unknown attribute"),
        ];
        for &(text, want) in rows {
            let err = Gazetteer::default().add_source("x.tsv", text).unwrap_err();
            assert!(err.to_string().starts_with(want), "{text:?}: {err}");
        }
    }

    #[test]
    fn short_forms_may_be_shared() {
        let mut g = Gazetteer::default();
        g.add_source(
            "x.tsv",
            "# comment\na\tPERSON\tJack Ma\t~Ma\nb\tPERSON\tPony Ma\t~Ma\nc\tORG\tStarbucks\n",
        )
        .unwrap();
        let pats = g.patterns();
        assert_eq!(pats.iter().filter(|p| p.0 == "Ma" && p.2).count(), 2);
        assert!(pats.iter().any(|p| p.0 == "Starbucks" && p.1 == 2 && !p.2));
    }
}
