package io.iotpay.foundation.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TLS server identities from PEM files: what {@code openssl req -x509} writes (EC P-256 and RSA) is read
 * into a key store whose key signs what the certificate verifies; every bad file is refused with a
 * message naming it. The crypto suites do not apply: the JDK's TLS takes ECDSA or RSA keys, and an SM2
 * key is refused by name.
 */
class TlsIdentityTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TlsTestFiles.KeyKind.class)
  void readPem_ofWhatOpensslOrBouncyCastleMakes_holdsTheKeyOfTheCertificate(TlsTestFiles.KeyKind kind) throws Exception {
    TlsTestFiles files = TlsTestFiles.make(dir, "server", kind);
    TlsIdentity identity = TlsIdentity.readPem(files.certificate(), files.key(), Instant.now());

    PrivateKey key = (PrivateKey) identity.keyStore().getKey("tls", identity.password().toCharArray());
    X509Certificate certificate = (X509Certificate) identity.keyStore().getCertificate("tls");
    assertThat(certificate).isEqualTo(identity.certificate());
    String algorithm = kind == TlsTestFiles.KeyKind.EC_P256 ? "SHA256withECDSA" : "SHA256withRSA";
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(new byte[] {1, 2, 3});
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(certificate.getPublicKey());
    verifier.update(new byte[] {1, 2, 3});
    assertThat(verifier.verify(signer.sign())).isTrue();
    assertThat(identity.toString()).doesNotContain(identity.password());
  }

  /** What older openssl commands write: {@code openssl ec} (SEC 1) and {@code openssl rsa -traditional} (PKCS#1). */
  @ParameterizedTest
  @EnumSource(TlsTestFiles.KeyKind.class)
  void readPem_ofATraditionalSec1OrPkcs1Key_holdsTheSameKey(TlsTestFiles.KeyKind kind) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(io.iotpay.foundation.TestCommands.works("openssl", "version"), "openssl not on the PATH");
    TlsTestFiles files = TlsTestFiles.make(dir, "server", kind);
    Path traditional = dir.resolve("traditional.key.pem");
    java.util.List<String> command = kind == TlsTestFiles.KeyKind.EC_P256
        ? java.util.List.of("openssl", "ec", "-in", files.key().toString(), "-out", traditional.toString())
        : java.util.List.of("openssl", "rsa", "-traditional", "-in", files.key().toString(), "-out", traditional.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && process.exitValue() == 0).as(String.join(" ", command)).isTrue();
    assertThat(Files.readString(traditional)).startsWith(kind == TlsTestFiles.KeyKind.EC_P256 ? "-----BEGIN EC PRIVATE KEY-----"
        : "-----BEGIN RSA PRIVATE KEY-----");
    Files.setPosixFilePermissions(traditional, PosixFilePermissions.fromString("r--------"));

    TlsIdentity fromPkcs8 = TlsIdentity.readPem(files.certificate(), files.key(), Instant.now());
    TlsIdentity fromTraditional = TlsIdentity.readPem(files.certificate(), traditional, Instant.now());
    assertThat(secretOf(fromTraditional)).isEqualTo(secretOf(fromPkcs8));
  }

  /** The private key's secret number (the encodings differ: SEC 1 repeats the curve inside). */
  private static java.math.BigInteger secretOf(TlsIdentity identity) throws Exception {
    java.security.Key key = identity.keyStore().getKey("tls", identity.password().toCharArray());
    return key instanceof java.security.interfaces.ECPrivateKey ec ? ec.getS()
        : ((java.security.interfaces.RSAPrivateKey) key).getPrivateExponent();
  }

  @Test
  void missingFiles_areRefusedByName() throws Exception {
    TlsTestFiles files = TlsTestFiles.make(dir, "server", TlsTestFiles.KeyKind.EC_P256);
    Path nowhere = dir.resolve("nowhere.pem");
    assertThatThrownBy(() -> TlsIdentity.readPem(nowhere, files.key(), Instant.now()))
        .isInstanceOf(InvalidInputException.class).hasMessage("TLS certificate " + nowhere + " does not exist");
    assertThatThrownBy(() -> TlsIdentity.readPem(files.certificate(), nowhere, Instant.now()))
        .isInstanceOf(InvalidInputException.class).hasMessage("TLS key " + nowhere + " does not exist");
  }

  @Test
  void keyOpenToGroupOrOthers_isRefused_withTheChmodToRun() throws Exception {
    TlsTestFiles files = TlsTestFiles.make(dir, "server", TlsTestFiles.KeyKind.EC_P256);
    Files.setPosixFilePermissions(files.key(), PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> TlsIdentity.readPem(files.certificate(), files.key(), Instant.now()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("TLS key " + files.key() + " is open to group or others (rw-r--r--); it must be owner-only: chmod 600 " + files.key());
  }

  @Test
  void anotherCertificatesKey_isRefused() throws Exception {
    TlsTestFiles one = TlsTestFiles.make(dir, "one", TlsTestFiles.KeyKind.EC_P256);
    TlsTestFiles other = TlsTestFiles.make(dir, "other", TlsTestFiles.KeyKind.EC_P256);
    TlsTestFiles rsa = TlsTestFiles.make(dir, "rsa", TlsTestFiles.KeyKind.RSA_2048);
    assertThatThrownBy(() -> TlsIdentity.readPem(one.certificate(), other.key(), Instant.now()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("TLS key " + other.key() + " is not the key of the certificate in " + one.certificate());
    assertThatThrownBy(() -> TlsIdentity.readPem(one.certificate(), rsa.key(), Instant.now()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not the key of the certificate");
  }

  @Test
  void filesThatAreNotTheExpectedPem_areRefused() throws Exception {
    TlsTestFiles files = TlsTestFiles.make(dir, "server", TlsTestFiles.KeyKind.EC_P256);
    Path garbage = dir.resolve("garbage.pem");
    Files.writeString(garbage, "not pem at all\n");
    Files.setPosixFilePermissions(garbage, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> TlsIdentity.readPem(garbage, files.key(), Instant.now()))
        .isInstanceOf(InvalidInputException.class).hasMessage("TLS certificate " + garbage + " holds no '-----BEGIN CERTIFICATE-----' block");
    assertThatThrownBy(() -> TlsIdentity.readPem(files.key(), files.key(), Instant.now()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("not only CERTIFICATE blocks");
    assertThatThrownBy(() -> TlsIdentity.readPem(files.certificate(), garbage, Instant.now()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("TLS key " + garbage + " holds no");
    Path copy = dir.resolve("certificate-as-key.pem");
    Files.copy(files.certificate(), copy);
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> TlsIdentity.readPem(files.certificate(), copy, Instant.now()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a private key");
    Path big = dir.resolve("big.pem");
    Files.write(big, new byte[TlsIdentity.FILE_BYTES_MAX + 1]);
    assertThatThrownBy(() -> TlsIdentity.readPem(big, files.key(), Instant.now()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("more than " + TlsIdentity.FILE_BYTES_MAX);
  }

  @Test
  void anEncryptedKey_isRefused_sayingHowToDecryptIt() throws Exception {
    TlsTestFiles files = TlsTestFiles.make(dir, "server", TlsTestFiles.KeyKind.EC_P256);
    PrivateKey key = Pem.readPrivateKey(Files.readString(files.key()), AlgorithmSuite.INTERNATIONAL);
    Path encrypted = dir.resolve("encrypted.key.pem");
    java.io.StringWriter text = new java.io.StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(new JcaPKCS8Generator(key, new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(Providers.BC)
          .setPassword("passphrase".toCharArray()).build()));
    }
    Files.writeString(encrypted, text.toString());
    Files.setPosixFilePermissions(encrypted, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> TlsIdentity.readPem(files.certificate(), encrypted, Instant.now()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("is encrypted").hasMessageContaining("openssl pkey");
  }

  @Test
  void anSm2Key_isRefused_byName() throws Exception {
    TlsTestFiles files = TlsTestFiles.make(dir, "server", TlsTestFiles.KeyKind.EC_P256);
    KeyPair sm2 = AlgorithmSuite.NATIONAL.signature().generateKeyPair(new SecureRandom());
    Path key = dir.resolve("sm2.key.pem");
    Files.writeString(key, Pem.write(sm2.getPrivate()), StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> TlsIdentity.readPem(files.certificate(), key, Instant.now()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("SM2 has no TLS in the JDK");
  }

  @Test
  void aCertificateOutsideItsValidity_isRefused() throws Exception {
    TlsTestFiles expired = TlsTestFiles.makeWithBouncyCastle(dir, "expired", TlsTestFiles.KeyKind.EC_P256,
        Instant.now().minus(Duration.ofDays(3)));
    assertThatThrownBy(() -> TlsIdentity.readPem(expired.certificate(), expired.key(), Instant.now()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("TLS certificate " + expired.certificate() + " is valid from")
        .hasMessageContaining("not now");
  }
}
