//! The text-dump reader: every non-blank input line becomes one [`Line`].
//!
//! Blank lines become paragraph breaks (`break_before` on the next line).
//! Leading and trailing whitespace is trimmed; nothing else is changed, so
//! every kept line can be traced to the input byte for byte.

use super::{InputKind, Line, Page};

/// Read a plain-text dump.
pub fn read(text: &str) -> Page {
    // Lines are large (an HTML line's DOM features ride along): room for
    // all of them at once rather than copies as the vector grows. Counting
    // the line breaks first costs a fraction of growing it.
    let breaks = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    let mut lines = Vec::with_capacity(breaks + 1);
    let mut pending_break = false;
    // Each line up to its `\n` (a `\r` before it is trimmed with the rest
    // of the whitespace), and what follows the last one.
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    let mut start = 0;
    for (i, end) in ends.enumerate() {
        let trimmed = trim(&text[start..end]);
        start = end + 1;
        if trimmed.is_empty() {
            pending_break = true;
            continue;
        }
        lines.push(Line {
            number: i + 1,
            text: trimmed.to_string(),
            break_before: pending_break && !lines.is_empty(),
            block: None,
        });
        pending_break = false;
    }
    Page {
        lines,
        title: None,
        url: None,
        lang: None,
        kind: Some(InputKind::Text),
    }
}

/// `raw` without leading and trailing whitespace and byte-order marks.
fn trim(raw: &str) -> &str {
    let trimmed = raw.trim_ascii();
    // Most lines start and end in ASCII, where `trim_ascii` has said all
    // but for the vertical tab, whitespace to `char::is_whitespace` alone.
    let settled = |b: Option<&u8>| b.is_none_or(|&b| b.is_ascii() && b != b'\x0b');
    let ascii_ends = |s: &str| settled(s.as_bytes().first()) && settled(s.as_bytes().last());
    if ascii_ends(trimmed) {
        trimmed
    } else {
        trimmed.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_become_breaks() {
        let page = read("Title\n\n  First para.\nSame para.\n\n\nNext.\n");
        let texts: Vec<_> = page.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["Title", "First para.", "Same para.", "Next."]);
        let breaks: Vec<_> = page.lines.iter().map(|l| l.break_before).collect();
        assert_eq!(breaks, [false, true, false, true]);
        let numbers: Vec<_> = page.lines.iter().map(|l| l.number).collect();
        assert_eq!(numbers, [1, 3, 4, 7]);

        let crlf = read("Title\r\n\r\nBody\r\nEnd");
        let lines: Vec<_> = crlf
            .lines
            .iter()
            .map(|l| (l.number, l.text.as_str(), l.break_before))
            .collect();
        assert_eq!(
            lines,
            [(1, "Title", false), (3, "Body", true), (4, "End", false)]
        );
    }

    #[test]
    fn trims_unicode_space_and_byte_order_marks() {
        for (raw, want) in [
            ("\u{feff}Title\u{a0} ", "Title"),
            (" \u{2003}Über\t", "Über"),
            ("\u{3000}", ""),
            (" x\u{85}", "x"),
            ("“a” ", "“a”"),
            ("\x0b a \x0b", "a"),
        ] {
            assert_eq!(trim(raw), want, "{raw:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn trim_is_the_char_definition(raw in "[ \t\x0b\x0c\r\u{85}\u{a0}\u{feff}\u{2003}ab“]{0,8}") {
            proptest::prop_assert_eq!(
                trim(&raw),
                raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
            );
        }
    }
}
