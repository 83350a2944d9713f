//! The catalogue sites' adapters (aniworld.to, s.to) on the one shared HTTP client, and the
//! provider settings they follow while running.

use std::sync::Arc;
use std::time::Duration;

use super::{ServeOptions, StartupError, follow_config};
use crate::adapters::catalogue::sto::StoCatalogue;
use crate::adapters::catalogue::{AniworldCatalogue, CatalogueSettings};
use crate::adapters::fetch::Fetcher;
use crate::app::config::ConfigService;
use crate::domain::config::{Settings, mirrors};
use crate::domain::site::Site;
use crate::ports::Catalogue;

/// aniworld.to's and s.to's catalogue adapters, and the client they share.
pub(super) type Catalogues = (Arc<dyn Catalogue>, Arc<dyn Catalogue>, Fetcher);

/// Each site's catalogue adapter (aniworld.to, s.to) and the one shared HTTP client they
/// and the hosters use. s.to's base is `--sto-url`, else `provider.sto_url` as it was at
/// start (a change of that setting applies at the next start; s.to's on/off applies at once).
pub(super) fn build(
    opts: &ServeOptions,
    config: &ConfigService,
) -> Result<Catalogues, StartupError> {
    let current = config.current();
    let (timeout, cache_ttl) = provider_settings(&current);
    let settings = CatalogueSettings {
        base_url: opts.provider_url.clone(),
        timeout,
        cache_ttl,
        ..CatalogueSettings::default()
    };
    let fetcher = Fetcher::new(settings.timeout, settings.max_body_bytes)
        .map_err(|e| StartupError::Config(format!("HTTP client: {e}")))?;
    let sto_url = opts
        .sto_url
        .clone()
        .unwrap_or_else(|| current.provider.sto_url.clone());
    let sto_settings = CatalogueSettings {
        base_url: sto_url.clone(),
        ..settings.clone()
    };
    let sto = Arc::new(
        StoCatalogue::with_fetcher(&sto_settings, fetcher.clone())
            .map_err(|e| StartupError::Config(format!("--sto-url: {e}")))?,
    );
    let aniworld = Arc::new(
        AniworldCatalogue::with_fetcher(settings, fetcher.clone())
            .map_err(|e| StartupError::Config(format!("--provider-url: {e}")))?,
    );
    // `PUT /api/config` applies the provider timeout, cache lifetime, FlareSolverr URL,
    // mirrors and DNS-over-HTTPS endpoint without a restart.
    let (live, live_sto, shared, main) = (
        aniworld.clone(),
        sto.clone(),
        fetcher.clone(),
        opts.provider_url.clone(),
    );
    follow_config(config.subscribe(), move |c| {
        let (timeout, cache_ttl) = provider_settings(c);
        live.apply(timeout, cache_ttl);
        live_sto.apply(cache_ttl);
        shared.set_solver(c.provider.flaresolverr_url.clone());
        shared.set_dns_over_https(c.provider.dns_over_https.clone());
        for (site, base) in [(mirrors::MAIN_SITE, &main), (Site::Sto.name(), &sto_url)] {
            let mirrors = c.provider.mirrors.get(site);
            shared.set_mirrors(base, mirrors.map_or(&[][..], Vec::as_slice));
        }
    });
    Ok((aniworld, sto, fetcher))
}

/// The configured provider deadline and page-cache lifetime.
fn provider_settings(config: &Settings) -> (Duration, Duration) {
    let p = &config.provider;
    (
        Duration::from_secs(u64::from(p.timeout_seconds)),
        Duration::from_secs(u64::from(p.cache_minutes) * 60),
    )
}

/// `--flaresolverr-url` into the configuration, checked as the settings check it; nothing is
/// written when it is already so.
pub(super) async fn set_flaresolverr(
    config: &ConfigService,
    url: &str,
) -> Result<(), StartupError> {
    let url = url.trim();
    let wanted = (!url.is_empty()).then(|| url.to_owned());
    if config.current().provider.flaresolverr_url == wanted {
        return Ok(());
    }
    let patch = serde_json::json!({ "provider": { "flaresolverr_url": wanted } });
    config
        .update(|c| c.patched(&patch))
        .await
        .map(drop)
        .map_err(|e| match e {
            crate::app::config::ConfigError::Invalid(issues) => StartupError::Config(format!(
                "--flaresolverr-url: {}",
                issues
                    .iter()
                    .map(|i| i.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
            other => StartupError::Config(format!("--flaresolverr-url: {other}")),
        })
}
