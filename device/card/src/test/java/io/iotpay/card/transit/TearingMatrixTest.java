package io.iotpay.card.transit;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The card's tearing matrix: for each transaction type (tap-in, tap-out, push restore,
 * personalisation), each command APDU in it, and each fault (command lost, response lost, card
 * pulled after the command ran), run the transaction, recover as the gate or issuer would, and
 * check that quota, ATC, log and the terminal's journal agree and that the intended operation
 * happened exactly once. jCardSim cannot tear inside a command, so tears fall between commands;
 * within a command the Java Card transaction is the guarantee.
 */
class TearingMatrixTest {

  enum Fault { LOSE_COMMAND, LOSE_RESPONSE, PULL_CARD }

  /** Aborts a flow at the faulted command, as a reader losing the card would. */
  private static final class Aborted extends RuntimeException {
    Aborted() {
      super("fault injected", null, false, false);
    }
  }

  private static final class FaultyLink implements java.util.function.Function<CommandAPDU,
      ResponseAPDU> {
    private final CardFixture card;
    private final int faultAt;
    private final Fault fault;
    private int index;

    FaultyLink(CardFixture card, int faultAt, Fault fault) {
      this.card = card;
      this.faultAt = faultAt;
      this.fault = fault;
    }

    @Override
    public ResponseAPDU apply(CommandAPDU command) {
      int i = index++;
      if (i != faultAt) {
        return card.transmit(command);
      }
      switch (fault) {
        case LOSE_COMMAND -> { }
        case LOSE_RESPONSE -> card.transmit(command);
        case PULL_CARD -> {
          card.transmit(command);
          card.tear();
        }
      }
      throw new Aborted();
    }
  }

  private record Flow(String name, int commands, Consumer<World> setup,
      Consumer<World> run, Consumer<World> recover, Consumer<World> check) {}

  /** The card plus what the gate and the issuer know about it. */
  private static final class World {
    final CardFixture card;
    final TestTerminal gate;
    final Map<Integer, byte[]> journal = new LinkedHashMap<>();
    final List<String> violations = new ArrayList<>();

    World(CardFixture card) {
      this.card = card;
      gate = new TestTerminal(card);
    }

    void journal(ResponseAPDU response) {
      byte[] atc = CardFixture.find(response.getData(), 0x9F36);
      journal.put(((atc[0] & 0xFF) << 8) | (atc[1] & 0xFF), response.getData());
    }

