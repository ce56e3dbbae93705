package io.iotpay.foundation.custody;

import static io.iotpay.foundation.custody.KeyOperation.DUKPT_DERIVE;
import static io.iotpay.foundation.custody.KeyOperation.EXPORT_PUBLIC_KEY;
import static io.iotpay.foundation.custody.KeyOperation.EXPORT_WRAPPED;
import static io.iotpay.foundation.custody.KeyOperation.GENERATE_ARPC;
import static io.iotpay.foundation.custody.KeyOperation.GENERATE_CARD_MAC;
import static io.iotpay.foundation.custody.KeyOperation.MAC_GENERATE;
import static io.iotpay.foundation.custody.KeyOperation.MAC_VERIFY;
import static io.iotpay.foundation.custody.KeyOperation.PIN_DECIPHER;
import static io.iotpay.foundation.custody.KeyOperation.PIN_ENCIPHER;
import static io.iotpay.foundation.custody.KeyOperation.PIN_VERIFY;
import static io.iotpay.foundation.custody.KeyOperation.SIGN;
import static io.iotpay.foundation.custody.KeyOperation.UNWRAP_KEY;
import static io.iotpay.foundation.custody.KeyOperation.VERIFY_CARD_CRYPTOGRAM;
import static io.iotpay.foundation.custody.KeyOperation.WRAP_KEY;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.BlockCipherAlgorithm;
import java.util.EnumSet;
import java.util.Set;

/**
 * The kinds of key the custody holds and, as a data table, the operations each permits. A MAC key
 * cannot decipher, a PIN key cannot MAC, a signing key cannot decipher or wrap: the table is the
 * whole rule, checked before every operation.
 */
public enum KeyUsage {
  /**
   * Issuer master key (IMK-AC): derives card keys (EMV option A) for ARQC, ARPC and TAC, and the
   * wallet card's rating MACs (made for the card, checked from it).
   */
  ISSUER_MASTER(EnumSet.of(VERIFY_CARD_CRYPTOGRAM, GENERATE_ARPC, GENERATE_CARD_MAC), KeyKind.TDES_OR_SM4),
  /** Scheme, party, file and checkpoint signing key pair (ECDSA P-256 or SM2). */
  SIGNING(EnumSet.of(SIGN, EXPORT_PUBLIC_KEY), KeyKind.KEY_PAIR),
  /**
   * Zone authentication key (ZAK) of an ISO 8583 link: the field 128 message MAC of
   * io.iotpay.protocol.iso8583.MessageMac (ISO/IEC 9797-1 MAC algorithm 3 with two-key 3DES, or
   * the PBOC SM4 MAC; 8 bytes); exchangeable under a zone master key.
   */
  ZONE_MAC(EnumSet.of(MAC_GENERATE, MAC_VERIFY, EXPORT_WRAPPED), KeyKind.TDES_OR_SM4),
  /** Zone PIN key (ISO 9564 format 4 with AES or SM4); exchangeable under a zone master key. */
  ZONE_PIN(EnumSet.of(PIN_DECIPHER, PIN_ENCIPHER, EXPORT_WRAPPED), KeyKind.AES_OR_SM4),
  /** DUKPT base derivation key (ANSI X9.24-3 AES DUKPT, or its SM4 analogue). */
  DUKPT_BDK(EnumSet.of(DUKPT_DERIVE), KeyKind.AES_OR_SM4),
  /** Zone master key (key-encryption key): wraps and unwraps zone keys (0800 key change). */
  ZONE_MASTER(EnumSet.of(WRAP_KEY, UNWRAP_KEY), KeyKind.AES_OR_SM4),
  /**
   * The issuer's PIN verification key (PVK): cards' reference PINs are format 4 blocks under it.
   * A PIN block can be translated into it (enrolment) but never out of it, and it is not exportable.
   * Declared last: the sealed key file stores a usage by its position.
   */
  PIN_VERIFICATION(EnumSet.of(PIN_ENCIPHER, PIN_VERIFY), KeyKind.AES_OR_SM4);

  /** What the key material is. */
  enum KeyKind {
    /** Two-key 3DES or SM4: the suite's card cipher, which EMV cards and ISO 8583 MACs use. */
    TDES_OR_SM4,
    /** AES or SM4: the suite's host cipher. */
    AES_OR_SM4,
    KEY_PAIR
  }

  /** Bytes of every symmetric key the custody generates: two-key 3DES, AES-128 or SM4. */
  public static final int SECRET_KEY_BYTES = 16;

  private final Set<KeyOperation> permitted;
  private final KeyKind kind;

  KeyUsage(Set<KeyOperation> permitted, KeyKind kind) {
    this.permitted = permitted;
    this.kind = kind;
  }

  /** True when a key of this usage may perform {@code operation}. */
  public boolean permits(KeyOperation operation) {
    return permitted.contains(operation);
  }

  KeyKind kind() {
    return kind;
  }

  /** The block cipher of a symmetric key of this usage under {@code suite}; null for key pairs. */
  BlockCipherAlgorithm cipher(AlgorithmSuite suite) {
    return switch (kind) {
      case TDES_OR_SM4 -> suite.cardBlockCipher();
      case AES_OR_SM4 -> suite.blockCipher();
      case KEY_PAIR -> null;
    };
  }
}
