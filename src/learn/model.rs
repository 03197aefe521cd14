//! The template model of one site: which line shapes are template and where
//! the shared tail starts, learned from the [`LineKey`]s of many pages.
//!
//! Only keys go in (one per line, in page order), so the same learner serves
//! `rules learn` (which keeps the pages to write regexes and examples) and
//! batch `--site-templates` (which keeps nothing but the model). It decides
//! nothing about a single page on its own: [`Model::drops`] only replays what
//! was learned.
//!
//! A shape is template when it recurs on enough pages *and* sits where a
//! template sits. Share alone is not enough: a stock sentence ("The company
//! did not respond to a request for comment.") can recur on many pages of a
//! site, but it sits between different article lines each time, while a
//! template line sits beside the same template lines, at the page's head or
//! tail. The learner starts from every recurring shape and removes, round
//! after round, those whose neighbours are not template, until nothing
//! changes (each round can only remove, so it ends).

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};

use super::normalize::LineKey;

/// A shape must recur on at least this many pages to be considered: on two
/// pages it may be a quote that two articles about one story share.
pub const MIN_PAGES: usize = 3;

/// ... and on at least this share of the pages. Low on purpose: an ad or a
/// "section" label rotating through a pool of up to 20 items still gives each
/// item 5%; the neighbour tests below, not the share, keep article lines
/// out.
pub const CANDIDATE_SHARE: f64 = 0.05;

/// A line that is not prose (a label, a menu entry, a count) and recurs on at
/// least half of the pages is site furniture wherever it sits: even a
/// subheading cannot be that common in the articles of one site, while an
/// "ADVERTISEMENT" label inside the article body is.
pub const STRONG_SHARE: f64 = 0.5;

/// A rotating or less common line counts as template only when, on at least
/// this share of its occurrences, the same template line (or the page's
/// edge) stands right beside it. 70% leaves room for pages where a menu
/// entry is missing, while an article line's neighbours are other article
/// lines that differ from page to page.
pub const NEIGHBOUR_AGREEMENT: f64 = 0.7;

/// A prose line beside template on one side only (a sign-off or disclaimer
/// between the article and the tail) must recur on at least this share of
/// the pages, and at a consistent distance from the head or the tail. A
/// stock sentence that closes many articles reaches neither: articles vary,
/// and writers vary their sign-offs.
pub const PROSE_ONE_SIDED_SHARE: f64 = 0.8;

/// Share of occurrences that must sit within [`POSITION_SLACK`] lines of the
/// shape's usual distance from the top or from the bottom of the page.
pub const POSITION_AGREEMENT: f64 = 0.7;

/// How far (in lines) an occurrence may stray from the usual position and
/// still count as "the same place": menus gain or lose an entry.
pub const POSITION_SLACK: usize = 2;

/// A tail marker (`cut-after`) must be on at least this share of the pages:
/// "every page ends in the same tail", allowing for a few pages that lack
/// it (they simply keep their tail for the other rules).
pub const CUT_SHARE: f64 = 0.8;

/// Fewer pages than this teach nothing: with five pages, "most pages" is
/// three, and three articles on one story can share that many lines.
pub const MIN_SITE_PAGES: usize = 6;

/// Which side of a line its anchoring neighbour stands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Before,
    After,
}

/// Why a shape was judged template. `None` as a neighbour is the page edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// Not prose, and on at least [`STRONG_SHARE`] of the pages.
    Fixed,
    /// Not prose, and beside the same template line on most occurrences (a
    /// rotating slot: ads, section names, bylines).
    Slot {
        side: Side,
        neighbour: Option<LineKey>,
    },
    /// Prose enclosed by the same two template lines on most occurrences (a
    /// newsletter pitch inside its box).
    Enclosed {
        before: Option<LineKey>,
        after: Option<LineKey>,
    },
    /// Prose on nearly every page, at the same place beside the same
    /// template line.
    SignOff {
        side: Side,
        neighbour: Option<LineKey>,
    },
}

/// Where a template shape usually sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// Nearer the top of the page.
    Head,
    /// Nearer the bottom of the page.
    Tail,
}

