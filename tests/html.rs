//! The HTML reader: blocks, line breaks, removed content, DOM features,
//! metadata and selector hits.

use deboil::page::html::{hints::name_hints, read, HtmlDocument};
use deboil::page::{BoilerHints as H, Line, Page};

fn texts(page: &Page) -> Vec<&str> {
    page.lines.iter().map(|l| l.text.as_str()).collect()
}

fn body(inner: &str) -> Page {
    read(&format!(
        "<!doctype html><html><head><title>T</title></head><body>{inner}</body></html>"
    ))
}

fn line<'a>(page: &'a Page, text: &str) -> &'a Line {
    page.lines
        .iter()
        .find(|l| l.text == text)
        .unwrap_or_else(|| panic!("no line {text:?} in {:?}", texts(page)))
}

fn hints_of(page: &Page, text: &str) -> H {
    line(page, text)
        .block
        .as_ref()
        .map(|b| b.hints)
        .unwrap_or_default()
}

#[test]
fn blocks_become_lines_and_inline_elements_join() {
    let page = body(
        "<h1>The <em>big</em> story</h1>\
         <p>First <strong>para</strong>graph with <a href='/x'>a link</a>.</p>\
         <div><p>Nested one.</p><p>Nested   two,\n   wrapped.</p></div>",
    );
    assert_eq!(
        texts(&page),
        [
            "The big story",
            "First paragraph with a link.",
            "Nested one.",
            "Nested two, wrapped."
        ]
    );
    let breaks: Vec<bool> = page.lines.iter().map(|l| l.break_before).collect();
    assert_eq!(breaks, [false, true, true, true]);
    let numbers: Vec<usize> = page.lines.iter().map(|l| l.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4]);
    let h1 = line(&page, "The big story")
        .block
        .clone()
        .unwrap_or_default();
    assert_eq!((h1.tag.as_str(), h1.heading), ("h1", Some(1)));
    let p = line(&page, "Nested one.").block.clone().unwrap_or_default();
    assert_eq!((p.tag.as_str(), p.heading), ("p", None));
    assert!(
        p.depth > h1.depth,
        "nested p deeper than h1: {} vs {}",
        p.depth,
        h1.depth
    );
}

#[test]
fn text_mixed_with_child_blocks_gets_its_own_lines() {
    let page = body("<div>Intro text <b>here</b><p>A paragraph.</p>Tail text.</div>");
    assert_eq!(
        texts(&page),
        ["Intro text here", "A paragraph.", "Tail text."]
    );
    assert_eq!(
        line(&page, "Tail text.")
            .block
            .as_ref()
            .map(|b| b.tag.as_str()),
        Some("div")
    );
}

#[test]
fn br_splits_lines_without_a_paragraph_break() {
    let page = body("<p>Line one<br>Line two<br/>  Line three</p><p>Next<br><br>After a gap</p>");
    assert_eq!(
        texts(&page),
        ["Line one", "Line two", "Line three", "Next", "After a gap"]
    );
    let breaks: Vec<bool> = page.lines.iter().map(|l| l.break_before).collect();
    assert_eq!(breaks, [false, false, false, true, true]);
}

#[test]
fn pre_keeps_its_lines() {
    let page = body("<p>Code:</p><pre>fn main() {\n    let x  = 1;\n\n}\n</pre>");
    assert_eq!(texts(&page), ["Code:", "fn main() {", "let x  = 1;", "}"]);
    let breaks: Vec<bool> = page.lines.iter().map(|l| l.break_before).collect();
    assert_eq!(breaks, [false, true, false, true]);
}

#[test]
fn scripts_styles_controls_and_hidden_elements_are_removed() {
    let page = body(
        "<script>var secret = 'script text';</script>\
         <style>p { color: red }</style>\
         <noscript>Enable JavaScript</noscript>\
         <template><p>template text</p></template>\
         <svg><text>svg text</text><title>svg title</title></svg>\
         <iframe>frame text</iframe>\
         <form><label>Email</label><input value='typed'><select><option>Option text</option></select>\
         <button>Send now</button><textarea>area text</textarea></form>\
         <div hidden>hidden attr</div>\
         <div aria-hidden=\"true\">aria hidden</div>\
         <div style=\"color: red; display : NONE !important\">display none</div>\
         <span style='visibility:hidden'>invisible</span>\
         <p aria-hidden=\"false\">Visible paragraph.</p>",
    );
    assert_eq!(texts(&page), ["Email", "Visible paragraph."]);
}

#[test]
fn entities_are_decoded_and_whitespace_normalized() {
    let page = body("<p>  Fish &amp; chips&nbsp;&mdash; &#8220;tasty&#x201D; &lt;b&gt; caf&eacute;\u{ad}s  </p>");
    assert_eq!(texts(&page), ["Fish & chips — “tasty” <b> cafés"]);
}

