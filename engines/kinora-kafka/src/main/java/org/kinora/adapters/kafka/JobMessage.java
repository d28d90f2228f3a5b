package org.kinora.adapters.kafka;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The record a job's publication carries. The job's state lives in PostgreSQL; this names the row
 * ({@code jobId}) and which publication of it this is ({@code dispatch}), plus what a reader of
 * the dead-letter topic wants to see without a database at hand.
 */
record JobMessage(@JsonProperty("job_id") long jobId,
                  @JsonProperty("kind") String kind,
                  @JsonProperty("video_id") String videoId,
                  @JsonProperty("part") int part,
                  @JsonProperty("priority") int priority,
                  @JsonProperty("attempts") int attempts,
                  @JsonProperty("max_attempts") int maxAttempts,
                  @JsonProperty("dispatch") int dispatch,
                  @JsonProperty("status") String status,
                  @JsonProperty("last_error") String lastError) {

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("job message is not serialisable", e);
        }
    }

    static JobMessage parse(byte[] json) throws IOException {
        return JSON.readValue(json, JobMessage.class);
    }
}
