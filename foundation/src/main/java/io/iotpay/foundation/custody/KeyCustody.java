package io.iotpay.foundation.custody;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.security.PublicKey;
import java.util.List;

/**
 * Keys sealed behind operations: callers name keys by {@link KeyRef} and ask for cryptographic
 * results (a verified cryptogram, an ARPC, a MAC, a signature, a translated PIN block, a wrapped
 * key); no method returns or exposes a clear secret or private key. The shape follows what a
 * payment HSM offers, so that {@link SoftwareKeyCustody} (a file sealed under a master key) and
 * {@link Pkcs11KeyCustody} (a PKCS#11 token) are interchangeable.
 *
 * <p>Every operation checks, in this order: the ref names a key of this custody with the same suite
 * and usage ({@code UNKNOWN_KEY}), the version is not retired ({@code RETIRED}), the usage permits
 * the operation ({@code WRONG_USAGE}, see {@link KeyUsage}), and an operation that makes new
 * protection uses the label's current version ({@code NOT_CURRENT}). Every refusal is a {@link
 * KeyCustodyException} and changes nothing. Arguments are never null unless stated. Implementations
 * are thread-safe.
 */
public interface KeyCustody extends AutoCloseable {
  /** Most bytes a MAC, signature or cryptogram input may have (a bound for every data argument). */
  int DATA_BYTES_MAX = 64 * 1024;

  /**
   * Generates version 1 of a new label inside the custody.
   *
   * @throws KeyCustodyException BAD_INPUT when the label exists, LIMIT when the store is full
   */
  KeyRef generate(String label, AlgorithmSuite suite, KeyUsage usage);

  /**
   * Rotation: generates the next version of {@code label}, which becomes current; older versions
   * keep verifying and deciphering until retired.
   *
   * @throws KeyCustodyException UNKNOWN_KEY for an unknown label
   */
  KeyRef rotate(String label);

  /**
   * Retires one version: every later operation with it is refused as RETIRED. Retiring the current
   * version leaves the label without a current key until the next rotation.
   */
  void retire(KeyRef ref);

  /**
   * The current (newest, not retired) version of {@code label}.
   *
   * @throws KeyCustodyException UNKNOWN_KEY when there is none
   */
  KeyRef current(String label);

  /** Every version of every label, retired ones included, ordered by label then version. */
  List<KeyInfo> list();

  /**
   * ARQC check: derives the card key from the IMK (EMV option A, or the PBOC SM4 analogue), the
   * session key for {@code atc}, and compares the application cryptogram in constant time.
   *
   * @param panSequenceNumber one or two digits; null or empty means 00
   * @return true when {@code arqc} is the card's cryptogram over {@code cryptogramInput}
   */
  boolean verifyArqc(KeyRef issuerMasterKey, String pan, String panSequenceNumber, int atc, byte[] cryptogramInput,
      byte[] arqc);

  /** ARPC method 1 under the card's session key for {@code atc}: 8 bytes. */
  byte[] generateArpc(KeyRef issuerMasterKey, String pan, String panSequenceNumber, int atc, byte[] arqc, byte[] arc);

  /**
   * The transit card's TAC, computed by the custody's {@link TacFormula} on the card key derived
   * from the IMK, compared in constant time.
   */
  boolean verifyTac(KeyRef issuerMasterKey, String pan, String panSequenceNumber, int atc, byte[] cryptogramInput,
      byte[] tac);

  /**
   * The wallet card's TAC (docs/wallet-apdus.md §3.3): the custody's {@link TacFormula} on the card
   * key derived from the IMK over the card's 8-byte id ({@code EmvKeyDerivation.walletCardKey}),
   * with {@code atc} the low 16 bits of the card counter; compared in constant time.
   *
   * @throws KeyCustodyException BAD_INPUT when the card id is not 8 bytes or the ATC is out of 0..65535
   */
  boolean verifyWalletTac(KeyRef issuerMasterKey, byte[] cardId, int atc, byte[] input, byte[] tac);

