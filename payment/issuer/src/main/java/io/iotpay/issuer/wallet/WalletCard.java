package io.iotpay.issuer.wallet;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;

/**
 * A wallet card as its issuer enrolled it: the card's public key (read at personalisation), its
 * online account and its shadow account (the ledger's mirror of the value on the card).
 */
public record WalletCard(String cardIdHex, AlgorithmSuite suite, PublicKey cardKey, long onlineAccountId,
    long shadowAccountId) {
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  /**
   * The card's key from its uncompressed point {@code 04 ‖ X ‖ Y} on the suite's curve.
   *
   * @throws IllegalArgumentException when the point is not on the curve
   */
  public static PublicKey keyOf(AlgorithmSuite suite, byte[] point) {
    try {
      ECNamedCurveParameterSpec spec = ECNamedCurveTable.getParameterSpec(suite.signature().curveName());
      return KeyFactory.getInstance("EC", BC).generatePublic(new ECPublicKeySpec(spec.getCurve().decodePoint(point),
          spec));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("not a public key of " + suite, e);
    }
  }
}
