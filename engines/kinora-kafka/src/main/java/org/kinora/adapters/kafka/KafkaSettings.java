package org.kinora.adapters.kafka;

import java.time.Duration;

/**
 * Where the brokers are and how Kinora names and sizes its topics. {@code replicationFactor} -1
 * takes the broker's {@code default.replication.factor}.
 *
 * @param consumerGroup    the group every worker joins; Kafka spreads the job partitions over its members
 * @param sessionTimeout   how long a silent worker keeps its partitions before the group rebalances
 * @param redispatchAfter  a job whose record was published this long ago and is still unclaimed, or
 *                         whose worker's lease lapsed this long ago, is published again (a safety net
 *                         for a record lost to an unclean broker failure; duplicates are harmless)
 */
public record KafkaSettings(String bootstrapServers, String topicPrefix, int partitions, short replicationFactor,
                            String consumerGroup, Duration sessionTimeout, Duration redispatchAfter) {

    public String jobsTopic() { return topicPrefix + "jobs"; }

    public String priorityJobsTopic() { return topicPrefix + "jobs.priority"; }

    public String deadJobsTopic() { return topicPrefix + "jobs.dead"; }

    public String eventsTopic() { return topicPrefix + "events"; }
}
