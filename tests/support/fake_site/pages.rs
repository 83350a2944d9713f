//! The fake site's HTML: series, season and films pages shaped like the real site's
//! (PROVIDER.md), with its noise — navigation, scripts, entities, related-series links,
//! the first season's episode links on the series page; the metadata line is `metadata.rs`.

use super::metadata::{GENRE_DECOYS, alternative_titles_attribute, cover_box, details, years};
use super::model::{FakeEpisode, FakeSeries};

/// Escapes text for HTML content and double- or single-quoted attributes, as the site does.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#039;"),
            _ => out.push(c),
        }
    }
    out
}

/// A whole page around `main`: head with scripts, header navigation, footer.
pub fn layout(title: &str, main: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | AniWorld.to - Animes gratis online ansehen</title>
<link rel="stylesheet" href="/public/css/style.css?v=3.7">
<script type="text/javascript">
  var _paq = window._paq = window._paq || [];
  if (window.innerWidth < 768 && document.cookie.indexOf("x=1") > -1) {{ _paq.push(['trackPageView']); }}
</script>
</head>
<body>
<header class="main-header">
  <div class="header-container">
    <a href="/" class="logo"><img src="/public/img/logo.svg" alt="AniWorld.to &ndash; Anime Streams"></a>
    <nav class="primary-navigation"><ul>
      <li><a href="/animes">Animes</a></li>
      <li><a href="/animekalender">Kalender</a></li>
      <li><a href="/support/regeln">Support</a></li>
      <li><a href="/anime/stream/one-piece">Beliebt: One Piece</a></li>
      {GENRE_DECOYS}
    </ul></nav>
  </div>
</header>
{main}
<footer><p>&copy; 2026 AniWorld &middot; <a href="/support/impressum">Impressum</a></p></footer>
<script src="/public/js/main.js?v=3.7" defer></script>
</body>
</html>
"#
    )
}

/// The season and episode navigation every series, season and episode page carries.
/// `current` is the season whose episode links are listed (0 = films).
pub fn season_nav(series: &FakeSeries, current: u32) -> String {
    let key = &series.key;
    let mut nav = String::from(
        "<div id=\"stream\" class=\"hosterSiteDirectNav\">\n<ul>\n<li><span><strong>Staffeln:</strong></span></li>\n",
    );
    if !series.films.is_empty() {
        let active = if current == 0 {
            " class=\"active\""
        } else {
            ""
        };
        nav.push_str(&format!(
            "<li><a{active} title=\"Alle Filme\" href=\"/anime/stream/{key}/filme\">Filme</a></li>\n"
        ));
    }
    for season in &series.seasons {
        let n = season.number;
        let active = if n == current { "active" } else { "" };
        nav.push_str(&format!(
            "<li><a href=\"/anime/stream/{key}/staffel-{n}\" title=\"Staffel {n}\" class=\"{active}\">{n}</a></li>\n"
        ));
    }
    nav.push_str("</ul>\n<ul>\n<li><span><strong>Episoden:</strong></span></li>\n");
    for episode in series.episodes_of(current).unwrap_or_default() {
        let href = episode_path(key, current, episode.number);
        nav.push_str(&format!(
            "<li><a data-episode-id=\"{}\" title=\"Staffel {current} Episode {m}\" href=\"{href}\" data-season-id=\"{current}\">{m}</a></li>\n",
            40_000 + episode.number,
            m = episode.number
        ));
    }
    nav.push_str("</ul>\n</div>\n");
    nav
}

/// The path of an episode page (season 0 = films).
pub fn episode_path(key: &str, season: u32, episode: u32) -> String {
    if season == 0 {
        format!("/anime/stream/{key}/filme/film-{episode}")
    } else {
        format!("/anime/stream/{key}/staffel-{season}/episode-{episode}")
    }
}

