package io.iotpay.terminal.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Malformed input: random APDUs to the wallet and the PSAM, single-byte mutations of a genuine
 * DEBIT, and random or mutated bytes to the POS's parsers. The applets answer a documented status
 * word and change nothing; the parsers throw only their typed exception. Both suites.
 */
class WalletFuzzTest {
  /**
   * Longest random command data. jCardSim answers 6F00 itself, before any applet code runs, to a
   * 255-byte Lc with Le (the command then fills its whole 261-byte APDU buffer): observed with CLA 00,
   * which both applets refuse first thing with 6E00. The applets' own commands stay below 240.
   */
  private static final int DATA_BYTES_MAX = 254;

  private static final Map<AlgorithmSuite, WalletWorld> WORLDS = new EnumMap<>(AlgorithmSuite.class);

  private static synchronized WalletWorld world(AlgorithmSuite suite) {
    return WORLDS.computeIfAbsent(suite, s -> {
      try {
        WalletWorld world = WalletWorld.of(s, Files.createTempDirectory("wallet-fuzz"));
        world.load(10_000);
        world.kernel.purchase(world.tap(), 700);
        return world;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Everything persistent the POS can see: state fields and the log's counters. */
  private static String snapshot(WalletWorld world) {
    CardState s = world.state();
    return s.balanceMinor() + "/" + s.counter() + "/" + s.loadNumber() + "/" + s.debtMinor() + "/" + s.flags() + "/"
        + s.pendingMinor() + "/" + s.offlineLeft() + "/" + world.cardLogCounters();
  }

  @Property(tries = 150)
  void randomApdu_toTheWallet_answersADocumentedStatus_andChangesNothing(@ForAll AlgorithmSuite suite,
      @ForAll byte cla, @ForAll byte ins, @ForAll byte p1, @ForAll byte p2, @ForAll @Size(max = DATA_BYTES_MAX) byte[] data,
      @ForAll boolean classOfTheApplet) {
    // Classes 0X (interindustry) and 8X (the applet's): jCardSim 3.0.6 mishandles some other
    // proprietary classes itself (observed: CLA CE sent to one simulated card made the next command to
    // another simulated card answer a malformed status word), which is the simulator, not the applet.
    int claByte = (classOfTheApplet ? 0x80 : 0x00) | (cla & 0x0F);
    Assume.that(!(claByte < 0x10 && (ins & 0xFF) == 0xA4));
    Assume.that((ins & 0xFF) != 0xB8); // 80 B8 is jCardSim's own install command, which no card has
    WalletWorld world = world(suite);
    String before = snapshot(world);
    CardChannel card = world.tap();
    card.transmit(WalletApdus.select(WalletApdus.WALLET_AID));
    ResponseApdu response = card.transmit(new CommandApdu(claByte, ins & 0xFF, p1 & 0xFF, p2 & 0xFF, data, 256));
    assertThat(WalletStatus.known(response.sw())).as("status %04X documented", response.sw()).isTrue();
    assertThat(snapshot(world)).isEqualTo(before);
  }

  @Property(tries = 100)
  void randomApdu_toThePsam_answersADocumentedStatus(@ForAll AlgorithmSuite suite, @ForAll byte ins,
      @ForAll byte p1, @ForAll byte p2, @ForAll @Size(max = DATA_BYTES_MAX) byte[] data) {
    Assume.that((ins & 0xFF) != 0x84); // GET CHALLENGE legitimately changes the challenge slots
    Assume.that((ins & 0xFF) != 0xB8); // 80 B8 is jCardSim's own install command, which no card has
    WalletWorld world = world(suite);
    ResponseApdu sequenceBefore = world.psam.channel().transmit(WalletApdus.psamGetData(0x03));
    ResponseApdu response = world.psam.channel().transmit(new CommandApdu(0x80, ins & 0xFF, p1 & 0xFF, p2 & 0xFF, data, 256));
    assertThat(WalletStatus.known(response.sw())).as("status %04X documented", response.sw()).isTrue();
    assertThat(world.psam.channel().transmit(WalletApdus.psamGetData(0x03)).data()).isEqualTo(sequenceBefore.data());
  }

  @Property(tries = 60)
  void mutatedDebit_isRefused_andMovesNothing(@ForAll AlgorithmSuite suite, @ForAll @IntRange(min = 0, max = 1_000) int at,
      @ForAll byte flip) {
    Assume.that(flip != 0);
    WalletWorld world = world(suite);
    String before = snapshot(world);
    CardChannel psam = world.psam.channel();
    byte[] posChallenge = psam.transmit(WalletApdus.psamGetChallenge()).data();
    byte[] posCertificate = psam.transmit(WalletApdus.psamGetData(0x02)).data();
    CardChannel card = world.tap();
    card.transmit(WalletApdus.select(WalletApdus.WALLET_AID));
    CardState state = CardState.parse(card.transmit(WalletApdus.initialize(posChallenge)).data());
    byte[] psamSignature = psam.transmit(WalletApdus.psamAuthenticate(state.cardId(), state.cardChallenge(),
        posChallenge, 300, 0)).data();
    byte[] data = WalletApdus.debit(300, 0, posCertificate, psamSignature).data();
    data[at % data.length] ^= flip;
    ResponseApdu response = card.transmit(new CommandApdu(0x80, 0x54, 0, 0, data, 256));
    assertThat(response.sw()).as("mutated byte %d", at % data.length).isNotEqualTo(0x9000);
    assertThat(WalletStatus.known(response.sw())).isTrue();
    assertThat(snapshot(world)).isEqualTo(before);
  }

  @Property(tries = 500)
  void cardStateParser_throwsOnlyItsTypedException(@ForAll @Size(max = 300) byte[] data) {
    assertThatCode(() -> {
      try {
        CardState.parse(data);
      } catch (WalletException expected) {
        // the typed refusal
      }
    }).doesNotThrowAnyException();
  }

  @Property(tries = 300)
  void mutatedJournal_opensToASubsetOfWhatWasWritten_orRefusesTyped(@ForAll @IntRange(min = 0, max = 100_000) int at,
      @ForAll byte flip, @ForAll boolean truncate) throws IOException {
    Assume.that(flip != 0);
    WalletWorld world = world(AlgorithmSuite.INTERNATIONAL);
    List<PurchaseRecord> written = world.journal.records();
    byte[] bytes = Files.readAllBytes(world.journal.file());
    if (truncate) {
      bytes = java.util.Arrays.copyOf(bytes, at % bytes.length);
    } else {
      bytes[at % bytes.length] ^= flip;
    }
    Path copy = Files.createTempFile("wallet-journal", ".txt");
    Files.write(copy, bytes);
    try (WalletJournal reopened = WalletJournal.open(copy)) {
      assertThat(written).containsAll(reopened.records());
    } catch (WalletException expected) {
      assertThat(expected.device()).isEqualTo(WalletException.Device.POS);
    } finally {
      Files.deleteIfExists(copy);
    }
  }

  @Property(tries = 200)
  void randomJournalBytes_refusedTypedOrEmpty(@ForAll @Size(max = 2_000) byte[] bytes) throws IOException {
    Path file = Files.createTempFile("wallet-journal", ".txt");
    Files.write(file, bytes);
    try (WalletJournal journal = WalletJournal.open(file)) {
      assertThat(journal.records()).isEmpty();
    } catch (WalletException expected) {
      assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).contains("\n");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Property(tries = 200)
  void mutatedRatingLog_opensToASubsetOfWhatWasWritten_orRefusesTyped(@ForAll @IntRange(min = 0, max = 10_000) int at,
      @ForAll byte flip, @ForAll boolean truncate) throws IOException {
    Assume.that(flip != 0);
    Path file = Files.createTempFile("wallet-ratings", ".txt");
    List<RatingConfirmation> written = new java.util.ArrayList<>();
    try (RatingConfirmationLog log = RatingConfirmationLog.open(file)) {
      for (int i = 1; i <= 3; i++) {
        byte[] input = new byte[RatingConfirmation.INPUT_LENGTH];
        input[0] = RatingConfirmation.INPUT_TAG;
        input[12] = (byte) i;
        RatingConfirmation c = new RatingConfirmation(input, new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) i});
        log.append(c);
        written.add(c);
      }
    }
    byte[] bytes = Files.readAllBytes(file);
    if (truncate) {
      bytes = java.util.Arrays.copyOf(bytes, at % bytes.length);
    } else {
      bytes[at % bytes.length] ^= flip;
    }
    Files.write(file, bytes);
    try (RatingConfirmationLog reopened = RatingConfirmationLog.open(file)) {
      assertThat(written).containsAll(reopened.confirmations());
    } catch (WalletException expected) {
      assertThat(expected.device()).isEqualTo(WalletException.Device.POS);
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
