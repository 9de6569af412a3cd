//! The stage trait every pipeline step implements, the built-in ones and a
//! user's own ([`PipelineBuilder::stage`](crate::PipelineBuilder::stage)).

use std::sync::Arc;

use crate::document::Document;

/// One step of the pipeline. Stages take `&self` so one built pipeline is
/// shared by every worker thread; each adds its layer to the document in place
/// and may read the layers of the stages before it.
///
/// The built-in stages run in a fixed order (tokenize → sentences → document
/// date → entities → money/percents → dates → relations); a user's stages,
/// added with [`PipelineBuilder::stage`](crate::PipelineBuilder::stage), run
/// after them, in the order they were added, and see every built-in layer.
///
/// A stage may change any layer but must leave the [`Document`] as the
/// record writer expects it: `text` unchanged; every span in bounds and on
/// character boundaries; the layers documented as sorted still sorted; and
/// every index (a mention's `entity`, a relation's `head` and `tail`, a money
/// amount's `equivalent_of`) pointing into its layer. A stage that panics
/// costs its document, which becomes an error record
/// (`internal error: …`); the run goes on.
///
/// `Box<S>` and `Arc<S>` of a stage are stages too.
pub trait Stage: Send + Sync {
    /// A short name, used by `--timings` and
    /// [`Pipeline::stage_timings`](crate::Pipeline::stage_timings).
    fn name(&self) -> &'static str;

    /// Adds this stage's layer to `doc`.
    fn process(&self, doc: &mut Document);
}

impl<S: Stage + ?Sized> Stage for Box<S> {
    fn name(&self) -> &'static str {
        (**self).name()
    }

    fn process(&self, doc: &mut Document) {
        (**self).process(doc);
    }
}

impl<S: Stage + ?Sized> Stage for Arc<S> {
    fn name(&self) -> &'static str {
        (**self).name()
    }

    fn process(&self, doc: &mut Document) {
        (**self).process(doc);
    }
}
