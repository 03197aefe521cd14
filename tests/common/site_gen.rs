//! A generated news site for the learner's tests: many pages that share a
//! template (masthead, menu, rotating ads, date, breadcrumb, byline, share
//! links, related headlines, comment count, newsletter box, footer) with
//! per-page variations, around unique invented articles, some of which
//! share stock sentences and subheadings. Every line is labelled template
//! or article, so tests can count what a learner removes.
//!
//! Deterministic: the same seed gives the same pages. All text is invented.
#![allow(dead_code)]

use std::collections::HashSet;

/// What a generated line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Template,
    Article,
}

/// One generated page.
#[derive(Debug, Clone)]
pub struct GenPage {
    /// File name (`page-007.txt` or `.html`).
    pub name: String,
    /// The file's contents.
    pub body: String,
    /// Every line (text dump line, or HTML block text) with its label.
    pub lines: Vec<(String, Label)>,
}

/// Which site to generate.
#[derive(Debug, Clone, Copy)]
pub struct Site {
    pub masthead: &'static str,
    pub host: &'static str,
    pub company: &'static str,
}

pub const LEDGER: Site = Site {
    masthead: "The Harbour Ledger",
    host: "harbourledger.example",
    company: "Harbour Ledger Media Ltd",
};

pub const ECHO: Site = Site {
    masthead: "Moorland Echo Online",
    host: "moorlandecho.example",
    company: "Echo Publishing Group",
};

/// SplitMix64: small, deterministic, good enough to shuffle invented text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const SYLLABLES: &[&str] = &[
    "ba", "cor", "del", "fen", "gar", "hol", "ith", "kel", "lom", "mar", "nor", "ost", "pel",
    "quin", "ros", "sel", "tam", "ul", "ven", "wic", "yar", "zen",
];

fn place(rng: &mut Rng) -> String {
    let mut name = String::new();
    for _ in 0..rng.range(2, 3) {
        name.push_str(rng.pick(SYLLABLES));
    }
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => name,
    }
}

const SUBJECTS: &[&str] = &[
    "The harbour board",
    "A group of fishermen",
    "The county council",
    "Local traders",
    "The ferry operator",
    "Residents of the old quarter",
    "A spokesperson for the port",
    "Volunteers from the lifeboat station",
    "The school governors",
    "Two independent engineers",
    "The tourism office",
    "A coalition of farmers",
];
const VERBS: &[&str] = &[
    "said on Tuesday that",
    "warned that",
    "confirmed that",
    "argued that",
    "agreed that",
    "announced that",
    "told a public meeting that",
    "wrote in a letter that",
];
const THINGS: &[&str] = &[
    "the sea wall",
    "the new bus route",
    "the fish market",
    "the library extension",
    "the coastal path",
    "the wind farm",
    "the old granary",
    "the night ferry",
    "the flood barrier",
    "the summer festival",
];
const OUTCOMES: &[&str] = &[
    "would need another {n} months of work",
    "had cost about {n} thousand pounds more than planned",
    "could reopen within {n} weeks",
    "drew more than {n} hundred visitors",
    "should be reviewed by an independent panel",
    "was unlikely to survive another winter without repairs",
    "would be moved closer to {place}",
    "had been delayed by a dispute with the contractor in {place}",
];
const STOCK: &[&str] = &[
    "The company did not respond to a request for comment.",
    "Officials declined to give further details.",
    "The investigation is continuing.",
    "More information is expected later this week.",
];
const SUBHEADINGS: &[&str] = &["What happens next", "Background", "The reaction"];
const AUTHORS: &[&str] = &[
    "Mara Quist",
    "Ivo Brandt",
    "Petra Lund",
    "Tomas Reyl",
    "Ana Sorrel",
    "Kit Varga",
];
const SECTIONS: &[&str] = &["Local", "Coast", "Economy", "Transport"];
const MENU: &[&str] = &["News", "Business", "Sport", "Culture", "Opinion", "Weather"];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn sentence(rng: &mut Rng, town: &str) -> String {
    let outcome = rng
        .pick(OUTCOMES)
        .replace("{n}", &rng.range(2, 40).to_string())
        .replace("{place}", &place(rng));
    format!(
        "{} in {town} {} {} {outcome}.",
        rng.pick(SUBJECTS),
        rng.pick(VERBS),
        rng.pick(THINGS)
    )
}

