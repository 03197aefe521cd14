//! Rendering a [`Cleaned`] page: plain text, JSON, or an explanation of
//! every line.

use std::fmt::Write as _;

use serde::Serialize;

use crate::{Cleaned, Dropped, Reason};

/// The cleaned text: title (unless body-only), blank line, kept lines.
/// A blank line separates kept lines where the input had a paragraph break
/// or where dropped lines stood between them.
pub fn text(cleaned: &Cleaned) -> String {
    let mut out = String::new();
    if !cleaned.body_only {
        if let Some(title) = &cleaned.title {
            out.push_str(title);
            out.push('\n');
        }
    }
    let mut gap = !out.is_empty();
    let mut first = true;
    for (line, decision) in cleaned.lines.iter().zip(&cleaned.decisions) {
        if !decision.is_keep() || decision.reason == Reason::Title {
            gap = true;
            continue;
        }
        if (!first || !out.is_empty()) && (gap || line.break_before) {
            out.push('\n');
        }
        out.push_str(&line.text);
        out.push('\n');
        first = false;
        gap = false;
    }
    out
}

/// Every line with its verdict and reason, one per row:
/// `  12 DROP suaramalaysia.com/ad-banner        | ADVERTISEMENT…`.
pub fn explain(cleaned: &Cleaned) -> String {
    let width = cleaned
        .decisions
        .iter()
        .map(|d| d.reason.to_string().chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (line, decision) in cleaned.lines.iter().zip(&cleaned.decisions) {
        let verdict = if decision.is_keep() { "KEEP" } else { "DROP" };
        let reason = decision.reason.to_string();
        let _ = writeln!(
            out,
            "{:>5} {} {:<width$} | {}",
            line.number, verdict, reason, line.text
        );
    }
    out
}

#[derive(Serialize)]
struct JsonOut<'a> {
    title: Option<&'a str>,
    text: String,
    site: Option<&'a str>,
    rules_used: &'a [String],
    dropped: Vec<Dropped<'a>>,
}

/// The JSON document `{title, text, site, rules_used, dropped}`.
pub fn json(cleaned: &Cleaned) -> String {
    let out = JsonOut {
        title: cleaned.title.as_deref(),
        text: text(cleaned),
        site: cleaned.site.as_deref(),
        rules_used: &cleaned.rules_used,
        dropped: cleaned.dropped().collect(),
    };
    // Serializing plain strings and numbers cannot fail.
    serde_json::to_string(&out).unwrap_or_default()
}
