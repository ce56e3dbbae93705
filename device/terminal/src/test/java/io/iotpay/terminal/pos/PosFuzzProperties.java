package io.iotpay.terminal.pos;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.terminal.pos.PosOutcome.Reason;
import io.iotpay.terminal.pos.PosOutcome.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Malformed card responses: the real card's answer to one command of an online tap is mutated
 * (bits flipped, cut short, grown, replaced by random bytes). The kernel always returns an outcome,
 * journaled, and never approves a tap whose first GENERATE AC or any record was damaged so that it
 * no longer parses. The parsers alone get random bytes: only {@link InvalidInputException} escapes.
 */
class PosFuzzProperties {
  private static final Map<AlgorithmSuite, Till> TILLS = new EnumMap<>(AlgorithmSuite.class);
  private static final Map<AlgorithmSuite, PosCard> CARDS = new EnumMap<>(AlgorithmSuite.class);

  private static synchronized Till till(AlgorithmSuite suite) {
    return TILLS.computeIfAbsent(suite, s -> {
      try {
        Path dir = Files.createTempDirectory("pos-fuzz");
        dir.toFile().deleteOnExit();
        Till till = new Till(dir);
        CARDS.put(s, till.card(s));
        return till;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Passes every command to the card and damages the response to command {@code target}. */
  static final class MutatingChannel implements CardChannel {
    final CardChannel inner;
    final int target;
    final int mode;
    final byte[] noise;
    int sent;

    MutatingChannel(CardChannel inner, int target, int mode, byte[] noise) {
      this.inner = inner;
      this.target = target;
      this.mode = mode;
      this.noise = noise;
    }

    @Override
    public ResponseApdu transmit(CommandApdu command) {
      ResponseApdu r = inner.transmit(command);
      if (++sent != target) {
        return r;
      }
      byte[] d = r.data();
      byte[] damaged = switch (mode) {
        case 0 -> flip(d, noise); // bit flips at positions taken from the noise
        case 1 -> java.util.Arrays.copyOf(d, d.length == 0 ? 0 : (noise.length == 0 ? 0 : (noise[0] & 0xFF) % d.length));
        case 2 -> PosCard.concat(d, noise);
        default -> noise.clone();
      };
      return new ResponseApdu(damaged, r.sw());
    }

    private static byte[] flip(byte[] d, byte[] noise) {
      byte[] out = d.clone();
      for (int i = 0; i + 1 < noise.length && out.length > 0; i += 2) {
        out[(noise[i] & 0xFF) % out.length] ^= (byte) (1 << (noise[i + 1] & 7));
      }
      return out;
    }
  }

  @Property(tries = 400)
  void mutatedCardResponse_alwaysAnOutcome_journaled(@ForAll AlgorithmSuite suite,
      @ForAll @IntRange(min = 1, max = 6) int target, @ForAll @IntRange(min = 0, max = 3) int mode,
      @ForAll @Size(max = 40) byte[] noise) {
    Till till = till(suite);
    PosCard card = CARDS.get(suite);
    card.reinsert();
    PosOutcome outcome = till.kernel.charge(new MutatingChannel(card.channel(), target, mode, noise),
        Money.ofMinor(1_000, CurrencyUnit.CNY));
    assertThat(outcome).isNotNull();
    assertThat(outcome.result()).isEqualTo(outcome.reason().result());
    List<PosJournal.Entry> entries = till.journal.entries();
    assertThat(entries.get(entries.size() - 1)).isEqualTo(outcome.entry());
    if (outcome.reason() == Reason.MALFORMED_CARD_DATA) {
      assertThat(outcome.result()).isEqualTo(Result.END_APPLICATION);
    }
  }

  @Property(tries = 300)
  void truncatedRecordOrCryptogram_neverApproved(@ForAll AlgorithmSuite suite,
      @ForAll("damagedCommands") int target, @ForAll @IntRange(min = 0, max = 2) int cut) {
    Till till = till(suite);
    PosCard card = CARDS.get(suite);
    card.reinsert();
    // Cut to 0, 1 or 2 bytes: no record, GPO answer or GENERATE AC answer survives that.
    PosOutcome outcome = till.kernel.charge(new MutatingChannel(card.channel(), target, 3, new byte[cut]),
        Money.ofMinor(1_000, CurrencyUnit.CNY));
    assertThat(outcome.reason()).isEqualTo(Reason.MALFORMED_CARD_DATA);
    assertThat(outcome.result()).isEqualTo(Result.END_APPLICATION);
  }

  @Provide
  Arbitrary<Integer> damagedCommands() {
    return Arbitraries.of(1, 2, 3, 4, 5, 6); // every command of an online tap: all have data-bearing responses
  }

  @Property(tries = 2_000)
  void parsers_randomBytes_onlyTypedErrors(@ForAll @Size(max = 300) byte[] bytes) {
    List<Runnable> parsers = List.of(
        () -> EmvData.candidates(bytes, List.of(PosConfig.IOTPAY_DEBIT_AID)),
        () -> EmvData.pdolOfFci(bytes, Hex.decode(PosConfig.IOTPAY_DEBIT_AID)),
        () -> EmvData.processingOptions(bytes),
        () -> EmvData.readRecord(bytes, new HashMap<>()),
        () -> EmvData.generateAcResponse(bytes),
        () -> EmvData.issuerData(bytes),
        () -> RiskRules.checkCvmList(bytes),
        () -> PosJournal.Entry.decode(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)));
    for (Runnable parser : parsers) {
      try {
        parser.run();
      } catch (InvalidInputException expected) {
        // the one typed error a parser may throw
      }
    }
  }

  @Property(tries = 1_000)
  void parsers_mutatedRealResponses_onlyTypedErrors(@ForAll("realResponses") byte[] real,
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 4095) Integer> flips) {
    byte[] bytes = real.clone();
    for (int f : flips) {
      bytes[(f >> 3) % bytes.length] ^= (byte) (1 << (f & 7));
    }
    for (Runnable parser : List.<Runnable>of(() -> EmvData.candidates(bytes, List.of(PosConfig.IOTPAY_DEBIT_AID)),
        () -> EmvData.processingOptions(bytes), () -> EmvData.readRecord(bytes, new HashMap<>()),
        () -> EmvData.generateAcResponse(bytes), () -> EmvData.issuerData(bytes))) {
      try {
        parser.run();
      } catch (InvalidInputException expected) {
        // the one typed error a parser may throw
      }
    }
  }

  @Provide
  Arbitrary<byte[]> realResponses() {
    // A PPSE FCI, a GPO answer, record 1, a first GENERATE AC answer, issuer data (91 and a 72 script).
    return Arbitraries.of(
        Hex.decode("6F23840E325041592E5359532E4444463031A511BF0C0E610C4F07A0000003330101870101"),
        Hex.decode("770A82021C00940408010200"),
        Hex.decode("70145A0862123456789012345F24033012315F340101"),
        Hex.decode("771E9F2701809F360200019F260811223344556677889F100706010401A00000"),
        Hex.decode("910A11223344556677883030720F860D841E0000081122334455667788"));
  }
}
