//! Where rendered files go: the [`Sink`] every stage writes through, the memory sink of the
//! live preview and the null sink of `check`. The disk sink and the atomic output are the
//! write stage's ([`crate::write`]); this interface sits below the render stage, which only
//! needs somewhere to put files.

use std::collections::BTreeMap;
use std::io;
use std::sync::{Arc, RwLock};

/// Where rendered files go. Called from many threads at once.
pub trait Sink: Sync {
    /// Writes the file at `path` (relative, `/`-separated) with `bytes`.
    fn put(&self, path: &str, bytes: Vec<u8>) -> io::Result<()>;

    /// A file made of `parts`, in order, each made only when the sink asks for it. A large
    /// export (the commitments' JSON is half a gigabyte at 100,000 commitments) is made a
    /// window of parts at a time; a disk sink writes each part and drops it, so the whole
    /// file is never in memory.
    fn put_stream(&self, path: &str, parts: &mut dyn Iterator<Item = Vec<u8>>) -> io::Result<()> {
        let mut all = parts.next().unwrap_or_default();
        for part in parts {
            all.extend_from_slice(&part);
        }
        self.put(path, all)
    }
}

/// Rejects paths that could leave the output root. Render only produces safe paths (IDs are
/// validated at load); this is the last line of defence.
pub(crate) fn check_relative(path: &str) -> io::Result<()> {
    let bad = path.is_empty()
        || path.starts_with('/')
        || path.contains('\\')
        || path.contains('\0')
        || path.split('/').any(|seg| seg == ".." || seg == ".");
    if bad {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("unsafe output path `{path}`"),
        ));
    }
    Ok(())
}

/// Discards everything (for `check`, which renders every page to find template errors).
pub struct NullSink;

impl Sink for NullSink {
    fn put(&self, path: &str, _bytes: Vec<u8>) -> io::Result<()> {
        check_relative(path)
    }
}

/// The site in memory, for the preview server. Cheap to clone: files are shared.
#[derive(Default, Clone)]
pub struct MemorySink {
    files: Arc<RwLock<BTreeMap<String, bytes::Bytes>>>,
}

impl MemorySink {
    /// An empty sink.
    pub fn new() -> Self {
        Self::default()
    }

    /// The file at `path`, if one was written.
    pub fn get(&self, path: &str) -> Option<bytes::Bytes> {
        self.files.read().ok()?.get(path).cloned()
    }

    /// How many files it holds.
    pub fn len(&self) -> usize {
        self.files.read().map(|f| f.len()).unwrap_or(0)
    }

    /// Whether no file was written.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every file, in path order.
    pub fn entries(&self) -> Vec<(String, bytes::Bytes)> {
        self.files
            .read()
            .map(|f| f.iter().map(|(p, b)| (p.clone(), b.clone())).collect())
            .unwrap_or_default()
    }
}

impl Sink for MemorySink {
    fn put(&self, path: &str, bytes: Vec<u8>) -> io::Result<()> {
        check_relative(path)?;
        let mut files = self
            .files
            .write()
            .map_err(|_| io::Error::other("output lock poisoned"))?;
        // `Bytes` takes the vector as it is: no copy of a 50 MB export.
        files.insert(path.to_string(), bytes::Bytes::from(bytes));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memory_sink_joins_streamed_parts() {
        let sink = MemorySink::new();
        let parts = vec![b"[".to_vec(), Vec::new(), b"1,2".to_vec(), b"]".to_vec()];
        sink.put_stream("a.json", &mut parts.into_iter()).unwrap();
        sink.put_stream("empty.json", &mut std::iter::empty())
            .unwrap();
        assert_eq!(sink.get("a.json").unwrap().as_ref(), b"[1,2]");
        assert_eq!(sink.get("empty.json").unwrap().as_ref(), b"");
    }
}