/// A template shape and what was seen of it.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateLine {
    pub key: LineKey,
    /// Pages it occurs on.
    pub pages: usize,
    /// Its usual 0-based distance from the top and from the bottom.
    pub from_top: usize,
    pub from_bottom: usize,
    pub zone: Zone,
    pub evidence: Evidence,
}

/// The shared tail: the last line of this shape on a page and everything
/// after it are template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CutAfter {
    pub key: LineKey,
    /// Pages it occurs on.
    pub pages: usize,
    /// Lines it removes over all pages (marker included).
    pub lines: usize,
}

/// What was learned from the pages of one site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Model {
    /// How many pages it was learned from.
    pub pages: usize,
    /// The template shapes.
    pub lines: HashMap<LineKey, TemplateLine>,
    /// The shared tail, when every page (nearly) ends the same way.
    pub cut_after: Option<CutAfter>,
}

/// One occurrence of a candidate shape.
#[derive(Debug, Clone, Copy)]
struct Occurrence {
    prev: Option<LineKey>,
    next: Option<LineKey>,
    from_top: usize,
    from_bottom: usize,
}

impl Model {
    /// Learn from the pages of one site: `pages[i]` is the key of every line
    /// of page `i`, in order. With fewer than [`MIN_SITE_PAGES`] pages the
    /// model is empty.
    pub fn learn(pages: &[Vec<LineKey>]) -> Model {
        let n = pages.len();
        if n < MIN_SITE_PAGES {
            return Model {
                pages: n,
                ..Model::default()
            };
        }
        let mut df: HashMap<LineKey, usize> = HashMap::new();
        for page in pages {
            let unique: HashSet<&LineKey> = page.iter().collect();
            for key in unique {
                *df.entry(*key).or_default() += 1;
            }
        }
        let min_df = MIN_PAGES.max((CANDIDATE_SHARE * n as f64).ceil() as usize);
        let mut occurrences: HashMap<LineKey, Vec<Occurrence>> = HashMap::new();
        for page in pages {
            let len = page.len();
            for (i, key) in page.iter().enumerate() {
                if df[key] < min_df {
                    continue;
                }
                occurrences.entry(*key).or_default().push(Occurrence {
                    prev: i.checked_sub(1).map(|j| page[j]),
                    next: page.get(i + 1).copied(),
                    from_top: i,
                    from_bottom: len - 1 - i,
                });
            }
        }

        let mut template: HashSet<LineKey> = occurrences.keys().copied().collect();
        let judged: HashMap<LineKey, Evidence> = loop {
            let judged: HashMap<LineKey, Evidence> = template
                .iter()
                .filter_map(|key| {
                    let share = df[key] as f64 / n as f64;
                    judge(*key, share, &occurrences[key], &template).map(|e| (*key, e))
                })
                .collect();
            if judged.len() == template.len() {
                break judged;
            }
            template = judged.keys().copied().collect();
        };

        let lines = judged
            .into_iter()
            .map(|(key, evidence)| {
                let occs = &occurrences[&key];
                let from_top = mode(occs.iter().map(|o| o.from_top));
                let from_bottom = mode(occs.iter().map(|o| o.from_bottom));
                let line = TemplateLine {
                    key,
                    pages: df[&key],
                    from_top,
                    from_bottom,
                    zone: if from_top <= from_bottom {
                        Zone::Head
                    } else {
                        Zone::Tail
                    },
                    evidence,
                };
                (key, line)
            })
            .collect::<HashMap<_, _>>();
        let cut_after = find_cut_after(pages, &df, &lines);
        Model {
            pages: n,
            lines,
            cut_after,
        }
    }

    /// Whether the model learned anything.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty() && self.cut_after.is_none()
    }

    /// For each line of a page (given by its keys), whether it is template.
    pub fn drops(&self, keys: &[LineKey]) -> Vec<bool> {
        let mut out: Vec<bool> = keys.iter().map(|k| self.lines.contains_key(k)).collect();
        if let Some(cut) = &self.cut_after {
            if let Some(last) = keys.iter().rposition(|k| *k == cut.key) {
                out[last..].iter_mut().for_each(|d| *d = true);
            }
        }
        out
    }
}

