//! Records as Parquet tables (`extract --output-format parquet -o DIR`): one
//! file per layer, keyed by document id, with typed columns, for DuckDB,
//! pandas, polars and Spark to read directly.
//!
//! | table | one row per | columns |
//! | --- | --- | --- |
//! | `documents` | record | `id`, `source`, `dct` (date), `text_sha256`, `text`, `error`, `sentence_starts`, `sentence_ends` (lists), `warnings` (list) |
//! | `entities` | entity | `doc_id`, `entity_id`, `type`, `name`, `mentions` (count) |
//! | `mentions` | mention | `doc_id`, `entity_id`, `start`, `end`, `text` |
//! | `money` | amount | `doc_id`, `index`, `start`, `end`, `text`, `value` (decimal(38,10)), `currency`, `approx`, `equivalent_of` |
//! | `percents` | percentage | `doc_id`, `index`, `start`, `end`, `text`, `value` (decimal(38,10)), `modifier` |
//! | `dates` | date or duration | `doc_id`, `index`, `start`, `end`, `text`, `type`, `value` |
//! | `relations` | relation | `doc_id`, `type`, `head`, `tail`, `evidence_start`, `evidence_end`, `rule` |
//!
//! Offsets are code points, as in the JSON lines; `index` is the item's
//! position in its layer (`equivalent_of` refers to it). Values are exact
//! decimals with ten digits after the point (every amount newsie reads has
//! fewer). The model-token layer (`--tokenizer`) is not written.
//!
//! Rows are buffered per table and written as record batches of
//! [`BATCH_ROWS`] rows into row groups of at most [`ROW_GROUP_ROWS`], so
//! memory stays flat whatever the corpus. The tables are written into a
//! temporary directory beside the target, renamed into place by
//! [`TableWriter::finish`]; a writer dropped unfinished removes it.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Decimal128Builder, ListBuilder, StringBuilder, UInt32Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;

use crate::record::{Provenance, Record};

/// Rows buffered per table before they are written as one record batch.
pub const BATCH_ROWS: usize = 8192;
/// The key of a table's key-value metadata that holds the provenance
/// (`extract --provenance`): the record field's JSON object.
pub const PROVENANCE_KEY: &str = "newsie.provenance";
/// Rows per Parquet row group.
pub const ROW_GROUP_ROWS: usize = 128 * 1024;
/// Digits after the decimal point of `value` columns.
const VALUE_SCALE: i8 = 10;

/// Why the tables could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TablesError {
    /// A file or directory operation failed.
    #[error("cannot write {path}")]
    Io {
        /// The path.
        path: String,
        /// What the OS said.
        source: io::Error,
    },
    /// The Parquet writer failed.
    #[error("{path}: {message}")]
    Parquet {
        /// The table's file.
        path: String,
        /// What the writer said.
        message: String,
    },
    /// The target exists and is not a directory of tables.
    #[error(
        "{path} exists and is not a directory; --output-format parquet writes a directory of tables"
    )]
    NotADirectory {
        /// The target.
        path: String,
    },
}

/// The names of the tables, in the order they are listed.
pub const TABLES: [&str; 7] = [
    "documents",
    "entities",
    "mentions",
    "money",
    "percents",
    "dates",
    "relations",
];

