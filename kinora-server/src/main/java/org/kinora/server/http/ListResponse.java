package org.kinora.server.http;

import java.util.List;

/** Every cursor-paginated listing: {@code {"items": [...], "next_cursor": "..." | null}}. */
public record ListResponse<T>(List<T> items, String nextCursor) {}
