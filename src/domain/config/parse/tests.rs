use super::*;

fn fields(doc: AppConfig) -> Vec<String> {
    Settings::try_from(doc)
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|i| i.field)
        .collect()
}

#[test]
fn the_defaults_are_valid() {
    assert_eq!(Settings::try_from(AppConfig::default()).err(), None);
}

#[test]
fn out_of_range_values_are_each_reported_by_field() {
    let mut c = AppConfig::default();
    c.scheduler.interval_minutes = 0;
    c.logging.level = "LOUD".into();
    c.downloads.preferred_languages = vec!["Klingon".into()];
    assert_eq!(
        fields(c),
        [
            "scheduler.interval_minutes",
            "logging.level",
            "downloads.preferred_languages"
        ]
    );
}

#[test]
fn the_flaresolverr_url_must_be_an_http_url() {
    for good in [
        "http://localhost:8191",
        "https://solver.lan/",
        "http://10.0.0.2:8191",
    ] {
        let mut c = AppConfig::default();
        c.provider.flaresolverr_url = Some(good.into());
        assert_eq!(fields(c), Vec::<String>::new(), "{good}");
    }
    for bad in [
        "localhost:8191",
        "ftp://x",
        "http://",
        "http:///x",
        "http://a b",
        "",
    ] {
        let mut c = AppConfig::default();
        c.provider.flaresolverr_url = Some(bad.into());
        assert_eq!(fields(c), ["provider.flaresolverr_url"], "{bad}");
    }
}

#[test]
fn paths_leaving_the_data_dir_are_rejected() {
    let mut c = AppConfig::default();
    c.backup.path = "/tmp/elsewhere".into();
    assert_eq!(fields(c)[0], "backup.path");
}

#[test]
fn a_relative_anime_directory_and_bad_proxies_are_reported_last() {
    let mut c = AppConfig {
        anime_directory: Some("anime".into()),
        ..AppConfig::default()
    };
    c.security.trusted_proxies = vec!["proxy.lan".into()];
    assert_eq!(fields(c), ["security.trusted_proxies", "anime_directory"]);
}

#[test]
fn settings_give_back_the_document_they_were_read_from() {
    let mut c = AppConfig {
        anime_directory: Some("/srv/anime".into()),
        ..AppConfig::default()
    };
    c.logging.level = "warning".into();
    c.logging.file = Some("logs/a.log".into());
    c.downloads.preferred_languages = vec!["german sub".into()];
    c.security.trusted_proxies = vec![" 10.0.0.1".into(), "fd00::/8".into()];
    let settings = Settings::try_from(c.clone()).unwrap();
    assert_eq!(AppConfig::from(&settings), c);
}
