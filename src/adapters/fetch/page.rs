//! Reading what the site and the hosters answer: a page (capped in size, within the
//! timeout, told apart from challenges and refusals), or where a redirect lands.

use bytes::Bytes;
use http::Method;

use super::challenge::{self, CHALLENGE_STATUSES, is_challenge, refusal};
use super::identity::Kind;
use super::request::Outgoing;
use super::transport::Response;
use super::{Fetcher, Landing, Page};
use crate::domain::catalogue::ProviderError;

impl Fetcher {
    /// GET `url` and follow its redirects while `follow` says so of their target; report the
    /// first target it declines (without asking it: e.g. a hoster's page, which its extractor
    /// fetches next), or where the redirects ended and with which status. Only transport
    /// failures are errors: the caller decides what a status means. A challenge or refusal
    /// where a redirect was expected is [`ProviderError::Challenge`] or
    /// [`ProviderError::Refused`], or is fetched through FlareSolverr where one is configured.
    pub async fn landing(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        follow: impl Fn(&url::Url) -> bool + Sync,
    ) -> Result<Landing, ProviderError> {
        let out = Outgoing {
            method: Method::GET,
            kind: Kind::Navigate,
            headers,
            body: None,
            decode: true,
        };
        let exchange = self.exchange(url, out, &follow);
        let (mut response, redirected) = tokio::time::timeout(self.timeout(), exchange)
            .await
            .map_err(|_| ProviderError::Timeout)??;
        let status = response.status.as_u16();
        let declined = response
            .status
            .is_redirection()
            .then(|| response.headers.get(http::header::LOCATION))
            .flatten()
            .and_then(|l| l.to_str().ok())
            .and_then(|l| response.url.join(l).ok());
        if let Some(next) = declined {
            return Ok(Landing {
                final_url: next.to_string(),
                status,
                redirected: true,
            });
        }
        let final_url = response.url.to_string();
        // Where a redirect was expected, a page (or a refusal) may be a challenge instead.
        if !redirected
            && (status == 200 || CHALLENGE_STATUSES.contains(&status))
            && let Some(why) = refusal(&mut response, status).await
        {
            let solution = self.solved(url, why).await?;
            let redirected = solution.url != url;
            return Ok(Landing {
                final_url: solution.url,
                status: if solution.status == 0 {
                    200
                } else {
                    solution.status
                },
                redirected,
            });
        }
        Ok(Landing {
            final_url,
            status,
            redirected,
        })
    }

    /// GET an image as a page of the site shows it (`Sec-Fetch-Dest: image`, the last page of
    /// its site as `Referer`): its bytes, at most `cap` of them, within the timeout. 404 and
    /// 410 are [`ProviderError::NotFound`], a refusal or challenge is told as for pages, a
    /// larger image is [`ProviderError::TooLarge`].
    pub async fn image(&self, url: &str, cap: u64) -> Result<Vec<u8>, ProviderError> {
        let out = Outgoing {
            method: Method::GET,
            kind: Kind::Image,
            headers: &[],
            body: None,
            decode: true,
        };
        let read = async {
            let (mut response, _) = self.exchange(url, out, &|_| true).await?;
            let status = response.status.as_u16();
            if status == 404 || status == 410 {
                return Err(ProviderError::NotFound);
            }
            if !response.status.is_success() {
                if CHALLENGE_STATUSES.contains(&status)
                    && let Some(why) = refusal(&mut response, status).await
                {
                    return Err(why);
                }
                return Err(ProviderError::Status(status));
            }
            if response.content_length().is_some_and(|n| n > cap) {
                return Err(ProviderError::TooLarge(cap));
            }
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await? {
                if body.len() as u64 + chunk.len() as u64 > cap {
                    return Err(ProviderError::TooLarge(cap));
                }
                body.extend_from_slice(&chunk);
            }
            if is_challenge(&String::from_utf8_lossy(&body[..body.len().min(64 * 1024)])) {
                return Err(challenge::challenge(url));
            }
            Ok(body)
        };
        tokio::time::timeout(self.timeout(), read)
            .await
            .map_err(|_| ProviderError::Timeout)?
    }

    /// One page request, redirects followed, within the timeout.
    pub(super) async fn page(
        &self,
        url: &str,
        method: Method,
        kind: Kind,
        headers: &[(&str, &str)],
        body: Option<(Bytes, &'static str)>,
    ) -> Result<Page, ProviderError> {
        let out = Outgoing {
            method,
            kind,
            headers,
            body,
            decode: true,
        };
        let read = async {
            let (response, _) = self.exchange(url, out, &|_| true).await?;
            self.read_page(response, kind).await
        };
        tokio::time::timeout(self.timeout(), read)
            .await
            .map_err(|_| ProviderError::Timeout)?
    }

    async fn read_page(&self, mut response: Response, kind: Kind) -> Result<Page, ProviderError> {
        let status = response.status.as_u16();
        if status == 404 || status == 410 {
            return Err(ProviderError::NotFound);
        }
        let final_url = response.url.to_string();
        if !response.status.is_success() {
            // A refusal may be bot protection asking for a browser: look before saying 403.
            if CHALLENGE_STATUSES.contains(&status)
                && let Some(why) = refusal(&mut response, status).await
            {
                return Err(why);
            }
            return Err(ProviderError::Status(status));
        }
        if response
            .content_length()
            .is_some_and(|n| n > self.max_body_bytes)
        {
            return Err(ProviderError::TooLarge(self.max_body_bytes));
        }
        let body = read_capped(&mut response, self.max_body_bytes)
            .await?
            .ok_or(ProviderError::TooLarge(self.max_body_bytes))?;
        if is_challenge(&body) {
            return Err(challenge::challenge(&final_url));
        }
        if kind == Kind::Navigate {
            self.visited(&response.url);
        }
        Ok(Page { final_url, body })
    }
}

/// The body as text; `Ok(None)` when it is larger than `cap` bytes.
pub(super) async fn read_capped(
    response: &mut Response,
    cap: u64,
) -> Result<Option<String>, ProviderError> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() as u64 + chunk.len() as u64 > cap {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(String::from_utf8_lossy(&body).into_owned()))
}