fn schema(table: &str) -> SchemaRef {
    let utf8 = |name: &str, nullable: bool| Field::new(name, DataType::Utf8, nullable);
    let u32 = |name: &str, nullable: bool| Field::new(name, DataType::UInt32, nullable);
    let decimal = |name: &str| Field::new(name, DataType::Decimal128(38, VALUE_SCALE), true);
    let list = |name: &str, item: DataType| {
        Field::new(
            name,
            DataType::List(Arc::new(Field::new("item", item, true))),
            false,
        )
    };
    let span = || vec![u32("start", false), u32("end", false), utf8("text", false)];
    let fields: Vec<Field> = match table {
        "documents" => vec![
            utf8("id", false),
            utf8("source", false),
            Field::new("dct", DataType::Date32, true),
            utf8("text_sha256", true),
            utf8("text", true),
            utf8("error", true),
            list("sentence_starts", DataType::UInt32),
            list("sentence_ends", DataType::UInt32),
            list("warnings", DataType::Utf8),
        ],
        "entities" => vec![
            utf8("doc_id", false),
            utf8("entity_id", false),
            utf8("type", false),
            utf8("name", false),
            u32("mentions", false),
        ],
        "mentions" => [
            vec![utf8("doc_id", false), utf8("entity_id", false)],
            span(),
        ]
        .concat(),
        "money" => [
            vec![utf8("doc_id", false), u32("index", false)],
            span(),
            vec![
                decimal("value"),
                utf8("currency", true),
                Field::new("approx", DataType::Boolean, false),
                u32("equivalent_of", true),
            ],
        ]
        .concat(),
        "percents" => [
            vec![utf8("doc_id", false), u32("index", false)],
            span(),
            vec![decimal("value"), utf8("modifier", true)],
        ]
        .concat(),
        "dates" => [
            vec![utf8("doc_id", false), u32("index", false)],
            span(),
            vec![utf8("type", false), utf8("value", true)],
        ]
        .concat(),
        "relations" => vec![
            utf8("doc_id", false),
            utf8("type", false),
            utf8("head", false),
            utf8("tail", false),
            u32("evidence_start", true),
            u32("evidence_end", true),
            utf8("rule", true),
        ],
        _ => unreachable!("no table {table}"),
    };
    Arc::new(Schema::new(fields))
}

/// A column being filled.
enum Column {
    Str(StringBuilder),
    U32(UInt32Builder),
    Bool(BooleanBuilder),
    Date(Date32Builder),
    Decimal(Decimal128Builder),
    U32List(ListBuilder<UInt32Builder>),
    StrList(ListBuilder<StringBuilder>),
}

impl Column {
    fn of(data_type: &DataType) -> Column {
        match data_type {
            DataType::Utf8 => Column::Str(StringBuilder::new()),
            DataType::UInt32 => Column::U32(UInt32Builder::new()),
            DataType::Boolean => Column::Bool(BooleanBuilder::new()),
            DataType::Date32 => Column::Date(Date32Builder::new()),
            DataType::Decimal128(p, s) => Column::Decimal(
                Decimal128Builder::new()
                    .with_precision_and_scale(*p, *s)
                    .expect("a valid decimal type"),
            ),
            DataType::List(item) if item.data_type() == &DataType::UInt32 => {
                Column::U32List(ListBuilder::new(UInt32Builder::new()))
            }
            DataType::List(_) => Column::StrList(ListBuilder::new(StringBuilder::new())),
            other => unreachable!("no column of type {other}"),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Column::Str(b) => Arc::new(b.finish()),
            Column::U32(b) => Arc::new(b.finish()),
            Column::Bool(b) => Arc::new(b.finish()),
            Column::Date(b) => Arc::new(b.finish()),
            Column::Decimal(b) => Arc::new(b.finish()),
            Column::U32List(b) => Arc::new(b.finish()),
            Column::StrList(b) => Arc::new(b.finish()),
        }
    }
}

/// One table: its file's writer and the rows not yet written.
struct Table {
    path: PathBuf,
    schema: SchemaRef,
    writer: ArrowWriter<File>,
    columns: Vec<Column>,
    rows: usize,
}

/// Appends one row to a table, a value per column in schema order.
macro_rules! row {
    ($table:expr, $($value:expr),+ $(,)?) => {{
        let table: &mut Table = $table;
        let mut columns = table.columns.iter_mut();
        $( Cell::put($value, columns.next().expect("a column per value")); )+
        table.rows += 1;
    }};
}

/// A value that goes into a column of the matching type.
trait Cell {
    fn put(self, column: &mut Column);
}

impl Cell for &str {
    fn put(self, column: &mut Column) {
        let Column::Str(b) = column else {
            unreachable!()
        };
        b.append_value(self);
    }
}

