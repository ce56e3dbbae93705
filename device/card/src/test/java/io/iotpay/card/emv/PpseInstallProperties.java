package io.iotpay.card.emv;

import static org.assertj.core.api.Assertions.assertThat;

import com.licel.jcardsim.smartcardio.CardSimulator;
import io.iotpay.foundation.codec.BerTlv;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import java.util.Arrays;
import javacard.framework.AID;
import javacard.framework.ISOException;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The PPSE's install-time check of its directory entries, fed random and mutated directories:
 * it either refuses with an ISOException (the install fails) or installs a PPSE whose FCI is
 * well-formed BER-TLV listing exactly the entries given.
 */
class PpseInstallProperties {

  private static final byte[] ENTRY = Hex.decode("61124F07A00000033301015004494F5450870101");

  @Provide
  Arbitrary<byte[]> directories() {
    Arbitrary<byte[]> mutated = Combinators.combine(Arbitraries.integers().between(1, 5),
            Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, 2))
        .as((copies, where, how) -> {
          byte[] all = new byte[ENTRY.length * copies];
          for (int i = 0; i < copies; i++) {
            System.arraycopy(ENTRY, 0, all, i * ENTRY.length, ENTRY.length);
          }
          return switch (how) {
            case 0 -> all;
            case 1 -> Arrays.copyOf(all, 1 + where % all.length);
            default -> {
              all[(where / 8) % all.length] ^= (byte) (1 << (where % 8));
              yield all;
            }
          };
        });
    return Arbitraries.oneOf(mutated, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(120));
  }

  /** Whole copies of the valid entry, the one shape the PPSE must accept. */
  private static boolean wellFormed(byte[] directory) {
    if (directory.length == 0 || directory.length % ENTRY.length != 0 || directory.length > PpseApplet.DIRECTORY_MAX) {
      return false;
    }
    for (int i = 0; i < directory.length; i += ENTRY.length) {
      if (!Arrays.equals(Arrays.copyOfRange(directory, i, i + ENTRY.length), ENTRY)) {
        return false;
      }
    }
    return true;
  }

  @Property(tries = 300)
  void installData_isRefusedOrGivesAWellFormedFci(@ForAll("directories") byte[] directory) {
    CardSimulator simulator = new CardSimulator();
    byte[] aid = EmvCard.PPSE_NAME;
    byte[] parameters = EmvCard.concat(new byte[] {(byte) aid.length}, aid, new byte[] {0, (byte) directory.length},
        directory);
    try {
      simulator.installApplet(new AID(aid, (short) 0, (byte) aid.length), PpseApplet.class, parameters, (short) 0,
          (byte) parameters.length);
    } catch (ISOException | javacard.framework.SystemException refused) {
      // jCardSim reports an applet constructor's ISOException as a SystemException of the install.
      assertThat(wellFormed(directory)).as("refused %s", Hex.encode(directory)).isFalse();
      return;
    }
    ResponseAPDU fci = simulator.transmitCommand(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, aid, 256));
    assertThat(fci.getSW()).isEqualTo(0x9000);
    var template = BerTlv.parse(fci.getData());
    Tlv bf0c = Tlv.findIn(template, Tag.of(0xBF0C)).orElseThrow();
    assertThat(bf0c.encode()).endsWith(directory);
    assertThat(Tlv.findAllIn(template, Tag.of(0x61))).allSatisfy(entry -> assertThat(entry.find(Tag.of(0x4F))).isPresent());
  }
}
