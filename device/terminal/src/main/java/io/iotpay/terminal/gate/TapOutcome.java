package io.iotpay.terminal.gate;

import io.iotpay.protocol.transit.TransitRecord;
import java.util.List;

/**
 * What one tap came to. Every outcome lists the records this tap journaled (recovered ones
 * included): they are on disk before the outcome is returned.
 */
public sealed interface TapOutcome {
  /** Records journaled by this tap, in order; never null. */
  List<TransitRecord> journaled();

  /** Command APDUs this tap sent. */
  int commandCount();

  /**
   * The gate opens.
   *
   * @param resumed true when no new card transaction ran: the tap completed this gate's own torn
   *     transaction found with GET TRANS PROVE
   */
  record Opened(List<TransitRecord> journaled, boolean resumed, int commandCount) implements TapOutcome {
    public Opened {
      journaled = List.copyOf(journaled);
    }
  }

  /** The gate stays shut. */
  record Refused(Reason reason, String detail, List<TransitRecord> journaled, int commandCount) implements TapOutcome {
    public Refused {
      journaled = List.copyOf(journaled);
    }
  }

  /**
   * The card left the field or an exchange was lost; the gate stays shut. Whatever the card
   * committed is completed at the next tap, at this or any gate.
   */
  record Torn(String detail, List<TransitRecord> journaled, int commandCount) implements TapOutcome {
    public Torn {
      journaled = List.copyOf(journaled);
    }
  }

  /** Why a gate stayed shut. */
  enum Reason {
    /** Not our transit application, or its FCI/PDOL lacks what the gate needs. */
    NOT_A_TRANSIT_CARD,
    /** The card is on a deny list. */
    DENIED,
    /** Entry within the passback window of the card's last entry, no exit since. */
    PASSBACK,
    /** Exit without an open journey. */
    NO_ENTRY,
    /** Quota (plus the lock, at exit) below what the transaction needs. */
    LOW_QUOTA,
    /** The card declined (AAC); the detail gives the CVR. */
    CARD_DECLINED,
    /** An unexpected status word; the detail names the command and the SW. */
    CARD_ERROR,
    /** A response that does not parse. */
    INVALID_CARD_DATA,
    /**
     * Offline data authentication failed (a counterfeit: no DDA offered, a broken, expired or
     * revoked certificate chain, or a signature not made by the card's key over this tap's data);
     * the detail starts with the reason ({@code OdaReason} name, NO_ODA, DATA_MISSING, SUITE_MISMATCH).
     */
    ODA_FAILED
  }
}
