//! Page metadata from a parsed HTML document: title, canonical URL, language.
//!
//! Owns the choice between `og:title`, the first `<h1>` and `<title>`, the
//! stripping of a confirmed " - Site Name" suffix, and the canonical-link /
//! `og:url` lookup. It scans the node arena once, without a tree walk, and
//! does not produce lines.

use ego_tree::NodeRef;
use scraper::{Html, Node};

use super::{hidden_by_attrs, hints, normalize_space, skipped_tag};
use crate::page::BoilerHints as H;

/// What the reader learned about a page besides its lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    pub title: Option<String>,
    pub url: Option<String>,
    pub lang: Option<String>,
}

pub fn extract(html: &Html) -> Meta {
    let mut og_title = None;
    let mut og_url = None;
    let mut canonical = None;
    let mut title_tag = None;
    let mut lang = None;
    let mut content_language = None;
    let mut first_h1: Option<String> = None;
    let mut good_h1: Option<String> = None;

    for node in html.tree.nodes() {
        let Node::Element(el) = node.value() else {
            continue;
        };
        let svg_or_math = &*el.name.ns != "http://www.w3.org/1999/xhtml";
        match el.name() {
            "html" if lang.is_none() => {
                lang = el
                    .attr("lang")
                    .or_else(|| el.attr("xml:lang"))
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string);
            }
            "meta" => {
                let key = el
                    .attr("property")
                    .or_else(|| el.attr("name"))
                    .unwrap_or("");
                let content = el
                    .attr("content")
                    .map(normalize_space)
                    .filter(|c| !c.is_empty());
                if key.eq_ignore_ascii_case("og:title") {
                    og_title = og_title.or(content);
                } else if key.eq_ignore_ascii_case("og:url") {
                    og_url = og_url.or(content.filter(|u| is_absolute(u)));
                } else if el
                    .attr("http-equiv")
                    .is_some_and(|h| h.eq_ignore_ascii_case("content-language"))
                {
                    content_language = content_language.or(content);
                }
            }
            "link" if canonical.is_none() => {
                let is_canonical = el.attr("rel").is_some_and(|rel| {
                    rel.split_ascii_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("canonical"))
                });
                if is_canonical {
                    canonical = el
                        .attr("href")
                        .map(str::trim)
                        .filter(|u| is_absolute(u))
                        .map(str::to_string);
                }
            }
            "title" if title_tag.is_none() && !svg_or_math => {
                let text = normalize_space(&text_of(node));
                title_tag = (!text.is_empty()).then_some(text);
            }
            "h1" if good_h1.is_none() && !svg_or_math => match h1_place(node) {
                H1Place::Hidden => {}
                place => {
                    let text = normalize_space(&text_of(node));
                    if !text.is_empty() {
                        if place == H1Place::Article {
                            good_h1 = Some(text);
                        } else if first_h1.is_none() {
                            first_h1 = Some(text);
                        }
                    }
                }
            },
            _ => {}
        }
    }
    let h1 = good_h1.or(first_h1);
    Meta {
        title: choose_title(og_title, h1, title_tag),
        url: canonical.or(og_url),
        lang: lang.or_else(|| {
            content_language.map(|c| c.split(',').next().unwrap_or("").trim().to_string())
        }),
    }
}

/// `og:title`, else the first `<h1>`, else `<title>`; a " - Site" suffix (or
/// "Site | " prefix) is cut when another source confirms the remaining part.
fn choose_title(og: Option<String>, h1: Option<String>, title: Option<String>) -> Option<String> {
    let chosen = og.as_ref().or(h1.as_ref()).or(title.as_ref())?;
    let confirms = |part: &str| {
        [&og, &h1]
            .into_iter()
            .flatten()
            .any(|c| !std::ptr::eq(c, chosen) && same_text(c, part))
    };
    for sep in [
        " | ", " - ", " – ", " — ", " :: ", " · ", " » ", " « ", " / ", ": ",
    ] {
        if let Some((head, _)) = chosen.rsplit_once(sep) {
            if confirms(head) {
                return Some(head.trim().to_string());
            }
        }
        if let Some((_, tail)) = chosen.split_once(sep) {
            if confirms(tail) {
                return Some(tail.trim().to_string());
            }
        }
    }
    Some(chosen.clone())
}

fn same_text(a: &str, b: &str) -> bool {
    let mut a = a.split_whitespace();
    let mut b = b.split_whitespace();
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x.to_lowercase() == y.to_lowercase() => {}
            _ => return false,
        }
    }
}

fn is_absolute(url: &str) -> bool {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || url.starts_with("//")
}

#[derive(Debug, PartialEq, Eq)]
enum H1Place {
    /// Inside something that never reaches the output.
    Hidden,
    /// In the site's furniture: a site header, nav, sidebar or footer.
    Furniture,
    /// Anywhere else.
    Article,
}

fn h1_place(node: NodeRef<'_, Node>) -> H1Place {
    let mut hints_up = 0u32;
    let mut in_header = false;
    let mut content = false;
    for anc in node.ancestors() {
        let Node::Element(el) = anc.value() else {
            continue;
        };
        let name = el.name();
        if skipped_tag(name) || hidden_by_attrs(el) {
            return H1Place::Hidden;
        }
        if matches!(name, "html" | "body") {
            continue;
        }
        in_header |= name == "header";
        content |= matches!(name, "article" | "main");
        hints_up |= hints::tag_hints(name, true);
        for (attr, value) in el.attrs() {
            if matches!(attr, "class" | "id") {
                hints_up |= hints::attr_hints(value);
            }
        }
    }
    content |= hints_up & H::CONTENT != 0;
    let furniture = hints_up & (H::NAV | H::SIDEBAR | H::FOOTER | H::COMMENT | H::RELATED) != 0
        || (in_header || hints_up & H::HEADER != 0) && !content;
    if furniture {
        H1Place::Furniture
    } else {
        H1Place::Article
    }
}

/// All text below `node`, skipping scripts and styles.
fn text_of(node: NodeRef<'_, Node>) -> String {
    let mut out = String::new();
    for d in node.descendants() {
        if let Node::Text(t) = d.value() {
            let skipped = d.ancestors().take_while(|a| a.id() != node.id()).any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| skipped_tag(e.name()) || hidden_by_attrs(e))
            });
            if !skipped {
                out.push_str(&t.text);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }

    #[test]
    fn suffix_cut_only_when_confirmed() {
        assert_eq!(
            choose_title(
                None,
                s("Rain floods the old town"),
                s("Rain floods the old town - Daily Post")
            ),
            s("Rain floods the old town")
        );
        assert_eq!(
            choose_title(
                s("Rain floods the old town | Daily Post"),
                s("Rain floods the old town"),
                None
            ),
            s("Rain floods the old town")
        );
        assert_eq!(
            choose_title(
                s("Daily Post: Rain floods the old town"),
                s("rain floods the old town"),
                None
            ),
            s("Rain floods the old town")
        );
        assert_eq!(
            choose_title(None, None, s("Q&A - part two")),
            s("Q&A - part two")
        );
    }
}
