package io.iotpay.switching.settlement;

import io.iotpay.protocol.PartyId;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Another scheme's gross amounts folded into the transit settlement window (docs/online-clearing.md):
 * the settlement run adds each source's payer → receiver amounts of day T to the transit fares before
 * netting and posting, so one report and one set of postings cover every scheme.
 */
public interface GrossSource {
  /**
   * The participants this source brings besides the transit issuers and operators (each gets a
   * position, zero when it has no amount, and an account in the switch's book). Fixed for the
   * source's life.
   */
  List<PartyId> participants();

  /**
   * Closes day T to this source's intake and returns its gross amounts. Called once per settlement
   * run, before anything is posted; {@link #settled} follows once the run is recorded.
   */
  Gross close(LocalDate businessDate);

  /** The run that included day T's gross is recorded: the source marks T settled. */
  void settled(LocalDate businessDate);

  /**
   * One source's gross amounts of a day.
   *
   * @param payerToReceiverMinor payer → receiver → amount, minor units, each amount positive
   * @param records how many records carried them (added to the report's records settled)
   */
  record Gross(Map<PartyId, Map<PartyId, Long>> payerToReceiverMinor, long records) {
    public Gross {
      payerToReceiverMinor = Map.copyOf(payerToReceiverMinor);
    }
  }
}
