//! A hash table from hashed line keys to lines, for the classifier's passes
//! that look a page's lines up by key: a repeat's first copy, the longest
//! key sharing a teaser's first bytes.
//!
//! It is sized once for a page and never grows, holds one line per key,
//! and knows nothing of keys themselves: the caller hashes a key (with
//! [`LineTable::hash`], or [`LineTable::hash_ends`] for a cheap hash that
//! equal keys share) and tells, for a line filed under the same hash,
//! whether that line's key is the one looked up. A look-up is then a hash,
//! a probe or two and, only when the hashes agree, the caller's
//! comparison: a fraction of what a general map of `&str` costs per line.
//! The hashes are seeded per table, so no page can be written to make its
//! keys' hashes collide.
//!
//! A table's slots outnumber the page's lines. Rather than allocate and
//! clear them for every page, a thread keeps the slots of its last table
//! (up to [`SPARE_SLOTS`]), and a table clears only the slots it filled
//! when it is done: a page costs in proportion to its lines.

use std::cell::Cell;
use std::hash::{BuildHasher, Hash};

/// The most slots a thread keeps for its next table (a megabyte): enough
/// for pages of some hundred thousand lines; a larger table is freed.
const SPARE_SLOTS: usize = 1 << 16;

thread_local! {
    /// The cleared slots of this thread's last table, if it kept them.
    static SPARE: Cell<Option<Slots>> = const { Cell::new(None) };
}

/// Slots, all free but those listed in `used`.
#[derive(Default)]
struct Slots {
    /// `(hash, line + 1)`, or `(0, 0)` for a free slot.
    slots: Vec<(u64, usize)>,
    /// The slots filled since the slots were last cleared.
    used: Vec<usize>,
}

/// Lines filed by the hash of their key (see the module documentation).
pub(super) struct LineTable {
    /// A hash's lines sit from its home slot on, up to the first free one.
    /// Only the first `mask + 1` slots are the table's.
    storage: Slots,
    mask: usize,
    /// The home slot of a hash is its top bits: `hash >> shift`.
    shift: u32,
    state: foldhash::fast::RandomState,
}

impl LineTable {
    /// A table for at most `lines` lines. It is never more than half full,
    /// so a probe ends at a free slot soon.
    pub(super) fn for_lines(lines: usize) -> LineTable {
        let size = lines.saturating_mul(2).max(8).next_power_of_two();
        let mut storage = SPARE.take().unwrap_or_default();
        if storage.slots.len() < size {
            storage.slots = vec![(0, 0); size];
        }
        LineTable {
            storage,
            mask: size - 1,
            shift: u64::BITS - size.trailing_zeros(),
            state: foldhash::fast::RandomState::default(),
        }
    }

    /// The hash of `key` to file or look up a line under.
    #[inline]
    pub(super) fn hash(&self, key: impl Hash) -> u64 {
        self.state.hash_one(key)
    }

    /// A hash of `key`'s length and first and last eight bytes: equal keys
    /// have equal ones, so a line whose is new to a table has no earlier
    /// copy. Cheaper than [`LineTable::hash`] of the whole key, but any
    /// number of different keys of one length can share it.
    #[inline]
    pub(super) fn hash_ends(&self, bytes: &[u8]) -> u64 {
        let (first, last) = match (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
            (Some(first), Some(last)) => (u64::from_le_bytes(*first), u64::from_le_bytes(*last)),
            _ => {
                let mut short = [0; 8];
                short[..bytes.len()].copy_from_slice(bytes);
                (u64::from_le_bytes(short), 0)
            }
        };
        self.hash((first, last, bytes.len()))
    }

    /// The line filed under `hash` whose key `same` says is the one looked
    /// up; when there is none, `line` is filed under `hash` and `None`
    /// returned.
    #[inline]
    pub(super) fn get_or_insert(
        &mut self,
        hash: u64,
        line: usize,
        mut same: impl FnMut(usize) -> bool,
    ) -> Option<usize> {
        let slots = &mut self.storage.slots;
        // The table has at least eight slots, so `shift` is below 64.
        let mut at = (hash >> self.shift) as usize;
        loop {
            let (filed_hash, filed) = slots[at];
            if filed == 0 {
                slots[at] = (hash, line + 1);
                self.storage.used.push(at);
                return None;
            }
            if filed_hash == hash && same(filed - 1) {
                return Some(filed - 1);
            }
            at = (at + 1) & self.mask;
        }
    }
}

impl Drop for LineTable {
    /// Clear the slots filled and keep them for the thread's next table,
    /// unless there are too many to keep.
    fn drop(&mut self) {
        let mut storage = std::mem::take(&mut self.storage);
        if storage.slots.len() > SPARE_SLOTS {
            return;
        }
        for &at in &storage.used {
            storage.slots[at] = (0, 0);
        }
        storage.used.clear();
        SPARE.set(Some(storage));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_line_of_each_key_even_when_hashes_collide() {
        let keys = ["a", "b", "a", "c", "b", "a"];
        let mut table = LineTable::for_lines(keys.len());
        let firsts: Vec<Option<usize>> = keys
            .iter()
            .enumerate()
            .map(|(i, key)| {
                // Every key under one hash: the comparison alone tells.
                table.get_or_insert(7, i, |j| keys[j] == *key)
            })
            .collect();
        assert_eq!(firsts, [None, None, Some(0), None, Some(1), Some(0)]);
        let mut table = LineTable::for_lines(keys.len());
        for (i, key) in keys.iter().enumerate() {
            let hash = table.hash(key);
            table.get_or_insert(hash, i, |j| keys[j] == *key);
        }
        let hash = table.hash("a");
        let first = table.get_or_insert(hash, 9, |j| keys[j] == "a");
        assert_eq!(first, Some(0));
    }

    #[test]
    fn equal_keys_have_equal_end_hashes() {
        let table = LineTable::for_lines(4);
        for key in ["", "a", "abcdefg", "abcdefgh", "the harbour board met"] {
            let copy: String = key.chars().collect();
            assert_eq!(
                table.hash_ends(key.as_bytes()),
                table.hash_ends(copy.as_bytes())
            );
        }
        assert_ne!(table.hash_ends(b"ab"), table.hash_ends(b"ab\0"));
    }
}