  /**
   * The issuer's MAC over a wallet card's rating (docs/wallet-apdus.md §3.8, {@code
   * WalletRatingMac}): under the card key derived from the IMK over the card id the input names,
   * with the issuer-to-card session key. Only a rating input (tag 61) is MACed, so nothing this
   * operation returns can pass as the card's confirmation (tag 71, the other session key) or a TAC.
   *
   * @throws KeyCustodyException BAD_INPUT when the input is not a 21-byte rating input with tag 61
   */
  byte[] walletRatingMac(KeyRef issuerMasterKey, byte[] ratingInput);

  /**
   * True when {@code mac} is the card's confirmation MAC over {@code confirmationInput} (tag 71,
   * the card-to-issuer session key of the card key derived over the card id the input names);
   * compared in constant time.
   *
   * @throws KeyCustodyException BAD_INPUT when the input is not a 21-byte confirmation input with tag 71
   */
  boolean verifyWalletRatingConfirmation(KeyRef issuerMasterKey, byte[] confirmationInput, byte[] mac);

  /** A signature of {@code data} (ECDSA P-256 with SHA-256, or SM2 with SM3), DER encoded. */
  byte[] sign(KeyRef signingKey, byte[] data);

  /** The public half of a signing key (public keys are not secret). */
  PublicKey publicKey(KeyRef signingKey);

  /**
   * The ISO 8583 message MAC (field 128) of {@code data} under a zone authentication key: ISO/IEC
   * 9797-1 MAC algorithm 3 with two-key 3DES, or the PBOC SM4 MAC; 8 bytes.
   */
  byte[] mac(KeyRef macKey, byte[] data);

  /** True when {@code mac} is the zone MAC of {@code data}; constant time. */
  boolean verifyMac(KeyRef macKey, byte[] data, byte[] mac);

  /** Re-enciphers an ISO 9564 format 4 PIN block from one zone PIN key to another. */
  byte[] translatePinBlock(KeyRef fromPinKey, KeyRef toPinKey, byte[] pinBlock, String pan);

  /**
   * Re-enciphers a format 4 PIN block a terminal made under its DUKPT PIN key (derived here from
   * the BDK and the 12-byte KSN) to a zone PIN key.
   */
  byte[] translateDukptPinBlock(KeyRef bdk, byte[] ksn, KeyRef toPinKey, byte[] pinBlock, String pan);

  /**
   * The issuer's PIN check (a payment HSM's "verify interchange PIN, comparison method"): deciphers
   * {@code pinBlock} (format 4 under a zone PIN key) and the card's reference PIN
   * {@code referencePin} (format 4 under a {@link KeyUsage#PIN_VERIFICATION} key, made at
   * enrolment with {@link #translatePinBlock}), compares the two PINs in constant time and wipes
   * both. Neither PIN leaves the custody.
   *
   * @return true when the PINs are equal, false when they differ
   * @throws io.iotpay.foundation.crypto.CryptoException when {@code pinBlock} does not decipher to a
   *     PIN field under the zone key (a wrong key or a forged block, which is not a wrong PIN), or
   *     the reference does not decipher; a {@link KeyCustodyException} for a key refused as above
   */
  boolean verifyPin(KeyRef zonePinKey, byte[] pinBlock, KeyRef pinVerificationKey, byte[] referencePin, String pan);

  /**
   * A zone key wrapped under a zone master key for a 0800 key change: RFC 3394 AES key wrap (or
   * the same construction with SM4).
   */
  byte[] wrap(KeyRef zoneMasterKey, KeyRef key);

  /**
   * Imports a key wrapped by a peer under a zone master key as the next version of {@code label}
   * (version 1 when the label is new); the unwrapped key never leaves the custody.
   */
  KeyRef unwrap(KeyRef zoneMasterKey, String label, KeyUsage usage, byte[] wrapped);

  /** Releases the custody: clear key material held in memory is overwritten. */
  @Override
  void close();
}
