package io.iotpay.protocol.party;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.CertificateCheckException;
import io.iotpay.foundation.crypto.Certificates;
import io.iotpay.foundation.crypto.CryptoException;
import io.iotpay.foundation.crypto.Pem;
import io.iotpay.foundation.custody.KeyCustody;
import io.iotpay.foundation.custody.KeyCustodyException;
import io.iotpay.foundation.custody.KeyRef;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.pki.FileSigner;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.PartyCertificate;
import io.iotpay.protocol.pki.PartyRole;
import io.iotpay.protocol.pki.SchemeCa;
import io.iotpay.protocol.pki.SignedFileVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * A party process's part in signed file exchange (docs/parties.md, "Signed clearing files";
 * docs/signed-files.md): the scheme CA the switch runs, its key in the switch's key custody, its
 * certificate in {@value #CA_CERTIFICATE_FILE}; each party's file-signing key in its own custody
 * (label {@value #SIGNING_LABEL}, sealed, never in a clear file) and its certificate from that CA in
 * {@value #CERTIFICATE_FILE}. {@link #open} gives the running party its {@link FileTrust}.
 */
public final class PartyFileTrust {
  /** The scheme CA's certificate (PEM), in every party's data directory: the trust anchor. */
  public static final String CA_CERTIFICATE_FILE = "scheme-ca.pem";
  /** The party's own file-signing certificate (PEM) from the scheme CA. */
  public static final String CERTIFICATE_FILE = "file-signing.pem";
  /** The CA key's label in the switch's custody. */
  public static final String CA_LABEL = "scheme-ca";
  /** The file-signing key's label in each party's custody. */
  public static final String SIGNING_LABEL = "file-signing";
  /** How long the CA and the party certificates of a set-up are valid, from the day before it. */
  public static final int VALIDITY_YEARS = 3;

  /** A certificate's period. */
  public record Validity(Instant notBefore, Instant notAfter) {
    /**
     * From the start (00:00 UTC) of the day before today, so files of yesterday's business date (checked at
     * its start, signed-files.md §4) verify, for {@value #VALIDITY_YEARS} years.
     */
    public static Validity from(Clock clock) {
      LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
      return new Validity(today.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
          today.plusYears(VALIDITY_YEARS).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** The period of {@code ca}'s certificate (what the parties it enrols get). */
    public static Validity of(SchemeCa ca) {
      return new Validity(ca.certificate().getNotBefore().toInstant(), ca.certificate().getNotAfter().toInstant());
    }
  }

  private PartyFileTrust() {}

  /**
   * Makes the scheme CA: its key as {@value #CA_LABEL} in the switch's {@code custody}, its self-signed
   * certificate written to {@code dataDir/}{@value #CA_CERTIFICATE_FILE}. Never a second time.
   *
   * @throws PartyConfigException when the directory holds a CA certificate or the custody a CA key already
   */
  public static SchemeCa createCa(KeyCustody custody, Path dataDir, AlgorithmSuite suite, Validity validity) {
    Path file = dataDir.resolve(CA_CERTIFICATE_FILE);
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new PartyConfigException(file + " exists: the scheme CA is made once, set-up writes a new directory only");
    }
    SchemeCa ca;
    try {
      ca = SchemeCa.create(custody, CA_LABEL, suite, validity.notBefore(), validity.notAfter());
    } catch (KeyCustodyException e) {
      throw new PartyConfigException(dataDir.resolve(PartyKeys.CUSTODY_DIR) + ": " + e.getMessage(), e);
    }
    PartyFiles.writeOwnerOnly(file, Pem.write(ca.certificate()));
    return ca;
  }

  /**
   * The scheme CA of a switch directory: its certificate and its key in {@code custody}.
   *
   * @throws PartyConfigException when the certificate is missing or unreadable, or the custody's CA key is not
   *     the certificate's
   */
  public static SchemeCa openCa(KeyCustody custody, Path dataDir) {
    X509Certificate certificate = read(dataDir.resolve(CA_CERTIFICATE_FILE));
    KeyRef key = key(custody, CA_LABEL, dataDir);
    if (!Arrays.equals(custody.publicKey(key).getEncoded(), certificate.getPublicKey().getEncoded())) {
      throw new PartyConfigException(dataDir.resolve(CA_CERTIFICATE_FILE) + " does not certify the custody's CA key");
    }
    return SchemeCa.open(custody, key, certificate);
  }

  /**
   * Enrols a party: generates its file-signing key as {@value #SIGNING_LABEL} in its own {@code custody},
   * has {@code ca} certify it for {@code party} in {@code role}, and writes the certificate and the CA's
   * into {@code dataDir}.
   *
   * @throws PartyConfigException when the directory holds a file-signing certificate or the custody the key
   */
  public static PartyCertificate enrol(SchemeCa ca, KeyCustody custody, Path dataDir, PartyId party, PartyRole role,
      Validity validity) {
    Path file = dataDir.resolve(CERTIFICATE_FILE);
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new PartyConfigException(file + " exists: set-up writes a new directory only");
    }
    FileSigner signer;
    try {
      signer = ca.enrol(custody, SIGNING_LABEL, party, role, validity.notBefore(), validity.notAfter());
    } catch (KeyCustodyException e) {
      throw new PartyConfigException(dataDir.resolve(PartyKeys.CUSTODY_DIR) + ": " + e.getMessage(), e);
    }
    Path caFile = dataDir.resolve(CA_CERTIFICATE_FILE);
    if (!Files.exists(caFile, LinkOption.NOFOLLOW_LINKS)) {
      PartyFiles.writeOwnerOnly(caFile, Pem.write(ca.certificate()));
    }
    PartyFiles.writeOwnerOnly(file, Pem.write(signer.certificate().certificate()));
    return signer.certificate();
  }

  /** Whether {@code dataDir} holds a file-signing certificate (a directory written before signed files holds none). */
  public static boolean enrolled(Path dataDir) {
    return Files.exists(dataDir.resolve(CERTIFICATE_FILE), LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * The running party's signer and verifier: its certificate must be issued by the scheme CA of
   * {@value #CA_CERTIFICATE_FILE} to {@code self} in {@code role} over the custody's
   * {@value #SIGNING_LABEL} key; the scheme's suite is that key's.
   *
   * @throws PartyConfigException naming the file and what is wrong (never a key)
   */
  public static FileTrust open(Path dataDir, KeyCustody custody, PartyId self, PartyRole role) {
    X509Certificate caCertificate = read(dataDir.resolve(CA_CERTIFICATE_FILE));
    Path file = dataDir.resolve(CERTIFICATE_FILE);
    X509Certificate leaf = read(file);
    KeyRef key = key(custody, SIGNING_LABEL, dataDir);
    AlgorithmSuite suite = key.suite();
    PartyCertificate certificate;
    try {
      Certificates.checkIssuedBy(suite, leaf, caCertificate);
      certificate = PartyCertificate.of(leaf, suite);
    } catch (CertificateCheckException | ProtocolException e) {
      throw new PartyConfigException(file + " is not a party certificate of the scheme CA in " + CA_CERTIFICATE_FILE
          + ": " + e.getMessage(), e);
    }
    if (!certificate.party().equals(self) || certificate.role() != role) {
      throw new PartyConfigException(file + " certifies " + certificate.party() + " (" + certificate.role()
          + "), this party is " + self + " (" + role + ")");
    }
    if (!Arrays.equals(custody.publicKey(key).getEncoded(), leaf.getPublicKey().getEncoded())) {
      throw new PartyConfigException(file + " does not certify the custody's " + SIGNING_LABEL + " key");
    }
    return new FileTrust(new FileSigner(custody, key, certificate), new SignedFileVerifier(suite, caCertificate, self));
  }

  private static KeyRef key(KeyCustody custody, String label, Path dataDir) {
    try {
      return custody.current(label);
    } catch (KeyCustodyException e) {
      throw new PartyConfigException(dataDir.resolve(PartyKeys.CUSTODY_DIR) + ": no " + label + " key ("
          + e.reason() + ")", e);
    }
  }

  private static X509Certificate read(Path file) {
    try {
      if (Files.size(file) > Pem.TEXT_CHARS_MAX) {
        throw new PartyConfigException(file + ": too long for a certificate");
      }
      return Pem.readCertificate(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new PartyConfigException(file + ": " + e.getMessage() + " (iotpay party init writes it)", e);
    } catch (CryptoException e) {
      throw new PartyConfigException(file + ": " + e.getMessage(), e);
    }
  }
}
