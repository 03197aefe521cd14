//! Batch cleaning of a directory tree into a mirror tree.
