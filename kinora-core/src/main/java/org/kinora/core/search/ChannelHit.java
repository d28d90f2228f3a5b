package org.kinora.core.search;

/** A channel found by name: its id (the owner's user id), name and number of public videos. */
public record ChannelHit(String id, String name, long videoCount) {}
