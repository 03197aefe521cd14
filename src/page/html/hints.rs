//! Boilerplate hints from `class`/`id` tokens, semantic tags and ARIA roles.
//!
//! Owns the vocabulary that maps a class name such as `ad-slot`,
//! `relatedPosts` or `entry-footer` to [`BoilerHints`](crate::page::BoilerHints) bits. A class name is
//! split into word tokens (on `-`, `_`, other punctuation and lower→upper
//! camel-case steps) and each token is matched whole, so `header`,
//! `shadow` and `load` never read as `ad`, and `commentary` never reads as
//! `comment`. It does not walk the DOM.

use crate::page::BoilerHints as H;

/// Hints of one `class` or `id` attribute value (several names, separated
/// by whitespace).
pub fn attr_hints(value: &str) -> u32 {
    value
        .split_ascii_whitespace()
        .map(name_hints)
        .fold(0, |a, b| a | b)
}

/// Hints of a semantic element name (`nav`, `aside`, `footer`, …).
/// `inside_content` says whether an ancestor already carries the CONTENT
/// hint: an `<article>`'s `<header>` is the article's own header.
pub fn tag_hints(tag: &str, inside_content: bool) -> u32 {
    match tag {
        "nav" => H::NAV,
        "aside" => H::SIDEBAR,
        "footer" => H::FOOTER,
        "header" if !inside_content => H::HEADER,
        "article" | "main" => H::CONTENT,
        "figcaption" | "caption" => H::CAPTION,
        _ => 0,
    }
}

/// Hints of an ARIA `role` value.
pub fn role_hints(role: &str, inside_content: bool) -> u32 {
    role.split_ascii_whitespace()
        .map(|r| match r.to_ascii_lowercase().as_str() {
            "navigation" | "menu" | "menubar" => H::NAV,
            "complementary" => H::SIDEBAR,
            "contentinfo" => H::FOOTER,
            "banner" if !inside_content => H::HEADER,
            "main" | "article" => H::CONTENT,
            _ => 0,
        })
        .fold(0, |a, b| a | b)
}

/// Hints of an `itemprop` value (schema.org microdata).
pub fn itemprop_hints(value: &str) -> u32 {
    value
        .split_ascii_whitespace()
        .map(|p| match p {
            "articleBody" | "articlebody" | "text" => H::CONTENT,
            "author" => H::BYLINE,
            "comment" => H::COMMENT,
            "breadcrumb" => H::BREADCRUMB,
            _ => 0,
        })
        .fold(0, |a, b| a | b)
}

/// Longest token we look at; longer ones are never hint words.
const MAX_TOKEN: usize = 24;
/// Most tokens per class name we look at.
const MAX_TOKENS: usize = 8;

/// Hints of one class name or id.
pub fn name_hints(name: &str) -> u32 {
    // Tokens are cut from the name as written (camel case marks a
    // boundary) and read in lower case: from a lower-cased copy when the
    // name has capitals, which keeps every byte where it was.
    let lowered;
    let lower: &str = if name.bytes().any(|b| b.is_ascii_uppercase()) {
        lowered = name.to_ascii_lowercase();
        &lowered
    } else {
        name
    };
    let mut toks = [""; MAX_TOKENS];
    let mut count = 0;
    for token in tokens(name) {
        if count == MAX_TOKENS {
            break;
        }
        if token.len() > MAX_TOKEN || !token.is_ascii() {
            continue;
        }
        let at = token.as_ptr() as usize - name.as_ptr() as usize;
        toks[count] = lower.get(at..at + token.len()).unwrap_or("");
        count += 1;
    }
    classify_tokens(&toks[..count])
}