fn ad(rng: &mut Rng) -> String {
    match rng.below(5) {
        0 => format!("Fly to Lisbon from €{} with Gull Air", rng.range(49, 199)),
        1 => format!(
            "Harbour Bank: savings at {}.{}% a year",
            rng.range(2, 5),
            rng.below(10)
        ),
        2 => format!(
            "Moss & Daughters furniture sale, up to {}% off",
            rng.range(10, 70)
        ),
        3 => format!("Tide Theatre: tickets from £{}", rng.range(8, 30)),
        _ => format!(
            "Rent a cabin on the Isle of Vay from £{} a night",
            rng.range(60, 140)
        ),
    }
}

/// The shared pool of "Related articles" headlines.
fn related_pool(rng: &mut Rng) -> Vec<String> {
    (0..12)
        .map(|_| {
            format!(
                "{} {} {}",
                place(rng),
                rng.pick(&["ferry", "council", "festival", "harbour", "school", "market"]),
                rng.pick(&[
                    "plans approved",
                    "faces new delay",
                    "breaks attendance record",
                    "to get new funding",
                    "reopens after storm"
                ])
            )
        })
        .collect()
}

/// One page as labelled lines, in order.
fn page_lines(
    rng: &mut Rng,
    site: Site,
    related: &[String],
    seen: &mut HashSet<String>,
) -> (Vec<(String, Label)>, String, String) {
    use Label::{Article as A, Template as T};
    let mut lines: Vec<(String, Label)> = Vec::new();
    let push = |lines: &mut Vec<(String, Label)>, text: String, label| lines.push((text, label));
    push(&mut lines, site.masthead.to_string(), T);
    push(&mut lines, "Menu".into(), T);
    for item in MENU {
        if *item == "Weather" && rng.chance(0.2) {
            continue;
        }
        push(&mut lines, (*item).to_string(), T);
    }
    push(&mut lines, "Search".into(), T);
    push(&mut lines, "ADVERTISEMENT".into(), T);
    push(&mut lines, ad(rng), T);
    push(
        &mut lines,
        format!(
            "{}, {} {} {}",
            rng.pick(WEEKDAYS),
            rng.range(1, 28),
            rng.pick(MONTHS),
            rng.range(2024, 2025)
        ),
        T,
    );
    let section = rng.pick(SECTIONS).to_string();
    push(&mut lines, format!("Home › {section}"), T);
    let town = loop {
        let town = place(rng);
        if seen.insert(town.clone()) {
            break town;
        }
    };
    let title = format!(
        "{town} {} {}",
        rng.pick(&["council", "harbour", "ferry", "market", "school", "festival"]),
        rng.pick(&[
            "faces questions over costs",
            "wins backing from residents",
            "delays decision again",
            "opens doors to visitors",
            "plans a bigger season"
        ])
    );
    push(&mut lines, title.clone(), A);
    push(&mut lines, format!("By {}", rng.pick(AUTHORS)), T);
    push(
        &mut lines,
        format!(
            "Published {} hours ago · {} min read",
            rng.range(1, 23),
            rng.range(2, 9)
        ),
        T,
    );
    let paragraphs = rng.range(5, 14);
    let stock_at = rng.chance(0.4).then(|| rng.range(1, paragraphs));
    let stock_pair = rng.chance(0.15);
    let sub_at = rng.chance(0.3).then(|| rng.range(2, paragraphs - 1));
    let ad_mid = rng.chance(0.5);
    for p in 0..paragraphs {
        if sub_at == Some(p) {
            push(&mut lines, rng.pick(SUBHEADINGS).to_string(), A);
        }
        if ad_mid && p == 3 {
            push(&mut lines, "ADVERTISEMENT".into(), T);
            push(&mut lines, "Continue reading below".into(), T);
        }
        let text = loop {
            let mut text = sentence(rng, &town);
            for _ in 0..rng.below(3) {
                text.push(' ');
                text.push_str(&sentence(rng, &town));
            }
            if seen.insert(text.clone()) {
                break text;
            }
        };
        push(&mut lines, text, A);
        if stock_at == Some(p + 1) || (stock_at.is_none() && stock_pair && p + 1 == paragraphs) {
            push(&mut lines, rng.pick(STOCK).to_string(), A);
            if stock_pair {
                push(&mut lines, STOCK[0].to_string(), A);
            }
        }
    }
    push(&mut lines, "Share this article".into(), T);
    for s in ["Facebook", "X", "Email"] {
        push(&mut lines, s.into(), T);
    }
    push(&mut lines, "Related articles".into(), T);
    let mut picked: Vec<usize> = Vec::new();
    while picked.len() < 3 {
        let i = rng.below(related.len());
        if !picked.contains(&i) {
            picked.push(i);
        }
    }
    for i in picked {
        push(&mut lines, related[i].clone(), T);
    }
    if rng.chance(0.85) {
        push(&mut lines, format!("{} comments", rng.range(1, 250)), T);
    }
    push(&mut lines, "Newsletter".into(), T);
    push(
        &mut lines,
        format!(
            "Get the best of {} in your inbox every weekday at seven.",
            site.masthead
        ),
        T,
    );
    push(&mut lines, "Sign up".into(), T);
    for s in ["About us", "Contact", "Privacy policy"] {
        push(&mut lines, s.into(), T);
    }
    push(
        &mut lines,
        format!(
            "© {} {}. All rights reserved.",
            rng.range(2024, 2025),
            site.company
        ),
        T,
    );
    (lines, title, section)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn html(lines: &[(String, Label)], site: Site, title: &str, section: &str, n: usize) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>{} | {}</title>\n<link rel=\"canonical\" href=\"https://{}/{}/story-{n}\">\n</head><body>\n",
        escape(title),
        escape(site.masthead),
        site.host,
        section.to_lowercase()
    );
    let title_at = lines.iter().position(|(t, _)| t == title).unwrap_or(0);
    for (i, (text, _)) in lines.iter().enumerate() {
        let text = escape(text);
        let tag = if i == title_at { "h1" } else { "p" };
        if i == title_at {
            out.push_str("<article>\n");
        }
        out.push_str(&format!("<{tag}>{text}</{tag}>\n"));
        if text == "Share this article" {
            out.push_str("</article>\n");
        }
    }
    out.push_str("</body></html>\n");
    out
}

/// Generate `pages` pages of `site` from `seed`, as text dumps (`html`
/// false) or HTML documents.
pub fn generate(site: Site, seed: u64, pages: usize, html_pages: bool) -> Vec<GenPage> {
    let mut rng = Rng(seed);
    let related = related_pool(&mut rng);
    let mut seen: HashSet<String> = related.iter().cloned().collect();
    (0..pages)
        .map(|n| {
            let (lines, title, section) = page_lines(&mut rng, site, &related, &mut seen);
            let (name, body) = if html_pages {
                (
                    format!("page-{n:03}.html"),
                    html(&lines, site, &title, &section, n),
                )
            } else {
                let mut body = String::new();
                for (i, (text, _)) in lines.iter().enumerate() {
                    if i > 0 && rng.chance(0.3) {
                        body.push('\n');
                    }
                    body.push_str(text);
                    body.push('\n');
                }
                (format!("page-{n:03}.txt"), body)
            };
            GenPage { name, body, lines }
        })
        .collect()
}
