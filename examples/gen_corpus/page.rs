//! Generated scraped text pages for throughput measurement and benchmarks.
//!
//! Each page is an invented article (sentences built from a small invented
//! vocabulary) wrapped in one of several site templates' noise: mastheads,
//! advertisement lines, breadcrumbs, "READ MORE" links, related headlines,
//! tag footers, author bios, newsletter boxes and comment widgets. The
//! output is deterministic for a seed, so a corpus can be regenerated
//! exactly. Shared by `examples/gen_corpus` and `benches/clean.rs`; it is
//! not part of the library.

use std::fmt::Write as _;

/// SplitMix64: tiny, fast and stable across versions, so the same seed
/// gives the same corpus forever (a `rand` upgrade could change it).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.range(0, items.len() - 1)]
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.range(0, 99) < percent
    }
}

const PEOPLE: &[&str] = &[
    "Councillor Ines Maddox",
    "the harbour master",
    "Dr Tomasz Wieczorek",
    "the regional transport board",
    "a spokesperson for the ministry",
    "Mayor Aurélie Fontaine",
    "local shopkeepers",
    "the fisheries union",
    "Professor Kwame Asante",
    "residents of the north quay",
    "the school governors",
    "engineers from the water authority",
];
const VERBS: &[&str] = &[
    "approved",
    "criticised",
    "delayed",
    "announced",
    "questioned",
    "welcomed",
    "rejected",
    "funded",
    "reviewed",
    "defended",
    "postponed",
    "published",
];
const THINGS: &[&str] = &[
    "the plan to rebuild the sea wall",
    "a new timetable for the coastal bus",
    "the budget for the library extension",
    "proposals for a car-free market square",
    "the report on winter flooding",
    "a scheme to reopen the old ferry terminal",
    "changes to parking charges near the beach",
    "the closure of the night clinic",
    "a grant for the community orchard",
    "the survey of crumbling footbridges",
];
const WHEN: &[&str] = &[
    "on Tuesday night",
    "after a long debate",
    "earlier this month",
    "for the second time this year",
    "despite strong objections",
    "at a packed public meeting",
    "without a formal vote",
    "ahead of the spring elections",
];
const CLAUSES: &[&str] = &[
    "which had been expected to cost more than £4 million",
    "although several members asked for more time",
    "a decision that surprised many in the town",
    "saying the figures did not add up",
    "and promised to publish the full accounts",
    "while campaigners gathered outside the hall",
    "because the contractor had withdrawn its bid",
    "in a move described as “long overdue”",
];
const QUOTES: &[&str] = &[
    "We have waited far too long for this, and people deserve an answer",
    "Nobody disputes that the work is needed; the question is who pays",
    "It is a good day for the town, but the hard part starts now",
    "We will keep asking questions until the numbers are published",
    "This was never about one building, it was about the whole waterfront",
];
const HEADLINES: &[&str] = &[
    "Storm warning issued as ferries cancel crossings",
    "Fishing fleet returns early after record season",
    "Mayor defends parking charges at seaside car parks",
    "Lifeboat crew rescue walkers cut off by the tide",
    "School roof repairs to finish before autumn term",
    "Bus drivers vote on new shift patterns",
    "Café owner wins award for harbour-view terrace",
    "Night market returns to the old fish hall",
    "Council tax to rise by three per cent",
    "Footbridge closed after inspection finds cracks",
];
const SITES: &[&str] = &[
    "The Harbour Gazette",
    "Coastline Daily",
    "North Quay News",
    "Gull Island Courier",
    "Weekly Tideline",
];
const TAGS: &[&str] = &[
    "council",
    "harbour",
    "transport",
    "budget",
    "flooding",
    "library",
    "elections",
    "weather",
];
const DAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: &[&str] = &["January", "March", "May", "July", "September", "November"];

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// At most `len` bytes of `s`, cut at a character boundary.
fn prefix(s: &str, len: usize) -> &str {
    let end = (0..=len.min(s.len()))
        .rev()
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(0);
    &s[..end]
}

fn sentence(rng: &mut Rng) -> String {
    let mut s = format!(
        "{} {} {} {}",
        capitalize(rng.pick(PEOPLE)),
        rng.pick(VERBS),
        rng.pick(THINGS),
        rng.pick(WHEN)
    );
    if rng.chance(60) {
        s.push_str(", ");
        s.push_str(rng.pick(CLAUSES));
    }
    s.push('.');
    s
}

fn paragraph(rng: &mut Rng) -> String {
    if rng.chance(15) {
        return format!("“{},” said {}.", rng.pick(QUOTES), rng.pick(PEOPLE));
    }
    let n = rng.range(2, 5);
    (0..n).map(|_| sentence(rng)).collect::<Vec<_>>().join(" ")
}

