//! The catalogue-site scraper (reqwest + scraper).
