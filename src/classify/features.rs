//! Per-line features the classifier reads.

/// Features of one line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineFeatures {
    pub chars: usize,
    pub words: usize,
}
