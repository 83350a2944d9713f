//! The wire under the shared fetcher: a hyper client over BoringSSL set up as Chrome
//! (`tls.rs`), HTTP/2 where the server offers it by ALPN (with Chrome's SETTINGS values),
//! HTTP/1.1 with header names in Chrome's spelling otherwise, lookups through `dns.rs`.
//!
//! One request goes out as given (no redirects followed, no headers added but `Host` for
//! HTTP/1.1); its answer's body is read chunk by chunk, decoded where the server compressed
//! it (gzip, deflate, br, zstd: what the identity's `Accept-Encoding` offers).

use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{Stream, StreamExt, TryStreamExt};
use http::header::CONTENT_ENCODING;
use http::{HeaderMap, Request, StatusCode, Version};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_boring::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tokio_util::io::{ReaderStream, StreamReader};

use super::dns::Resolver;
use crate::adapters::error_chain as describe;
use crate::domain::catalogue::ProviderError;

/// A request failed before or while its answer arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpError {
    /// No answer (or no next chunk) in time.
    Timeout,
    /// Refused, reset, DNS, TLS, or a body that could not be decoded.
    Transport(String),
}

impl From<HttpError> for ProviderError {
    fn from(e: HttpError) -> Self {
        match e {
            HttpError::Timeout => Self::Timeout,
            HttpError::Transport(why) => Self::Transport(why),
        }
    }
}

/// The answer to one request; its body still to be read.
pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub version: Version,
    /// The URL asked (after any mirror rewriting): redirects are the caller's.
    pub url: url::Url,
    body: Body,
}

type Chunks = Pin<Box<dyn Stream<Item = std::io::Result<Bytes>> + Send>>;

enum Body {
    Plain(Incoming),
    Decoded(Chunks),
}

impl Response {
    /// `Content-Length`, where the server gave it and did not compress the body.
    pub fn content_length(&self) -> Option<u64> {
        if matches!(self.body, Body::Decoded(_)) {
            return None;
        }
        self.headers
            .get(http::header::CONTENT_LENGTH)?
            .to_str()
            .ok()?
            .parse()
            .ok()
    }

    /// The next chunk of the body, `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, HttpError> {
        match &mut self.body {
            Body::Plain(incoming) => loop {
                match incoming.frame().await {
                    None => return Ok(None),
                    Some(Err(e)) => return Err(HttpError::Transport(describe(&e))),
                    Some(Ok(frame)) => {
                        if let Ok(data) = frame.into_data()
                            && !data.is_empty()
                        {
                            return Ok(Some(data));
                        }
                    }
                }
            },
            Body::Decoded(chunks) => chunks
                .next()
                .await
                .transpose()
                .map_err(|e| HttpError::Transport(format!("undecodable body: {e}"))),
        }
    }
}

/// The shared connection pool; cheap to clone.
#[derive(Clone)]
pub struct Transport {
    client: Client<HttpsConnector<HttpConnector<Resolver>>, Full<Bytes>>,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport").finish_non_exhaustive()
    }
}

impl Transport {
    pub fn new(resolver: Resolver) -> Result<Self, ProviderError> {
        let tls =
            |e: boring::error::ErrorStack| ProviderError::Transport(format!("TLS setup: {e}"));
        let mut http = HttpConnector::new_with_resolver(resolver);
        http.enforce_http(false);
        http.set_connect_timeout(Some(Duration::from_secs(10)));
        http.set_nodelay(true);
        let mut https = HttpsConnector::with_connector(http, super::tls::chrome().map_err(tls)?)
            .map_err(tls)?;
        https.set_ssl_callback(|ssl, _uri| super::tls::per_connection(ssl));
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(60))
            .http1_title_case_headers(true)
            // Chrome's HTTP/2 SETTINGS and connection window.
            .http2_initial_stream_window_size(6_291_456)
            .http2_initial_connection_window_size(15_728_640)
            .http2_max_header_list_size(262_144)
            .http2_header_table_size(65_536)
            .build(https);
        Ok(Self { client })
    }

    /// Sends `request` (its URL absolute) and returns the answer once its head arrived.
    pub async fn send(
        &self,
        request: Request<Full<Bytes>>,
        decode: bool,
    ) -> Result<Response, HttpError> {
        let url = url::Url::parse(&request.uri().to_string())
            .map_err(|e| HttpError::Transport(format!("not a URL: {e}")))?;
        let response = self
            .client
            .request(request)
            .await
            .map_err(|e| HttpError::Transport(describe(&e)))?;
        let (head, incoming) = response.into_parts();
        let encoding = head
            .headers
            .get(CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().to_ascii_lowercase())
            .filter(|v| !v.is_empty() && v != "identity");
        let body = match encoding {
            Some(encoding) if decode => Body::Decoded(decoder(&encoding, incoming)?),
            _ => Body::Plain(incoming),
        };
        Ok(Response {
            status: head.status,
            headers: head.headers,
            version: head.version,
            url,
            body,
        })
    }
}

/// The body decoded from `encoding`.
fn decoder(encoding: &str, incoming: Incoming) -> Result<Chunks, HttpError> {
    use async_compression::tokio::bufread::{
        BrotliDecoder, DeflateDecoder, GzipDecoder, ZlibDecoder, ZstdDecoder,
    };
    let raw = StreamReader::new(incoming.into_data_stream().map_err(std::io::Error::other));
    let stream: Chunks = match encoding {
        "gzip" | "x-gzip" => Box::pin(ReaderStream::new(GzipDecoder::new(raw))),
        // HTTP's "deflate" is zlib-wrapped; a few servers send raw deflate.
        "deflate" => Box::pin(ReaderStream::new(ZlibDecoder::new(raw))),
        "raw-deflate" => Box::pin(ReaderStream::new(DeflateDecoder::new(raw))),
        "br" => Box::pin(ReaderStream::new(BrotliDecoder::new(raw))),
        "zstd" => Box::pin(ReaderStream::new(ZstdDecoder::new(raw))),
        other => {
            return Err(HttpError::Transport(format!(
                "an answer in an encoding not asked for ({other})"
            )));
        }
    };
    Ok(stream)
}
