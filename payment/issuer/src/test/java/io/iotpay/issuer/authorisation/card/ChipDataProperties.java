package io.iotpay.issuer.authorisation.card;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.protocol.iso8583.IccData;
import io.iotpay.protocol.iso8583.Iso8583Exception;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Field 55 as the host reads it: random and mutated chip data is refused typed, never with another exception. */
class ChipDataProperties {
  /** A well-formed request field 55 (the kernel's tags, any values of the right lengths). */
  private static final byte[] VALID = Hex.decode("9F260811223344556677889F2701809F10050110A000009F3602000782021C009F02060000000025"
      + "009F03060000000000009F1A020156950500000000005F2A0201569A032612079C01009F37041A2B3C4D");

  @Property(tries = 2_000)
  void randomBytes_areRefusedByIccDataOrReadWithoutThrowing(@ForAll("bytes") byte[] bytes) {
    readOrRefuse(bytes);
  }

  @Property(tries = 2_000)
  void mutatedField55_isReadOrRefused(@ForAll("positions") int position, @ForAll byte value, @ForAll boolean truncate) {
    byte[] bytes = VALID.clone();
    int at = position % bytes.length;
    bytes[at] = value;
    readOrRefuse(truncate ? java.util.Arrays.copyOf(bytes, at + 1) : bytes);
  }

  @Property(tries = 50)
  void theValidField55_alwaysReads(@ForAll("positions") int ignored) {
    assertThat(ChipData.of(new IccData(VALID))).isPresent();
  }

  private static void readOrRefuse(byte[] bytes) {
    IccData icc;
    try {
      icc = new IccData(bytes);
    } catch (Iso8583Exception e) {
      return; // the typed refusal of the protocol layer
    }
    Optional<ChipData> chip = ChipData.of(icc);
    chip.ifPresent(c -> assertThat(c.arqc()).hasSize(8));
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(300);
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, 10_000);
  }
}
