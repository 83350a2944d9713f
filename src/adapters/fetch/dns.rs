//! Name lookups of every outgoing connection: the system's resolver, or DNS-over-HTTPS
//! (RFC 8484) when `provider.dns_over_https` names an endpoint (CONTRACT.md section 4:
//! German ISPs block the catalogue's names by DNS).
//!
//! A DoH lookup POSTs a DNS query (`application/dns-message`, the wire format built and read
//! with `hickory-proto`) for the name's A and AAAA records to the endpoint, through a plain
//! client of its own whose lookups are the system's (the endpoint's own name has to be found
//! somehow). Answers are cached for their TTL, at least a minute. IP literals and `localhost`
//! never go to DoH.

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex, RwLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use crate::lock::{MutexRecover, RwLockRecover};
use bytes::Bytes;
use hickory_proto::op::{Message, MessageType, OpCode, Query};
use hickory_proto::rr::{Name as DnsName, RData, RecordType};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::dns::{GaiResolver, Name};
use hyper_util::rt::TokioExecutor;
use tower_service::Service;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The shortest time an answer is kept.
const MIN_TTL: Duration = Duration::from_secs(60);
/// The longest wait for a DoH answer.
const DOH_TIMEOUT: Duration = Duration::from_secs(10);

/// The resolver every connection of the shared client asks; cheap to clone.
#[derive(Clone)]
pub struct Resolver {
    inner: Arc<Inner>,
}

struct Inner {
    /// The DoH endpoint, when one is configured.
    doh: RwLock<Option<String>>,
    cache: Mutex<HashMap<String, (Vec<IpAddr>, Instant)>>,
    /// The DoH transport: TLS as the browser identity's, lookups the system's.
    client: Client<hyper_boring::HttpsConnector<HttpConnector>, Full<Bytes>>,
    gai: GaiResolver,
}

impl Resolver {
    pub fn new() -> Result<Self, boring::error::ErrorStack> {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(Duration::from_secs(10)));
        let https = hyper_boring::HttpsConnector::with_connector(http, super::tls::chrome()?)?;
        Ok(Self {
            inner: Arc::new(Inner {
                doh: RwLock::default(),
                cache: Mutex::default(),
                client: Client::builder(TokioExecutor::new()).build(https),
                gai: GaiResolver::new(),
            }),
        })
    }

    /// Sets (or clears) the DoH endpoint; the cache is emptied either way.
    pub fn set_doh(&self, url: Option<String>) {
        let url = url.filter(|u| !u.trim().is_empty());
        let mut doh = self.inner.doh.write_or_recover();
        if *doh != url {
            *doh = url;
            self.inner.cache.lock_or_recover().clear();
        }
    }

    fn doh(&self) -> Option<String> {
        self.inner.doh.read_or_recover().clone()
    }

    async fn lookup(self, name: Name) -> Result<std::vec::IntoIter<SocketAddr>, BoxError> {
        let host = name.as_str().trim_end_matches('.').to_ascii_lowercase();
        let doh = self.doh().filter(|_| {
            host.parse::<IpAddr>().is_err() && host != "localhost" && !host.ends_with(".localhost")
        });
        let Some(endpoint) = doh else {
            let mut gai = self.inner.gai.clone();
            let addrs: Vec<SocketAddr> = gai.call(name).await?.collect();
            return Ok(addrs.into_iter());
        };
        if let Some(ips) = self.cached(&host) {
            return Ok(to_addrs(ips));
        }
        let (v4, v6) = tokio::join!(
            self.ask(&endpoint, &host, RecordType::A),
            self.ask(&endpoint, &host, RecordType::AAAA)
        );
        let mut ips = Vec::new();
        let mut ttl = u32::MAX;
        let mut failure = None;
        for answer in [v4, v6] {
            match answer {
                Ok((found, t)) => {
                    if !found.is_empty() {
                        ttl = ttl.min(t);
                    }
                    ips.extend(found);
                }
                Err(e) => failure = Some(e),
            }
        }
        if ips.is_empty() {
            return Err(failure
                .unwrap_or_else(|| format!("DNS-over-HTTPS knows no address of {host}"))
                .into());
        }
        let keep = Duration::from_secs(u64::from(ttl)).max(MIN_TTL);
        self.inner
            .cache
            .lock_or_recover()
            .insert(host, (ips.clone(), Instant::now() + keep));
        Ok(to_addrs(ips))
    }

    fn cached(&self, host: &str) -> Option<Vec<IpAddr>> {
        let cache = self.inner.cache.lock_or_recover();
        cache
            .get(host)
            .filter(|(_, until)| *until > Instant::now())
            .map(|(ips, _)| ips.clone())
    }

    /// One RFC 8484 POST: the addresses of `kind` the endpoint gives for `host`, and their
    /// smallest TTL.
    async fn ask(
        &self,
        endpoint: &str,
        host: &str,
        kind: RecordType,
    ) -> Result<(Vec<IpAddr>, u32), String> {
        let fail = |why: String| format!("DNS-over-HTTPS ({endpoint}) for {host}: {why}");
        let query = query(host, kind).map_err(fail)?;
        let request = http::Request::post(endpoint)
            .header("accept", "application/dns-message")
            .header("content-type", "application/dns-message")
            .body(Full::new(Bytes::from(query)))
            .map_err(|e| fail(e.to_string()))?;
        let exchange = async {
            let response = self
                .inner
                .client
                .request(request)
                .await
                .map_err(|e| crate::adapters::error_chain(&e))?;
            if !response.status().is_success() {
                return Err(format!("HTTP {}", response.status().as_u16()));
            }
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(|e| e.to_string())?;
            Ok(body.to_bytes())
        };
        let body = tokio::time::timeout(DOH_TIMEOUT, exchange)
            .await
            .map_err(|_| fail("no answer in time".into()))?
            .map_err(fail)?;
        answers(&body, kind).map_err(fail)
    }
}

