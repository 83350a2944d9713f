//! Library folders, sidecars and the episode-file scan.
