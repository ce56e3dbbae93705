package io.iotpay.foundation.crypto;

import io.iotpay.foundation.TestCommands;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed TLS server certificate for 127.0.0.1 and localhost and its key, as PEM files the way a
 * newcomer makes them: by {@code openssl req -x509} when openssl is on the PATH, else by BouncyCastle.
 * The key file is owner-only. Shared with other modules' tests (this module's test jar).
 */
public record TlsTestFiles(Path certificate, Path key, String maker) {
  /** The server key's kind: TLS takes ECDSA P-256 or RSA whatever the crypto suite. */
  public enum KeyKind { EC_P256, RSA_2048 }

  /** Writes {@code name.crt.pem} and {@code name.key.pem} (owner-only) into {@code dir}, valid from a minute ago for a day. */
  public static TlsTestFiles make(Path dir, String name, KeyKind kind) throws IOException, InterruptedException {
    Path certificate = dir.resolve(name + ".crt.pem");
    Path key = dir.resolve(name + ".key.pem");
    String maker = TestCommands.works("openssl", "version") ? openssl(certificate, key, kind) : bouncyCastle(certificate, key, kind, Instant.now());
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    return new TlsTestFiles(certificate, key, maker);
  }

  /** As {@link #make} by BouncyCastle, valid from {@code notBefore} for a day (an expired one for the tests of refusals). */
  public static TlsTestFiles makeWithBouncyCastle(Path dir, String name, KeyKind kind, Instant notBefore) throws IOException {
    Path certificate = dir.resolve(name + ".crt.pem");
    Path key = dir.resolve(name + ".key.pem");
    String maker = bouncyCastle(certificate, key, kind, notBefore);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    return new TlsTestFiles(certificate, key, maker);
  }

  /** A client context trusting this certificate only. */
  public SSLContext trustingOnlyThis() throws IOException, GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trustManagers().getTrustManagers(), null);
    return context;
  }

  /** Trust managers trusting this certificate only (for clients that take a factory, such as MQTT's). */
  public TrustManagerFactory trustManagers() throws IOException, GeneralSecurityException {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("server", Pem.readCertificate(Files.readString(certificate, StandardCharsets.US_ASCII)));
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    return trust;
  }

  private static String openssl(Path certificate, Path key, KeyKind kind) throws IOException, InterruptedException {
    List<String> newKey = kind == KeyKind.EC_P256 ? List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256")
        : List.of("-newkey", "rsa:2048");
    List<String> command = new java.util.ArrayList<>(List.of("openssl", "req", "-x509"));
    command.addAll(newKey);
    command.addAll(List.of("-nodes", "-keyout", key.toString(), "-out", certificate.toString(), "-days", "1", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("openssl req -x509 failed: " + output);
    }
    return "openssl";
  }

  private static String bouncyCastle(Path certificate, Path key, KeyKind kind, Instant notBefore) throws IOException {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(kind == KeyKind.EC_P256 ? "EC" : "RSA");
      if (kind == KeyKind.EC_P256) {
        generator.initialize(new ECGenParameterSpec("secp256r1"));
      } else {
        generator.initialize(2048);
      }
      KeyPair keys = generator.generateKeyPair();
      X500Name subject = new X500Name("CN=localhost");
      X509Certificate issued = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject,
              BigInteger.valueOf(System.nanoTime()).abs().add(BigInteger.ONE), Date.from(notBefore.minusSeconds(60)),
              Date.from(notBefore.plus(Duration.ofDays(1))), subject, keys.getPublic())
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
              new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}))
          .build(new JcaContentSignerBuilder(kind == KeyKind.EC_P256 ? "SHA256withECDSA" : "SHA256withRSA").build(keys.getPrivate())));
      Files.writeString(certificate, Pem.write(issued), StandardCharsets.US_ASCII);
      Files.writeString(key, Pem.write(keys.getPrivate()), StandardCharsets.US_ASCII);
      return "BouncyCastle";
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot make a test certificate", e);
    }
  }
}