impl Cell for Option<&str> {
    fn put(self, column: &mut Column) {
        let Column::Str(b) = column else {
            unreachable!()
        };
        b.append_option(self);
    }
}

impl Cell for usize {
    fn put(self, column: &mut Column) {
        Some(self).put(column);
    }
}

impl Cell for Option<usize> {
    fn put(self, column: &mut Column) {
        let Column::U32(b) = column else {
            unreachable!()
        };
        b.append_option(self.map(|n| u32::try_from(n).unwrap_or(u32::MAX)));
    }
}

impl Cell for bool {
    fn put(self, column: &mut Column) {
        let Column::Bool(b) = column else {
            unreachable!()
        };
        b.append_value(self);
    }
}

/// A date as days since 1970-01-01.
struct Days(Option<i32>);

impl Cell for Days {
    fn put(self, column: &mut Column) {
        let Column::Date(b) = column else {
            unreachable!()
        };
        b.append_option(self.0);
    }
}

/// An exact decimal, `VALUE_SCALE` digits after the point.
struct Exact(Option<i128>);

impl Cell for Exact {
    fn put(self, column: &mut Column) {
        let Column::Decimal(b) = column else {
            unreachable!()
        };
        b.append_option(self.0);
    }
}

/// A list of numbers.
struct Numbers<I>(I);

impl<I: Iterator<Item = usize>> Cell for Numbers<I> {
    fn put(self, column: &mut Column) {
        let Column::U32List(b) = column else {
            unreachable!()
        };
        for n in self.0 {
            b.values()
                .append_value(u32::try_from(n).unwrap_or(u32::MAX));
        }
        b.append(true);
    }
}

/// A list of strings.
struct Strings<'a>(&'a [String]);

impl Cell for Strings<'_> {
    fn put(self, column: &mut Column) {
        let Column::StrList(b) = column else {
            unreachable!()
        };
        for s in self.0 {
            b.values().append_value(s);
        }
        b.append(true);
    }
}

impl Table {
    fn create(dir: &Path, name: &str, metadata: &[KeyValue]) -> Result<Table, TablesError> {
        let path = dir.join(format!("{name}.parquet"));
        let file = File::create(&path).map_err(|source| TablesError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let schema = schema(name);
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::try_new(1).expect("level 1")))
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_key_value_metadata((!metadata.is_empty()).then(|| metadata.to_vec()))
            .build();
        let writer = ArrowWriter::try_new(file, Arc::clone(&schema), Some(props))
            .map_err(|e| parquet_error(&path, e))?;
        let columns = schema
            .fields()
            .iter()
            .map(|f| Column::of(f.data_type()))
            .collect();
        Ok(Table {
            path,
            schema,
            writer,
            columns,
            rows: 0,
        })
    }

    /// Writes the buffered rows as one record batch.
    fn flush(&mut self) -> Result<(), TablesError> {
        if self.rows == 0 {
            return Ok(());
        }
        let arrays = self.columns.iter_mut().map(Column::finish).collect();
        let batch = RecordBatch::try_new(Arc::clone(&self.schema), arrays)
            .map_err(|e| parquet_error(&self.path, e))?;
        self.writer
            .write(&batch)
            .map_err(|e| parquet_error(&self.path, e))?;
        self.rows = 0;
        Ok(())
    }

    fn flush_when_full(&mut self) -> Result<(), TablesError> {
        if self.rows >= BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn close(mut self) -> Result<(), TablesError> {
        self.flush()?;
        let path = self.path;
        self.writer
            .close()
            .map(drop)
            .map_err(|e| parquet_error(&path, e))
    }
}

