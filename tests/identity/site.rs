//! A plain HTTP/1.1 site on 127.0.0.1 that records every request's header names and values in
//! the order they came: `/` answers a page linking to `/next` (`<a id=next>`), `/next` a plain
//! page, anything else (a favicon) 404. Keep-alive connections are served request by request.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// The most bytes of one request head, and requests kept.
const MAX_HEAD: usize = 64 * 1024;
const MAX_REQUESTS: usize = 64;

const HOME: &str = "<!doctype html><html><head><title>home</title></head>\
<body><a id=next href=\"/next\">next</a></body></html>";
const NEXT: &str = "<!doctype html><html><head><title>next</title></head><body>next</body></html>";

/// One request: its path and its headers in order.
#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// The header names in order, lower case.
    pub fn names(&self) -> Vec<String> {
        self.headers
            .iter()
            .map(|(n, _)| n.to_ascii_lowercase())
            .collect()
    }

    /// The value of the header `name` (any case).
    pub fn value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A listening site; the accept loop ends when it drops.
pub struct Site {
    pub port: u16,
    requests: Arc<Mutex<Vec<Request>>>,
    arrived: Arc<Notify>,
    task: JoinHandle<()>,
}

impl Drop for Site {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads one request head (up to the blank line); `None` at end of stream.
async fn read_head(stream: &mut TcpStream) -> Option<Request> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() >= MAX_HEAD || stream.read(&mut byte).await.ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head);
    let mut lines = text.split("\r\n");
    let path = lines.next()?.split(' ').nth(1)?.to_owned();
    let headers = lines
        .filter(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.to_owned(), v.trim().to_owned()))
        .collect();
    Some(Request { path, headers })
}

async fn serve(mut stream: TcpStream, requests: Arc<Mutex<Vec<Request>>>, arrived: Arc<Notify>) {
    while let Some(request) = read_head(&mut stream).await {
        let (status, body) = match request.path.as_str() {
            "/" => ("200 OK", HOME),
            "/next" => ("200 OK", NEXT),
            _ => ("404 Not Found", "not found"),
        };
        {
            let mut list = requests.lock().unwrap();
            if list.len() < MAX_REQUESTS {
                list.push(request);
            }
        }
        arrived.notify_waiters();
        let answer = format!(
            "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n\
             Content-Length: {}\r\nCache-Control: no-store\r\n\r\n{body}",
            body.len()
        );
        if stream.write_all(answer.as_bytes()).await.is_err() {
            return;
        }
    }
}

impl Site {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let arrived = Arc::new(Notify::new());
        let (list, signal) = (requests.clone(), arrived.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, list.clone(), signal.clone()));
            }
        });
        Self {
            port,
            requests,
            arrived,
            task,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The first request for `path`, waiting up to `within` for it.
    pub async fn request(&self, path: &str, within: Duration) -> Result<Request, String> {
        let wait = async {
            loop {
                let notified = self.arrived.notified();
                let found = self
                    .requests
                    .lock()
                    .unwrap()
                    .iter()
                    .find(|r| r.path == path)
                    .cloned();
                if let Some(request) = found {
                    return request;
                }
                notified.await;
            }
        };
        tokio::time::timeout(within, wait)
            .await
            .map_err(|_| format!("no request for {path} within {within:?}"))
    }
}
