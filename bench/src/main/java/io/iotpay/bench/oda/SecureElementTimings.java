package io.iotpay.bench.oda;

/**
 * Published secure-element timings the ODA bench takes the card's signature time from, instead of
 * jCardSim's (a JVM is no card). One place, with the source of each figure.
 *
 * <p>Source: JCAlgTest (Masaryk University CRoCS), public results repository
 * {@code github.com/crocs-muni/jcalgtest_results}, folder {@code javacard/Profiles/performance/fixed/}.
 * Each figure is the "avg op" of 250 invocations (5 × 50), with the applet's own overhead (its
 * "baseline") already subtracted by the tool.
 */
public final class SecureElementTimings {
  /**
   * RSA-1024 private-key operation on a CRT key, {@code TYPE_RSA_CRT_PRIVATE LENGTH_RSA_1024
   * ALG_RSA_NOPAD Cipher_doFinal()}, 128-byte block: 14.98 ms on NXP JCOP4 J3R180 (SmartMX3 P71,
   * Java Card 3.0.5, dual interface), file
   * {@code NXP_JCOP4_J3R180_SECID_P71____PERFORMANCE_SYMMETRIC_ASYMMETRIC_DATAFIXED_1634708420109__3b_d5_18_ff_81_91_fe_1f_c3_80_73_c8_21_10_0a.csv},
   * measured 2021-10-20. This is exactly the operation {@code card.oda.DynamicSigner} performs.
   */
  public static final double RSA_1024_CRT_JCOP4_P71_MS = 14.98;

  /**
   * The same operation on an older Infineon SLE78 (Softlock SLCOS): 56.27 ms, file
   * {@code Softlock_SLCOS_Infineon_SLE78___PERFORMANCE_SYMMETRIC_ASYMMETRIC_DATAFIXED_1460060148848__3b_8a_80_01_53_4c_43_4f_53_20_54_3d_43_4c_0d.csv}:
   * the slow end of cards still in the field.
   */
  public static final double RSA_1024_CRT_SLE78_MS = 56.27;

  /**
   * ECDSA signature on a 256-bit prime curve, {@code KeyPair_ALG_EC_FP KeyBuilder_LENGTH_EC_FP_256
   * Signature_ALG_ECDSA_SHA Signature_sign()}, 256-byte message: 31.96 ms on the same NXP JCOP4
   * J3R180 (file above). JCAlgTest measures no SM2 (the Java Card API has none); an SM2 signature
   * costs what ECDSA's does on a chip with an EC coprocessor (one scalar multiplication plus a few
   * modular operations, GB/T 32918.2 section 6.1), so this figure stands in for SM2 on an SE with
   * native SM2, and is labelled so wherever it is printed. The chip applet's portable software SM2
   * ({@code card.chip.EcSigner}, scalar arithmetic in bytecode) would be slower on a real card; it
   * has not been measured on one.
   */
  public static final double ECDSA_P256_JCOP4_P71_MS = 31.96;

  private SecureElementTimings() {}

  /**
   * The card's fDDA signature time the benches model (docs/oda.md §6): RSA-1024 CRT on the JCOP4
   * P71 for INTERNATIONAL; for SM2 the ECDSA P-256 figure of the same chip, as a stand-in.
   */
  public static double fddaSignatureMs(io.iotpay.foundation.crypto.AlgorithmSuite suite) {
    return switch (suite) {
      case INTERNATIONAL -> RSA_1024_CRT_JCOP4_P71_MS;
      case NATIONAL -> ECDSA_P256_JCOP4_P71_MS;
    };
  }
}
