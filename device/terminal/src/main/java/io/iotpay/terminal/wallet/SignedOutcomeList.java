package io.iotpay.terminal.wallet;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.WalletListFile;
import io.iotpay.protocol.pki.AcceptedFiles;
import io.iotpay.protocol.pki.SignedFileException;
import io.iotpay.protocol.pki.SignedFileVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The issuer's allow and deny list as a POS holds it (docs/wallet.md §4): taken only after its
 * signature (protocol.pki, kind {@code WALLETLIST}, signed by the issuer) verifies and its version
 * is above the one held; a refused list leaves the held one in place. Immutable once built.
 */
public final class SignedOutcomeList implements OutcomeList {
  private final long version;
  private final Map<String, SignedOutcome> outcomes;
  private final Set<String> blocked;

  private SignedOutcomeList(long version, Map<String, SignedOutcome> outcomes, Set<String> blocked) {
    this.version = version;
    this.outcomes = outcomes;
    this.blocked = blocked;
  }

  /** The list a POS holds before its first download. */
  public static SignedOutcomeList none() {
    return new SignedOutcomeList(0, Map.of(), Set.of());
  }

  /**
   * Verifies and reads a downloaded list; returns it, or throws and the caller keeps {@code held}.
   *
   * @throws SignedFileException when the signature or its claims are refused, or the version is not above the held one
   * @throws io.iotpay.protocol.ProtocolException when the file is malformed
   */
  public static SignedOutcomeList accept(Path file, SignedFileVerifier verifier, SignedOutcomeList held) {
    long version = verifier.verify(file, FileKind.WALLET_LIST, AcceptedFiles.NONE).claims().sequence();
    if (version <= held.version) {
      throw new SignedFileException(SignedFileException.Reason.REPLAYED,
          "wallet list version " + version + " is not above " + held.version);
    }
    WalletListFile.Read read;
    try (InputStream in = Files.newInputStream(file)) {
      read = WalletListFile.read(in, FileLimits.defaults());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    Map<String, SignedOutcome> outcomes = new HashMap<>();
    Set<String> blocked = new HashSet<>();
    for (WalletListFile.Entry e : read.entries()) {
      String card = Hex.encode(e.cardId());
      if (e.kind() == 'B') {
        blocked.add(card);
      } else {
        outcomes.put(card + "/" + e.pendingCounter(), new SignedOutcome(e.pendingCounter(), e.outcome(),
            e.issuerSignature()));
      }
    }
    return new SignedOutcomeList(read.header().sequence(), outcomes, blocked);
  }

  public long version() {
    return version;
  }

  public int size() {
    return outcomes.size() + blocked.size();
  }

  @Override
  public Optional<SignedOutcome> find(byte[] cardId, long pendingCounter) {
    return Optional.ofNullable(outcomes.get(Hex.encode(cardId) + "/" + pendingCounter));
  }

  @Override
  public boolean blocked(byte[] cardId) {
    return blocked.contains(Hex.encode(cardId));
  }
}
