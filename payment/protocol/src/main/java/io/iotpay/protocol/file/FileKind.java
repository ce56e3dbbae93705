package io.iotpay.protocol.file;

import io.iotpay.protocol.ProtocolException;

/** What a file between parties carries; its wire name is the header's third field. */
public enum FileKind {
  /** Operator → switch: the operator's day-T gate transactions. */
  OFFLINE("OFFLINE"),
  /** Switch → issuer: the day-T transactions on the issuer's cards. */
  CLEARING("CLEARING"),
  /** Switch → every participant: the multilateral net settlement of day T. */
  SETTLEMENT("SETTLEMENT"),
  /** Issuer → switch → operators: cards a gate must refuse. */
  DENY_LIST("DENYLIST"),
  /** Acquirer → switch, and switch → issuer: online card captures and refunds of day T. */
  PRESENTMENT("PRESENT"),
  /** Switch → acquirer, and issuer → switch: what became of each presentment. */
  PRESENTMENT_RESULT("PRESULT"),
  /**
   * Issuer → switch: chargebacks of cleared transit records; operator → switch: re-presentments;
   * switch → operator and issuer: the notice of what a settlement window netted.
   */
  EXCEPTION("EXCEPTION"),
  /** Wallet POS → wallet issuer: the POS's card-signed wallet purchases of day T (docs/wallet.md §3). */
  WALLET_DAY("WALLETDAY"),
  /** Wallet issuer → every wallet POS: the signed outcomes to write back and the blocked cards. */
  WALLET_LIST("WALLETLIST");

  private final String wireName;

  FileKind(String wireName) {
    this.wireName = wireName;
  }

  /** The name written in the header's kind field. */
  public String wireName() {
    return wireName;
  }

  /** @throws ProtocolException when no kind has this wire name */
  public static FileKind ofWireName(String name) {
    for (FileKind kind : values()) {
      if (kind.wireName.equals(name)) {
        return kind;
      }
    }
    throw new ProtocolException("unknown file kind '" + name + "'");
  }
}
