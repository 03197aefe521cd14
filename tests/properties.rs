//! Properties of cleaning that hold for any page, whatever the rules and the
//! classifier decide: output lines come from the input in order, nothing
//! panics on arbitrary bytes, and `--explain` accounts for every line.

use std::sync::OnceLock;

use deboil::{render, Cleaner, InputKind, Options};
use proptest::prelude::*;

/// One cleaner for all cases: compiling the rule files is the slow part.
fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| match Cleaner::builtin() {
        Ok(cleaner) => cleaner,
        Err(err) => panic!("the built-in rule files are broken: {err}"),
    })
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,9}",
        "[A-Z][a-z]{0,8}",
        prop::sample::select(vec![
            "café",
            "Straße",
            "naïve",
            "東京",
            "Ελλάδα",
            "Москва",
            "ﬁne",
            "👍",
            "“quoted”",
            "—",
            "£4",
            "2024",
            "READ",
            "MORE:",
            "ADVERTISEMENT",
            "Tags:",
            "Share",
            "COMMENTS",
            "Home",
            ">",
        ])
        .prop_map(str::to_string),
    ]
}

fn words(min: usize, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(word(), min..=max).prop_map(|w| w.join(" "))
}

/// One raw input line: a long sentence, a short line, a blank line, or
/// one of those padded with whitespace or ending in `\r`.
fn line() -> impl Strategy<Value = String> {
    let content = prop_oneof![
        3 => words(8, 40).prop_map(|s| s + "."),
        3 => words(1, 4),
        2 => Just(String::new()),
        1 => "[ \t]{1,4}",
    ];
    (content, "[ \t]{0,3}", "[ \t]{0,3}", any::<bool>()).prop_map(|(c, lead, trail, cr)| {
        let mut line = format!("{lead}{c}{trail}");
        if cr {
            line.push('\r');
        }
        line
    })
}

fn text_page() -> impl Strategy<Value = String> {
    prop::collection::vec(line(), 0..40).prop_map(|lines| lines.join("\n"))
}

/// The non-blank input lines, trimmed, with their 1-based line numbers.
fn input_lines(page: &str) -> Vec<(usize, &str)> {
    page.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect()
}

fn text_options(body_only: bool) -> Options {
    Options {
        input: InputKind::Text,
        body_only,
        ..Options::default()
    }
}

/// Markup-ish fragments, so arbitrary input also reaches the HTML reader.
fn html_soup() -> impl Strategy<Value = Vec<u8>> {
    let fragment = prop_oneof![
        prop::sample::select(vec![
            "<html>",
            "<head>",
            "<title>",
            "</title>",
            "<body>",
            "<div class=\"ad\">",
            "</div>",
            "<p>",
            "</p>",
            "<a href=\"/x\">",
            "</a>",
            "<script>",
            "</script>",
            "<ul><li>",
            "&amp;",
            "&#x0;",
            "<!--",
            "-->",
            "<meta charset=\"shift_jis\">",
            "<br>",
            "<h1>",
            "<table><tr><td>",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        words(1, 12).prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..8),
    ];
    prop::collection::vec(fragment, 0..60).prop_map(|f| f.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn cleaned_lines_are_input_lines_in_order(page in text_page()) {
        let cleaner = cleaner();
        let body = cleaner.clean_str(&page, &text_options(true)).text();
        let input: Vec<&str> = input_lines(&page).into_iter().map(|(_, l)| l).collect();
        let mut from = 0;
        for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let at = input[from..].iter().position(|l| *l == line);
            prop_assert!(at.is_some(), "{:?} is not an input line after line {}", line, from);
            from += at.unwrap_or(0) + 1;
        }
        // With the title, the text is the title line then the same body.
        let cleaned = cleaner.clean_str(&page, &text_options(false));
        let full = cleaned.text();
        match &cleaned.title {
            Some(title) => {
                prop_assert!(input.contains(&title.as_str()), "title {:?} is not an input line", title);
                let rest = full.strip_prefix(&format!("{title}\n"));
                prop_assert!(rest.is_some(), "text does not start with the title");
                prop_assert_eq!(rest.unwrap_or_default().trim_start_matches('\n'), body.as_str());
            }
            None => prop_assert_eq!(full, body),
        }
    }

    #[test]
    fn explain_lists_every_input_line_once(page in text_page()) {
        let cleaned = cleaner().clean_str(&page, &text_options(false));
        let explain = render::explain(&cleaned);
        let mut rows = Vec::new();
        for row in explain.lines() {
            let (head, text) = row.split_once(" | ").unwrap_or((row, ""));
            let mut fields = head.split_whitespace();
            let number: Option<usize> = fields.next().and_then(|n| n.parse().ok());
            let verdict = fields.next();
            prop_assert!(number.is_some(), "no line number in {:?}", row);
            prop_assert!(matches!(verdict, Some("KEEP" | "DROP")), "no verdict in {:?}", row);
            prop_assert!(fields.next().is_some(), "no reason in {:?}", row);
            rows.push((number.unwrap_or(0), text));
        }
        prop_assert_eq!(rows, input_lines(&page));
        prop_assert_eq!(cleaned.decisions.len(), cleaned.lines.len());
    }

    #[test]
    fn cleaning_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..3000)) {
        let cleaner = cleaner();
        for input in [InputKind::Auto, InputKind::Text, InputKind::Html] {
            let options = Options { input, ..Options::default() };
            if let Ok(cleaned) = cleaner.clean_bytes(&bytes, &options) {
                let _ = (cleaned.text(), render::explain(&cleaned), render::json(&cleaned));
            }
        }
    }

    #[test]
    fn cleaning_markup_soup_never_panics(bytes in html_soup()) {
        let cleaner = cleaner();
        match cleaner.clean_bytes(&bytes, &Options::default()) {
            Ok(cleaned) => {
                prop_assert_eq!(cleaned.decisions.len(), cleaned.lines.len());
                let json: Result<serde_json::Value, _> = serde_json::from_str(&render::json(&cleaned));
                prop_assert!(json.is_ok(), "--format json is not JSON");
            }
            Err(err) => prop_assert!(err.to_string().contains("binary"), "{}", err),
        }
    }
}

