//! The digest of a set of named files, as `newsie --version` and
//! `extract --provenance` print it (build.rs digests the built-in data with
//! it too, so both agree on the scheme).

use sha2::{Digest, Sha256};

/// SHA-256 over each part's name, byte length and bytes, in order, as 16
/// lowercase hex digits (64 bits: enough to tell data sets apart).
pub fn digest16<N: AsRef<[u8]>, B: AsRef<[u8]>>(parts: &[(N, B)]) -> String {
    let mut hash = Sha256::new();
    for (name, bytes) in parts {
        let (name, bytes) = (name.as_ref(), bytes.as_ref());
        hash.update((name.len() as u64).to_le_bytes());
        hash.update(name);
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    }
    hash.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
