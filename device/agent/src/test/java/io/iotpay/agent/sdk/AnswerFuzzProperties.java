package io.iotpay.agent.sdk;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The SDK's answer parser under random and mutated input: only typed refusals. */
class AnswerFuzzProperties {
  private static final Map<AlgorithmSuite, SdkFixture> DEVICES = new EnumMap<>(AlgorithmSuite.class);
  private static final Map<AlgorithmSuite, SealedMessage> SENT = new EnumMap<>(AlgorithmSuite.class);
  private static final Map<AlgorithmSuite, byte[]> ANSWERS = new EnumMap<>(AlgorithmSuite.class);

  private static synchronized SdkFixture device(AlgorithmSuite suite) {
    return DEVICES.computeIfAbsent(suite, s -> {
      SdkFixture device = new SdkFixture(s, "fuzz-1");
      SealedMessage sent = device.client.seal("x".getBytes(StandardCharsets.UTF_8), false);
      SENT.put(s, sent);
      ANSWERS.put(s, device.answer(sent.counter(), "approved".getBytes(StandardCharsets.UTF_8), true));
      return device;
    });
  }

  @Property(tries = 300)
  void randomAnswers_areRefusedTyped(@ForAll AlgorithmSuite suite, @ForAll @Size(max = 300) byte[] bytes) {
    SdkFixture device = device(suite);
    assertThatThrownBy(() -> device.client.openAnswer(SENT.get(suite), bytes)).isInstanceOf(EnvelopeException.class);
  }

  @Property(tries = 300)
  void mutatedAnswers_areRefusedTyped(
      @ForAll AlgorithmSuite suite, @ForAll @IntRange(min = 0, max = 100_000) int where, @ForAll @IntRange(min = 1, max = 255) int xor) {
    SdkFixture device = device(suite);
    byte[] answer = ANSWERS.get(suite).clone();
    answer[where % answer.length] ^= (byte) xor;
    assertThatThrownBy(() -> device.client.openAnswer(SENT.get(suite), answer)).isInstanceOf(EnvelopeException.class);
  }
}
