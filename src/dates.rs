//! Dates and durations (SPEC §5).
use crate::document::Document;
use crate::stage::Stage;
/// The date stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct DateTagger;
impl Stage for DateTagger {
    fn name(&self) -> &'static str {
        "dates"
    }
    fn process(&self, _doc: &mut Document) {}
}
