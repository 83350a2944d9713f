//! HLS playlists, parsed without I/O: master or media playlist, the variant to fetch, the
//! segment URIs resolved against the playlist URL and the `#EXT-X-KEY` AES-128 attributes.
