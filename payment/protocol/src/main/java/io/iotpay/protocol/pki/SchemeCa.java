package io.iotpay.protocol.pki;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Certificates;
import io.iotpay.foundation.custody.KeyCustody;
import io.iotpay.foundation.custody.KeyRef;
import io.iotpay.foundation.custody.KeyUsage;
import io.iotpay.protocol.PartyId;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * The scheme CA the switch runs (docs/signed-files.md §1): a self-signed X.509 CA whose key stays
 * in a {@link KeyCustody}, issuing each party a certificate that binds its party id and role (subject
 * {@code CN=party, OU=role, O=iotpay scheme}), the suite (the key's curve and the CA's signature
 * algorithm) and a validity period to its public key. Thread-safe as the custody is.
 */
public final class SchemeCa {
  /** Subject DN of the CA certificate. */
  public static final String SUBJECT_DN = "O=" + PartyCertificate.ORGANISATION + ",CN=iotpay scheme CA";

  private final KeyCustody custody;
  private final KeyRef caKey;
  private final X509Certificate certificate;
  private final SecureRandom random = new SecureRandom();

  private SchemeCa(KeyCustody custody, KeyRef caKey, X509Certificate certificate) {
    this.custody = custody;
    this.caKey = caKey;
    this.certificate = certificate;
  }

  /**
   * Generates the CA key as label {@code label} in {@code custody} and self-signs the CA certificate.
   *
   * @throws io.iotpay.foundation.custody.KeyCustodyException BAD_INPUT when the label exists
   */
  public static SchemeCa create(KeyCustody custody, String label, AlgorithmSuite suite, Instant notBefore, Instant notAfter) {
    KeyRef key = custody.generate(label, suite, KeyUsage.SIGNING);
    X509Certificate certificate = Certificates.issueCa(suite, custody.publicKey(key),
        new Certificates.Profile(SUBJECT_DN, notBefore, notAfter, serial(new SecureRandom())),
        data -> custody.sign(key, data));
    return new SchemeCa(custody, key, certificate);
  }

  /** A CA whose key {@code caKey} is already in {@code custody} and whose certificate is {@code certificate}. */
  public static SchemeCa open(KeyCustody custody, KeyRef caKey, X509Certificate certificate) {
    return new SchemeCa(custody, caKey, certificate);
  }

  /** The CA certificate: the trust anchor every receiver holds. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The suite of the CA and of every certificate it issues. */
  public AlgorithmSuite suite() {
    return caKey.suite();
  }

  /**
   * Issues {@code party} a certificate for {@code role} over {@code publicKey}.
   *
   * @param publicKey the party's signing key (e.g. {@link KeyCustody#publicKey} of its custody's key)
   * @throws io.iotpay.foundation.crypto.CryptoException when the period is empty or the key is not of the suite
   */
  public PartyCertificate issue(PartyId party, PartyRole role, PublicKey publicKey, Instant notBefore, Instant notAfter) {
    Certificates.Profile profile =
        new Certificates.Profile(PartyCertificate.subjectDn(party, role), notBefore, notAfter, serial(random));
    X509Certificate leaf = Certificates.issueLeaf(suite(), certificate, data -> custody.sign(caKey, data), publicKey, profile);
    return new PartyCertificate(leaf, party, role, suite());
  }

  /**
   * Enrols a party: generates its signing key as {@code label} in the party's own custody, issues
   * its certificate over the key's public half, and returns the party's file signer.
   *
   * @throws io.iotpay.foundation.custody.KeyCustodyException BAD_INPUT when the label exists in {@code partyCustody}
   */
  public FileSigner enrol(KeyCustody partyCustody, String label, PartyId party, PartyRole role, Instant notBefore,
      Instant notAfter) {
    KeyRef key = partyCustody.generate(label, suite(), KeyUsage.SIGNING);
    return new FileSigner(partyCustody, key, issue(party, role, partyCustody.publicKey(key), notBefore, notAfter));
  }

  /** A positive random serial number of 127 bits (RFC 5280 §4.1.2.2: at most 20 octets). */
  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(127, random).setBit(0);
  }
}