fn title(rng: &mut Rng) -> String {
    format!(
        "{} {} {}",
        capitalize(rng.pick(PEOPLE)),
        rng.pick(VERBS),
        rng.pick(THINGS)
    )
}

fn date(rng: &mut Rng) -> String {
    format!(
        "{}, {} {}, 20{}",
        rng.pick(DAYS),
        rng.pick(MONTHS),
        rng.range(1, 28),
        rng.range(15, 25)
    )
}

fn body(rng: &mut Rng, out: &mut String, indent: &str, interrupt: &dyn Fn(&mut Rng) -> String) {
    let paragraphs = rng.range(4, 12);
    for i in 0..paragraphs {
        let _ = writeln!(out, "{indent}{}\n", paragraph(rng));
        if i + 1 < paragraphs && rng.chance(20) {
            let _ = writeln!(out, "{indent}{}\n", interrupt(rng));
        }
    }
}

/// One generated page; `index` varies the site template.
pub fn page(rng: &mut Rng, index: usize) -> String {
    let mut out = String::new();
    let headline = title(rng);
    match index % 5 {
        // A tabloid: title twice, a teaser, related headlines, READ MORE
        // links, a comment counter.
        0 => {
            let _ = writeln!(out, "{headline}\n\n{headline}\n");
            let teaser = sentence(rng);
            let _ = writeln!(out, "{}\n", prefix(&teaser, teaser.len() * 2 / 3));
            for _ in 0..3 {
                let _ = writeln!(out, "{}", rng.pick(HEADLINES));
            }
            out.push_str("\n\n");
            body(rng, &mut out, "", &|rng| {
                format!("READ MORE: {}", rng.pick(HEADLINES))
            });
            let _ = writeln!(out, "COMMENTS\n\nWORDPRESS: {}", rng.range(0, 40));
        }
        // A wire story: copyright line and a share button.
        1 => {
            let _ = writeln!(out, "{headline}\n");
            body(rng, &mut out, "", &|rng| {
                format!("Photo: {}", rng.pick(HEADLINES))
            });
            let _ = writeln!(
                out,
                "(c) Copyright {} {}\n\nShare",
                rng.pick(SITES),
                rng.range(2015, 2025)
            );
        }
        // A blog: tag archive header, date, tag footer, category line.
        2 => {
            let tag = rng.pick(TAGS);
            let _ = writeln!(out, "Posts Tagged ‘{tag}’\n\n{headline}\n\n{}\n", date(rng));
            body(rng, &mut out, "", &|rng| capitalize(rng.pick(TAGS)));
            let commas = ", ".repeat(rng.range(2, 7));
            let _ = writeln!(
                out,
                "Tags: {}\nPosted in {} News | Comments Off",
                commas.trim_end(),
                capitalize(tag)
            );
        }
        // A portal: masthead, ad banners, breadcrumb, ALSO READ, author
        // bio, related block, newsletter box; indented like a DOM dump.
        3 => {
            let site = rng.pick(SITES);
            let places = [
                "Lisbon",
                "Kraków",
                "Accra",
                "Reykjavík",
                "Osaka",
                "Valparaíso",
            ];
            let ad = format!(
                "ADVERTISEMENTFly to {} from {}",
                rng.pick(&places),
                rng.pick(&places)
            );
            let _ = writeln!(out, "{site}\n{ad}\n{}\nMore", date(rng));
            let _ = writeln!(out, "    {ad}");
            let _ = writeln!(out, "    HomeNewsLocal{}...\n", prefix(&headline, 40));
            let _ = writeln!(
                out,
                "    {headline}\n\n    -\n\n    Book a ferry with {site}\n"
            );
            body(rng, &mut out, "    ", &|rng| {
                format!("ALSO READ:  {}", rng.pick(HEADLINES))
            });
            let author = rng.pick(&["Mira", "Jonas", "Adaeze", "Luis"]);
            let _ = writeln!(
                out,
                "    {author}\n    {author}\n    Reporter and occasional photographer, covering the coast since {}.\n",
                rng.range(2001, 2020)
            );
            let _ = writeln!(
                out,
                "    Related articles\n\n    {ad}\n\n    Subscribe to Newsletter\n\n    To be updated with all the latest news, offers and special announcements.\n\n    Latest posts"
            );
        }
        // A magazine: byline, pull quotes, a comment form.
        _ => {
            let _ = writeln!(
                out,
                "{headline}\n\nBy {} | {}\n",
                rng.pick(PEOPLE),
                date(rng)
            );
            body(rng, &mut out, "", &|rng| {
                format!("Advertisement - Continue Reading Below {}", rng.range(1, 9))
            });
            let _ = writeln!(
                out,
                "Leave a Reply\n\nYour email address will not be published. Required fields are marked *"
            );
        }
    }
    out
}
