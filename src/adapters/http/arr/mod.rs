//! The inbound adapters for the protocols of Sonarr and its neighbours (INTEGRATIONS.md
//! sections 2 to 4): each a translation of a protocol other programs already speak onto the
//! product's own use cases (search, the queue, the library, health), so those programs can
//! use the product as if it were one of theirs. `sonarr_v3` answers the part of Sonarr's v3
//! API that dashboards and pyarr read.

pub mod sonarr_v3;