fn parquet_error(path: &Path, e: impl std::fmt::Display) -> TablesError {
    TablesError::Parquet {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Writes records into a directory of Parquet tables.
pub struct TableWriter {
    target: PathBuf,
    /// The directory being written, renamed to `target` by `finish`.
    staging: PathBuf,
    tables: Vec<Table>,
    finished: bool,
}

impl TableWriter {
    /// Starts writing the tables of `target` (a directory, replaced when
    /// the writer finishes).
    pub fn create(target: &Path) -> Result<TableWriter, TablesError> {
        TableWriter::create_with(target, None)
    }

    /// [`TableWriter::create`], with a record's provenance in each table's
    /// key-value metadata (key `newsie.provenance`, the JSON object).
    pub fn create_with(
        target: &Path,
        provenance: Option<&Provenance>,
    ) -> Result<TableWriter, TablesError> {
        let metadata: Vec<KeyValue> = provenance
            .map(|p| {
                let json = serde_json::to_string(p).expect("two strings serialize");
                KeyValue::new(PROVENANCE_KEY.to_string(), json)
            })
            .into_iter()
            .collect();
        if target.exists() && !target.is_dir() {
            return Err(TablesError::NotADirectory {
                path: target.display().to_string(),
            });
        }
        let staging = sibling(target, "tmp");
        std::fs::create_dir(&staging).map_err(|source| TablesError::Io {
            path: staging.display().to_string(),
            source,
        })?;
        let mut writer = TableWriter {
            target: target.to_path_buf(),
            staging,
            tables: Vec::new(),
            finished: false,
        };
        for name in TABLES {
            let table = Table::create(&writer.staging, name, &metadata)?;
            writer.tables.push(table);
        }
        Ok(writer)
    }

    /// Adds one record's rows.
    pub fn push(&mut self, rec: &Record<'_>) -> Result<(), TablesError> {
        let [
            documents,
            entities,
            mentions,
            money,
            percents,
            dates,
            relations,
        ] = &mut self.tables[..]
        else {
            unreachable!("seven tables")
        };
        let doc_id: &str = &rec.id;
        let sentences = rec.sentences.as_deref().unwrap_or_default();
        let warnings = rec.warnings.as_deref().unwrap_or_default();
        row!(
            documents,
            doc_id,
            &*rec.source,
            Days(rec.dct.as_deref().and_then(days_since_epoch)),
            rec.text_sha256.as_deref(),
            rec.text.as_deref(),
            rec.error.as_deref(),
            Numbers(sentences.iter().map(|s| s.start)),
            Numbers(sentences.iter().map(|s| s.end)),
            Strings(warnings),
        );
        for e in &rec.entities {
            row!(
                entities,
                doc_id,
                &*e.id,
                &*e.kind,
                &*e.name,
                e.mentions.len()
            );
            for m in &e.mentions {
                row!(mentions, doc_id, &*e.id, m.start, m.end, &*m.text);
            }
        }
        for (i, m) in rec.money.iter().enumerate() {
            row!(
                money,
                doc_id,
                i,
                m.start,
                m.end,
                &*m.text,
                Exact(exact(&m.value)),
                m.currency.as_deref(),
                m.approx,
                m.equivalent_of,
            );
        }
        for (i, p) in rec.percents.iter().enumerate() {
            row!(
                percents,
                doc_id,
                i,
                p.start,
                p.end,
                &*p.text,
                Exact(exact(&p.value)),
                p.modifier.as_deref(),
            );
        }
        for (i, d) in rec.dates.iter().enumerate() {
            row!(
                dates,
                doc_id,
                i,
                d.start,
                d.end,
                &*d.text,
                &*d.kind,
                d.value.as_deref()
            );
        }
        for r in &rec.relations {
            row!(
                relations,
                doc_id,
                &*r.kind,
                &*r.head,
                &*r.tail,
                r.evidence.as_ref().map(|e| e.start),
                r.evidence.as_ref().map(|e| e.end),
                r.rule.as_deref(),
            );
        }
        for table in &mut self.tables {
            table.flush_when_full()?;
        }
        Ok(())
    }

    /// Writes what is buffered, closes the files and puts the directory in
    /// place of the target (an earlier directory there is replaced).
    pub fn finish(mut self) -> Result<(), TablesError> {
        for table in std::mem::take(&mut self.tables) {
            table.close()?;
        }
        let io = |path: &Path| {
            let path = path.display().to_string();
            move |source| TablesError::Io { path, source }
        };
        let old = self.target.exists().then(|| sibling(&self.target, "old"));
        if let Some(old) = &old {
            std::fs::rename(&self.target, old).map_err(io(&self.target))?;
        }
        std::fs::rename(&self.staging, &self.target).map_err(io(&self.target))?;
        self.finished = true;
        if let Some(old) = old {
            std::fs::remove_dir_all(&old).map_err(io(&old))?;
        }
        Ok(())
    }
}

impl Drop for TableWriter {
    fn drop(&mut self) {
        if !self.finished {
            // Unfinished tables are no output: the target stays as it was.
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// A hidden path beside `target` for the staging or the replaced directory.
fn sibling(target: &Path, what: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "tables".into(), |n| n.to_string_lossy().into_owned());
    let parent = target.parent().unwrap_or(Path::new("."));
    let nonce = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos())
    );
    parent.join(format!(".{name}.newsie-{what}-{nonce}"))
}

/// `YYYY-MM-DD` as days since 1970-01-01.
fn days_since_epoch(date: &str) -> Option<i32> {
    let date = crate::dct::parse_iso_date(date)?;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    i32::try_from((date - epoch).num_days()).ok()
}

/// A JSON number as an exact decimal with `VALUE_SCALE` digits after the
/// point; None if it has more, or more than 28 before it.
fn exact(value: &serde_json::Value) -> Option<i128> {
    let text = match value {
        serde_json::Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    if frac.len() > VALUE_SCALE as usize || !int.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return None;
    }
    let digits = format!("{int}{frac:0<width$}", width = VALUE_SCALE as usize);
    let v: i128 = digits.parse().ok()?;
    (v.unsigned_abs() < 10u128.pow(38)).then_some(v)
}

/// A [`Write`] sink for the runner's JSON lines that writes them as tables:
/// each complete line is read back into a [`Record`] and its rows added.
pub struct TableSink {
    writer: TableWriter,
    /// The bytes of a line not yet complete.
    partial: Vec<u8>,
}

impl TableSink {
    /// Starts the tables of `target`, with `provenance` in their metadata
    /// when given ([`TableWriter::create_with`]).
    pub fn create(
        target: &Path,
        provenance: Option<&Provenance>,
    ) -> Result<TableSink, TablesError> {
        Ok(TableSink {
            writer: TableWriter::create_with(target, provenance)?,
            partial: Vec::new(),
        })
    }

    /// The directory being written (renamed into place by `finish`).
    pub fn staging(&self) -> &Path {
        &self.writer.staging
    }

    /// Finishes the tables (see [`TableWriter::finish`]).
    pub fn finish(self) -> Result<(), TablesError> {
        self.writer.finish()
    }
}

/// Adds the rows of one JSON line (a blank one has none).
fn push_line(writer: &mut TableWriter, line: &[u8]) -> io::Result<()> {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    let rec: Record = serde_json::from_slice(line).map_err(io::Error::other)?;
    writer.push(&rec).map_err(io::Error::other)
}

impl Write for TableSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let TableSink { writer, partial } = self;
        crate::runner::complete_lines(partial, buf, |line| push_line(writer, line))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_become_exact_decimals() {
        let rows: &[(&str, Option<i128>)] = &[
            ("18200000000", Some(182_000_000_000_000_000_000)),
            ("18.2", Some(182_000_000_000)),
            ("0.35", Some(3_500_000_000)),
            ("5", Some(50_000_000_000)),
            ("0.00000000001", None),
            ("1e-7", None),
        ];
        for &(json, want) in rows {
            let value: serde_json::Value = serde_json::from_str(json).unwrap();
            assert_eq!(exact(&value), want, "{json}");
        }
    }

    #[test]
    fn dates_count_days_from_1970() {
        assert_eq!(days_since_epoch("1970-01-02"), Some(1));
        assert_eq!(days_since_epoch("2021-04-10"), Some(18727));
        assert_eq!(days_since_epoch("2021-13-01"), None);
    }
}
