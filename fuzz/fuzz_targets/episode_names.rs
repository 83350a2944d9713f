//! Names on disk: episode file names (`... S01E05.mp4`), the API's episode form (`1-5`) and
//! folder names made from display names. The input is the name, as lossy UTF-8.
#![no_main]

use aniworld::fuzzing::{EpisodeId, FolderName, episode_file_path, episode_of_file_name};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let name = String::from_utf8_lossy(data);
    if let Some(id) = episode_of_file_name(&name) {
        // The name the service writes for an episode is read back as that episode.
        let path = episode_file_path("Show", id, "mp4");
        let file = path.rsplit('/').next().expect("a file name");
        assert_eq!(episode_of_file_name(file), Some(id), "{path}");
    }
    if let Some(id) = EpisodeId::parse_api(&name) {
        assert_eq!(EpisodeId::parse_api(&id.to_string()), Some(id));
    }
    if let Ok(folder) = FolderName::sanitise(&name) {
        let again = FolderName::sanitise(folder.as_str()).expect("a folder name stays one");
        assert_eq!(again, folder, "sanitising is idempotent");
        assert!(folder.as_str().len() <= FolderName::MAX_BYTES);
        assert!(!folder.as_str().contains(['/', '\\', '\0']));
    }
});
