package io.iotpay.platform.access.mqtt;

/**
 * A snapshot of the bridge's work since it started.
 *
 * @param answers signed answers published (new or duplicate)
 * @param refusals refusal lines published (including oversized)
 * @param malformedTopics messages ignored because the topic was not {@code devices/{valid id}/up}
 * @param oversized envelopes over the bridge's payload bound, refused without calling the inbox
 * @param publishFailures replies that could not be published (message left unacknowledged)
 * @param pauses times the dispatcher waited for room in a full lane (backpressure)
 */
public record MqttBridgeStats(long answers, long refusals, long malformedTopics, long oversized, long publishFailures, long pauses) {}