    void expect(boolean condition, String what) {
      if (!condition) {
        violations.add(what);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void everyFaultAtEveryCommand_conservesQuotaAndRecordsEachTransactionOnce(AlgorithmSuite suite) {
    List<Flow> flows = List.of(tapIn(), tapOut(), pushRestore(), personalisation());
    int cases = 0;
    List<String> violations = new ArrayList<>();
    for (Flow flow : flows) {
      for (int at = 0; at < flow.commands(); at++) {
        for (Fault fault : Fault.values()) {
          cases++;
          for (String v : runCase(suite, flow, at, fault)) {
            violations.add(flow.name() + " #" + at + " " + fault + ": " + v);
          }
        }
      }
    }
    System.out.printf("card tearing matrix %s: %d cases, %d violations%n", suite, cases,
        violations.size());
    violations.forEach(System.out::println);
    assertThat(cases).isEqualTo(3 * (5 + 5 + 4 + 6));
    assertThat(violations).isEmpty();
  }

  private static List<String> runCase(AlgorithmSuite suite, Flow flow, int at, Fault fault) {
    CardFixture card = flow.name().equals("personalisation") ? CardFixture.installed(suite)
        : CardFixture.personalised(suite);
    World world = new World(card);
    flow.setup().accept(world);
    card.interceptor = new FaultyLink(card, at, fault);
    boolean aborted = false;
    try {
      flow.run().accept(world);
    } catch (Aborted e) {
      aborted = true;
    } finally {
      card.interceptor = null;
    }
    world.expect(aborted, "fault was not reached");
    card.tear();
    flow.recover().accept(world);
    flow.check().accept(world);
    return world.violations;
  }

  // ---- transit ----------------------------------------------------------------------------

  private static Flow tapIn() {
    return new Flow("tap-in", 5, w -> { },
        w -> w.journal(w.gate.tap(TestTerminal.ENTRY, "000000000800", 1)),
        w -> recoverTap(w, TestTerminal.ENTRY, "000000000800", 1),
        w -> {
          checkTransit(w, 1);
          w.expect(w.gate.amount(0xDF63).equals("000000000800"), "lock not held exactly once");
        });
  }

  private static Flow tapOut() {
    return new Flow("tap-out", 5,
        w -> w.journal(w.gate.tap(TestTerminal.ENTRY, "000000000800", 1)),
        w -> w.journal(w.gate.tap(TestTerminal.EXIT, "000000000300", 2)),
        w -> recoverTap(w, TestTerminal.EXIT, "000000000300", 2),
        w -> {
          checkTransit(w, 2);
          w.expect(w.gate.amount(0x9F79).equals("000000004700"), "fare not charged once");
        });
  }

  /**
   * Flash-card recovery at the next tap: the proof of the card's last transaction, if the gate
   * does not already hold it, completes the torn one; otherwise the tap is simply run again.
   */
  private static void recoverTap(World w, int state, String amount, int station) {
    w.card.select();
    int atc = w.gate.atc();
    ResponseAPDU proof = w.gate.getTransProve(atc);
    boolean completed = proof.getSW() == 0x9000 && !w.journal.containsKey(atc)
        && CardFixture.find(proof.getData(), 0x9F27)[0] == 0x40;
    if (completed) {
      w.journal(proof);
      return;
    }
    w.journal(w.gate.tap(state, amount, station));
  }

  /** Journal = card log (same ATCs and TACs), and quota + DF63 + fares = the initial quota. */
  private static void checkTransit(World w, int expectedRecords) {
    w.card.select();
    Map<Integer, byte[]> logTacs = new LinkedHashMap<>();
    long faresMinor = 0;
    for (int record = 1; ; record++) {
      ResponseAPDU r = w.card.send(new CommandAPDU(0x00, 0xB2, record, 0xF4, 256));
      if (r.getSW() != 0x9000) {
        break;
      }
      byte[] d = r.getData();
      logTacs.put(((d[0] & 0xFF) << 8) | (d[1] & 0xFF), Arrays.copyOfRange(d, 28, 36));
      if (d[36] == TestTerminal.EXIT) {
        faresMinor += Long.parseLong(Hex.encode(Arrays.copyOfRange(d, 3, 9)));
      }
    }
    w.expect(logTacs.size() == expectedRecords, "log holds " + logTacs.size() + " records");
    Map<Integer, byte[]> journalTacs = new LinkedHashMap<>();
    w.journal.forEach((atc, data) -> journalTacs.put(atc, CardFixture.find(data, 0x9F26)));
    w.expect(journalTacs.keySet().containsAll(logTacs.keySet())
        && journalTacs.size() >= logTacs.size(), "journal misses a card transaction");
    logTacs.forEach((atc, tac) -> w.expect(Arrays.equals(tac, journalTacs.get(atc)),
        "TAC of ATC " + atc + " differs between card and journal"));
    long quota = Long.parseLong(w.gate.amount(0x9F79));
    long deducted = Long.parseLong(w.gate.amount(0xDF63));
    w.expect(quota + deducted + faresMinor == 5000,
        "quota " + quota + " + DF63 " + deducted + " + fares " + faresMinor + " != 5000");
  }

  // ---- push restore -------------------------------------------------------------------------

  private static final byte[] RESTORE = Hex.decode("9F7906000000005000");

  private static Flow pushRestore() {
    return new Flow("push", 4,
        w -> {
          w.gate.tap(TestTerminal.ENTRY, "000000000800", 1);
          w.gate.tap(TestTerminal.EXIT, "000000000800", 2);
        },
        w -> w.expect(w.card.openSecureChannel().push(1, RESTORE, 8).getSW() == 0x9000,
            "push refused"),
        w -> {
          // The issuer resends the same script in a new session: 9000 applies it now, 6982 says
          // the first one already did. Either way exactly one restore happened.
          int sw = w.card.openSecureChannel().push(1, RESTORE, 8).getSW();
          w.expect(sw == 0x9000 || sw == 0x6982, "retry answered " + Integer.toHexString(sw));
        },
        w -> {
          w.card.select();
          w.expect(w.gate.amount(0x9F79).equals("000000005000"), "quota not restored");
          w.expect(w.card.openSecureChannel().push(1, RESTORE, 8).getSW() == 0x6982,
              "Last Push ATC not stored");
        });
  }

  // ---- personalisation ----------------------------------------------------------------------

  private static Flow personalisation() {
    return new Flow("personalisation", 6, w -> { },
        w -> w.card.personalise(CardFixture.PDOL_WITH_DF60, CardFixture.QUOTA_5000,
            CardFixture.LIMIT_0800),
        TearingMatrixTest::resumePersonalisation,
        w -> {
          TestTerminal gate = new TestTerminal(w.card);
          w.card.select();
          w.expect(gate.amount(0x9F79).equals("000000005000"), "quota not personalised");
          ResponseAPDU entry = gate.tap(TestTerminal.ENTRY, "000000000800", 1);
          w.expect(Arrays.equals(CardFixture.find(entry.getData(), 0x9F26),
              TestTerminal.expectedCryptogram(w.card, TestTerminal.cdol1("000000000800"), 1,
                  0x40, TestTerminal.iad(w.card, 0), HostCrypto.concat(
                      Hex.decode("000000004200000000000800"),
                      TestTerminal.cappRecord(TestTerminal.ENTRY, 1)))),
              "card keys are not the issuer's");
        });
  }

  /** The issuer restarts the script from the top; 6200 = already stored, 6986 = already done. */
  private static void resumePersonalisation(World w) {
    CardFixture card = w.card;
    HostSession session = card.openSecureChannel();
    byte[] keys = session.encryptWithDek(HostCrypto.concat(card.acKey, card.macSubKey));
    int sw = session.storeData(0x00, 0, CardFixture.dgi(0x8000, keys)).getSW();
    if (sw == 0x6986) {
      return;
    }
    w.expect(sw == 0x9000 || sw == 0x6200, "keys resend answered " + Integer.toHexString(sw));
    byte[] record = HostCrypto.concat(Hex.decode("5A08"), CardFixture.PAN,
        Hex.decode("5F24032712315F340101"));
    sw = session.storeData(0x00, 1, CardFixture.dgi(0x0101, record)).getSW();
    w.expect(sw == 0x9000 || sw == 0x6200, "record resend answered " + Integer.toHexString(sw));
    sw = session.storeData(0x80, 2, CardFixture.dgi(0x9200, CardFixture.applicationData(
        CardFixture.PDOL_WITH_DF60, CardFixture.QUOTA_5000, CardFixture.LIMIT_0800))).getSW();
    w.expect(sw == 0x9000 || sw == 0x6200, "last block answered " + Integer.toHexString(sw));
  }
}