/// An element tree of generated markup: block and inline elements with
/// boilerplate-ish classes around words, nested up to `depth`.
fn html_tree(depth: u32) -> impl Strategy<Value = String> {
    let leaf = words(1, 12).prop_map(|w| escape(&w));
    leaf.prop_recursive(depth, 400, 6, |inner| {
        (
            prop::sample::select(vec![
                "div", "p", "span", "b", "a", "section", "li", "ul", "td", "h2", "article",
            ]),
            prop::sample::select(vec![
                "",
                " class=\"content\"",
                " class=\"sidebar ad\"",
                " id=\"comments\"",
                " href=\"/x\"",
                " hidden",
            ]),
            prop::collection::vec(inner, 1..4),
        )
            .prop_map(|(tag, attrs, children)| {
                format!("<{tag}{attrs}>{}</{tag}>", children.concat())
            })
    })
}

/// [`html_tree`] with script, style and noscript elements among the leaves,
/// holding what makes their end hard to find.
fn html_tree_with_scripts(depth: u32) -> impl Strategy<Value = String> {
    let raw = prop::sample::select(vec![
        "<script>var a = 1 < 2 && '</div>';</script>",
        "<script type=\"text/javascript\">document.write('<p>x</p>')</script>",
        "<script><!-- document.write('<script>y()</script>') --></script>",
        "<script>a = '</scriptx>'; b = 2;</script>",
        "<SCRIPT>upper()</SCRIPT >",
        "<script>never closed",
        "<style>.a > .b { color: red }</style>",
        "<style>x</style/>",
        "<noscript><img src=x>Enable JavaScript</noscript>",
        "<script></script>",
    ]);
    let leaf = prop_oneof![
        3 => words(1, 12).prop_map(|w| escape(&w)),
        1 => raw.prop_map(str::to_string),
    ];
    leaf.prop_recursive(depth, 400, 6, |inner| {
        (
            prop::sample::select(vec!["div", "p", "span", "li", "td", "article"]),
            prop::collection::vec(inner, 1..4),
        )
            .prop_map(|(tag, children)| format!("<{tag}>{}</{tag}>", children.concat()))
    })
}

