package io.iotpay.protocol.pki;

import io.iotpay.protocol.file.FileKind;
import java.util.EnumSet;
import java.util.Set;

/**
 * A party's role in the scheme, as its certificate states it (the subject's OU), and as a data table
 * the file kinds each role may send under its own name, and those it may relay (sign while the
 * file's header names another party as sender). Kinds not in the table are sent by no role.
 */
public enum PartyRole {
  /**
   * A transit operator or other acquirer (a wallet POS, an online card acquirer too): sends its day files, its
   * re-presentments and its online presentment files.
   */
  OPERATOR(EnumSet.of(FileKind.OFFLINE, FileKind.EXCEPTION, FileKind.WALLET_DAY, FileKind.PRESENTMENT),
      EnumSet.noneOf(FileKind.class)),
  /**
   * A card issuer: publishes its deny list and the wallet's outcome lists, raises chargebacks and answers the
   * switch's online presentment files.
   */
  ISSUER(EnumSet.of(FileKind.DENY_LIST, FileKind.EXCEPTION, FileKind.WALLET_LIST, FileKind.PRESENTMENT_RESULT),
      EnumSet.noneOf(FileKind.class)),
  /**
   * The scheme switch: sends clearing files, settlement reports and exception notices, the online presentment files
   * per issuer and the result files to acquirers, and relays issuers' deny lists to operators (the list keeps its
   * issuer as header sender; the switch signs the copy it writes).
   */
  SWITCH(EnumSet.of(FileKind.CLEARING, FileKind.SETTLEMENT, FileKind.EXCEPTION, FileKind.PRESENTMENT,
      FileKind.PRESENTMENT_RESULT), EnumSet.of(FileKind.DENY_LIST));

  private final Set<FileKind> sends;
  private final Set<FileKind> relays;

  PartyRole(Set<FileKind> sends, Set<FileKind> relays) {
    this.sends = sends;
    this.relays = relays;
  }

  /** True when a party of this role may send {@code kind} under its own name. */
  public boolean maySend(FileKind kind) {
    return sends.contains(kind);
  }

  /** True when a party of this role may sign {@code kind} whose header names another party as sender. */
  public boolean mayRelay(FileKind kind) {
    return relays.contains(kind);
  }
}
