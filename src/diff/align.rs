//! Aligning the spans of an edited text: a character diff of the old and
//! new text (the `similar` crate) gives the runs both share; an old span
//! inside one run moves with it, one that touches an edit has no place in
//! the new text.

use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

/// Most time one alignment may take: a text rewritten throughout gets a
/// coarser diff (fewer, longer edits), not a stalled run.
const DEADLINE: Duration = Duration::from_millis(250);

/// Where the old text's code points went in the new text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alignment {
    /// Runs the texts share: `(old start, new start, length)` in code
    /// points, in order.
    runs: Vec<(usize, usize, usize)>,
    /// Edits: runs of inserted, deleted or replaced text.
    edits: usize,
}

impl Alignment {
    /// The alignment of two texts (code points).
    pub fn of(old: &str, new: &str) -> Alignment {
        let (old, new): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
        let deadline = Instant::now() + DEADLINE;
        let ops = capture_diff_slices_deadline(Algorithm::Myers, &old, &new, Some(deadline));
        let mut runs = Vec::new();
        let mut edits = 0;
        let mut in_edit = false;
        for op in ops {
            match op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => {
                    runs.push((old_index, new_index, len));
                    in_edit = false;
                }
                _ => {
                    // Consecutive non-equal ops (a delete then an insert) are one edit.
                    if !in_edit {
                        edits += 1;
                    }
                    in_edit = true;
                }
            }
        }
        Alignment { runs, edits }
    }

    /// The alignment of a text with itself.
    pub fn identity(len: usize) -> Alignment {
        Alignment {
            runs: vec![(0, 0, len)],
            edits: 0,
        }
    }

    /// How many places the text was edited at.
    pub fn edits(&self) -> usize {
        self.edits
    }

    /// The new text's edited parts (inserted or replacing text), as spans
    /// of the new text `new_len` code points long.
    pub fn new_edits(&self, new_len: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut at = 0;
        for &(_, n, len) in &self.runs {
            if n > at {
                out.push((at, n));
            }
            at = n + len;
        }
        if new_len > at {
            out.push((at, new_len));
        }
        out
    }

    /// Where the old span `start..end` (code points) is in the new text:
    /// moved with the run it lies in, or `None` when it touches an edit. An
    /// empty span at a run's end stays with that run.
    pub fn map(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        if end < start {
            return None;
        }
        let i = self.runs.partition_point(|&(o, _, _)| o <= start);
        let &(o, n, len) = self.runs.get(i.checked_sub(1)?)?;
        (end <= o + len).then(|| (start - o + n, end - o + n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_move_with_their_run_and_drop_at_an_edit() {
        let old = "Tencent said Alibaba rose. Baidu fell.";
        let new = "Tencent Music said Alibaba rose. Baidu fell.";
        let a = Alignment::of(old, new);
        assert_eq!(a.edits(), 1);
        // (old span, where it is now)
        let rows = [
            ((0, 7), Some((0, 7))),     // Tencent: before the insertion, kept
            ((13, 20), Some((19, 26))), // Alibaba: shifted by " Music"
            ((27, 32), Some((33, 38))), // Baidu
            ((0, 12), None),            // "Tencent said" spans the insertion
            ((38, 38), Some((44, 44))), // an empty span at the end
        ];
        for ((s, e), want) in rows {
            let got = a.map(s, e);
            assert_eq!(got, want, "{s}..{e}");
            if let Some((ns, ne)) = got {
                let piece =
                    |t: &str, s: usize, e: usize| t.chars().skip(s).take(e - s).collect::<String>();
                assert_eq!(piece(new, ns, ne), piece(old, s, e));
            }
        }
    }

    #[test]
    fn edits_are_counted_as_runs_of_changed_text() {
        let rows = [
            ("a b c", "a b c", 0),
            ("a b c", "a x c", 1),
            ("a b c d e", "x b c d y", 2),
            ("The firm", "", 1),
            ("", "New text", 1),
            ("腾讯 rose", "腾讯控股 rose", 1),
        ];
        for (old, new, edits) in rows {
            assert_eq!(Alignment::of(old, new).edits(), edits, "{old:?} → {new:?}");
        }
        assert_eq!(Alignment::identity(5).map(1, 3), Some((1, 3)));
        let a = Alignment::of("Tencent said so.", "Tencent Music said it.");
        // "Music " (or " Music": either is a shortest diff) and "it".
        assert_eq!(a.new_edits(22), [(8, 14), (19, 21)]);
        assert_eq!(Alignment::identity(5).map(3, 9), None);
    }
}