/// [`html_tree`] with attributes of every kind and shape: read, unread,
/// quoted, unquoted, valueless, with `>` and `/` inside values.
fn html_tree_with_attributes(depth: u32) -> impl Strategy<Value = String> {
    let attributes = prop::collection::vec(
        prop::sample::select(vec![
            " class=\"ad\"",
            " class=content",
            " data-x=\"1\"",
            " data-y='2'",
            " title='a > b'",
            " title=x/y",
            " src=img.png",
            " hidden",
            " style=\"display:none\"",
            " onclick=\"go('/x')\"",
            "/data-z=3",
            " href=/x",
            " =odd",
            " aria-hidden=true",
        ]),
        0..4,
    )
    .prop_map(|a| a.concat());
    let leaf = words(1, 8).prop_map(|w| escape(&w));
    leaf.prop_recursive(depth, 300, 5, move |inner| {
        (
            prop::sample::select(vec!["div", "p", "span", "li", "a", "img", "br", "section"]),
            attributes.clone(),
            prop::collection::vec(inner, 1..4),
        )
            .prop_map(|(tag, attrs, children)| {
                format!("<{tag}{attrs}>{}</{tag}>", children.concat())
            })
    })
}

/// Every node of parsed HTML in document order: elements by name and
/// attributes, text outside scripts, styles and noscripts as written.
fn tree_shape(source: &str) -> Vec<String> {
    let html = scraper::Html::parse_document(source);
    html.tree
        .root()
        .descendants()
        .filter_map(|node| match node.value() {
            scraper::Node::Element(el) => Some(format!(
                "<{} {:?}>",
                el.name(),
                el.attrs().collect::<Vec<_>>()
            )),
            scraper::Node::Text(text) => {
                let unread = node
                    .parent()
                    .and_then(|p| p.value().as_element().map(|e| e.name().to_string()));
                (!matches!(unread.as_deref(), Some("script" | "style" | "noscript")))
                    .then(|| text.to_string())
            }
            _ => None,
        })
        .collect()
}

