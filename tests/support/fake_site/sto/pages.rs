//! The fake s.to's HTML around its content, and its series and season pages, shaped like the
//! fixtures `tests/fixtures/sto/series.html` and `season.html`: a header with its own search
//! form, the flag symbols, the series head (cover, `h1`, year links, IMDb, description,
//! `li.series-group`s), the season pills, the episode table, a box of related series and a
//! "popular series" box whose links go to other series' seasons and episodes.

use super::super::model::{FakeEpisode, FakeSeries};
use super::super::pages::esc;
use super::episode_page::sto_language;
use super::{sto_episode_path, sto_season_path, sto_series_path};

/// The flag icons the pages refer to with `<use href="#icon-flag-...">`.
const FLAG_SYMBOLS: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" style="display: none">
  <symbol id="icon-flag-german" viewBox="0 0 5 3"><rect width="5" height="3" fill="#FFCE00"/></symbol>
  <symbol id="icon-flag-english" viewBox="0 0 60 30"><rect width="60" height="30" fill="#012169"/></symbol>
  <symbol id="icon-flag-english-german" viewBox="0 0 60 30"><rect width="60" height="30" fill="#012169"/></symbol>
</svg>"##;

/// A whole page around `main`: head with scripts, flag symbols, navigation with the header's
/// search form, the popular series of `all` but `own`, footer.
pub fn layout(title: &str, main: &str, all: &[FakeSeries], own: Option<&str>) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="de" data-bs-theme="dark">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="q1Xb3hUe9yLr0cVn6pKmZt2aJw8sDf4gHj5kLo7P">
<title>{title} | S.to &ndash; Serien online schauen</title>
<link rel="stylesheet" href="/build/assets/app-Dx8f3kQa.css">
<script type="module" src="/build/assets/app-B7cQ1mZr.js"></script>
<script>window.__sto = {{"locale":"de","user":null,"suggest":"\/api\/search\/suggest"}};</script>
</head>
<body class="d-flex flex-column min-vh-100">
{FLAG_SYMBOLS}
<nav class="navbar navbar-expand-lg sticky-top bg-body-tertiary">
  <div class="container-fluid">
    <a class="navbar-brand" href="/"><img src="/img/logo.svg" alt="S.to" width="96" height="32"></a>
    <ul class="navbar-nav me-auto">
      <li class="nav-item"><a class="nav-link" href="/serien">Serien A&ndash;Z</a></li>
      <li class="nav-item"><a class="nav-link" href="/genre/drama">Drama</a></li>
      <li class="nav-item"><a class="nav-link" href="/neu">Neue Episoden</a></li>
    </ul>
    <form class="d-flex header-search" action="/suche" method="get" role="search">
      <input class="form-control" type="search" name="term" placeholder="Serie, Person, Genre&hellip;" autocomplete="off" data-suggest-url="/api/search/suggest">
    </form>
  </div>
</nav>
<main id="main" class="flex-grow-1">
{main}</main>
{popular}<footer class="footer mt-auto py-3 border-top">
  <div class="container-fluid small text-muted"><a href="/impressum">Impressum</a> &middot; <a href="/dmca">DMCA</a> &middot; &copy; 2026 S.to</div>
</footer>
<script>document.querySelectorAll('tr.episode-row').forEach(function (row) {{ row.style.cursor = 'pointer'; }});</script>
</body>
</html>
"#,
        popular = popular(all, own),
    )
}

/// The "popular series" box: other series, their first season and first episode.
fn popular(all: &[FakeSeries], own: Option<&str>) -> String {
    let mut out = String::from(
        "<aside class=\"container-fluid popular-series py-3\">\n  <h5>Beliebte Serien</h5>\n  <ul class=\"list-unstyled d-flex gap-3\">\n",
    );
    for other in all.iter().filter(|s| Some(s.key.as_str()) != own) {
        let slug = &other.key;
        out.push_str(&format!(
            "    <li><a href=\"{}\">{title}</a> <a href=\"{}\">Staffel 1</a> <a href=\"{}\">S01E01</a></li>\n",
            sto_series_path(slug),
            sto_season_path(slug, 1),
            sto_episode_path(slug, 1, 1),
            title = esc(&other.title),
        ));
    }
    out.push_str("  </ul>\n</aside>\n");
    out
}

/// The series head: cover, title, years, IMDb link, description and the series groups.
fn series_header(series: &FakeSeries) -> String {
    let title = esc(&series.title);
    let m = &series.metadata;
    let cover = m.cover.as_deref().unwrap_or("/img/cover-placeholder.svg");
    let mut years = String::new();
    if let Some(year) = series.year {
        years.push_str(&format!(
            "<a class=\"small text-muted\" href=\"/jahr/{year}\">{year}</a> &ndash; "
        ));
    }
    years.push_str(&match m.end_year {
        Some(year) => format!("<a class=\"small text-muted\" href=\"/jahr/{year}\">{year}</a>"),
        None => "<span>Heute</span>".into(),
    });
    if let Some(imdb) = &m.imdb {
        years.push_str(&format!(
            " &middot; <a class=\"small text-muted\" href=\"https://www.imdb.com/title/{}/\" target=\"_blank\" rel=\"noopener nofollow\">IMDb</a>",
            esc(imdb)
        ));
    }
    let genres: Vec<String> = m
        .genres
        .iter()
        .map(|g| {
            format!(
                "<a href=\"/genre/{}\">{}</a>",
                esc(&g.to_lowercase()),
                esc(g)
            )
        })
        .collect();
    format!(
        r#"<div class="container-fluid series-header py-4">
  <div class="row">
    <div class="col-3 col-md-3 col-lg-2 d-none d-md-block"><picture><img class="img-fluid rounded shadow" src="{cover}" alt="{title}" width="220" height="330"></picture></div>
    <div class="col">
      <h1 class="h2 mb-1">{title}</h1>
      <p class="small text-muted mb-2">{years}</p>
      <div class="series-description"><span class="description-text">{description}</span><button type="button" class="btn btn-link btn-sm description-toggle">mehr anzeigen</button></div>
      <ul class="list-unstyled series-groups small">
        <li class="series-group"><strong>Genre:</strong> {genres}</li>
        <li class="series-group"><strong>Regisseur:</strong> <a href="/person/rob-corn">Rob Corn</a></li>
        <li class="series-group"><strong>Land:</strong> <a href="/land/usa">USA</a></li>
      </ul>
    </div>
  </div>
</div>
"#,
        cover = esc(cover),
        description = esc(&series.description),
        genres = genres.join(", "),
    )
}

