//! Parquet files as inputs: one document per row, its fields read from the
//! columns [`FieldNames`] names (the first present of each list), streamed a
//! batch of rows at a time. Columns of other types than strings (integer
//! ids, `date` and `timestamp` dates) are read through their string form.

use std::fs::File;
use std::path::Path;

use arrow_array::{Array, RecordBatch, StringArray};
use arrow_schema::DataType;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};

use super::fields::{FieldNames, document};
use super::{DocumentError, InputDoc, failed_at};

/// Rows read per batch.
const BATCH_ROWS: usize = 1024;

/// The documents of one Parquet file.
pub(crate) struct ParquetDocs {
    reader: ParquetRecordBatchReader,
    /// The columns of the current batch as strings: text, id, date, title.
    columns: [Option<StringArray>; 4],
    rows: usize,
    row: usize,
    /// Rows read so far (a row's number is its 1-based position).
    seen: usize,
    name: String,
    stem: String,
    fields: FieldNames,
    max_doc_bytes: usize,
}

impl ParquetDocs {
    /// Opens `path`; the error is the one record a file that cannot be read
    /// as Parquet, or has no text column, yields.
    pub(crate) fn open(
        path: &Path,
        stem: &str,
        fields: &FieldNames,
        max_doc_bytes: usize,
    ) -> Result<ParquetDocs, DocumentError> {
        let name = path.display().to_string();
        let failed = |message: String| DocumentError::Read {
            path: name.clone(),
            message,
        };
        let file = File::open(path).map_err(|e| failed(e.to_string()))?;
        let builder = ParquetRecordBatchReaderBuilder::try_new(file)
            .map_err(|e| failed(format!("not a Parquet file: {e}")))?;
        let schema = builder.schema().clone();
        let find = |names: &[String]| names.iter().find_map(|n| schema.index_of(n).ok());
        let Some(text) = find(&fields.text) else {
            return Err(failed(format!(
                "no text column (\"{}\"; --text-field names another)",
                fields.text.join("\", \"")
            )));
        };
        let wanted = [
            Some(text),
            find(&fields.id),
            find(&fields.date),
            find(&fields.title),
        ];
        let mut indices: Vec<usize> = wanted.iter().flatten().copied().collect();
        indices.sort_unstable();
        indices.dedup();
        let mask = ProjectionMask::roots(builder.parquet_schema(), indices.iter().copied());
        let reader = builder
            .with_projection(mask)
            .with_batch_size(BATCH_ROWS)
            .build()
            .map_err(|e| failed(e.to_string()))?;
        // The columns read, by name, to find them in each batch.
        let names: Vec<Option<String>> = wanted
            .iter()
            .map(|c| c.map(|i| schema.field(i).name().clone()))
            .collect();
        let fields = FieldNames {
            text: names[0].iter().cloned().collect(),
            id: names[1].iter().cloned().collect(),
            date: names[2].iter().cloned().collect(),
            title: names[3].iter().cloned().collect(),
        };
        Ok(ParquetDocs {
            reader,
            columns: [None, None, None, None],
            rows: 0,
            row: 0,
            seen: 0,
            name,
            stem: stem.to_string(),
            fields,
            max_doc_bytes,
        })
    }

    /// The next row's document; None at the end of the file.
    pub(crate) fn next_doc(&mut self) -> Option<InputDoc> {
        while self.row >= self.rows {
            let batch = match self.reader.next()? {
                Ok(batch) => batch,
                Err(e) => {
                    self.seen += 1;
                    let doc = failed_at(&self.stem, &self.name, self.seen, e.to_string());
                    // The rest of the file cannot be trusted.
                    self.rows = 0;
                    self.row = 0;
                    while self.reader.next().is_some() {}
                    return Some(doc);
                }
            };
            self.load(&batch);
        }
        let row = self.row;
        self.row += 1;
        self.seen += 1;
        let value = |k: usize| {
            self.columns[k]
                .as_ref()
                .filter(|c| c.is_valid(row))
                .map(|c| c.value(row))
        };
        let id = value(1)
            .filter(|id| !id.is_empty())
            .map_or_else(|| format!("{}:{}", self.stem, self.seen), str::to_string);
        let source = format!("{}:{}", self.name, self.seen);
        let Some(body) = value(0) else {
            return Some(InputDoc {
                id,
                source,
                content: Err(DocumentError::BadField {
                    line: self.seen,
                    message: format!("row {}: \"{}\" is null", self.seen, self.fields.text[0]),
                }),
            });
        };
        Some(document(
            id,
            source,
            body.to_string(),
            value(2),
            value(3),
            self.max_doc_bytes,
        ))
    }

    fn load(&mut self, batch: &RecordBatch) {
        let schema = batch.schema();
        let column = |names: &[String]| {
            let name = names.first()?;
            let array = batch.column(schema.index_of(name).ok()?);
            let strings = arrow_cast::cast(array, &DataType::Utf8).ok()?;
            strings.as_any().downcast_ref::<StringArray>().cloned()
        };
        self.columns = [
            column(&self.fields.text),
            column(&self.fields.id),
            column(&self.fields.date),
            column(&self.fields.title),
        ];
        self.rows = batch.num_rows();
        self.row = 0;
    }
}
