package org.kinora.core.search;

import java.util.Optional;
import java.util.function.Consumer;

/** Port: builds search documents from the system of record (the video, its owner, its views). */
public interface SearchDocumentSource {
    /** The document of the video if it is publicly listed now; empty when it must not be searchable. */
    Optional<SearchDocument> listed(String videoId);

    /** Every publicly listed video's document, for a full rebuild. */
    void forEachListed(Consumer<SearchDocument> sink);
}
