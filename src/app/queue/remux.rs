//! The last step of an HLS download where the user asked for MP4: the MPEG-TS part copied
//! into an MP4 container (ffmpeg, no re-encoding) before the final rename.

use std::path::{Path, PathBuf};

use super::QueueService;
use super::worker::{part_of, target_path};
use crate::domain::catalogue::MediaKind;
use crate::domain::event::EventKind;
use crate::domain::queue::QueueItem;

impl QueueService {
    /// With `downloads.remux_to_mp4` on and ffmpeg available, a finished HLS download becomes
    /// MP4: written to its own `.part`, and the MPEG-TS part deleted once it is. A failed
    /// remux keeps the MPEG-TS file (and says so). Answers the part to finish and its target.
    pub(super) async fn remuxed(
        &self,
        item: &QueueItem,
        root: &Path,
        part: PathBuf,
        target: PathBuf,
        kind: MediaKind,
    ) -> (PathBuf, PathBuf) {
        let deps = &self.inner.deps;
        let wanted = deps.config.current().downloads.remux_to_mp4;
        if kind != MediaKind::Hls || !wanted || !deps.remuxer.available() {
            return (part, target);
        }
        let mp4 = target_path(root, item, MediaKind::Direct);
        let mp4_part = part_of(&mp4);
        match deps.remuxer.remux(part.clone(), mp4_part.clone()).await {
            Ok(()) => {
                if let Err(e) = deps.files.discard(part).await {
                    tracing::warn!(error = %e, "could not delete the MPEG-TS part after remuxing");
                }
                (mp4_part, mp4)
            }
            Err(reason) => {
                tracing::warn!(item = %item.id(), %reason, "remux to MP4 failed; keeping MPEG-TS");
                self.publish(EventKind::SystemInfo {
                    message: format!(
                        "{} {}: remux to MP4 failed, kept the MPEG-TS file ({reason})",
                        item.series_name(),
                        item.episode().tag()
                    ),
                });
                (part, target)
            }
        }
    }
}
