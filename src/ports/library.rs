//! The library: series on record (`SeriesStore`) and series folders on disk (`LibraryFs`).
