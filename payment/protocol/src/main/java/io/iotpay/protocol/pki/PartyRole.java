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
  /** A transit operator or other acquirer (a wallet POS too): sends its day files and its re-presentments. */
  OPERATOR(EnumSet.of(FileKind.OFFLINE, FileKind.EXCEPTION, FileKind.WALLET_DAY), EnumSet.noneOf(FileKind.class)),
  /** A card issuer: publishes its deny list and the wallet's outcome lists, and raises chargebacks. */
  ISSUER(EnumSet.of(FileKind.DENY_LIST, FileKind.EXCEPTION, FileKind.WALLET_LIST), EnumSet.noneOf(FileKind.class)),
  /**
   * The scheme switch: sends clearing files, settlement reports and exception notices, and relays issuers' deny lists
   * to operators (the list keeps its issuer as header sender; the switch signs the copy it writes).
   */
  SWITCH(EnumSet.of(FileKind.CLEARING, FileKind.SETTLEMENT, FileKind.EXCEPTION), EnumSet.of(FileKind.DENY_LIST));

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
