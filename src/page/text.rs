//! The text-dump reader: every non-blank input line becomes one [`Line`].
//!
//! Blank lines become paragraph breaks (`break_before` on the next line).
//! Leading and trailing whitespace is trimmed; nothing else is changed, so
//! every kept line can be traced to the input byte for byte.

use super::{InputKind, Line, Page};

/// Read a plain-text dump.
pub fn read(text: &str) -> Page {
    let mut lines = Vec::new();
    let mut pending_break = false;
    for (i, raw) in text.lines().enumerate() {
        let trimmed = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
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
    }
}
