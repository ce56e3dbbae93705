package io.iotpay.issuer.transit;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.custody.KeyCustody;
import io.iotpay.foundation.custody.KeyRef;
import io.iotpay.issuer.IssuerInputException;
import io.iotpay.protocol.Pan;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * TAC verification for clearing, through the issuer's {@link KeyCustody}: the custody derives the
 * card's AC key from the IMK-AC (EMV option A), keeps it in its bounded, zeroising card-key cache,
 * runs the card's formula (docs/card-apdus.md §6, {@code CardCrypto.tac}) and compares in constant
 * time. This class holds key refs only, never a key.
 *
 * <p>Rotation: a record is tried under each live IMK-AC version of its suite, current first (the
 * record does not say which version personalised its card), so cards personalised under an older
 * version keep clearing until that version is retired. Thread-safe.
 */
public final class TacVerifier {
  private static final String[] PAN_SEQUENCES = new String[100];

  static {
    for (int i = 0; i < PAN_SEQUENCES.length; i++) {
      PAN_SEQUENCES[i] = String.format("%02d", i);
    }
  }

  private final KeyCustody custody;
  private final Map<AlgorithmSuite, List<KeyRef>> imkAc = new EnumMap<>(AlgorithmSuite.class);

  /**
   * @param imkAcVersions the live IMK-AC versions of each suite that will be verified, current first
   *     (copied; a suite without one is refused at {@link #verify})
   */
  public TacVerifier(KeyCustody custody, Map<AlgorithmSuite, List<KeyRef>> imkAcVersions) {
    this.custody = custody;
    imkAcVersions.forEach((suite, refs) -> imkAc.put(suite, List.copyOf(refs)));
  }

  /**
   * Whether {@code tac} is the card's TAC over {@code cryptogramInput} for {@code atc} under one of
   * the suite's live IMK-AC versions; each compare is constant-time.
   *
   * @param atc 0..65535
   * @throws IssuerInputException when the verifier has no IMK-AC for {@code suite}, or the ATC or
   *     PAN sequence is out of range
   */
  public boolean verify(AlgorithmSuite suite, Pan pan, int panSequence, int atc, byte[] cryptogramInput, byte[] tac) {
    if (atc < 0 || atc > EmvKeyDerivation.ATC_MAX || panSequence < 0 || panSequence > 99) {
      throw new IssuerInputException("TAC: ATC " + atc + " or PAN sequence " + panSequence + " out of range");
    }
    List<KeyRef> refs = imkAc.get(suite);
    if (refs == null || refs.isEmpty()) {
      throw new IssuerInputException("TAC: no IMK-AC for suite " + suite);
    }
    for (KeyRef ref : refs) {
      if (custody.verifyTac(ref, pan.digits(), PAN_SEQUENCES[panSequence], atc, cryptogramInput, tac)) {
        return true;
      }
    }
    return false;
  }
}
