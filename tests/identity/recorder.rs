//! The ClientHello recorder: a TCP listener on 127.0.0.1 (port 0) that reads each connection's
//! first TLS records until the whole ClientHello handshake message is in, keeps the first
//! complete one and closes the connection (the client's handshake then fails, as intended).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::PATIENCE;
use crate::hello::ClientHello;

/// The most bytes read from one connection: a ClientHello with a post-quantum key share is
/// about 2 KB; TLS caps a handshake message far above what any client sends first.
const MAX_HELLO: usize = 64 * 1024;

/// A listening recorder; the accept loop ends when it drops.
pub struct Recorder {
    pub port: u16,
    hello: Arc<Mutex<Option<Vec<u8>>>>,
    arrived: Arc<Notify>,
    task: JoinHandle<()>,
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads TLS handshake records until one whole handshake message is in, and returns it.
async fn read_hello(stream: &mut TcpStream) -> Result<Vec<u8>, String> {
    let mut message = Vec::new();
    loop {
        let mut header = [0u8; 5];
        stream
            .read_exact(&mut header)
            .await
            .map_err(|e| format!("record header: {e}"))?;
        if header[0] != 0x16 {
            return Err(format!("record type {} is not a handshake", header[0]));
        }
        let len = u16::from_be_bytes([header[3], header[4]]) as usize;
        if message.len() + len > MAX_HELLO {
            return Err("ClientHello larger than the cap".into());
        }
        let start = message.len();
        message.resize(start + len, 0);
        stream
            .read_exact(&mut message[start..])
            .await
            .map_err(|e| format!("record body: {e}"))?;
        if message.len() >= 4 {
            let want = 4 + u32::from_be_bytes([0, message[1], message[2], message[3]]) as usize;
            if want > MAX_HELLO {
                return Err("ClientHello larger than the cap".into());
            }
            if message.len() >= want {
                message.truncate(want);
                return Ok(message);
            }
        }
    }
}

impl Recorder {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        let hello = Arc::new(Mutex::new(None));
        let arrived = Arc::new(Notify::new());
        let (slot, signal) = (hello.clone(), arrived.clone());
        let task = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let (slot, signal) = (slot.clone(), signal.clone());
                tokio::spawn(async move {
                    let read = tokio::time::timeout(PATIENCE, read_hello(&mut stream)).await;
                    if let Ok(Ok(bytes)) = read {
                        slot.lock().unwrap().get_or_insert(bytes);
                        signal.notify_waiters();
                    }
                });
            }
        });
        Self {
            port,
            hello,
            arrived,
            task,
        }
    }

    /// The first complete ClientHello, waiting up to `within` for it.
    pub async fn hello(&self, within: Duration) -> Result<ClientHello, String> {
        let wait = async {
            loop {
                let notified = self.arrived.notified();
                if let Some(bytes) = self.hello.lock().unwrap().clone() {
                    return bytes;
                }
                notified.await;
            }
        };
        let bytes = tokio::time::timeout(within, wait)
            .await
            .map_err(|_| format!("no ClientHello within {within:?}"))?;
        ClientHello::parse(&bytes)
    }
}
