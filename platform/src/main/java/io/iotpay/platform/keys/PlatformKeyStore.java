package io.iotpay.platform.keys;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.CryptoException;
import io.iotpay.foundation.crypto.Pem;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.platform.keys.PlatformKeysException.Reason;
import io.iotpay.protocol.cose.CoseException;
import io.iotpay.protocol.cose.PayloadCipher;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Platform keys at rest in {@code <data-dir>/platform-keys/}: private keys and secrets sealed under
 * a 16-byte master key (a tagged COSE_Encrypt0 with AES-128-GCM or SM4-GCM, the audit suite's
 * cipher; the file's name is bound in as external AAD so files cannot be swapped), certificates and
 * public keys as PEM. The first start generates and writes everything into a fresh directory that is
 * renamed into place in one step; later starts load, and nothing that exists is ever overwritten.
 * The layout and the sealed format are in docs/serve.md.
 */
public final class PlatformKeyStore {
  /** The environment variable holding the master key (32 hex digits). */
  public static final String MASTER_KEY_ENV = "IOTPAY_MASTER_KEY";
  /** The master-key file in the data directory, used when the environment variable is unset. */
  public static final String MASTER_KEY_FILE = "master.key";
  /** The key directory in the data directory. */
  public static final String DIRECTORY = "platform-keys";
  /** Master key length, bytes (AES-128 or SM4). */
  public static final int MASTER_KEY_BYTES = PayloadCipher.KEY_BYTES;
  /** Largest file read from the key directory, bytes: a sealed SM2 PKCS#8 PEM is about 400. */
  public static final int FILE_BYTES_MAX = 8 * 1024;
  /** Largest manifest read, bytes. */
  public static final int MANIFEST_BYTES_MAX = 1024;
  /** The sealed-file format this code writes and reads. */
  static final String FORMAT = "1";
  /** Prefix of each sealed file's external AAD; the file's name follows. */
  static final String AAD_PREFIX = "iotpay-platform-key:v1:";

  static final String MANIFEST = "manifest.properties";
  static final String AUDIT_KEY = "audit-key.sealed";
  static final String AUDIT_PUBLIC_KEY = "audit-public-key.pem";
  static final String PSK_MASTER = "coap-psk-master.sealed";
  static final String OPERATOR_TOKEN = "operator-token.sealed";

  private static final Logger log = LoggerFactory.getLogger(PlatformKeyStore.class);
  private static final int MASTER_KEY_FILE_BYTES_MAX = 256;

  private PlatformKeyStore() {}

  /** Where the master key came from (for the start-up line; never the key itself). */
  public record MasterKey(SecretKeyBytes key, String source) {}

  /**
   * The master key: from {@code envValue} (the {@value #MASTER_KEY_ENV} variable) when set, else
   * from {@code <dataDir>/master.key}; when neither exists and no keys were made yet, a new random
   * key is written to {@code master.key} (owner-only) with a WARN that production must set the
   * variable.
   *
   * @param dataDir the data directory; created if missing
   * @param envValue the variable's value, or null when unset
   * @throws PlatformKeysException MASTER_KEY_INVALID for a value that is not 32 hex digits,
   *     MASTER_KEY_MISSING when keys exist but no master key does, IO when the file cannot be read or made
   */
  public static MasterKey masterKey(Path dataDir, String envValue, SecureRandom random) {
    if (envValue != null && !envValue.isBlank()) {
      return new MasterKey(parseMasterKey(envValue, MASTER_KEY_ENV, null), "environment variable " + MASTER_KEY_ENV);
    }
    Path file = dataDir.resolve(MASTER_KEY_FILE);
    if (Files.exists(file)) {
      String text = new String(readBounded(file, MASTER_KEY_FILE_BYTES_MAX), StandardCharsets.US_ASCII);
      return new MasterKey(parseMasterKey(text, "master-key file " + file, file), "file " + file);
    }
    if (Files.exists(dataDir.resolve(DIRECTORY))) {
      throw new PlatformKeysException(Reason.MASTER_KEY_MISSING, file, "platform keys exist in " + dataDir.resolve(DIRECTORY)
          + " but there is no master key: set " + MASTER_KEY_ENV + " or restore " + file);
    }
    byte[] key = new byte[MASTER_KEY_BYTES];
    random.nextBytes(key);
    try {
      OwnerOnlyFiles.createDirectories(dataDir);
      writeOwnerOnly(file, (HexFormat.of().formatHex(key) + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new PlatformKeysException(Reason.IO, file, "cannot create master-key file " + file + " (" + e.getMessage() + ")", e);
    }
    log.warn("Master key created in a file next to the keys it protects [file={}]; production must supply {} instead", file,
        MASTER_KEY_ENV);
    return new MasterKey(new SecretKeyBytes(key), "file " + file + " (new)");
  }

  /**
   * Loads the keys in {@code <dataDir>/platform-keys/}, or generates and writes them when the
   * directory does not exist yet.
   *
   * @param auditSuiteIfNew the audit suite for a first start; an existing directory keeps its own
   * @param notBefore start of the device CA certificates' validity, for a first start
   * @throws PlatformKeysException WRONG_MASTER_KEY (naming the file) when a sealed file does not open,
   *     MISSING_FILE or MALFORMED_FILE for a damaged directory, IO when the disk refuses; nothing is
   *     overwritten in any case
   */
  public static PlatformKeys openOrCreate(Path dataDir, SecretKeyBytes masterKey, AlgorithmSuite auditSuiteIfNew, Instant notBefore,
      SecureRandom random) {
    checkMasterKey(masterKey);
    Path directory = dataDir.resolve(DIRECTORY);
    if (Files.exists(directory)) {
      return load(directory, masterKey);
    }
    PlatformKeys keys = PlatformKeys.generate(auditSuiteIfNew, notBefore, random, directory);
    Path staging = dataDir.resolve(DIRECTORY + ".new-" + HexFormat.of().toHexDigits(random.nextInt()));
    try {
      OwnerOnlyFiles.createDirectories(staging);
      write(staging, keys, masterKey, random);
      Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
      deleteQuietly(staging);
      throw new PlatformKeysException(Reason.IO, directory, "cannot put new platform keys in place at " + directory + " ("
          + e.getClass().getSimpleName() + ")", e);
    } catch (IOException e) {
      deleteQuietly(staging);
      throw new PlatformKeysException(Reason.IO, directory, "cannot write platform keys to " + directory + " (" + e.getMessage() + ")", e);
    }
    log.info("Platform keys created [dir={}, auditSuite={}]", directory, auditSuiteIfNew);
    return keys;
  }

  /** The device CA certificate file of {@code suite} in {@code <dataDir>/platform-keys/}. */
  public static Path caCertificateFile(Path dataDir, AlgorithmSuite suite) {
    return dataDir.resolve(DIRECTORY).resolve(caCertificateName(suite));
  }

  /** The answer-signing public key file of {@code suite} (devices' trust anchor) in {@code <dataDir>/platform-keys/}. */
  public static Path answerPublicKeyFile(Path dataDir, AlgorithmSuite suite) {
    return dataDir.resolve(DIRECTORY).resolve(answerPublicName(suite));
  }

  /** The audit public key file in {@code <dataDir>/platform-keys/}. */
  public static Path auditPublicKeyFile(Path dataDir) {
    return dataDir.resolve(DIRECTORY).resolve(AUDIT_PUBLIC_KEY);
  }

  /**
   * Writes the operator token to {@code file} (owner-only), for the operator's HTTP client. Does
   * nothing when the file exists.
   *
   * @return true when the file was written
   * @throws PlatformKeysException IO when the file cannot be written
   */
  public static boolean exportOperatorToken(PlatformKeys keys, Path file) {
    try {
      writeOwnerOnly(file, (keys.operatorToken() + "\n").getBytes(StandardCharsets.US_ASCII));
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new PlatformKeysException(Reason.IO, file, "cannot write operator token file " + file + " (" + e.getMessage() + ")", e);
    }
  }

  private static void write(Path dir, PlatformKeys keys, SecretKeyBytes masterKey, SecureRandom random) throws IOException {
    AlgorithmSuite wrap = keys.auditSuite();
    Properties manifest = new Properties();
    manifest.setProperty("format", FORMAT);
    manifest.setProperty("audit-suite", wrap.name());
    try (var out = Files.newBufferedWriter(dir.resolve(MANIFEST), StandardCharsets.ISO_8859_1, StandardOpenOption.CREATE_NEW)) {
      manifest.store(out, "iotpay platform keys (docs/serve.md)");
    }
    seal(dir, AUDIT_KEY, Pem.write(keys.auditKey().getPrivate()).getBytes(StandardCharsets.US_ASCII), wrap, masterKey, random);
    writePublic(dir, AUDIT_PUBLIC_KEY, Pem.write(keys.auditKey().getPublic()));
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      seal(dir, caKeyName(suite), Pem.write(keys.caKey(suite).getPrivate()).getBytes(StandardCharsets.US_ASCII), wrap, masterKey, random);
      writePublic(dir, caCertificateName(suite), Pem.write(keys.caCertificate(suite)));
      seal(dir, answerKeyName(suite), Pem.write(keys.answerKeyPair(suite).getPrivate()).getBytes(StandardCharsets.US_ASCII), wrap,
          masterKey, random);
      writePublic(dir, answerPublicName(suite), Pem.write(keys.answerKeyPair(suite).getPublic()));
    }
    seal(dir, PSK_MASTER, keys.pskMasterKey(), wrap, masterKey, random);
    seal(dir, OPERATOR_TOKEN, keys.operatorToken().getBytes(StandardCharsets.US_ASCII), wrap, masterKey, random);
  }

  private static PlatformKeys load(Path dir, SecretKeyBytes masterKey) {
    AlgorithmSuite auditSuite = readManifest(dir.resolve(MANIFEST));
    KeyPair auditKey = pair(dir, AUDIT_KEY, AUDIT_PUBLIC_KEY, auditSuite, auditSuite, masterKey, false);
    Map<AlgorithmSuite, KeyPair> caKeys = new EnumMap<>(AlgorithmSuite.class);
    Map<AlgorithmSuite, X509Certificate> caCertificates = new EnumMap<>(AlgorithmSuite.class);
    Map<AlgorithmSuite, KeyPair> answerKeys = new EnumMap<>(AlgorithmSuite.class);
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      caKeys.put(suite, pair(dir, caKeyName(suite), caCertificateName(suite), suite, auditSuite, masterKey, true));
      caCertificates.put(suite, certificate(dir.resolve(caCertificateName(suite))));
      answerKeys.put(suite, pair(dir, answerKeyName(suite), answerPublicName(suite), suite, auditSuite, masterKey, false));
    }
    byte[] psk = unseal(dir.resolve(PSK_MASTER), auditSuite, masterKey);
    if (psk.length != PlatformKeys.PSK_MASTER_KEY_BYTES) {
      throw malformed(dir.resolve(PSK_MASTER), "holds " + psk.length + " bytes, expected " + PlatformKeys.PSK_MASTER_KEY_BYTES);
    }
    String token = new String(unseal(dir.resolve(OPERATOR_TOKEN), auditSuite, masterKey), StandardCharsets.US_ASCII);
    if (!token.matches("[0-9a-f]{" + 2 * PlatformKeys.OPERATOR_TOKEN_BYTES + "}")) {
      throw malformed(dir.resolve(OPERATOR_TOKEN), "does not hold an operator token");
    }
    return new PlatformKeys(auditSuite, auditKey, caKeys, caCertificates, answerKeys, psk, token, dir);
  }

  /** A sealed private key and its public half (a PEM public key or certificate), checked to belong together. */
  private static KeyPair pair(Path dir, String sealedName, String publicName, AlgorithmSuite keySuite, AlgorithmSuite wrap,
      SecretKeyBytes masterKey, boolean publicIsCertificate) {
    Path sealed = dir.resolve(sealedName);
    Path publicFile = dir.resolve(publicName);
    PrivateKey privateKey;
    PublicKey publicKey;
    try {
      privateKey = Pem.readPrivateKey(new String(unseal(sealed, wrap, masterKey), StandardCharsets.US_ASCII), keySuite);
    } catch (CryptoException e) {
      throw malformed(sealed, "does not hold a " + keySuite + " private key (" + e.getMessage() + ")");
    }
    String publicText = new String(readBounded(publicFile, FILE_BYTES_MAX), StandardCharsets.US_ASCII);
    try {
      publicKey = publicIsCertificate ? Pem.readCertificate(publicText).getPublicKey() : Pem.readPublicKey(publicText, keySuite);
    } catch (CryptoException e) {
      throw malformed(publicFile, "does not hold a " + keySuite + " public key (" + e.getMessage() + ")");
    }
    // A private key must sign what its public file verifies, or the directory was mixed up.
    byte[] probe = ("iotpay platform key pair check " + sealedName).getBytes(StandardCharsets.US_ASCII);
    if (!keySuite.signature().verify(publicKey, probe, keySuite.signature().sign(privateKey, probe))) {
      throw malformed(publicFile, "does not match the private key in " + sealed);
    }
    return new KeyPair(publicKey, privateKey);
  }

  private static X509Certificate certificate(Path file) {
    try {
      return Pem.readCertificate(new String(readBounded(file, FILE_BYTES_MAX), StandardCharsets.US_ASCII));
    } catch (CryptoException e) {
      throw malformed(file, "does not hold a certificate (" + e.getMessage() + ")");
    }
  }

  static AlgorithmSuite readManifest(Path file) {
    byte[] bytes = readBounded(file, MANIFEST_BYTES_MAX);
    Properties manifest = new Properties();
    try {
      manifest.load(new StringReader(new String(bytes, StandardCharsets.ISO_8859_1)));
    } catch (IOException | IllegalArgumentException e) {
      throw malformed(file, "is not a properties file (" + e.getMessage() + ")");
    }
    if (!FORMAT.equals(manifest.getProperty("format"))) {
      throw malformed(file, "has format '" + manifest.getProperty("format") + "', expected " + FORMAT);
    }
    try {
      return AlgorithmSuite.byName(manifest.getProperty("audit-suite"));
    } catch (CryptoException e) {
      throw malformed(file, e.getMessage());
    }
  }

  /**
   * The plaintext of one sealed file.
   *
   * @throws PlatformKeysException WRONG_MASTER_KEY when the tag does not verify, MALFORMED_FILE when
   *     the file is not a sealed file of {@code wrap}, MISSING_FILE or IO
   */
  static byte[] unseal(Path file, AlgorithmSuite wrap, SecretKeyBytes masterKey) {
    byte[] sealed = readBounded(file, FILE_BYTES_MAX);
    try {
      return PayloadCipher.decrypt(wrap, masterKey, sealed, aad(file.getFileName().toString()));
    } catch (CoseException e) {
      if (e.reason() == CoseException.Reason.DECRYPTION_FAILED) {
        throw new PlatformKeysException(Reason.WRONG_MASTER_KEY, file, "platform key file " + file
            + " does not open under the master key (wrong " + MASTER_KEY_ENV + " or " + MASTER_KEY_FILE + ", or the file was altered)");
      }
      throw malformed(file, "is not a sealed " + wrap + " key file (" + e.getMessage() + ")");
    }
  }

  private static void seal(Path dir, String name, byte[] plaintext, AlgorithmSuite wrap, SecretKeyBytes masterKey, SecureRandom random)
      throws IOException {
    writeOwnerOnly(dir.resolve(name), PayloadCipher.encrypt(wrap, masterKey, plaintext, aad(name), random));
    Arrays.fill(plaintext, (byte) 0);
  }

  private static void writePublic(Path dir, String name, String pem) throws IOException {
    Files.writeString(dir.resolve(name), pem, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  static byte[] aad(String fileName) {
    return (AAD_PREFIX + fileName).getBytes(StandardCharsets.UTF_8);
  }

  static SecretKeyBytes parseMasterKey(String text, String where, Path file) {
    String hex = text.strip();
    if (!hex.matches("[0-9a-fA-F]{" + 2 * MASTER_KEY_BYTES + "}")) {
      throw new PlatformKeysException(Reason.MASTER_KEY_INVALID, file,
          where + " must be " + 2 * MASTER_KEY_BYTES + " hex digits (" + MASTER_KEY_BYTES + " bytes), has " + hex.length() + " characters");
    }
    return new SecretKeyBytes(HexFormat.of().parseHex(hex));
  }

  private static void checkMasterKey(SecretKeyBytes masterKey) {
    if (masterKey == null || masterKey.lengthBytes() != MASTER_KEY_BYTES) {
      throw new PlatformKeysException(Reason.MASTER_KEY_INVALID, null, "master key must be " + MASTER_KEY_BYTES + " bytes");
    }
  }

  static byte[] readBounded(Path file, int bytesMax) {
    try {
      long size = Files.size(file);
      if (size > bytesMax) {
        throw malformed(file, "is " + size + " bytes, more than " + bytesMax);
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new PlatformKeysException(Reason.MISSING_FILE, file, "platform key file " + file + " is missing", e);
    } catch (IOException e) {
      throw new PlatformKeysException(Reason.IO, file, "cannot read " + file + " (" + e.getMessage() + ")", e);
    }
  }

  /** Creates {@code file} readable and writable by its owner only; fails when it exists. */
  static void writeOwnerOnly(Path file, byte[] content) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
      File plain = file.toFile();
      boolean restricted = plain.setReadable(false, false) && plain.setReadable(true, true)
          && plain.setWritable(false, false) && plain.setWritable(true, true);
      if (!restricted) {
        log.warn("Could not restrict a secret file to its owner [file={}]", file);
      }
    }
    Files.write(file, content, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
  }

  private static PlatformKeysException malformed(Path file, String what) {
    return new PlatformKeysException(Reason.MALFORMED_FILE, file, "platform key file " + file + " " + what);
  }

  private static String caKeyName(AlgorithmSuite suite) {
    return "device-ca-" + lower(suite) + ".key.sealed";
  }

  private static String caCertificateName(AlgorithmSuite suite) {
    return "device-ca-" + lower(suite) + ".crt.pem";
  }

  private static String answerKeyName(AlgorithmSuite suite) {
    return "answer-key-" + lower(suite) + ".sealed";
  }

  private static String answerPublicName(AlgorithmSuite suite) {
    return "answer-key-" + lower(suite) + ".pub.pem";
  }

  private static String lower(AlgorithmSuite suite) {
    return suite.name().toLowerCase(Locale.ROOT);
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      log.warn("Could not remove a staging directory [dir={}]", dir, e);
    }
  }
}
