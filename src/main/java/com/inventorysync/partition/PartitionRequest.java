package com.inventorysync.partition;

import tools.jackson.databind.json.JsonMapper;

/**
 * What the manager sends a worker over RabbitMQ: run this step execution of this worker step. Sent
 * as JSON, so that a worker never deserializes Java objects from the broker.
 */
public record PartitionRequest(String stepName, long stepExecutionId) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public byte[] toJson() {
        return JSON.writeValueAsBytes(this);
    }

    public static PartitionRequest fromJson(byte[] body) {
        PartitionRequest request = JSON.readValue(body, PartitionRequest.class);
        if (request.stepName() == null || request.stepExecutionId() <= 0) {
            throw new IllegalArgumentException("not a partition request: " + new String(body));
        }
        return request;
    }
}
