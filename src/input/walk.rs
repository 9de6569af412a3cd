//! Directory walks: the files of an input directory, in path order. Hidden
//! files and directories are skipped and symbolic links to directories are
//! followed only on request, as ripgrep does (its `ignore` crate walks); ignore
//! files (`.gitignore` and kin) are not consulted: every article counts.

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::Kind;

/// Which files of a directory are inputs.
#[derive(Debug, Clone, Default)]
pub struct FileFilter {
    /// Globs a file's path below the directory must match (any of them); none:
    /// every file of a known kind.
    include: Option<GlobSet>,
    /// Globs (given with a leading `!`) that leave a file out.
    exclude: Option<GlobSet>,
}

impl FileFilter {
    /// A filter from `--glob` patterns: `PATTERN` chooses, `!PATTERN` leaves
    /// out. A pattern without `/` matches at any depth (`*.txt`).
    pub fn new(patterns: &[String]) -> Result<FileFilter, globset::Error> {
        let mut include = GlobSetBuilder::new();
        let mut exclude = GlobSetBuilder::new();
        let (mut includes, mut excludes) = (0, 0);
        for p in patterns {
            let (set, pattern) = match p.strip_prefix('!') {
                Some(rest) => {
                    excludes += 1;
                    (&mut exclude, rest)
                }
                None => {
                    includes += 1;
                    (&mut include, p.as_str())
                }
            };
            // `*.txt` means any depth, as in ripgrep's --glob.
            let pattern = if pattern.contains('/') {
                pattern.trim_start_matches('/').to_string()
            } else {
                format!("**/{pattern}")
            };
            set.add(GlobBuilder::new(&pattern).literal_separator(true).build()?);
        }
        Ok(FileFilter {
            include: (includes > 0).then(|| include.build()).transpose()?,
            exclude: (excludes > 0).then(|| exclude.build()).transpose()?,
        })
    }

    fn wants(&self, relative: &Path) -> bool {
        if self.exclude.as_ref().is_some_and(|g| g.is_match(relative)) {
            return false;
        }
        match &self.include {
            Some(globs) => globs.is_match(relative),
            None => Kind::of_name(relative).is_some(),
        }
    }
}

/// What a walk found: the files, in path order, and what it could not read.
#[derive(Debug, Default)]
pub(crate) struct Walked {
    pub files: Vec<PathBuf>,
    /// Entries that could not be read (an unreadable directory): path and
    /// error, to become error records.
    pub failed: Vec<(PathBuf, String)>,
    /// Other things worth a warning (a FIFO or socket left out).
    pub warnings: Vec<String>,
}

/// The input files below `dir`.
pub(crate) fn walk(dir: &Path, filter: &FileFilter, follow_links: bool) -> Walked {
    let mut out = Walked::default();
    let walker = ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .hidden(true)
        .follow_links(follow_links)
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = error_path(&e).unwrap_or_else(|| dir.to_path_buf());
                out.failed.push((path, e.to_string()));
                continue;
            }
        };
        let Some(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            continue;
        }
        let path = entry.path();
        // A FIFO would block the run forever, a socket cannot be read; a
        // dangling link stays, to become an error record.
        let target = (!kind.is_file())
            .then(|| std::fs::metadata(path).ok())
            .flatten();
        if let Some(target) = target.filter(|m| !m.is_file()) {
            let what = if target.is_dir() {
                "a symbolic link to a directory (-L follows it)"
            } else {
                "not a regular file"
            };
            out.warnings
                .push(format!("{}: {what}; skipped", path.display()));
            continue;
        }
        let relative = path.strip_prefix(dir).unwrap_or(path);
        if !filter.wants(relative) {
            continue;
        }
        out.files.push(entry.into_path());
    }
    out.files.sort();
    out.failed.sort();
    out
}

fn error_path(e: &ignore::Error) -> Option<PathBuf> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}
