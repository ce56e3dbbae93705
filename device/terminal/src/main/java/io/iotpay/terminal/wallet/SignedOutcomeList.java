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
 * The issuer's allow and deny list, with the cards' new ratings, as a POS holds it (docs/wallet.md
 * §4, §5): taken only after its
 * signature (protocol.pki, kind {@code WALLETLIST}, signed by the issuer) verifies and its version
 * is above the one held; a refused list leaves the held one in place. Immutable once built.
 */
public final class SignedOutcomeList implements OutcomeList {
  private final long version;
  private final Map<String, SignedOutcome> outcomes;
  private final Set<String> blocked;
  private final Map<String, SignedRating> ratings;

  private SignedOutcomeList(long version, Map<String, SignedOutcome> outcomes, Set<String> blocked,
      Map<String, SignedRating> ratings) {
    this.version = version;
    this.outcomes = outcomes;
    this.blocked = blocked;
    this.ratings = ratings;
  }

  /** The list a POS holds before its first download. */
  public static SignedOutcomeList none() {
    return new SignedOutcomeList(0, Map.of(), Set.of(), Map.of());
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
    Map<String, SignedRating> ratings = new HashMap<>();
    for (WalletListFile.Rating r : read.ratings()) {
      // Several lines for one card: the newest version is the one to write.
      ratings.merge(Hex.encode(r.cardId()), new SignedRating(r.version(), r.band(), r.allowanceMinor(),
          r.splitKinds(), r.issuerMac()), (a, b) -> a.version() >= b.version() ? a : b);
    }
    return new SignedOutcomeList(read.header().sequence(), outcomes, blocked, ratings);
  }

  public long version() {
    return version;
  }

  public int size() {
    return outcomes.size() + blocked.size() + ratings.size();
  }

  @Override
  public Optional<SignedRating> rating(byte[] cardId) {
    return Optional.ofNullable(ratings.get(Hex.encode(cardId)));
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
