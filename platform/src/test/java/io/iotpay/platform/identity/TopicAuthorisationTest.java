package io.iotpay.platform.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicAuthorisationTest {
  private static final DeviceId WASHER = new DeviceId("washer-1");

  @ParameterizedTest
  @ValueSource(strings = {"devices/washer-1/events", "devices/washer-1/pay/request", "devices/washer-1/a/b/c/d/e/f/g/h"})
  void mayPublish_ownTopics_allowed(String topic) {
    assertThat(TopicAuthorisation.mayPublish(WASHER, topic)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "devices/washer-2/events",        // another device
      "devices/washer-10/events",       // prefix of another id must not match
      "devices/washer-1",               // the device level itself
      "devices/washer-1/",              // empty level below it
      "devices/washer-1//x",            // empty level
      "devices/washer-1/+",             // wildcard in a publish
      "devices/washer-1/#",
      "devices/washer-1/a+b",
      "devices/+/events",
      "#",
      "$SYS/broker/load",
      "$share/g/devices/washer-1/events",
      "/devices/washer-1/events",
      "Devices/washer-1/events",
      "devices/washer-1/a/b/c/d/e/f/g/h/i", // deeper than the bound
      "devices/washer-1/a\u0000b"})
  void mayPublish_elsewhere_refused(String topic) {
    assertThat(TopicAuthorisation.mayPublish(WASHER, topic)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
      "devices/washer-1/answers, true",
      "devices/washer-1/+, true",
      "devices/washer-1/#, true",
      "devices/washer-1/+/status, true",
      "devices/washer-1/#/x, false",
      "devices/washer-1/a#, false",
      "devices/washer-1/+x, false",
      "devices/+/answers, false",
      "devices/#, false",
      "#, false",
      "+/washer-1/answers, false",
      "devices/washer-2/#, false",
      "$share/group/devices/washer-1/answers, false"})
  void maySubscribe_onlyOwnSubtree_wildcardsWellFormed(String filter, boolean allowed) {
    assertThat(TopicAuthorisation.maySubscribe(WASHER, filter)).isEqualTo(allowed);
  }

  @Test
  void mayAccessResource_ownResourcesOnly() {
    assertThat(TopicAuthorisation.mayAccessResource(WASHER, List.of("devices", "washer-1", "pay"))).isTrue();
    assertThat(TopicAuthorisation.mayAccessResource(WASHER, List.of("devices", "washer-2", "pay"))).isFalse();
    assertThat(TopicAuthorisation.mayAccessResource(WASHER, List.of("devices", "washer-1"))).isFalse();
    assertThat(TopicAuthorisation.mayAccessResource(WASHER, List.of("devices", "washer-1", ".."))).isFalse();
    assertThat(TopicAuthorisation.mayAccessResource(WASHER, List.of("devices", "washer-1", ""))).isFalse();
    assertThat(TopicAuthorisation.mayAccessResource(WASHER, List.of("admin", "washer-1", "pay"))).isFalse();
    assertThat(TopicAuthorisation.mayAccessResource(WASHER, null)).isFalse();
  }

  @Test
  void nullOrOverlongTopic_refused() {
    assertThat(TopicAuthorisation.mayPublish(WASHER, null)).isFalse();
    assertThat(TopicAuthorisation.maySubscribe(WASHER, null)).isFalse();
    String overlong = "devices/washer-1/" + "x".repeat(TopicAuthorisation.TOPIC_BYTES_MAX);
    assertThat(TopicAuthorisation.mayPublish(WASHER, overlong)).isFalse();
  }
}
