//! Scoring cleaned text against gold article bodies with the ScrapingHub
//! article-extraction-benchmark metric.
