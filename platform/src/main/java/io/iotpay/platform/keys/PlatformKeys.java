package io.iotpay.platform.keys;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Certificates;
import io.iotpay.platform.envelope.PlatformSigningKey;
import io.iotpay.platform.identity.DeviceCa;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A platform node's long-lived keys: the audit log's checkpoint key (of the suite chosen at first
 * start), for each suite the device CA (key and certificate) and the answer-signing key pair, the
 * CoAP PSK master key and the HTTP operator token.
 *
 * <p>{@link #generate} makes throwaway keys in memory (demo, bench, tests); {@link
 * PlatformKeyStore#openOrCreate} keeps them in a data directory, private parts sealed under a master
 * key (docs/serve.md). {@link #toString()} names the entries only: no key material reaches a log.
 */
public final class PlatformKeys {
  /** How long the device CA certificate is valid. */
  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  /** How long a device certificate the CA issues is valid. */
  public static final Duration DEVICE_VALIDITY = Duration.ofDays(730);
  /** CoAP PSK master key length, bytes (DevicePskDeriver takes 32..64). */
  public static final int PSK_MASTER_KEY_BYTES = 32;
  /** Random bytes behind the operator token (hex, so the token has twice as many characters). */
  public static final int OPERATOR_TOKEN_BYTES = 32;

  private final AlgorithmSuite auditSuite;
  private final KeyPair auditKey;
  private final Map<AlgorithmSuite, KeyPair> caKeys;
  private final Map<AlgorithmSuite, X509Certificate> caCertificates;
  private final Map<AlgorithmSuite, KeyPair> answerKeys;
  private final byte[] pskMasterKey;
  private final String operatorToken;
  private final Path directory;

  PlatformKeys(AlgorithmSuite auditSuite, KeyPair auditKey, Map<AlgorithmSuite, KeyPair> caKeys,
      Map<AlgorithmSuite, X509Certificate> caCertificates, Map<AlgorithmSuite, KeyPair> answerKeys, byte[] pskMasterKey,
      String operatorToken, Path directory) {
    this.auditSuite = auditSuite;
    this.auditKey = auditKey;
    this.caKeys = new EnumMap<>(caKeys);
    this.caCertificates = new EnumMap<>(caCertificates);
    this.answerKeys = new EnumMap<>(answerKeys);
    this.pskMasterKey = pskMasterKey.clone();
    this.operatorToken = operatorToken;
    this.directory = directory;
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      if (!this.caKeys.containsKey(suite) || !this.caCertificates.containsKey(suite) || !this.answerKeys.containsKey(suite)) {
        throw new AssertionError("platform keys lack suite " + suite);
      }
    }
  }

  /**
   * Fresh keys for both suites, held in memory only.
   *
   * @param auditSuite the audit log's suite; never null
   * @param notBefore start of the device CA certificates' validity; never null
   * @param random key source; never null
   * @return new keys; never null
   */
  public static PlatformKeys generate(AlgorithmSuite auditSuite, Instant notBefore, SecureRandom random) {
    return generate(auditSuite, notBefore, random, null);
  }

  static PlatformKeys generate(AlgorithmSuite auditSuite, Instant notBefore, SecureRandom random, Path directory) {
    Map<AlgorithmSuite, KeyPair> caKeys = new EnumMap<>(AlgorithmSuite.class);
    Map<AlgorithmSuite, X509Certificate> caCertificates = new EnumMap<>(AlgorithmSuite.class);
    Map<AlgorithmSuite, KeyPair> answerKeys = new EnumMap<>(AlgorithmSuite.class);
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      KeyPair caKey = suite.signature().generateKeyPair(random);
      caKeys.put(suite, caKey);
      // 127 random bits, positive: RFC 5280 §4.1.2.2 wants a unique serial of at most 20 octets.
      BigInteger serial = new BigInteger(127, random).setBit(0);
      caCertificates.put(suite, Certificates.issueCa(suite, caKey,
          new Certificates.Profile("CN=iotpay device CA " + suite + ", O=iotpay", notBefore, notBefore.plus(CA_VALIDITY), serial)));
      answerKeys.put(suite, suite.signature().generateKeyPair(random));
    }
    byte[] psk = new byte[PSK_MASTER_KEY_BYTES];
    random.nextBytes(psk);
    byte[] token = new byte[OPERATOR_TOKEN_BYTES];
    random.nextBytes(token);
    return new PlatformKeys(auditSuite, auditSuite.signature().generateKeyPair(random), caKeys, caCertificates, answerKeys, psk,
        HexFormat.of().formatHex(token), directory);
  }

  /** The audit log's suite, fixed at first start. */
  public AlgorithmSuite auditSuite() {
    return auditSuite;
  }

  /** The audit log's checkpoint-signing key pair, of {@link #auditSuite()}. */
  public KeyPair auditKey() {
    return auditKey;
  }

  /** The device CA certificate of {@code suite} (devices of that suite are given it as trust anchor). */
  public X509Certificate caCertificate(AlgorithmSuite suite) {
    return caCertificates.get(suite);
  }

  /**
   * The device CA of {@code suite}, issuing certificates valid for {@link #DEVICE_VALIDITY}.
   *
   * @param random serial-number source of the certificates it issues; never null
   */
  public DeviceCa deviceCa(AlgorithmSuite suite, SecureRandom random) {
    return DeviceCa.of(suite, caKeys.get(suite), caCertificates.get(suite), DEVICE_VALIDITY, random);
  }

  /** The answer-signing key of {@code suite}; its key id is {@code platform-answers-<suite>}. */
  public PlatformSigningKey answerKey(AlgorithmSuite suite) {
    return new PlatformSigningKey(suite, "platform-answers-" + suite.name().toLowerCase(Locale.ROOT), answerKeys.get(suite));
  }

  /** A copy of the CoAP PSK master key ({@value #PSK_MASTER_KEY_BYTES} bytes). */
  public byte[] pskMasterKey() {
    return pskMasterKey.clone();
  }

  /** The HTTP API's operator bearer token ({@code 2 × OPERATOR_TOKEN_BYTES} hex characters). */
  public String operatorToken() {
    return operatorToken;
  }

  /** The directory the keys live in; empty for keys held in memory only. */
  public Optional<Path> directory() {
    return Optional.ofNullable(directory);
  }

  KeyPair caKey(AlgorithmSuite suite) {
    return caKeys.get(suite);
  }

  KeyPair answerKeyPair(AlgorithmSuite suite) {
    return answerKeys.get(suite);
  }

  @Override
  public String toString() {
    return "PlatformKeys[audit=" + auditSuite + ", entries=[audit-key, device-ca x2, answer-key x2, coap-psk-master, operator-token]"
        + (directory == null ? ", in memory" : ", dir=" + directory) + "]";
  }
}
