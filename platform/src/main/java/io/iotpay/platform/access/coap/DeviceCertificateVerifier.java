package io.iotpay.platform.access.coap;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.identity.IdentityException;
import io.iotpay.platform.identity.IdentityService;
import java.net.InetSocketAddress;
import java.io.ByteArrayInputStream;
import java.security.cert.CertPath;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.eclipse.californium.scandium.dtls.AlertMessage;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertDescription;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertLevel;
import org.eclipse.californium.scandium.dtls.CertificateMessage;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.CertificateVerificationResult;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeException;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.x509.NewAdvancedCertificateVerifier;
import org.eclipse.californium.scandium.util.ServerNames;

/**
 * Checks a DTLS client certificate with {@link IdentityService#authenticate}: a registered device
 * must present exactly its registered certificate and be ACTIVE; an unknown device whose
 * certificate chains to a registered manufacturer CA is provisioned just in time. Only the
 * INTERNATIONAL suite: Scandium (like JSSE) cannot verify SM2 certificates, so NATIONAL devices use
 * PSK. Scandium itself then checks the client's CertificateVerify signature under the accepted key.
 */
final class DeviceCertificateVerifier implements NewAdvancedCertificateVerifier {
  /** Longest client chain looked at (device certificate and its issuers); bounds the work per handshake. */
  static final int CHAIN_LENGTH_MAX = 4;
  private static final CertificateFactory BC_CERTIFICATES = bcCertificateFactory();

  private final IdentityService identity;
  private final Clock clock;
  private final io.iotpay.platform.inbox.DeviceInbox inbox;

  /** @param inbox told of each refused certificate (its security log logs it once, counts and lists it) */
  DeviceCertificateVerifier(IdentityService identity, Clock clock, io.iotpay.platform.inbox.DeviceInbox inbox) {
    this.identity = identity;
    this.clock = clock;
    this.inbox = inbox;
  }

  @Override
  public List<CertificateType> getSupportedCertificateTypes() {
    return List.of(CertificateType.X_509);
  }

  @Override
  public CertificateVerificationResult verifyCertificate(ConnectionId cid, ServerNames serverName, InetSocketAddress remotePeer,
      boolean clientUsage, boolean verifySubject, boolean truncateCertificatePath, CertificateMessage message) {
    CertPath chain = message.getCertificateChain();
    if (!clientUsage || chain == null) {
      badCertificate(remotePeer, "no client certificate chain");
      return refused(cid, "only device client certificates are accepted", AlertDescription.UNSUPPORTED_CERTIFICATE, null);
    }
    List<? extends Certificate> certificates = chain.getCertificates();
    if (certificates.isEmpty() || certificates.size() > CHAIN_LENGTH_MAX
        || !(certificates.get(0) instanceof X509Certificate leaf)) {
      badCertificate(remotePeer, "client chain of " + certificates.size() + " certificates");
      return refused(cid, "client chain of " + certificates.size() + " certificates", AlertDescription.BAD_CERTIFICATE, null);
    }
    try {
      identity.authenticate(AlgorithmSuite.INTERNATIONAL, readWithBouncyCastle(leaf), clock.instant());
      return new CertificateVerificationResult(cid, chain, null);
    } catch (IdentityException e) {
      inbox.refusedConnection(io.iotpay.platform.inbox.Transport.COAP, null, "BAD_CERTIFICATE",
          "DTLS handshake from " + remotePeer + ": certificate refused: " + e.getMessage());
      return refused(cid, e.getMessage(), AlertDescription.ACCESS_DENIED, e);
    } catch (CertificateException | RuntimeException e) {
      badCertificate(remotePeer, "certificate unreadable: " + e);
      return refused(cid, "certificate unreadable", AlertDescription.BAD_CERTIFICATE, e);
    }
  }

  /**
   * The same certificate, parsed by BouncyCastle. Scandium hands over JDK-parsed certificates, whose
   * keys the identity service's curve check (written for BouncyCastle key objects, as the CSR path
   * produces) does not recognise; reading the DER again keeps that check unchanged.
   */
  private static X509Certificate readWithBouncyCastle(X509Certificate certificate) throws CertificateException {
    return (X509Certificate) BC_CERTIFICATES.generateCertificate(new ByteArrayInputStream(certificate.getEncoded()));
  }

  private void badCertificate(InetSocketAddress peer, String detail) {
    inbox.refusedConnection(io.iotpay.platform.inbox.Transport.COAP, null, "BAD_CERTIFICATE", "DTLS handshake from " + peer + ": " + detail);
  }

  private static CertificateVerificationResult refused(ConnectionId cid, String why, AlertDescription alert, Throwable cause) {
    HandshakeException failure = new HandshakeException(why, new AlertMessage(AlertLevel.FATAL, alert), cause);
    return new CertificateVerificationResult(cid, failure, null);
  }

  private static CertificateFactory bcCertificateFactory() {
    try {
      return CertificateFactory.getInstance("X.509", new BouncyCastleProvider());
    } catch (CertificateException e) {
      throw new IllegalStateException("BouncyCastle X.509 factory unavailable", e);
    }
  }

  @Override
  public List<X500Principal> getAcceptedIssuers() {
    return List.of(); // any issuer: the identity service decides (device CA or a registered manufacturer CA)
  }

  @Override
  public void setResultHandler(HandshakeResultHandler resultHandler) {
    // synchronous verifier
  }
}