fn classify_tokens(toks: &[&str]) -> u32 {
    let Some((&first, &last)) = toks.first().zip(toks.last()) else {
        return 0;
    };
    // State and layout modifiers (`has-sidebar`, `no-comments`,
    // `comments-open`, `menu-active`) describe a page, not a region.
    if toks.len() > 1
        && (matches!(
            first,
            "has" | "no" | "with" | "without" | "is" | "show" | "hide" | "enable" | "disable"
        ) || matches!(
            last,
            "open"
                | "closed"
                | "enabled"
                | "disabled"
                | "active"
                | "visible"
                | "hidden"
                | "on"
                | "off"
        ))
    {
        return 0;
    }
    let single = toks.len() == 1;
    // The word groups below, of any token: one match per token.
    let groups = toks.iter().fold(0, |g, t| g | word_groups(t));
    let has = |group: u16| groups & group != 0;
    let qualified = has(G::QUALIFIER);

    let mut bits = 0;
    for t in toks {
        bits |= token_hints(t);
    }
    // Tag and category boxes, but not WordPress taxonomy markers such as
    // `tag-elections` or `category-news` on the article itself.
    let container = has(G::CONTAINER);
    if has(G::TAG_LIST) || (single || container) && has(G::TAXONOMY) {
        bits |= H::TAGS;
    }
    if qualified && has(G::META) {
        bits |= H::BYLINE;
    }
    if single && matches!(first, "secondary") {
        bits |= H::SIDEBAR;
    }
    // The header of an article (`entry-header`) is part of it.
    if qualified {
        bits &= !H::HEADER;
    }
    // Content words, unless the name already says what kind of region it is
    // (`sidebar-content`, `comment-body`, `entry-footer`).
    if bits == 0
        && (has(G::CONTENT)
            || single && matches!(first, "main" | "primary")
            || has(G::POST) && has(G::BODY))
    {
        bits |= H::CONTENT;
    }
    bits
}

/// Word groups that [`classify_tokens`] asks about, as bits.
struct G;

impl G {
    /// Names the article: `entry`, `post`, `story`, …
    const QUALIFIER: u16 = 1;
    /// A box that holds things: `links`, `list`, `wrapper`, …
    const CONTAINER: u16 = 1 << 1;
    /// A list of tags on its own: `tags`, `tagcloud`, …
    const TAG_LIST: u16 = 1 << 2;
    /// A taxonomy word that needs a container: `tag`, `category`, …
    const TAXONOMY: u16 = 1 << 3;
    /// `meta`, `info`.
    const META: u16 = 1 << 4;
    /// Content on its own: `content`, `articlebody`, …
    const CONTENT: u16 = 1 << 5;
    /// A kind of post: `post`, `entry`, `article`, …
    const POST: u16 = 1 << 6;
    /// The body of something: `body`, `text`, `content`, `inner`.
    const BODY: u16 = 1 << 7;
}

/// The [`G`] groups a lower-case token belongs to.
fn word_groups(t: &str) -> u16 {
    let qualifier = if matches!(
        t,
        "entry" | "post" | "article" | "story" | "blog" | "news" | "single" | "content"
    ) {
        G::QUALIFIER
    } else {
        0
    };
    let post = if matches!(t, "post" | "entry" | "article" | "story" | "blog" | "news") {
        G::POST
    } else {
        0
    };
    let body = if matches!(t, "body" | "text" | "content" | "inner") {
        G::BODY
    } else {
        0
    };
    let other = match t {
        "links" | "list" | "cloud" | "box" | "wrap" | "wrapper" | "container" | "widget"
        | "area" | "block" | "section" | "items" | "bar" => G::CONTAINER,
        "meta" => G::CONTAINER | G::META,
        "info" => G::META,
        "tags" | "tagcloud" | "taglist" | "tagged" | "keywords" => G::TAG_LIST,
        "tag" | "cat" | "category" | "categories" | "topics" | "labels" => G::TAXONOMY,
        "content" | "article" | "articlebody" | "entry" | "hentry" | "story" | "storybody"
        | "prose" | "postcontent" | "entrycontent" | "maincontent" | "articlecontent" => G::CONTENT,
        _ => 0,
    };
    qualifier | post | body | other
}

