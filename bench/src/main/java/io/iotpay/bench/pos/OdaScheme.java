package io.iotpay.bench.pos;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.oda.CaRevocationList;
import io.iotpay.foundation.crypto.oda.OdaIssuing;
import io.iotpay.foundation.crypto.oda.OdaTrustStore;
import io.iotpay.foundation.crypto.oda.OdaVerifier;
import java.security.SecureRandom;
import java.time.YearMonth;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A payment scheme's ODA keys for the POS tests and bench: one CA (RID A000000333, index 01) and one
 * issuer per suite, of the sizes docs/oda.md §1 chose (RSA: CA 1984, issuer 1408 bits; SM2), made
 * once per JVM with foundation's {@link OdaIssuing}. The issuer certificate's serial is 000042.
 *
 * <p>The bench's own copy of the POS kernel tests' fixture of the same name (benchmarks use no
 * other module's test code, issue 12); it goes when the issuer's EMV personalisation and the
 * issuer authorisation host of issue 15 can stand in for it.
 */
public final class OdaScheme {
  public static final byte[] RID = Hex.decode("A000000333");
  public static final int CA_INDEX = 0x01;
  public static final byte[] ISSUER_SERIAL = Hex.decode("000042");
  static final SecureRandom RANDOM = new SecureRandom();
  private static final Map<AlgorithmSuite, OdaScheme> SCHEMES = new EnumMap<>(AlgorithmSuite.class);

  static {
    // jCardSim's RandomData is a fixed-seed generator unless told to seed from SecureRandom: the
    // cards' SM2 keys and fDDA nonces must differ.
    System.setProperty("com.licel.jcardsim.randomdata.secure", "1");
  }

  public final AlgorithmSuite suite;
  public final OdaIssuing.CaKeyPair ca;
  public final OdaIssuing.IssuerCredentials issuer;

  private OdaScheme(AlgorithmSuite suite) {
    this.suite = suite;
    ca = OdaIssuing.newCa(suite, RID, CA_INDEX, 1984, RANDOM);
    issuer = OdaIssuing.newIssuer(ca, "621234", YearMonth.of(2031, 12), ISSUER_SERIAL, 1408, RANDOM);
  }

  public static synchronized OdaScheme of(AlgorithmSuite suite) {
    return SCHEMES.computeIfAbsent(suite, OdaScheme::new);
  }

  /** A terminal's verifier trusting this scheme's CA (and both suites' CAs when asked). */
  public OdaVerifier verifier(CaRevocationList revocations) {
    return new OdaVerifier(OdaTrustStore.of(List.of(ca.publicKey())), revocations);
  }
}
