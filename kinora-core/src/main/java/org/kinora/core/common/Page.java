package org.kinora.core.common;

import java.util.List;
import java.util.Optional;

/** One page of a cursor-paginated listing; {@code nextCursor} is opaque to clients. */
public record Page<T>(List<T> items, Optional<String> nextCursor) {}