/// Hint bits of one lower-case word token.
fn token_hints(t: &str) -> u32 {
    let exact = match t {
        "respond" | "disqus" | "discussion" | "replies" | "wpdiscuz" | "kommentare"
        | "comentarios" => H::COMMENT,
        "aside" | "rail" | "widget" | "widgets" | "widgetarea" => H::SIDEBAR,
        "foot" | "colophon" | "copyright" => H::FOOTER,
        "sharing" | "sharer" | "addthis" | "addtoany" | "a2a" => H::SHARE,
        "recommended" | "recommendations" | "recirc" | "outbrain" | "taboola" | "yarpp" => {
            H::RELATED
        }
        "ad" | "ads" | "adv" | "advert" | "adverts" | "advertisement" | "advertisements"
        | "advertising" | "advertorial" | "werbung" | "anzeige" | "publicidad" | "dfp"
        | "promo" | "promoted" | "promotion" | "adsense" | "adsbygoogle" => H::AD,
        "signup" | "optin" | "mc4wp" | "mailchimp" | "mailinglist" => H::NEWSLETTER,
        "menu" | "menus" | "menubar" | "menuitem" | "pagination" | "pager" | "toc" | "skiplink" => {
            H::NAV
        }
        "masthead" | "topbar" | "branding" => H::HEADER,
        "author" | "authors" | "writer" | "dateline" | "posted" | "postedon" | "pubdate"
        | "timestamp" | "date" => H::BYLINE,
        "crumbs" | "crumb" => H::BREADCRUMB,
        "credit" | "credits" | "caption" | "captions" => H::CAPTION,
        _ => 0,
    };
    if exact != 0 {
        return exact;
    }
    let starts = |p: &str| t.starts_with(p);
    if starts("comment") && !starts("commentar") && !starts("commentator") {
        H::COMMENT
    } else if starts("sidebar") {
        H::SIDEBAR
    } else if starts("footer") {
        H::FOOTER
    } else if (starts("share") && t != "shared") || starts("social") || starts("sharedaddy") {
        H::SHARE
    } else if starts("related") {
        H::RELATED
    } else if is_ad_compound(t) || starts("advert") || starts("sponsor") {
        H::AD
    } else if starts("newsletter") || starts("subscri") {
        H::NEWSLETTER
    } else if (starts("nav") && !starts("navy")) || starts("menu") {
        H::NAV
    } else if starts("header") {
        H::HEADER
    } else if starts("byline") || (starts("author") && !starts("authoriz")) {
        H::BYLINE
    } else if starts("breadcrumb") {
        H::BREADCRUMB
    } else if starts("caption") {
        H::CAPTION
    } else {
        0
    }
}

/// `adslot`, `adunit`, `adbox`, … : `ad` glued to an ad-furniture word.
fn is_ad_compound(t: &str) -> bool {
    let Some(rest) = t.strip_prefix("ad") else {
        return false;
    };
    matches!(
        rest,
        "slot"
            | "slots"
            | "unit"
            | "units"
            | "box"
            | "wrap"
            | "wrapper"
            | "container"
            | "zone"
            | "space"
            | "holder"
            | "place"
            | "placement"
            | "banner"
            | "frame"
            | "label"
            | "block"
            | "sbygoogle"
            | "sense"
    )
}

/// Word tokens of a class name: split on anything not alphanumeric and on
/// lower→upper case steps (`relatedPosts` → `related`, `Posts`).
fn tokens(name: &str) -> impl Iterator<Item = &str> {
    let bytes = name.as_bytes();
    let mut start = 0;
    let mut i = 0;
    std::iter::from_fn(move || {
        while i <= bytes.len() {
            let at = i;
            i += 1;
            let boundary = at == bytes.len()
                || !(bytes[at].is_ascii_alphanumeric() || bytes[at] >= 0x80)
                || (at > start
                    && bytes[at].is_ascii_uppercase()
                    && bytes[at - 1].is_ascii_lowercase());
            if !boundary {
                continue;
            }
            let token = &name[start..at];
            let camel_step = at < bytes.len() && bytes[at].is_ascii_uppercase();
            start = if camel_step { at } else { at + 1 };
            if camel_step {
                // Re-examine this byte as the start of the next token.
                i = at + 1;
            }
            if !token.is_empty() {
                return Some(token);
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_on_punctuation_and_camel_case() {
        let t: Vec<_> = tokens("relatedPosts ad_slot-2 ADSlot x").collect();
        assert_eq!(t, ["related", "Posts", "ad", "slot", "2", "ADSlot", "x"]);
    }
}
