//! Scoring cleaned text against gold article bodies with the ScrapingHub
//! article-extraction-benchmark metric.
//!
//! This module owns the metric and the evaluation loop: loading a gold file
//! (`{"<id>": {"articleBody": "...", "url": "..."}}`), finding each page in a
//! directory, cleaning it with a [`Cleaner`] (body only, since gold bodies
//! carry no title) and scoring it. It does not print; the binary does.
//!
//! The metric, as the benchmark defines it:
//! - tokens are the maximal runs of word characters (letters, digits, `_`),
//!   case kept as is;
//! - a page's shingles are its token 4-grams, counted as a multiset; a text
//!   of 1–3 tokens is one shingle of all its tokens, an empty text has none;
//! - per page, true positives are the shingles both texts share (by count),
//!   false positives those only the prediction has, false negatives those
//!   only the gold has; the three are divided by their sum so that every
//!   page weighs the same;
//! - precision is averaged over the pages where the prediction has any
//!   shingle, recall over the pages where the gold has any, and F1 is the
//!   harmonic mean of the two averages.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::{CleanError, Cleaner, InputKind, Options};

/// Shingle length of the benchmark metric.
pub const SHINGLE_TOKENS: usize = 4;

/// Why an evaluation could not run.
#[derive(Debug, Error)]
pub enum EvalError {
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not a gold file ({source}); expected {{\"<id>\": {{\"articleBody\": \"...\"}}}}", path.display())]
    Gold {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{}: no page for gold id {id:?}; expected {id}.html.gz, {id}.html or {id}.txt", dir.display())]
    MissingPage { dir: PathBuf, id: String },
    #[error("{}: {source}", path.display())]
    Clean { path: PathBuf, source: CleanError },
}

/// One gold article.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct GoldPage {
    #[serde(rename = "articleBody", default)]
    pub article_body: String,
    #[serde(default)]
    pub url: Option<String>,
}

/// A gold file: article bodies by page id, in id order.
pub type Gold = BTreeMap<String, GoldPage>;

/// Load a gold file.
pub fn load_gold(path: &Path) -> Result<Gold, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| EvalError::Gold {
        path: path.to_path_buf(),
        source,
    })
}

/// Shingle counts of one page, normalized so that they sum to 1 (or are all
/// 0 when neither text has a shingle).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ShingleMatch {
    pub true_positive: f64,
    pub false_positive: f64,
    pub false_negative: f64,
}

impl ShingleMatch {
    /// Precision of this page, or `None` when the prediction is empty (such
    /// pages do not count towards the average precision).
    pub fn precision(&self) -> Option<f64> {
        let (tp, fp, fn_) = (self.true_positive, self.false_positive, self.false_negative);
        if tp + fp <= 0.0 {
            return None;
        }
        Some(if fp == 0.0 && fn_ == 0.0 {
            1.0
        } else {
            tp / (tp + fp)
        })
    }

    /// Recall of this page, or `None` when the gold is empty.
    pub fn recall(&self) -> Option<f64> {
        let (tp, fp, fn_) = (self.true_positive, self.false_positive, self.false_negative);
        if tp + fn_ <= 0.0 {
            return None;
        }
        Some(if fp == 0.0 && fn_ == 0.0 {
            1.0
        } else {
            tp / (tp + fn_)
        })
    }
}

/// The word tokens of `text`: maximal runs of letters, digits and `_`.
pub fn tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
}

/// The multiset of token `n`-gram shingles of `text`.
fn shingles(text: &str, n: usize) -> HashMap<Vec<&str>, u32> {
    let tokens: Vec<&str> = tokens(text).collect();
    let mut counts = HashMap::new();
    if tokens.is_empty() {
        return counts;
    }
    if tokens.len() < n {
        counts.insert(tokens, 1);
        return counts;
    }
    for window in tokens.windows(n) {
        *counts.entry(window.to_vec()).or_insert(0) += 1;
    }
    counts
}

/// Score one predicted text against its gold text.
pub fn score(gold: &str, predicted: &str) -> ShingleMatch {
    let gold = shingles(gold, SHINGLE_TOKENS);
    let predicted = shingles(predicted, SHINGLE_TOKENS);
    let (mut tp, mut fp, mut fn_) = (0u64, 0u64, 0u64);
    for (shingle, &p) in &predicted {
        let g = gold.get(shingle).copied().unwrap_or(0);
        tp += u64::from(p.min(g));
        fp += u64::from(p.saturating_sub(g));
    }
    for (shingle, &g) in &gold {
        let p = predicted.get(shingle).copied().unwrap_or(0);
        fn_ += u64::from(g.saturating_sub(p));
    }
    let sum = (tp + fp + fn_) as f64;
    if sum == 0.0 {
        return ShingleMatch::default();
    }
    ShingleMatch {
        true_positive: tp as f64 / sum,
        false_positive: fp as f64 / sum,
        false_negative: fn_ as f64 / sum,
    }
}