/// The most frequent value (the smallest among equals); 0 for none.
fn mode(values: impl Iterator<Item = usize>) -> usize {
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(v, c)| (c, Reverse(v)))
        .map_or(0, |(v, _)| v)
}

/// The most frequent item and its count (ties: the smallest item).
fn most_common<T: Ord + Copy + std::hash::Hash>(
    items: impl Iterator<Item = T>,
) -> Option<(T, usize)> {
    let mut counts: HashMap<T, usize> = HashMap::new();
    for item in items {
        *counts.entry(item).or_default() += 1;
    }
    counts.into_iter().max_by_key(|&(t, c)| (c, Reverse(t)))
}

/// Whether the shape `key` (on `share` of the pages, seen at `occs`) is
/// template, given the shapes still judged template; why, if it is.
fn judge(
    key: LineKey,
    share: f64,
    occs: &[Occurrence],
    template: &HashSet<LineKey>,
) -> Option<Evidence> {
    // A neighbour supports the line when it is the page edge or another
    // template shape (never the shape itself: a repeated line does not
    // vouch for itself).
    let supports = |k: Option<LineKey>| k.is_none_or(|k| k != key && template.contains(&k));
    let total = occs.len() as f64;
    let side = |pick: fn(&Occurrence) -> Option<LineKey>| {
        most_common(occs.iter().map(pick).filter(|k| supports(*k)))
            .map(|(k, c)| (k, c as f64 / total))
    };
    let before = side(|o| o.prev);
    let after = side(|o| o.next);
    let best_side = match (before, after) {
        (Some(b), Some(a)) if a.1 > b.1 => Some((Side::After, a)),
        (Some(b), _) => Some((Side::Before, b)),
        (None, Some(a)) => Some((Side::After, a)),
        (None, None) => None,
    }
    .filter(|(_, (_, agree))| *agree >= NEIGHBOUR_AGREEMENT);

    if !key.is_prose() {
        if share >= STRONG_SHARE {
            return Some(Evidence::Fixed);
        }
        return best_side.map(|(side, (neighbour, _))| Evidence::Slot { side, neighbour });
    }

    // Prose: one occurrence among article lines (no template neighbour on
    // either side) means the sentence is article text on that page, and a
    // rule removing it would remove article text.
    if occs.iter().any(|o| !supports(o.prev) && !supports(o.next)) {
        return None;
    }
    let enclosed = most_common(
        occs.iter()
            .filter(|o| supports(o.prev) && supports(o.next))
            .map(|o| (o.prev, o.next)),
    );
    if let Some(((before, after), count)) = enclosed {
        if count as f64 / total >= NEIGHBOUR_AGREEMENT {
            return Some(Evidence::Enclosed { before, after });
        }
    }
    if share >= PROSE_ONE_SIDED_SHARE && position_agreement(occs) >= POSITION_AGREEMENT {
        return best_side.map(|(side, (neighbour, _))| Evidence::SignOff { side, neighbour });
    }
    None
}

/// The share of occurrences within [`POSITION_SLACK`] of the usual distance
/// from the top, or from the bottom, whichever agrees more.
fn position_agreement(occs: &[Occurrence]) -> f64 {
    let near = |pick: fn(&Occurrence) -> usize| {
        let usual = mode(occs.iter().map(pick));
        occs.iter()
            .filter(|o| pick(o).abs_diff(usual) <= POSITION_SLACK)
            .count() as f64
            / occs.len().max(1) as f64
    };
    near(|o| o.from_top).max(near(|o| o.from_bottom))
}

