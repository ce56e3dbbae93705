package io.iotpay.card.chip;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.ArrayList;
import java.util.List;
import javax.smartcardio.ResponseAPDU;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** No instruction, in any state, with any of a range of parameters, outputs the private key. */
class ChipPrivateKeyTest {

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void privateKey_appearsInNoResponse_ofAnyInstruction(AlgorithmSuite suite) throws Exception {
    ChipFixture chip = new ChipFixture(suite, "meter-77", InspectableChipApplet.class);
    InspectableChipApplet applet = InspectableChipApplet.last;
    byte[] scalar = applet.privateScalar();
    // The scanner looks for the right thing: this scalar times G is the chip's public key.
    assertThat(HostSession.domain(suite).getG().multiply(new java.math.BigInteger(1, scalar))
        .normalize().getEncoded(false)).isEqualTo(chip.publicPoint());
    List<String> responses = new ArrayList<>();
    scanAllInstructions(chip, responses);
    // Again after personalisation and with a session open, when more commands are live.
    chip.writeObjectFully(ChipApplet.OBJECT_CERTIFICATE, ChipFixture.pattern(20, 1));
    chip.writeObjectFully(ChipApplet.OBJECT_TRUST_ANCHOR, ChipFixture.pattern(20, 2));
    ChipFixture.expectSw(chip.send(0x80, 0xF0, 0, 0, null), 0x9000);
    HostSession.open(chip);
    byte[] sessionKeys = applet.sessionKeyBytes();
    scanAllInstructions(chip, responses);

    assertThat(responses).hasSizeGreaterThan(2000);
    // Any 12-byte window of the scalar or of a session key would be a leak.
    for (String response : responses) {
      for (int i = 0; i + 12 <= scalar.length; i++) {
        String window = Hex.encode(java.util.Arrays.copyOfRange(scalar, i, i + 12));
        assertThat(response).doesNotContainIgnoringCase(window);
      }
      for (int i = 0; i + 12 <= sessionKeys.length; i++) {
        String window = Hex.encode(java.util.Arrays.copyOfRange(sessionKeys, i, i + 12));
        assertThat(response).doesNotContainIgnoringCase(window);
      }
    }
  }

  private static void scanAllInstructions(ChipFixture chip, List<String> responses) {
    byte[][] payloads = {null, {0, 0}, ChipFixture.pattern(65, 4), ChipFixture.pattern(200, 5)};
    int[][] parameters = {{0, 0}, {0, 1}, {0, 2}, {0, 3}, {1, 0}, {2, 0}, {0x80, 0x00}, {0xFF, 0xFF}};
    for (int ins = 0; ins < 256; ins++) {
      if (ins == 0xA4 || ins == 0xB8 || (ins & 0xF0) == 0x60 || (ins & 0xF0) == 0x90) {
        // SELECT; 80 B8, which jCardSim's card manager takes as its own install command before
        // any applet sees it; and 6X/9X, which are status bytes, not instructions.
        continue;
      }
      for (int[] p : parameters) {
        for (byte[] data : payloads) {
          ResponseAPDU response = chip.send(0x80, ins, p[0], p[1], data);
          responses.add(Hex.encode(response.getBytes()));
        }
      }
    }
  }
}