#[test]
fn link_density_counts_link_characters() {
    let page = body(
        "<p><a href='/a'>Home</a> <a href='/b'>News</a></p>\
         <p>Read the <a href='/c'>report</a> in full today</p>\
         <p><a name='anchor'>Not a link</a></p>",
    );
    let density = |t: &str| {
        line(&page, t)
            .block
            .as_ref()
            .map_or(-1.0, |b| b.link_density)
    };
    assert_eq!(density("Home News"), 1.0);
    let mixed = density("Read the report in full today");
    assert!((mixed - 6.0 / 24.0).abs() < 1e-6, "{mixed}");
    assert_eq!(density("Not a link"), 0.0);
}

#[test]
fn list_and_table_membership() {
    let page = body(
        "<ul><li>Item one</li><li><p>Item para</p></li></ul>\
         <table><tr><td>Cell</td></tr></table><p>Outside</p>",
    );
    let flags = |t: &str| {
        line(&page, t)
            .block
            .as_ref()
            .map(|b| (b.in_list, b.in_table))
    };
    assert_eq!(flags("Item one"), Some((true, false)));
    assert_eq!(flags("Item para"), Some((true, false)));
    assert_eq!(flags("Cell"), Some((false, true)));
    assert_eq!(flags("Outside"), Some((false, false)));
    assert_eq!(
        line(&page, "Cell").block.as_ref().map(|b| b.tag.as_str()),
        Some("td")
    );
}

#[test]
fn hint_tokens_match_whole_words() {
    let cases: &[(&str, u32)] = &[
        ("ad", H::AD),
        ("ads", H::AD),
        ("ad-slot", H::AD),
        ("adSlot", H::AD),
        ("advert", H::AD),
        ("advertisement", H::AD),
        ("adsbygoogle", H::AD),
        ("sponsored-links", H::AD),
        ("comments", H::COMMENT),
        ("comment-list", H::COMMENT),
        ("commentlist", H::COMMENT),
        ("disqus_thread", H::COMMENT),
        ("sidebar", H::SIDEBAR),
        ("site-footer", H::FOOTER),
        ("share-buttons", H::SHARE),
        ("social-icons", H::SHARE),
        ("relatedPosts", H::RELATED),
        ("jp-relatedposts", H::RELATED),
        ("newsletter-signup", H::NEWSLETTER),
        ("main-navigation", H::NAV),
        ("masthead", H::HEADER),
        ("byline", H::BYLINE),
        ("entry-meta", H::BYLINE),
        ("tags-links", H::TAGS),
        ("post-tags", H::TAGS),
        ("breadcrumbs", H::BREADCRUMB),
        ("wp-caption-text", H::CAPTION),
        ("entry-content", H::CONTENT),
        ("article-body", H::CONTENT),
    ];
    for &(name, bit) in cases {
        assert_eq!(name_hints(name), bit, "{name}");
    }
}

#[test]
fn hint_false_friends_do_not_match() {
    for name in [
        "header-shadow",
        "shadow",
        "load-more",
        "download",
        "address",
        "admin-bar",
        "headline",
        "commentary-body",
        "commentator",
        "shared",
        "navy",
        "tag-elections",
        "category-news",
        "has-sidebar",
        "no-comments",
        "comments-open",
        "post-123",
    ] {
        let bits = name_hints(name) & !H::CONTENT;
        let ad_or_comment = bits & (H::AD | H::COMMENT | H::SIDEBAR | H::TAGS | H::NAV);
        assert_eq!(ad_or_comment, 0, "{name} gave {bits:#x}");
    }
    assert_eq!(name_hints("header"), H::HEADER);
    // An article's own header is content, not the site header.
    assert_eq!(name_hints("entry-header") & H::HEADER, 0);
    // A boilerplate word wins over a content word in the same name.
    assert_eq!(name_hints("sidebar-content"), H::SIDEBAR);
}

#[test]
fn hints_come_from_the_block_its_ancestors_and_wrapping_inline_elements() {
    let page = body(
        "<div id='comments'><div class='comment-body'><p>Nice piece!</p></div></div>\
         <article><p>Article text <span class='ad'>inline ad</span> continues.</p>\
         <p><span class='byline'>By Jane Roe</span></p></article>\
         <nav><p>Menu line</p></nav>\
         <body class='has-sidebar'><p>Plain</p></body>",
    );
    assert!(hints_of(&page, "Nice piece!").has(H::COMMENT));
    let article = hints_of(&page, "Article text inline ad continues.");
    assert!(
        article.has(H::CONTENT) && !article.has(H::AD),
        "{article:?}"
    );
    assert!(hints_of(&page, "By Jane Roe").has(H::BYLINE));
    assert!(hints_of(&page, "Menu line").has(H::NAV));
    assert_eq!(hints_of(&page, "Plain"), H::default());
}

