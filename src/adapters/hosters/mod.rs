//! One extractor per video hoster and the registry that picks them by name.
