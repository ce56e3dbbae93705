package io.iotpay.card.emv;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.card.CardGoneException;
import io.iotpay.foundation.card.FaultyCardChannel;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tearing matrix: every command of an online transaction (PPSE, SELECT, GPO, two READ RECORD,
 * GENERATE AC, GENERATE AC with the ARPC) lost on the way in, lost on the way out, or cut
 * by pulling the card; after each, a complete transaction follows. The ATC only grows, no ATC is
 * ever in two cryptograms of different transactions, and the card and the issuer still agree.
 */
class EmvTearingTest {

  private static final int ONLINE_COMMANDS = 6;
  private final EmvIssuer issuer = new EmvIssuer(15);

  /** Runs one online transaction through {@code pos}; records each ATC the terminal saw. */
  private void onlineTransaction(EmvCard card, PosTerminal pos, List<Integer> atcsSeen) {
    if (pos.start(2_500) != 0x9000) {
      throw new AssertionError("GPO refused");
    }
    PosTerminal.Ac arqc = pos.firstAc(PosTerminal.P1_ARQC);
    atcsSeen.add(arqc.atc());
    assertThat(issuer.cryptogramValid(card, arqc.cdolData(), arqc.atc(), arqc.iad(), arqc.cryptogram())).isTrue();
    byte[] arpc = issuer.arpc(card, arqc.atc(), arqc.cryptogram(), PosTerminal.ARC_APPROVED);
    PosTerminal.Ac tc = pos.generateAc(PosTerminal.P1_TC,
        pos.cdol2Data(PosTerminal.ARC_APPROVED, arpc, PosTerminal.ARC_APPROVED));
    assertThat(tc.cid()).isEqualTo(0x40);
    assertThat(tc.atc()).isEqualTo(arqc.atc());
    assertThat(issuer.cryptogramValid(card, tc.cdolData(), tc.atc(), tc.iad(), tc.cryptogram())).isTrue();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void everyLostCommandOrResponse_leavesTheAtcMonotonicAndNeverReused(AlgorithmSuite suite) {
    EmvCard card = EmvCard.personalised(suite, issuer);
    List<Integer> transactionAtcs = new ArrayList<>();
    int previousAtc = card.atc();
    for (FaultyCardChannel.Fault fault : FaultyCardChannel.Fault.values()) {
      for (int n = 1; n <= ONLINE_COMMANDS; n++) {
        card.reinsert();
        FaultyCardChannel faulty = new FaultyCardChannel(card.channel(), n, fault);
        List<Integer> seen = new ArrayList<>();
        boolean torn = false;
        try {
          onlineTransaction(card, new PosTerminal(faulty), seen);
        } catch (CardGoneException expected) {
          torn = true;
        }
        assertThat(torn).as("%s at command %d breaks the transaction", fault, n).isTrue();
        int afterTear = card.atc();
        assertThat(afterTear).as("ATC after %s at %d", fault, n).isGreaterThanOrEqualTo(previousAtc);
        boolean generateAcReachedCard = n > 5 || (n == 5 && fault == FaultyCardChannel.Fault.LOSE_RESPONSE);
        assertThat(afterTear - previousAtc).as("a torn GENERATE AC still consumed its ATC")
            .isEqualTo(generateAcReachedCard ? 1 : 0);
        transactionAtcs.addAll(seen);

        card.reinsert();
        List<Integer> complete = new ArrayList<>();
        onlineTransaction(card, new PosTerminal(card.channel()), complete);
        assertThat(complete.get(0)).isEqualTo(afterTear + 1);
        transactionAtcs.addAll(complete);
        previousAtc = card.atc();
      }
    }
    Set<Integer> unique = new HashSet<>(transactionAtcs);
    assertThat(unique).as("no ATC in two transactions").hasSameSizeAs(transactionAtcs);
    assertThat(transactionAtcs).isSorted();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void arqcWhoseResponseWasLost_marksTheNextTransaction_andItGoesOnline(AlgorithmSuite suite) {
    EmvCard card = EmvCard.personalised(suite, issuer);
    FaultyCardChannel faulty = new FaultyCardChannel(card.channel(), 5, FaultyCardChannel.Fault.LOSE_RESPONSE);
    PosTerminal pos = new PosTerminal(faulty);
    pos.start(100);
    try {
      pos.firstAc(PosTerminal.P1_ARQC);
      throw new AssertionError("the response should have been lost");
    } catch (CardGoneException expected) {
      // The card computed and released an ARQC the terminal never saw.
    }
    PosTerminal.Ac next = EmvTransactionTest.offlineTap(card, 100);
    assertThat(next.atc()).isEqualTo(2);
    assertThat(next.cid()).as("last online transaction not completed: online").isEqualTo(0x80);
    assertThat(next.cvrByte(2) & EmvApplet.CVR2_LAST_ONLINE_NOT_COMPLETED).isNotZero();
  }
}