/// At least 120 characters, and a third of the words are the function
/// words [`prose_sentence`] mixes in.
fn is_long_prose(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let function = words
        .iter()
        .filter(|w| ["the", "of", "and", "to", "in", "that", "was"].contains(w))
        .count();
    text.chars().count() >= 120 && function * 3 >= words.len()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The text of parsed HTML: every text node in document order, joined
/// (inline elements do not separate words), whitespace collapsed.
fn dom_text(source: &str) -> String {
    let html = scraper::Html::parse_document(source);
    let text: String = html.root_element().text().collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A sentence that reads as prose: any words (boilerplate triggers
/// included), each followed by a function word, as in running text.
fn prose_sentence() -> impl Strategy<Value = String> {
    let function_word = prop::sample::select(vec!["the", "of", "and", "to", "in", "that", "was"]);
    prop::collection::vec((word(), function_word), 7..20).prop_map(|pairs| {
        let words: Vec<String> = pairs
            .into_iter()
            .flat_map(|(w, f)| [w, f.to_string()])
            .collect();
        words.join(" ") + "."
    })
}

/// Paragraphs of a text dump: short lines of any words, long sentences of
/// prose, and long lines of any words.
fn paragraphs() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop_oneof![
            2 => prose_sentence(),
            1 => words(8, 40).prop_map(|s| s + "."),
            1 => words(1, 5),
        ],
        1..25,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn generated_html_cleans_to_lines_of_the_page(tree in html_tree(6)) {
        let page = format!("<html><body>{tree}</body></html>");
        let options = Options { input: InputKind::Html, ..Options::default() };
        let cleaned = cleaner().clean_str(&page, &options);
        prop_assert_eq!(cleaned.decisions.len(), cleaned.lines.len());
        let json: Result<serde_json::Value, _> = serde_json::from_str(&render::json(&cleaned));
        prop_assert!(json.is_ok(), "--format json is not JSON");
        // Every kept line is one of the page's lines, in order.
        let lines: Vec<&str> = cleaned.lines.iter().map(|l| l.text.as_str()).collect();
        let mut from = 0;
        for line in cleaned.text().lines().skip(usize::from(cleaned.title.is_some())) {
            if line.is_empty() {
                continue;
            }
            let at = lines[from..].iter().position(|l| *l == line);
            prop_assert!(at.is_some(), "{:?} is not a page line after {}", line, from);
            from += at.unwrap_or(0) + 1;
        }
    }

    /// Flattening deep nesting removes tags only: the parsed document holds
    /// the same text, and flattening again removes nothing.
    #[test]
    fn flattening_keeps_the_text(tree in html_tree(12), cap in 1usize..8) {
        let page = format!("<html><body>{tree}</body></html>");
        let (flat, _) = deboil::page::html::prepass::flatten(&page, cap);
        prop_assert_eq!(dom_text(&flat), dom_text(&page));
        let again = deboil::page::html::prepass::flatten(&flat, cap);
        prop_assert_eq!(again.1, 0, "flattening twice removes nothing more");
    }

    /// Emptying scripts, styles and noscripts before parsing changes
    /// nothing else in the tree, whatever their content: no script text
    /// leaks into the page, no element moves.
    #[test]
    fn emptying_scripts_keeps_the_rest_of_the_tree(tree in html_tree_with_scripts(6)) {
        let page = format!("<html><head><style>p {{ x: 1 }}</style></head><body>{tree}</body></html>");
        let (prepared, _) = deboil::page::html::prepass::prepare(&page, None);
        prop_assert_eq!(tree_shape(&prepared), tree_shape(&page));
    }

    /// Dropping the attributes nobody reads changes no line and no
    /// selector hit, for selectors whose attributes are kept.
    #[test]
    fn dropping_unread_attributes_changes_no_line(tree in html_tree_with_attributes(5)) {
        use deboil::page::html::{HtmlDocument, KeptAttributes};
        let page = format!("<html><body>{tree}</body></html>");
        let sources = ["[data-x]", "div[title]", ".ad", "p", "[hidden]", "li:not([data-y=\"2\"])"];
        let selectors: Vec<scraper::Selector> =
            sources.iter().filter_map(|s| scraper::Selector::parse(s).ok()).collect();
        let selectors: Vec<&scraper::Selector> = selectors.iter().collect();
        let mut kept = KeptAttributes::reader();
        for s in sources {
            kept.add_selector(s);
        }
        let full = HtmlDocument::parse(&page).lines(&selectors);
        let lean = HtmlDocument::parse_keeping(&page, &kept).lines(&selectors);
        prop_assert_eq!(lean, full);
    }

    /// The text reader and the HTML reader agree on a page without markup:
    /// paragraphs separated by blank lines read as the same lines as the
    /// same paragraphs in `<p>` elements (whitespace collapsed), with the
    /// same paragraph breaks.
    #[test]
    fn text_and_html_readers_agree_on_plain_paragraphs(paras in paragraphs()) {
        let text_page = deboil::page::text::read(&paras.join("\n\n"));
        let html = paras.iter().map(|p| format!("<p>{}</p>\n", escape(p))).collect::<String>();
        let html_page = deboil::page::html::read(&format!("<html><body>{html}</body></html>"));
        let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let text_lines: Vec<(String, bool)> = text_page
            .lines
            .iter()
            .map(|l| (collapse(&l.text), l.break_before))
            .collect();
        let html_lines: Vec<(String, bool)> = html_page
            .lines
            .iter()
            .map(|l| (l.text.clone(), l.break_before))
            .collect();
        prop_assert_eq!(text_lines, html_lines);
    }

    /// Cleaning agrees too: every long prose sentence of such a page that
    /// the text reader's cleaning keeps, the HTML reader's keeps. "Long
    /// prose" is what anchors content in both classifiers (at least 120
    /// characters, a third of the words function words). HTML may keep
    /// more, by design: the article's container (here the body) keeps its
    /// lines, while a text dump has no container to go by, and boilerplate
    /// lines between paragraphs ("READ MORE: …", "Tags: …") can end the
    /// main run before prose that follows them.
    #[test]
    fn text_and_html_cleaning_agree_on_plain_paragraphs(paras in paragraphs()) {
        let text = cleaner().clean_str(&paras.join("\n\n"), &text_options(true));
        let html = paras.iter().map(|p| format!("<p>{}</p>\n", escape(p))).collect::<String>();
        let html = cleaner().clean_str(
            &format!("<html><body>{html}</body></html>"),
            &Options { input: InputKind::Html, body_only: true, ..Options::default() },
        );
        let kept = |c: &deboil::Cleaned| -> Vec<String> {
            c.lines
                .iter()
                .zip(&c.decisions)
                .filter(|(l, d)| d.is_keep() && is_long_prose(&l.text))
                .map(|(l, _)| l.text.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect()
        };
        let (text_kept, html_kept) = (kept(&text), kept(&html));
        let mut html_rest = html_kept.iter();
        for line in &text_kept {
            prop_assert!(
                html_rest.any(|h| h == line),
                "kept from the text dump, not from the HTML (in order): {:?}\ntext: {:?}\nhtml: {:?}",
                line, text_kept, html_kept
            );
        }
    }
}
