package org.kinora.core.caption;

/** One caption cue: shown from {@code start} to {@code end} seconds; {@code text} is plain text (no markup), lines separated by '\n'. */
public record Cue(double start, double end, String text) {}