impl std::fmt::Debug for Resolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resolver")
            .field("doh", &self.doh())
            .finish_non_exhaustive()
    }
}

fn to_addrs(ips: Vec<IpAddr>) -> std::vec::IntoIter<SocketAddr> {
    ips.into_iter()
        .map(|ip| SocketAddr::new(ip, 0))
        .collect::<Vec<_>>()
        .into_iter()
}

/// A recursive query for `host`'s records of `kind` in DNS wire format (id 0, as RFC 8484
/// recommends for caching).
fn query(host: &str, kind: RecordType) -> Result<Vec<u8>, String> {
    let name = DnsName::from_ascii(format!("{host}.")).map_err(|e| e.to_string())?;
    let mut message = Message::new(0, MessageType::Query, OpCode::Query);
    message.metadata.recursion_desired = true;
    message.add_query(Query::query(name, kind));
    message.to_vec().map_err(|e| e.to_string())
}

/// The addresses of `kind` in a DNS answer, and their smallest TTL.
fn answers(wire: &[u8], kind: RecordType) -> Result<(Vec<IpAddr>, u32), String> {
    let message = Message::from_vec(wire).map_err(|e| format!("not a DNS answer: {e}"))?;
    let mut ips = Vec::new();
    let mut ttl = u32::MAX;
    for record in &message.answers {
        let ip = match (&record.data, kind) {
            (RData::A(a), RecordType::A) => IpAddr::V4(a.0),
            (RData::AAAA(a), RecordType::AAAA) => IpAddr::V6(a.0),
            _ => continue,
        };
        ips.push(ip);
        ttl = ttl.min(record.ttl);
    }
    Ok((ips, ttl))
}

impl Service<Name> for Resolver {
    type Response = std::vec::IntoIter<SocketAddr>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, name: Name) -> Self::Future {
        Box::pin(self.clone().lookup(name))
    }
}

#[doc(hidden)]
pub mod testing {
    //! The DNS wire format for a test's DoH responder.

    use super::*;

    /// The name and record type a DoH query asks for.
    pub fn question(wire: &[u8]) -> Option<(String, RecordType, u16)> {
        let message = Message::from_vec(wire).ok()?;
        let q = message.queries.first()?;
        let name = q.name().to_ascii();
        Some((
            name.trim_end_matches('.').to_owned(),
            q.query_type(),
            message.metadata.id,
        ))
    }

    /// The answer to `question` with `ips` (those of the asked type), TTL 300.
    pub fn answer(wire: &[u8], ips: &[IpAddr]) -> Vec<u8> {
        use hickory_proto::rr::Record;
        use hickory_proto::rr::rdata::{A, AAAA};
        let asked = Message::from_vec(wire).expect("a DNS query");
        let q = asked.queries.first().expect("a question").clone();
        let mut reply = Message::new(asked.metadata.id, MessageType::Response, OpCode::Query);
        reply.metadata.recursion_desired = true;
        reply.metadata.recursion_available = true;
        for ip in ips {
            let data = match (ip, q.query_type()) {
                (IpAddr::V4(v4), RecordType::A) => RData::A(A(*v4)),
                (IpAddr::V6(v6), RecordType::AAAA) => RData::AAAA(AAAA(*v6)),
                _ => continue,
            };
            reply.add_answer(Record::from_rdata(q.name().clone(), 300, data));
        }
        reply.add_query(q);
        reply.to_vec().expect("an encodable answer")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_and_its_answer_round_trip_through_the_wire_format() {
        let wire = query("aniworld.to", RecordType::A).unwrap();
        let (name, kind, id) = testing::question(&wire).unwrap();
        assert_eq!((name.as_str(), kind, id), ("aniworld.to", RecordType::A, 0));
        let ip: IpAddr = "203.0.113.7".parse().unwrap();
        let reply = testing::answer(&wire, &[ip, "2001:db8::1".parse().unwrap()]);
        assert_eq!(answers(&reply, RecordType::A).unwrap(), (vec![ip], 300));
        assert!(answers(&reply, RecordType::AAAA).unwrap().0.is_empty());
        assert!(answers(b"\x00\x01garbage", RecordType::A).is_err());
    }
}
