-- SRT ingest (issue 16): a channel that turned SRT on has a UDP port of its own (live.srt-ports),
-- on which the ingest nodes run an SRT listener with the channel's stream key as passphrase.
ALTER TABLE live_channels ADD COLUMN srt_port integer UNIQUE;
