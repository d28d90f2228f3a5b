package org.kinora.core.search;

import java.util.List;

/** What "related to this video" is computed from: its title words, tags and channel. */
public record RelatedQuery(String videoId, String ownerId, String title, List<String> tags) {}
