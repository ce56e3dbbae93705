package io.iotpay.protocol.pki;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.CertificateCheckException;
import io.iotpay.foundation.crypto.Certificates;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * A party's certificate from the scheme CA (docs/signed-files.md §2): an X.509 v3 leaf whose subject
 * is {@code CN=<party id>, OU=<role>, O=iotpay scheme}, read back into the party and role it binds
 * to the public key. Reading does not check the CA's signature: {@link SignedFileVerifier} does.
 *
 * @param certificate the X.509 certificate; never null
 * @param party the subject's CN
 * @param role the subject's OU
 * @param suite the suite of the scheme that issued it (and of the key it certifies)
 */
public record PartyCertificate(X509Certificate certificate, PartyId party, PartyRole role, AlgorithmSuite suite) {
  /** The subject's O of every party certificate. */
  public static final String ORGANISATION = "iotpay scheme";
  /** Longest DER certificate accepted (a P-256/SM2 leaf is about 500 bytes). */
  public static final int DER_BYTES_MAX = 4096;

  /** The subject DN binding {@code party} and {@code role}. */
  static String subjectDn(PartyId party, PartyRole role) {
    // PartyId is A-Z 0-9 '-' only: nothing in it needs escaping in a DN. Encoded most significant
    // first (O, OU, CN), so RFC 4514 prints it as CN=party,OU=role,O=iotpay scheme.
    return "O=" + ORGANISATION + ",OU=" + role.name() + ",CN=" + party.value();
  }

  /**
   * Reads the party and role of a DER certificate.
   *
   * @throws ProtocolException when the bytes are no X.509 certificate or its subject is not a party's
   */
  public static PartyCertificate parse(byte[] der, AlgorithmSuite suite) {
    if (der.length == 0 || der.length > DER_BYTES_MAX) {
      throw new ProtocolException("certificate is " + der.length + " bytes, expected 1 to " + DER_BYTES_MAX);
    }
    try {
      return of(Certificates.parse(der), suite);
    } catch (ProtocolException e) {
      throw e;
    } catch (CertificateCheckException e) {
      throw new ProtocolException(e.getMessage(), e);
    } catch (RuntimeException e) { // BouncyCastle's refusals of a damaged name or extension (e.g. invalid UTF-8)
      throw new ProtocolException("certificate does not decode: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the party and role of {@code certificate}'s subject.
   *
   * @throws ProtocolException when the subject is not {@code CN=party, OU=role, O=iotpay scheme}
   */
  public static PartyCertificate of(X509Certificate certificate, AlgorithmSuite suite) {
    X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    if (subject.getRDNs().length != 3 || !ORGANISATION.equals(single(subject, BCStyle.O))) {
      throw new ProtocolException("certificate subject '" + subject + "' is not a party of the scheme (CN, OU, O="
          + ORGANISATION + ")");
    }
    PartyRole role;
    try {
      role = PartyRole.valueOf(single(subject, BCStyle.OU));
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("certificate subject '" + subject + "' names no role of the scheme", e);
    }
    return new PartyCertificate(certificate, PartyId.of(single(subject, BCStyle.CN)), role, suite);
  }

  private static String single(X500Name name, ASN1ObjectIdentifier type) {
    RDN[] rdns = name.getRDNs(type);
    if (rdns.length != 1 || rdns[0].isMultiValued()) {
      throw new ProtocolException("certificate subject '" + name + "' must have exactly one " + BCStyle.INSTANCE.oidToDisplayName(type));
    }
    return IETFUtils.valueToString(rdns[0].getFirst().getValue());
  }

  /** The certified public key. */
  public PublicKey publicKey() {
    return certificate.getPublicKey();
  }

  /** The DER encoding. */
  public byte[] encoded() {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("a parsed certificate re-encodes", e);
    }
  }
}
