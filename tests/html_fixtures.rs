//! The invented HTML fixtures read into sensible lines: metadata found,
//! no script or form text, article paragraphs whole, boilerplate hinted.

use deboil::page::html::read;
use deboil::page::{BoilerHints as H, Page};

fn fixture(name: &str) -> Page {
    let path = format!("{}/tests/fixtures/html/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let text = deboil::decode::decode(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
    read(&text.text)
}

fn hints(page: &Page, starts: &str) -> H {
    page.lines
        .iter()
        .find(|l| l.text.starts_with(starts))
        .and_then(|l| l.block.as_ref().map(|b| b.hints))
        .unwrap_or_else(|| panic!("no line starting {starts:?}"))
}

#[test]
fn news_article() {
    let page = fixture("news-article.html");
    assert_eq!(
        page.title.as_deref(),
        Some("Harbour bridge to close for six weeks of repairs")
    );
    assert_eq!(
        page.url.as_deref(),
        Some("https://www.coastalcourier.example/news/harbour-bridge-repairs-1234")
    );
    assert_eq!(page.lang.as_deref(), Some("en-GB"));
    let all: Vec<&str> = page.lines.iter().map(|l| l.text.as_str()).collect();
    for banned in [
        "dataLayer",
        "min-height",
        "We use cookies",
        "Accept",
        "Email address",
    ] {
        assert!(
            !all.iter().any(|l| l.contains(banned)),
            "{banned} reached the output"
        );
    }
    assert!(
        all.iter()
            .any(|l| l.starts_with("Buses will run")
                && l.ends_with("around 12 miles to the journey."))
    );
    assert!(hints(&page, "Advertisement").has(H::AD));
    assert!(hints(&page, "Ferry timetable").has(H::RELATED));
    assert!(hints(&page, "About time").has(H::COMMENT));
    assert!(hints(&page, "Share on Facebook").has(H::SHARE));
    assert!(hints(&page, "Sign up to our free").has(H::NEWSLETTER));
    assert!(hints(&page, "Privacy policy").has(H::FOOTER));
    assert!(hints(&page, "The harbour bridge will").has(H::CONTENT));
}

#[test]
fn wordpress_post() {
    let page = fixture("wordpress-post.html");
    assert_eq!(
        page.title.as_deref(),
        Some("Five easy ways to keep basil alive on a windowsill")
    );
    assert!(hints(&page, "Posted on June 14").has(H::BYLINE));
    assert!(hints(&page, "Posted in Herbs").has(H::TAGS));
    assert!(hints(&page, "Growing mint").has(H::RELATED));
    assert!(hints(&page, "Splitting the pot").has(H::COMMENT));
    let article = hints(&page, "Supermarket basil");
    assert!(
        article.has(H::CONTENT) && !article.has(H::TAGS) && !article.has(H::COMMENT),
        "{article:?}"
    );
}

#[test]
fn german_blog() {
    let page = fixture("german-blog.html");
    assert_eq!(page.title.as_deref(), Some("Mit dem Rad durchs Altmühltal"));
    assert_eq!(page.lang.as_deref(), Some("de"));
    let texts: Vec<&str> = page.lines.iter().map(|l| l.text.as_str()).collect();
    let wir = texts
        .iter()
        .position(|t| t.starts_with("Wir sind"))
        .unwrap_or(usize::MAX);
    assert!(texts
        .get(wir + 1)
        .is_some_and(|t| t.starts_with("Am zweiten Tag")));
    assert!(
        !page.lines[wir + 1].break_before,
        "a single <br> is not a paragraph break"
    );
    assert!(
        page.lines[wir].break_before,
        "<br><br> is a paragraph break"
    );
    assert!(hints(&page, "Anzeige").has(H::AD));
    assert!(hints(&page, "Toller Bericht").has(H::COMMENT));
    assert!(hints(&page, "Startseite »").has(H::BREADCRUMB));
}