/// Averages over pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Metrics {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// Average precision and recall over `matches` and their F1.
pub fn metrics<'a>(matches: impl IntoIterator<Item = &'a ShingleMatch>) -> Metrics {
    let (mut p_sum, mut p_n, mut r_sum, mut r_n) = (0.0, 0usize, 0.0, 0usize);
    for m in matches {
        if let Some(p) = m.precision() {
            p_sum += p;
            p_n += 1;
        }
        if let Some(r) = m.recall() {
            r_sum += r;
            r_n += 1;
        }
    }
    let precision = if p_n == 0 { 0.0 } else { p_sum / p_n as f64 };
    let recall = if r_n == 0 { 0.0 } else { r_sum / r_n as f64 };
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    Metrics {
        precision,
        recall,
        f1,
    }
}

/// The result for one page.
#[derive(Debug, Clone, Serialize)]
pub struct PageScore {
    pub id: String,
    pub path: PathBuf,
    #[serde(flatten)]
    pub shingles: ShingleMatch,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
}

impl PageScore {
    /// The page's F1 (0 when either side is missing), for ranking.
    pub fn f1(&self) -> f64 {
        match (self.precision, self.recall) {
            (Some(p), Some(r)) if p + r > 0.0 => 2.0 * p * r / (p + r),
            _ => 0.0,
        }
    }
}

/// The result of an evaluation run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    #[serde(flatten)]
    pub metrics: Metrics,
    pub pages: Vec<PageScore>,
    #[serde(serialize_with = "serialize_secs")]
    pub elapsed: Duration,
}

fn serialize_secs<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

impl Report {
    /// Pages cleaned per second (cleaning time only, files read beforehand).
    pub fn pages_per_second(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.pages.len() as f64 / secs
        } else {
            0.0
        }
    }

    /// The `n` pages with the lowest F1, worst first.
    pub fn worst(&self, n: usize) -> Vec<&PageScore> {
        let mut pages: Vec<&PageScore> = self.pages.iter().collect();
        pages.sort_by(|a, b| a.f1().total_cmp(&b.f1()).then_with(|| a.id.cmp(&b.id)));
        pages.truncate(n);
        pages
    }
}

/// The file holding page `id` in `dir`: `<id>.html.gz`, `<id>.html` or
/// `<id>.txt`, the ones matching `input` first.
pub fn find_page(dir: &Path, id: &str, input: InputKind) -> Option<PathBuf> {
    let order: &[&str] = match input {
        InputKind::Text => &["txt", "html.gz", "html"],
        InputKind::Html | InputKind::Auto => &["html.gz", "html", "txt"],
    };
    order
        .iter()
        .map(|ext| dir.join(format!("{id}.{ext}")))
        .find(|p| p.is_file())
}