/// The season pills (`staffel-0` first when the series has films), `current` active.
pub fn season_nav(series: &FakeSeries, current: u32) -> String {
    let slug = &series.key;
    let mut pills: Vec<(u32, String)> = Vec::new();
    if !series.films.is_empty() {
        pills.push((0, "Filme &amp; Specials".into()));
    }
    pills.extend(
        series
            .seasons
            .iter()
            .map(|s| (s.number, format!("Staffel {}", s.number))),
    );
    let mut nav = String::from(
        "<nav id=\"season-nav\" class=\"container-fluid season-nav mb-3\">\n  <ul class=\"nav nav-pills\">\n",
    );
    for (n, label) in pills {
        let active = if n == current { " active" } else { "" };
        nav.push_str(&format!(
            "    <li class=\"nav-item\"><a class=\"nav-link{active}\" data-season-pill=\"{n}\" href=\"{}\">{label}</a></li>\n",
            sto_season_path(slug, n)
        ));
    }
    nav.push_str("  </ul>\n</nav>\n");
    nav
}

/// One row of the episode table: number, titles, hoster icons, one flag per language.
fn episode_row(series: &FakeSeries, season: u32, episode: &FakeEpisode) -> String {
    let m = episode.number;
    let german = esc(episode.title_german.as_deref().unwrap_or(""));
    let english = esc(episode.title_english.as_deref().unwrap_or(""));
    let hosters: String = episode
        .links
        .iter()
        .map(|l| {
            let name = esc(l.hoster.name());
            format!(
                "<img src=\"/img/hoster/{}.svg\" alt=\"{name}\">",
                l.hoster.slug()
            )
        })
        .collect();
    let flags: String = episode
        .language_keys()
        .into_iter()
        .map(|key| {
            let flag = sto_language(key).flag;
            format!("<svg class=\"watch-language svg-{flag}\"><use href=\"#{flag}\"></use></svg>")
        })
        .collect();
    format!(
        r#"        <tr class="episode-row" onclick="window.location='{href}'">
          <th scope="row" class="episode-number-cell">{m}</th>
          <td class="episode-title-cell"><strong class="episode-title-ger" title="{german}">{german}</strong> <span class="episode-title-eng" title="{english}">{english}</span></td>
          <td class="episode-hoster-cell">{hosters}</td>
          <td class="episode-language-cell">{flags}</td>
        </tr>
"#,
        href = sto_episode_path(&series.key, season, m),
    )
}

/// The episode table of `season` (0 = films and specials); empty when there is no such
/// season.
pub fn episode_table(series: &FakeSeries, season: u32) -> String {
    let rows: String = series
        .episodes_of(season)
        .unwrap_or_default()
        .iter()
        .map(|e| episode_row(series, season, e))
        .collect();
    format!(
        "<section class=\"container-fluid episode-section\">\n  <table class=\"table table-hover episode-table\" data-season=\"{season}\">\n    <thead><tr><th>#</th><th>Titel</th><th>Hoster</th><th>Sprache</th></tr></thead>\n    <tbody>\n{rows}    </tbody>\n  </table>\n</section>\n"
    )
}

/// The series page: head, pills, the first season's table, related series.
pub fn series_page(series: &FakeSeries, all: &[FakeSeries]) -> String {
    let first = series.seasons.first().map_or(0, |s| s.number);
    let related: String = all
        .iter()
        .filter(|s| s.key != series.key)
        .map(|s| {
            format!(
                "<div class=\"col-6 col-md-2\"><a href=\"{}\" class=\"show-cover\">{}</a> <a data-season-pill=\"2\" href=\"{}\">Staffel 2</a></div>\n",
                sto_season_path(&s.key, 1),
                esc(&s.title),
                sto_season_path(&s.key, 2),
            )
        })
        .collect();
    let main = format!(
        "{}{}{}<section class=\"container-fluid related-series py-3\">\n<h2 class=\"h5\">Das k&ouml;nnte dir auch gefallen</h2>\n<div class=\"row g-3\">\n{related}</div>\n</section>\n",
        series_header(series),
        season_nav(series, first),
        episode_table(series, first),
    );
    layout(&esc(&series.title), &main, all, Some(&series.key))
}

/// A season page (0 = films and specials), or `None` when the series has no such season.
pub fn season_page(series: &FakeSeries, season: u32, all: &[FakeSeries]) -> Option<String> {
    series.episodes_of(season)?;
    let title = esc(&series.title);
    let main = format!(
        "<div class=\"container-fluid series-header py-3\"><h1 class=\"h2 mb-1\">{title}</h1></div>\n{}{}",
        season_nav(series, season),
        episode_table(series, season),
    );
    Some(layout(
        &format!("{title} Staffel {season}"),
        &main,
        all,
        Some(&series.key),
    ))
}