/// The template shape that starts the shared tail: on at least
/// [`CUT_SHARE`] of the pages, and on no page followed by a line that could
/// be article text (prose found on that page only). Of the shapes that
/// qualify, the one that removes the most lines.
fn find_cut_after(
    pages: &[Vec<LineKey>],
    df: &HashMap<LineKey, usize>,
    lines: &HashMap<LineKey, TemplateLine>,
) -> Option<CutAfter> {
    let n = pages.len() as f64;
    let mut best: Option<CutAfter> = None;
    let mut candidates: Vec<&TemplateLine> = lines
        .values()
        .filter(|l| l.pages as f64 / n >= CUT_SHARE)
        .collect();
    candidates.sort_by_key(|l| l.key);
    'candidates: for line in candidates {
        let mut removed = 0;
        for page in pages {
            let Some(last) = page.iter().rposition(|k| *k == line.key) else {
                continue;
            };
            let article_after = page[last + 1..]
                .iter()
                .any(|k| k.is_prose() && df.get(k) == Some(&1));
            if article_after {
                continue 'candidates;
            }
            removed += page.len() - last;
        }
        let better = best
            .as_ref()
            .is_none_or(|b| (removed, line.pages) > (b.lines, b.pages));
        if better {
            best = Some(CutAfter {
                key: line.key,
                pages: line.pages,
                lines: removed,
            });
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::normalize::key;

    fn keys(lines: &[String]) -> Vec<LineKey> {
        lines.iter().map(|l| key(l)).collect()
    }

    /// A word made of letters only, unique for each `n` (numbers would be
    /// normalized away).
    fn word(n: usize) -> String {
        let mut n = n + 26;
        let mut out = String::new();
        while n > 0 {
            out.push(char::from(b'a' + (n % 26) as u8));
            n /= 26;
        }
        out
    }

    /// Twenty pages: a head (masthead, menu, rotating ad), an article with a
    /// stock sentence on some pages, a tail.
    fn site() -> Vec<Vec<String>> {
        let ads = [
            "Fly to Lisbon from €49",
            "Rent a van from €20",
            "Bank with Moss",
        ];
        let stock = "The company did not respond to a request for comment.";
        (0..20)
            .map(|p| {
                let mut lines = vec![
                    "The Ledger".to_string(),
                    "News".into(),
                    "Sport".into(),
                    ads[p % 3].into(),
                    format!("Published {} hours ago", p + 1),
                    format!("Article {} headline about {}", word(p), word(p + 40)),
                ];
                for s in 0..(3 + p % 4) {
                    lines.push(format!(
                        "Paragraph {} of article {} says something new about {}.",
                        word(s),
                        word(p),
                        word(p * 7 + s + 100)
                    ));
                    if s == 1 && p % 3 == 0 {
                        lines.push(stock.into());
                    }
                }
                if p % 4 == 0 {
                    lines.push(stock.into());
                }
                lines.push("Related articles".into());
                lines.push(format!("Other story {}", word(p % 5)));
                lines.push("Get our newsletter every morning in your inbox.".into());
                lines.push("© 2025 Ledger Media".into());
                lines
            })
            .collect()
    }

    #[test]
    fn learns_template_and_spares_stock_sentences() {
        let pages = site();
        let keyed: Vec<Vec<LineKey>> = pages.iter().map(|p| keys(p)).collect();
        let model = Model::learn(&keyed);
        for t in [
            "The Ledger",
            "News",
            "Fly to Lisbon from €12",
            "Published 1 hour ago",
        ] {
            assert!(model.lines.contains_key(&key(t)), "{t}");
        }
        assert!(!model.lines.contains_key(&key(
            "The company did not respond to a request for comment."
        )));
        let cut = model.cut_after.as_ref().expect("a shared tail");
        assert_eq!(cut.key, key("Related articles"));
        for (page, keyed) in pages.iter().zip(&keyed) {
            for (line, drop) in page.iter().zip(model.drops(keyed)) {
                let article = line.starts_with("Paragraph")
                    || line.starts_with("Article")
                    || line.starts_with("The company");
                assert_eq!(drop, !article, "{line}");
            }
        }
    }

    #[test]
    fn too_few_pages_teach_nothing() {
        let pages: Vec<Vec<LineKey>> = site().iter().take(5).map(|p| keys(p)).collect();
        assert!(Model::learn(&pages).is_empty());
    }
}
