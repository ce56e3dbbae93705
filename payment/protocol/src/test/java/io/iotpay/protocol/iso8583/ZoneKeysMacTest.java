package io.iotpay.protocol.iso8583;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.MacAlgorithm;
import io.iotpay.foundation.crypto.MacPadding;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Field 128 through a link's kept MAC functions ({@link GenerationMacs}) against {@link MessageMac}, per message. */
class ZoneKeysMacTest {
  private static final Random RANDOM = new Random(15);

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void mac_isMessageMac_whileCurrent_previous_andAfterTheGenerationLeaves(AlgorithmSuite suite) {
    ZoneKeys keys = new ZoneKeys(suite, ZoneKeys.newZak(), ZoneKeys.newZak(), 60_000);
    ZoneKeys.Generation first = keys.current();
    assertSameAsMessageMac(suite, keys, first);
    keys.install(ZoneKeys.newZak(), 0); // first is now the previous generation
    assertSameAsMessageMac(suite, keys, first);
    assertSameAsMessageMac(suite, keys, keys.current());
    keys.install(ZoneKeys.newZak(), 0); // first leaves the link: its functions are wiped
    assertSameAsMessageMac(suite, keys, first);
    assertSameAsMessageMac(suite, keys, keys.current());
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void mac_fromManyThreadsAtOnce_isMessageMac(AlgorithmSuite suite) throws Exception {
    ZoneKeys keys = new ZoneKeys(suite, ZoneKeys.newZak(), ZoneKeys.newZak(), 60_000);
    ZoneKeys.Generation zak = keys.current();
    try (ExecutorService threads = Executors.newFixedThreadPool(GenerationMacs.IDLE_MAX + 4)) {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < GenerationMacs.IDLE_MAX + 4; t++) {
        long seed = t;
        done.add(threads.submit(() -> {
          Random random = new Random(seed);
          int checked = 0;
          for (int i = 0; i < 300; i++) {
            byte[] input = new byte[1 + random.nextInt(300)];
            random.nextBytes(input);
            assertThat(keys.mac(zak, input)).isEqualTo(MessageMac.compute(suite, zak.zak(), input));
            checked++;
          }
          return checked;
        }));
      }
      for (Future<Integer> f : done) {
        assertThat(f.get()).isEqualTo(300);
      }
    }
  }

  @Test
  void wipe_leavesTheRetailMacUnableToReproduceItsMac() {
    SecretKeyBytes zak = ZoneKeys.newZak();
    byte[] input = new byte[200];
    RANDOM.nextBytes(input);
    MacAlgorithm.MacFunction function = MacAlgorithm.ISO9797_1_M3.newFunction(zak, MacPadding.METHOD_2);
    byte[] before = function.mac(input);
    function.wipe();
    assertThat(function.mac(input)).isNotEqualTo(before);
  }

  private static void assertSameAsMessageMac(AlgorithmSuite suite, ZoneKeys keys, ZoneKeys.Generation zak) {
    for (int i = 0; i < 20; i++) {
      byte[] input = new byte[1 + RANDOM.nextInt(300)];
      RANDOM.nextBytes(input);
      byte[] expected = MessageMac.compute(suite, zak.zak(), input);
      assertThat(keys.mac(zak, input)).isEqualTo(expected);
      input[RANDOM.nextInt(input.length)] ^= 1;
      assertThat(keys.mac(zak, input)).isNotEqualTo(expected);
    }
  }
}