/// Read a page file, gunzipping `*.gz` (with decoding's size cap) before
/// the timed cleaning starts.
pub fn read_page(path: &Path) -> Result<Vec<u8>, EvalError> {
    let bytes = std::fs::read(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if path.extension().is_some_and(|e| e == "gz") {
        return crate::decode::gunzip(&bytes, crate::decode::DEFAULT_MAX_BYTES).map_err(|source| {
            EvalError::Clean {
                path: path.to_path_buf(),
                source: source.into(),
            }
        });
    }
    Ok(bytes)
}

/// Clean every page of `gold` found in `dir` and score it. Every gold id
/// must have a page.
pub fn evaluate(
    cleaner: &Cleaner,
    gold: &Gold,
    dir: &Path,
    input: InputKind,
) -> Result<Report, EvalError> {
    let mut inputs = Vec::with_capacity(gold.len());
    for (id, page) in gold {
        let path = find_page(dir, id, input).ok_or_else(|| EvalError::MissingPage {
            dir: dir.to_path_buf(),
            id: id.clone(),
        })?;
        let bytes = read_page(&path)?;
        inputs.push((id, page, path, bytes));
    }
    let start = Instant::now();
    let mut pages = Vec::with_capacity(inputs.len());
    for (id, page, path, bytes) in inputs {
        let options = Options {
            input,
            url: page.url.clone(),
            site: None,
            body_only: true,
        };
        let cleaned = cleaner
            .clean_bytes(&bytes, &options)
            .map_err(|source| EvalError::Clean {
                path: path.clone(),
                source,
            })?;
        let shingles = score(&page.article_body, &cleaned.text());
        pages.push(PageScore {
            id: id.clone(),
            path,
            precision: shingles.precision(),
            recall: shingles.recall(),
            shingles,
        });
    }
    let elapsed = start.elapsed();
    Ok(Report {
        metrics: metrics(pages.iter().map(|p| &p.shingles)),
        pages,
        elapsed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn tokens_are_word_runs_with_case_kept() {
        let t: Vec<_> = tokens("Hello, wörld_2! -- 3.5 Ünïcode").collect();
        assert_eq!(t, ["Hello", "wörld_2", "3", "5", "Ünïcode"]);
    }

    #[test]
    fn identical_texts_score_one() {
        let m = score("one two three four five", "one two three four five");
        assert_eq!(m.precision(), Some(1.0));
        assert_eq!(m.recall(), Some(1.0));
    }

    #[test]
    fn case_matters_as_in_the_benchmark() {
        let m = score("one two three four", "One two three four");
        assert_eq!(m.precision(), Some(0.0));
    }

    #[test]
    fn short_texts_are_one_shingle() {
        let m = score("just two", "just two");
        assert_eq!(m.precision(), Some(1.0));
        let m = score("just two", "just three");
        assert_eq!(m.recall(), Some(0.0));
    }

    #[test]
    fn extra_text_lowers_precision_only() {
        // Gold: 5 tokens -> 2 shingles. Prediction: gold + 2 tokens -> 4
        // shingles, 2 of them extra.
        let m = score("a b c d e", "a b c d e f g");
        assert!(close(m.recall().unwrap_or(-1.0), 1.0));
        assert!(close(m.precision().unwrap_or(-1.0), 0.5));
        assert!(close(
            m.true_positive + m.false_positive + m.false_negative,
            1.0
        ));
    }

    #[test]
    fn repeated_shingles_count_as_a_multiset() {
        let m = score("a b c d", "a b c d a b c d");
        // Prediction shingles: abcd, bcda, cdab, dabc, abcd -> abcd twice.
        assert!(close(m.precision().unwrap_or(-1.0), 0.2));
    }

    #[test]
    fn empty_sides_leave_the_average() {
        let empty_pred = score("a b c d", "");
        assert_eq!(empty_pred.precision(), None);
        assert_eq!(empty_pred.recall(), Some(0.0));
        let both_empty = score("", "");
        assert_eq!(both_empty.precision(), None);
        assert_eq!(both_empty.recall(), None);
        let m = metrics([&empty_pred, &score("a b c d", "a b c d")]);
        assert!(close(m.precision, 1.0));
        assert!(close(m.recall, 0.5));
        assert!(close(m.f1, 2.0 * 0.5 / 1.5));
    }

    #[test]
    fn evaluates_the_fixture_directory() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/eval");
        let gold = load_gold(&dir.join("gold.json")).expect("fixture gold loads");
        let cleaner = Cleaner::new(crate::RuleSet::empty());
        let report = evaluate(&cleaner, &gold, &dir, InputKind::Text).expect("fixture evaluates");
        assert_eq!(report.pages.len(), 2);
        // Each page's boilerplate costs precision; the article must be kept.
        for page in &report.pages {
            assert!(page.recall.unwrap_or(0.0) > 0.9, "{page:?}");
        }
        assert!(report.metrics.f1 > 0.0 && report.metrics.f1 <= 1.0);
        assert_eq!(report.worst(1).len(), 1);
    }

    #[test]
    fn gzipped_pages_are_read() {
        use std::io::Write;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("p1.html.gz");
        let file = std::fs::File::create(&path).expect("create");
        let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
        gz.write_all(b"<p>hello</p>").expect("write");
        gz.finish().expect("finish");
        assert_eq!(
            find_page(dir.path(), "p1", InputKind::Auto),
            Some(path.clone())
        );
        assert_eq!(read_page(&path).expect("gunzip"), b"<p>hello</p>");
    }

    #[test]
    fn missing_pages_and_bad_gold_are_errors() {
        let dir = tempfile::tempdir().expect("tempdir");
        let gold_path = dir.path().join("gold.json");
        std::fs::write(&gold_path, "[1, 2]").expect("write");
        assert!(matches!(load_gold(&gold_path), Err(EvalError::Gold { .. })));
        let mut gold = Gold::new();
        gold.insert("nope".into(), GoldPage::default());
        let cleaner = Cleaner::new(crate::RuleSet::empty());
        let err = evaluate(&cleaner, &gold, dir.path(), InputKind::Text).unwrap_err();
        assert!(err.to_string().contains("nope.txt"), "{err}");
    }
}
