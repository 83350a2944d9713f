//! The metadata files of a series folder (INTEGRATIONS.md section 7): `tvshow.nfo` as Kodi's
//! `<tvshow>` (which Jellyfin, Emby and Plex's agents read) and `poster.jpg`, the cover's bytes
//! as fetched. Each is written atomically (a temporary file, flushed, renamed over), and only
//! where the domain's rule allows: no file there, or the product's own.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::domain::cover::sha256_hex;
use crate::domain::library::WrittenFiles;
use crate::domain::library::metadata_files::{
    FileAction, NFO_FILE, POSTER_FILE, TvShowNfo, file_action,
};

/// Writes `tvshow.nfo` and (where given) `poster.jpg` into `folder` by the rule; answers the
/// files the product has written there now.
pub(super) fn write_all(
    folder: &Path,
    nfo: &TvShowNfo,
    poster: Option<&[u8]>,
    mut written: WrittenFiles,
) -> io::Result<WrittenFiles> {
    let rendered = render(nfo);
    let files = [(NFO_FILE, Some(rendered.as_slice())), (POSTER_FILE, poster)];
    for (name, bytes) in files {
        let Some(bytes) = bytes else { continue };
        let path = folder.join(name);
        let on_disk = match fs::read(&path) {
            Ok(old) => Some(sha256_hex(&old)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        let digest = sha256_hex(bytes);
        match file_action(on_disk.as_deref(), written.get(name), &digest) {
            FileAction::Write => {
                write_atomically(folder, name, bytes)?;
                written.record(name, &digest);
            }
            FileAction::Keep => written.record(name, &digest),
            FileAction::NotOurs => {
                if written.get(name).is_some() {
                    tracing::info!(path = %path.display(), "left alone: changed by someone else");
                }
                written.forget(name);
            }
        }
    }
    Ok(written)
}

fn write_atomically(folder: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    let temp = folder.join(format!(".{name}.tmp"));
    {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    fs::rename(&temp, folder.join(name))
}

/// `tvshow.nfo`'s bytes.
pub(super) fn render(nfo: &TvShowNfo) -> Vec<u8> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let written = w
        .write_event(Event::Decl(BytesDecl::new(
            "1.0",
            Some("UTF-8"),
            Some("yes"),
        )))
        .and_then(|()| {
            w.create_element("tvshow").write_inner_content(|w| {
                text(w, "title", &nfo.title)?;
                text(
                    w,
                    "originaltitle",
                    nfo.original_title.as_deref().unwrap_or(&nfo.title),
                )?;
                text(w, "showtitle", &nfo.title)?;
                if let Some(plot) = &nfo.plot {
                    text(w, "plot", plot)?;
                }
                if let Some(year) = nfo.year {
                    text(w, "year", &year.to_string())?;
                }
                for genre in &nfo.genres {
                    text(w, "genre", genre)?;
                }
                if let Some(rating) = &nfo.rating {
                    text(w, "mpaa", rating)?;
                }
                text(w, "status", nfo.status)?;
                w.create_element("uniqueid")
                    .with_attribute(("type", "aniworld"))
                    .with_attribute(("default", "true"))
                    .write_text_content(BytesText::new(&nfo.key))?;
                if let Some(imdb) = &nfo.imdb {
                    w.create_element("uniqueid")
                        .with_attribute(("type", "imdb"))
                        .write_text_content(BytesText::new(imdb))?;
                }
                Ok(())
            })?;
            Ok(())
        });
    debug_assert!(written.is_ok());
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    bytes
}

fn text(w: &mut Writer<Vec<u8>>, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nfo() -> TvShowNfo {
        TvShowNfo {
            title: "Tom & Jerry <Kids>".into(),
            original_title: None,
            plot: Some("Cat \"and\" mouse.".into()),
            year: Some(1990),
            genres: vec!["Comedy".into(), "Kids".into()],
            key: "tom-and-jerry-kids".into(),
            imdb: Some("tt0098929".into()),
            rating: Some("FSK 0".into()),
            status: "Ended",
        }
    }

    #[test]
    fn the_nfo_is_escaped_xml_with_the_key_as_unique_id() {
        let xml = String::from_utf8(render(&nfo())).unwrap();
        assert!(
            xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\""),
            "{xml}"
        );
        assert!(
            xml.contains("<title>Tom &amp; Jerry &lt;Kids&gt;</title>"),
            "{xml}"
        );
        assert!(xml.contains("<genre>Comedy</genre>"), "{xml}");
        assert!(
            xml.contains(
                r#"<uniqueid type="aniworld" default="true">tom-and-jerry-kids</uniqueid>"#
            ),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<uniqueid type="imdb">tt0098929</uniqueid>"#),
            "{xml}"
        );
        // It parses back.
        let mut reader = quick_xml::Reader::from_str(&xml);
        loop {
            match reader.read_event().unwrap() {
                Event::Eof => break,
                _ => continue,
            }
        }
    }

    #[test]
    fn files_are_written_once_and_a_users_file_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(POSTER_FILE), b"the user's own").unwrap();
        let written =
            write_all(dir.path(), &nfo(), Some(b"cover"), WrittenFiles::default()).unwrap();
        assert_eq!(
            fs::read(dir.path().join(POSTER_FILE)).unwrap(),
            b"the user's own"
        );
        assert!(written.get(POSTER_FILE).is_none());
        let first = fs::read(dir.path().join(NFO_FILE)).unwrap();
        assert_eq!(written.get(NFO_FILE), Some(sha256_hex(&first).as_str()));

        // A changed series rewrites the product's own NFO.
        let mut changed = nfo();
        changed.plot = Some("New plot.".into());
        let written = write_all(dir.path(), &changed, None, written).unwrap();
        let second = String::from_utf8(fs::read(dir.path().join(NFO_FILE)).unwrap()).unwrap();
        assert!(second.contains("New plot."));
        assert_eq!(
            written.get(NFO_FILE),
            Some(sha256_hex(second.as_bytes()).as_str())
        );

        // Once the user edits it, it is theirs.
        fs::write(dir.path().join(NFO_FILE), b"<tvshow>mine</tvshow>").unwrap();
        let written = write_all(dir.path(), &nfo(), None, written).unwrap();
        assert_eq!(
            fs::read(dir.path().join(NFO_FILE)).unwrap(),
            b"<tvshow>mine</tvshow>"
        );
        assert!(written.is_empty());
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
}
