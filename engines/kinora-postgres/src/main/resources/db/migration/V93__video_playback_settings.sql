-- The creator's playback settings of a video (issue 17): age-restricted (beside a moderator's
-- age_restricted in video_moderation; either one restricts) and content protection (HLS AES-128
-- and DASH CENC with ClearKey, see docs/content-protection.md). No row: neither.
CREATE TABLE video_playback_settings (
    video_id       text PRIMARY KEY REFERENCES videos (id) ON DELETE CASCADE,
    age_restricted boolean NOT NULL DEFAULT false,
    protected      boolean NOT NULL DEFAULT false
);
