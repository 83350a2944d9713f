//! Reading and writing the `aniworld.json` sidecar of a series folder.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use crate::domain::library::Sidecar;

/// Reads the sidecar of a series folder: `Ok(None)` when the folder has none, `Err` with a
/// human-readable reason when it cannot be read or is not a sidecar.
pub(super) fn read(folder: &Path) -> Result<Option<Sidecar>, String> {
    let bytes = match fs::read(folder.join(Sidecar::FILE_NAME)) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        // A folder we may not read looks like this too; the walk reports it again if so.
        Err(e) if e.kind() == io::ErrorKind::NotADirectory => return Ok(None),
        Err(e) => return Err(format!("sidecar unreadable: {e}")),
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| format!("sidecar is not a valid {}: {e}", Sidecar::FILE_NAME))
}

/// Writes the sidecar atomically: a temporary file, flushed to disk, renamed over the old one,
/// so a crash never leaves half a sidecar.
pub(super) fn write(folder: &Path, sidecar: &Sidecar) -> io::Result<()> {
    let bytes = serde_json::to_vec_pretty(sidecar).map_err(io::Error::other)?;
    let temp = folder.join(format!(".{}.tmp", Sidecar::FILE_NAME));
    {
        let mut file = fs::File::create(&temp)?;
        file.write_all(&bytes)?;
        file.sync_all()?;
    }
    fs::rename(&temp, folder.join(Sidecar::FILE_NAME))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::series::SeriesKey;

    fn sidecar() -> Sidecar {
        Sidecar {
            key: SeriesKey::parse("attack-on-titan").unwrap(),
            name: "Attack on Titan".into(),
            site: "aniworld.to".into(),
            link: "https://aniworld.to/anime/stream/attack-on-titan".into(),
            policy: None,
            files: Default::default(),
            metadata_files: Default::default(),
        }
    }

    #[test]
    fn a_written_sidecar_reads_back_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &sidecar()).unwrap();
        assert_eq!(read(dir.path()).unwrap(), Some(sidecar()));
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [Sidecar::FILE_NAME]);
    }

    #[test]
    fn a_folder_without_a_sidecar_has_none_and_a_broken_one_is_a_problem() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(dir.path()).unwrap(), None);
        fs::write(dir.path().join(Sidecar::FILE_NAME), b"{\"key\": 1}").unwrap();
        assert!(read(dir.path()).unwrap_err().contains("not a valid"));
    }
}
