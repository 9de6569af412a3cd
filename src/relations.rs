//! Relations (SPEC §6).
use crate::document::Document;
use crate::stage::Stage;
/// The relation stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct RelationExtractor;
impl Stage for RelationExtractor {
    fn name(&self) -> &'static str {
        "relations"
    }
    fn process(&self, _doc: &mut Document) {}
}
