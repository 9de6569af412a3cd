//! The stage trait every pipeline step implements.

use crate::document::Document;

/// One step of the pipeline. Stages take `&self` so one built pipeline is
/// shared by every worker thread; each adds its layer to the document in place
/// and may read the layers of the stages before it.
pub trait Stage: Send + Sync {
    /// A short name, used by `--timings`.
    fn name(&self) -> &'static str;

    /// Adds this stage's layer to `doc`.
    fn process(&self, doc: &mut Document);
}
