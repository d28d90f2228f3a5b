package org.kinora.adapters.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.core.engagement.Rating;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventEnvelope;

@Timeout(60)
class MessagesTest {
    @Test
    void aJobMessageReadsBackAsWrittenAndIgnoresFieldsItDoesNotKnow() throws Exception {
        JobMessage m = new JobMessage(42, "transcode", "abc", 0, 5, 2, 5, 3, "queued", null);
        assertThat(JobMessage.parse(m.toJson())).isEqualTo(m);
        String newer = "{\"job_id\":7,\"kind\":\"transcode\",\"video_id\":\"v\",\"priority\":0,\"attempts\":0,"
                + "\"max_attempts\":5,\"dispatch\":1,\"status\":\"queued\",\"from_the_future\":true}";
        assertThat(JobMessage.parse(newer.getBytes()).jobId()).isEqualTo(7);
    }

    @Test
    void anEventIsRelayedAsTheOutboxRowInSnakeCase() throws Exception {
        EventEnvelope e = new EventEnvelope("ev1", Instant.parse("2026-11-21T10:00:00Z"),
                new DomainEvent.VideoRated("vid", "u1", Rating.LIKE, Rating.DISLIKE));
        JsonNode json = new ObjectMapper().readTree(KafkaEventRelay.toJson(e));
        assertThat(json.get("id").asText()).isEqualTo("ev1");
        assertThat(json.get("type").asText()).isEqualTo("video.rated");
        assertThat(json.get("subject_id").asText()).isEqualTo("vid");
        assertThat(json.get("actor_id").asText()).isEqualTo("u1");
        assertThat(json.get("occurred_at").asText()).isEqualTo("2026-11-21T10:00:00Z");
        assertThat(json.get("data").get("rating").asText()).isEqualTo("like");
        assertThat(json.get("data").get("previous").asText()).isEqualTo("dislike");
        assertThat(json.get("data").size()).isEqualTo(2);
        assertThat(json.size()).isEqualTo(6);
        EventEnvelope system = EventEnvelope.of(new DomainEvent.VideoViewed("vid", 3), Instant.now());
        assertThat(new ObjectMapper().readTree(KafkaEventRelay.toJson(system)).get("actor_id").isNull()).isTrue();
    }
}