/// The series head: cover, title, years, FSK, IMDb, genres and description.
fn series_head(series: &FakeSeries) -> String {
    let title = esc(&series.title);
    let short: String = series.description.chars().take(24).collect();
    format!(
        r#"<div class="seriesContentBox" itemscope itemtype="http://schema.org/TVSeries">
<div class="container row">
  {cover}<div class="series-title">
    <h1 itemprop="name" title="Anime Stream {title}"{alternatives}><span>{title}</span></h1>
    {years}
    {details}</div>
  <meta itemprop="numberOfSeasons" content="{seasons}">
  <p data-description-type="review" class="seri_des" itemprop="accessibilitySummary" data-full-description="{description}">{short}&hellip; <span class="showMore">Mehr anzeigen</span></p>
</div>
</div>
"#,
        cover = cover_box(series),
        alternatives = alternative_titles_attribute(series),
        years = years(series),
        details = details(series),
        seasons = series.seasons.len(),
        description = esc(&series.description),
        short = esc(&short),
    )
}

/// Links to other series, as the real site's "similar series" box has them: they must not be
/// taken for this series' seasons.
fn related(all_keys: &[String], own: &str) -> String {
    let mut box_ = String::from("<div class=\"similarSeries\"><h3>&Auml;hnliche Animes</h3>\n");
    for key in all_keys.iter().filter(|k| *k != own) {
        box_.push_str(&format!(
            "<a href=\"/anime/stream/{key}\">{key}</a> <a href=\"/anime/stream/{key}/staffel-1\">Staffel 1</a>\n"
        ));
    }
    box_.push_str("</div>\n");
    box_
}

/// The series page: head, navigation (first season's episodes) and related series.
pub fn series_page(series: &FakeSeries, all_keys: &[String]) -> String {
    let first = series.seasons.first().map_or(0, |s| s.number);
    let main = format!(
        "{}{}<a class=\"button\" href=\"{}\">Jetzt ansehen</a>\n{}",
        series_head(series),
        season_nav(series, first),
        episode_path(&series.key, first, 1),
        related(all_keys, &series.key)
    );
    layout(&esc(&series.title), &main)
}

/// One row of a season table: number link, titles, hoster icons, language flags.
fn episode_row(series: &FakeSeries, season: u32, episode: &FakeEpisode) -> String {
    let href = episode_path(&series.key, season, episode.number);
    let m = episode.number;
    let german = esc(episode.title_german.as_deref().unwrap_or(""));
    let english = esc(episode.title_english.as_deref().unwrap_or(""));
    let icons: String = episode
        .links
        .iter()
        .map(|l| {
            format!(
                "<i class=\"icon {0}\" title=\"{0}\"></i>",
                esc(l.hoster.name())
            )
        })
        .collect();
    let label = if season == 0 { "Film" } else { "Folge" };
    format!(
        r#"<tr itemprop="episode" itemscope itemtype="http://schema.org/Episode" data-episode-id="{id}" data-episode-season-id="{m}" class="">
  <td class="season{season}EpisodeID"><meta itemprop="episodeNumber" content="{m}"><a itemprop="url" href="{href}">{label} {m}</a></td>
  <td class="seasonEpisodeTitle"><a href="{href}"><strong>{german}</strong> - <span>{english}</span></a></td>
  <td><a href="{href}">{icons}</a></td>
  <td class="editFunctions"><a href="{href}"><img class="flag" src="/public/img/german.svg" alt="Deutsche Flagge" title="Deutsch/German"></a></td>
</tr>
"#,
        id = 40_000 + m,
    )
}

/// A season page (season 0 = the films page), or `None` when the series has no such season.
pub fn season_page(series: &FakeSeries, season: u32) -> Option<String> {
    let episodes = series.episodes_of(season)?;
    let rows: String = episodes
        .iter()
        .map(|e| episode_row(series, season, e))
        .collect();
    let heading = if season == 0 {
        "Filme".to_owned()
    } else {
        format!("Staffel {season}")
    };
    let main = format!(
        r#"{head}{nav}<table class="seasonEpisodesList" data-season-id="{season}">
<thead><tr><th>{heading}</th><th>Titel</th><th>Hoster</th><th>Sprache</th></tr></thead>
<tbody id="season{season}">
{rows}</tbody>
</table>
"#,
        head = series_head(series),
        nav = season_nav(series, season),
    );
    Some(layout(&format!("{} {heading}", esc(&series.title)), &main))
}