#[test]
fn title_prefers_og_title_then_h1_then_title_tag() {
    let og = read(
        "<html><head><title>Storm hits coast - The Daily Gull</title>\
         <meta property='og:title' content='Storm hits coast | The Daily Gull'></head>\
         <body><h1>Storm hits coast</h1></body></html>",
    );
    assert_eq!(og.title.as_deref(), Some("Storm hits coast"));

    let h1 = read(
        "<html><head><title>Storm hits coast - The Daily Gull</title></head>\
         <body><header><h1 class='logo'>The Daily Gull</h1></header>\
         <article><h1>Storm  hits\ncoast</h1></article></body></html>",
    );
    assert_eq!(h1.title.as_deref(), Some("Storm hits coast"));

    let title_only = read("<html><head><title>Storm hits coast - The Daily Gull</title></head><body><p>x</p></body></html>");
    assert_eq!(
        title_only.title.as_deref(),
        Some("Storm hits coast - The Daily Gull")
    );

    let none = read("<html><body><svg><title>icon</title></svg><p>x</p></body></html>");
    assert_eq!(none.title, None);
}

#[test]
fn url_from_canonical_then_og_url() {
    let both = read(
        "<html><head><link rel='alternate canonical' href=' https://example.org/a/1 '>\
         <meta property='og:url' content='https://example.org/og'></head><body></body></html>",
    );
    assert_eq!(both.url.as_deref(), Some("https://example.org/a/1"));
    let og = read(
        "<html><head><link rel='canonical' href='/relative'>\
         <meta property='og:url' content='https://example.org/og'></head><body></body></html>",
    );
    assert_eq!(og.url.as_deref(), Some("https://example.org/og"));
    assert_eq!(read("<html><body><p>x</p></body></html>").url, None);
}

#[test]
fn lang_from_the_html_element() {
    assert_eq!(
        read("<html lang=' pt-BR '><body><p>Olá</p></body></html>")
            .lang
            .as_deref(),
        Some("pt-BR")
    );
    assert_eq!(
        read("<html><head><meta http-equiv='Content-Language' content='de, en'></head><body></body></html>")
            .lang
            .as_deref(),
        Some("de")
    );
    assert_eq!(read("<html><body><p>x</p></body></html>").lang, None);
}

#[test]
fn selector_hits_mark_lines_inside_matched_elements() {
    let doc = HtmlDocument::parse(
        "<html><body><div class='promo'><p>Buy now</p><p>Cheap</p></div>\
         <p>Article <span class='ad'>span ad</span></p><p><span class='ad'>whole line ad</span></p></body></html>",
    );
    let selectors = [
        scraper::Selector::parse("div.promo").unwrap(),
        scraper::Selector::parse(".ad").unwrap(),
        scraper::Selector::parse("body").unwrap(),
    ];
    let lines = doc.lines(&selectors.iter().collect::<Vec<_>>());
    let hits: Vec<(&str, Vec<u32>)> = lines
        .iter()
        .map(|l| {
            (
                l.text.as_str(),
                l.block
                    .as_ref()
                    .map(|b| b.selector_hits.clone())
                    .unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        hits,
        [
            ("Buy now", vec![0, 2]),
            ("Cheap", vec![0, 2]),
            ("Article span ad", vec![2]),
            ("whole line ad", vec![1, 2]),
        ]
    );
    // The no-selector reader gives the same lines without hits.
    let plain = doc.lines(&[]);
    assert!(plain
        .iter()
        .all(|l| l.block.as_ref().is_some_and(|b| b.selector_hits.is_empty())));
    assert_eq!(plain.len(), lines.len());
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let depth = 100_000;
    let mut html = String::from("<html><body>");
    for _ in 0..depth {
        html.push_str("<span>");
    }
    html.push_str("deep text");
    for _ in 0..depth {
        html.push_str("</span>");
    }
    html.push_str("<p>after</p></body></html>");
    let page = read(&html);
    assert_eq!(texts(&page), ["deep text", "after"]);
}

#[test]
fn deep_block_nesting_keeps_depth_bounded() {
    let depth = 3_000;
    let html = format!(
        "<html><body>{}<p>inner</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let page = read(&html);
    assert_eq!(texts(&page), ["inner"]);
    // Nesting beyond the browsers' cap is flattened before parsing.
    let d = page.lines[0].block.as_ref().map_or(0, |b| b.depth) as usize;
    let cap = deboil::page::html::prepass::MAX_DEPTH;
    assert!((cap..=cap + 3).contains(&d), "{d}");
}
