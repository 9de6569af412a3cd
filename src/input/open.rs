//! Opening inputs and record files: compression is recognised by its magic
//! bytes (gzip `1f 8b`, zstd `28 b5 2f fd`), whatever the file is called, and
//! undone as the stream is read. `open_records` serves `eval`, `diff` and
//! `render --records`.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A compression format input may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// gzip (one member or several, as `cat a.gz b.gz` makes).
    Gzip,
    /// Zstandard.
    Zstd,
}

impl Compression {
    /// The format whose magic bytes `head` starts with.
    pub fn sniff(head: &[u8]) -> Option<Compression> {
        if head.starts_with(&[0x1f, 0x8b]) {
            Some(Compression::Gzip)
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Some(Compression::Zstd)
        } else {
            None
        }
    }

    /// The file-name suffix of the format (`gz`, `zst`).
    pub fn extension(self) -> &'static str {
        match self {
            Compression::Gzip => "gz",
            Compression::Zstd => "zst",
        }
    }
}

/// A byte stream to read inputs from.
pub type Stream = Box<dyn Read + Send>;

/// `reader`'s first bytes, up to `n` (fewer only at the end of the stream),
/// and a stream that yields them again, followed by the rest.
pub(crate) fn peek(mut reader: Stream, n: usize) -> io::Result<(Vec<u8>, Stream)> {
    let mut head = vec![0; n];
    let mut got = 0;
    while got < n {
        match reader.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(k) => got += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    head.truncate(got);
    let again: Stream = Box::new(Cursor::new(head.clone()).chain(reader));
    Ok((head, again))
}

/// `reader` decompressed when it starts with a compression format's magic
/// bytes, as it is otherwise; and the format found.
pub fn decompressed(reader: Stream) -> io::Result<(Stream, Option<Compression>)> {
    let (head, reader) = peek(reader, 4)?;
    Ok(match Compression::sniff(&head) {
        Some(Compression::Gzip) => (
            Box::new(flate2::read::MultiGzDecoder::new(reader)),
            Some(Compression::Gzip),
        ),
        Some(Compression::Zstd) => (
            Box::new(zstd::stream::read::Decoder::new(reader)?),
            Some(Compression::Zstd),
        ),
        None => (reader, None),
    })
}

/// Opens a file, decompressed if it is compressed.
pub fn open_file(path: &Path) -> io::Result<(Stream, Option<Compression>)> {
    decompressed(Box::new(File::open(path)?))
}

/// A reader that adds the bytes it reads to a shared count (the input read
/// so far, for a progress bar).
pub(crate) struct Counted<R> {
    pub(crate) inner: R,
    pub(crate) count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Opens a records file (`-` is standard input), decompressed if it is
/// compressed, for reading line by line.
pub fn open_records(path: &Path) -> io::Result<Box<dyn BufRead + Send>> {
    let stream: Stream = if path.as_os_str() == "-" {
        Box::new(io::stdin())
    } else {
        Box::new(File::open(path)?)
    };
    let (stream, _) = decompressed(stream)?;
    Ok(Box::new(BufReader::with_capacity(1 << 20, stream)))
}

/// A file name without its compression suffix: `a.jsonl.gz` → `a.jsonl`.
pub(crate) fn without_compression_suffix(name: &str) -> &str {
    for c in [Compression::Gzip, Compression::Zstd] {
        if let Some(inner) = name
            .strip_suffix(c.extension())
            .and_then(|s| s.strip_suffix('.'))
        {
            return inner;
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn read_all(s: Stream) -> Vec<u8> {
        let mut out = Vec::new();
        let mut s = s;
        s.read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn compressed_streams_are_recognised_by_their_bytes() {
        let text = b"Tencent sued ByteDance.\n".repeat(100);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&text).unwrap();
        let gz = gz.finish().unwrap();
        let zst = zstd::stream::encode_all(&text[..], 3).unwrap();
        // Two gzip members one after the other read as one stream.
        let two_members = [gz.clone(), gz.clone()].concat();
        // (name, bytes, format found, bytes read)
        type Row<'a> = (&'a str, Vec<u8>, Option<Compression>, Vec<u8>);
        let rows: Vec<Row> = vec![
            ("plain", text.clone(), None, text.clone()),
            ("gzip", gz, Some(Compression::Gzip), text.clone()),
            ("zstd", zst, Some(Compression::Zstd), text.clone()),
            (
                "two gzip members",
                two_members,
                Some(Compression::Gzip),
                text.repeat(2),
            ),
            ("empty", Vec::new(), None, Vec::new()),
            ("one byte", vec![0x1f], None, vec![0x1f]),
        ];
        for (name, bytes, format, want) in rows {
            let (stream, found) = decompressed(Box::new(Cursor::new(bytes))).unwrap();
            assert_eq!(found, format, "{name}");
            assert_eq!(read_all(stream), want, "{name}");
        }
    }

    #[test]
    fn damaged_compressed_data_is_a_read_error() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&b"x".repeat(10_000)).unwrap();
        let mut gz = gz.finish().unwrap();
        gz.truncate(gz.len() / 2);
        let (mut stream, _) = decompressed(Box::new(Cursor::new(gz))).unwrap();
        let mut out = Vec::new();
        assert!(stream.read_to_end(&mut out).is_err());
    }

    #[test]
    fn compression_suffixes() {
        for (name, want) in [
            ("a.jsonl.gz", "a.jsonl"),
            ("a.txt.zst", "a.txt"),
            ("a.jsonl", "a.jsonl"),
            ("gz", "gz"),
            ("a.tgz", "a.tgz"),
        ] {
            assert_eq!(without_compression_suffix(name), want);
        }
    }
}
