package io.iotpay.acquirer.pos.merchant;

import java.util.List;
import java.util.Optional;

/**
 * Where onboarding keeps merchants, findings, terminals and the trail of state changes. Each write
 * appends its {@link AuditEvent} to the audit log in the same transaction. Every method throws
 * {@link OnboardingStoreException} when the database fails; then nothing was written.
 */
public interface OnboardingStore {
  /** A registration request already seen: the merchant it made and the keyed hash of its content. */
  record SeenRequest(MerchantId merchantId, byte[] fingerprint) {}

  Optional<SeenRequest> request(String requestId);

  Optional<Merchant> merchant(MerchantId id);

  /** The keyed hash of the merchant's owner identity number. */
  Optional<byte[]> ownerIdHash(MerchantId id);

  /** Whether a merchant other than {@code self}, in any state but REJECTED, holds the licence number. */
  boolean licenceHeldByOther(String licenceNumber, MerchantId self);

  /** Stores a new merchant and its request; the event is its creation. */
  void create(Merchant merchant, String requestId, byte[] fingerprint, byte[] ownerIdHash, AuditEvent event);

  /**
   * Moves a merchant from {@code from} to {@code updated.state()} and adds {@code findings}.
   *
   * @return false (and nothing written) when the stored state is not {@code from} any more
   */
  boolean update(Merchant updated, MerchantState from, List<Finding> findings, AuditEvent event);

  List<Finding> findings(MerchantId id);

  /** The state changes of one subject (kind MERCHANT or TERMINAL), oldest first. */
  List<AuditEvent> history(String subjectKind, String subjectId);

  /**
   * One page of merchants in id order.
   *
   * @param state only this state, or null for all
   * @param search a case-insensitive substring of the legal name or the exact licence number, or null
   * @param after the last id of the previous page, or null
   */
  List<Merchant> list(MerchantState state, String search, MerchantId after, int limit);

  /** @return false when the id is taken (then nothing was written) */
  boolean createTerminal(Terminal terminal, AuditEvent event);

  /** @return false (and nothing written) when the stored state is not {@code from} any more */
  boolean updateTerminal(Terminal updated, TerminalState from, AuditEvent event);

  Optional<Terminal> terminal(TerminalId id);

  /** The merchant's terminals in id order. */
  List<Terminal> terminals(MerchantId merchantId);
}
