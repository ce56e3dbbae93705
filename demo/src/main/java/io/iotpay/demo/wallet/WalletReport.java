package io.iotpay.demo.wallet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code iotpay demo wallet} read back from the parties' records and the cards.
 *
 * @param phoneCardPurchases purchases journalled by any POS (phones' included) whose card is a phone
 * @param phonePosPurchases purchases journalled by the merchants' phones (their SDKs' wallet journals)
 */
public record WalletReport(int cards, int pos, int days, long seed, int phoneCards, int phonePos,
    long phoneCardPurchases, long phonePosPurchases, long purchasesOffline, long purchasesSplit,
    long declined, long tornTaps, long posRestarts, long onlinePartsCompleted,
    long onlinePartsCompletedFromLinkedAccount, long onlinePartsFailed,
    long onlinePartAnswersLost, long loads,
    long listsPublished, long outcomesWrittenBack, long ratingsWritten, boolean ratingsIssued, long debtsRecoveredMinor,
    long mismatches, long blockedCards, long walletMinorTotal, long shadowMinorTotal, long onlineMinorTotal,
    long linkedMinorTotal, long merchantMinorTotal, long fundedMinor, boolean booksBalanced, boolean auditVerified, boolean conserved,
    List<String> notes) {

  /** Every check holds. */
  public boolean ok() {
    return booksBalanced && auditVerified && conserved && ratingsIssued;
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cards", cards);
    m.put("pos", pos);
    m.put("days", days);
    m.put("seed", seed);
    m.put("phone_cards", phoneCards);
    m.put("phone_pos", phonePos);
    m.put("phone_card_purchases", phoneCardPurchases);
    m.put("phone_pos_purchases", phonePosPurchases);
    m.put("purchases_offline", purchasesOffline);
    m.put("purchases_split", purchasesSplit);
    m.put("declined", declined);
    m.put("torn_taps", tornTaps);
    m.put("pos_restarts", posRestarts);
    m.put("online_parts_completed", onlinePartsCompleted);
    m.put("online_parts_completed_from_linked_account", onlinePartsCompletedFromLinkedAccount);
    m.put("online_parts_failed", onlinePartsFailed);
    m.put("online_part_answers_lost", onlinePartAnswersLost);
    m.put("loads", loads);
    m.put("lists_published", listsPublished);
    m.put("outcomes_written_back", outcomesWrittenBack);
    m.put("ratings_written", ratingsWritten);
    m.put("ratings_issued", ratingsIssued);
    m.put("debts_recovered", debtsRecoveredMinor);
    m.put("mismatches", mismatches);
    m.put("blocked_cards", blockedCards);
    m.put("wallet_minor_total", walletMinorTotal);
    m.put("shadow_minor_total", shadowMinorTotal);
    m.put("online_minor_total", onlineMinorTotal);
    m.put("linked_minor_total", linkedMinorTotal);
    m.put("merchant_minor_total", merchantMinorTotal);
    m.put("funded_minor", fundedMinor);
    m.put("books_balanced", booksBalanced);
    m.put("audit_verified", auditVerified);
    m.put("conserved", conserved);
    m.put("ok", ok());
    m.put("notes", notes);
    return m;
  }
}
