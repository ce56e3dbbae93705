package io.iotpay.platform.access.coap;

import io.iotpay.platform.inbox.DeviceInbox;
import io.iotpay.platform.identity.IdentityService;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.CertificateAuthenticationMode;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CoAP access for NB-IoT-class devices: Californium's CoAP server with a Scandium DTLS 1.2 endpoint
 * (PSK derived per device by {@link DevicePskDeriver}; X.509 client certificates checked by the
 * identity service when server credentials are configured) and, only when configured, a plain UDP
 * endpoint. It serves {@code POST devices/{id}/up} (see docs/coap.md): the DTLS peer must be the
 * device the path names, the body (≤ {@link CoapAccessConfig#envelopeBytesMax()}, Block1 reassembled)
 * goes to {@link DeviceInbox#deliver}, and the inbox's reply becomes the CoAP response.
 *
 * <p>Confirmable retransmissions are answered from Californium's deduplication store; a device's
 * later retry with the same envelope is answered by the envelope's counter idempotency. Started by
 * {@link #start}; {@link #close()} stops both endpoints and frees their ports.
 */
public final class CoapAccessServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CoapAccessServer.class);

  /**
   * PSK suites first (the smallest devices), then the certificate suites: AEAD only (Scandium's
   * recommended set), with RFC 7925's mandatory CCM_8 suites first.
   */
  static final List<CipherSuite> PSK_CIPHER_SUITES = List.of(
      CipherSuite.TLS_PSK_WITH_AES_128_CCM_8, CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256,
      CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256);
  static final List<CipherSuite> CERTIFICATE_CIPHER_SUITES = List.of(
      CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);

  private final CoapServer server;
  private final CoapEndpoint dtlsEndpoint;
  private final CoapEndpoint plainEndpoint;

  private CoapAccessServer(CoapServer server, CoapEndpoint dtlsEndpoint, CoapEndpoint plainEndpoint) {
    this.server = server;
    this.dtlsEndpoint = dtlsEndpoint;
    this.plainEndpoint = plainEndpoint;
  }

  /**
   * Binds the endpoints and starts serving.
   *
   * @param identity looks up devices for PSK handshakes and checks client certificates
   * @param pskDeriver derives each device's PSK; the master key never leaves it
   * @param inbox receives envelopes and connectivity; must be thread-safe and not throw
   * @throws IllegalStateException when an endpoint cannot bind (port in use)
   */
  public static CoapAccessServer start(CoapAccessConfig config, IdentityService identity, DevicePskDeriver pskDeriver, DeviceInbox inbox) {
    Configuration coap = californiumConfiguration(config);
    ConnectivityReporter reporter = new ConnectivityReporter(inbox);
    CoapServer server = new CoapServer(coap);
    server.add(new UplinkResource(inbox, config.envelopeBytesMax(), config.plainUdp().isPresent()));
    DTLSConnector connector = new DTLSConnector(dtlsConfig(config, coap, identity, pskDeriver, reporter, inbox));
    CoapEndpoint dtls = new CoapEndpoint.Builder().setConfiguration(coap).setConnector(connector).build();
    dtls.addInterceptor(reporter);
    server.addEndpoint(dtls);
    CoapEndpoint plain = null;
    if (config.plainUdp().isPresent()) {
      plain = new CoapEndpoint.Builder().setConfiguration(coap).setInetSocketAddress(config.plainUdpAddress()).build();
      server.addEndpoint(plain);
    }
    server.start();
    if (!server.isRunning() || dtls.getAddress().getPort() == 0) {
      server.destroy();
      throw new IllegalStateException("coap: could not bind " + config.dtlsAddress());
    }
    LOG.info("CoAP access started [dtls={}, plainUdp={}, x509={}]", dtls.getAddress(),
        plain == null ? "off" : plain.getAddress(), config.x509Enabled());
    return new CoapAccessServer(server, dtls, plain);
  }

  private static Configuration californiumConfiguration(CoapAccessConfig config) {
    Configuration coap = new Configuration(CoapConfig.DEFINITIONS, DtlsConfig.DEFINITIONS, UdpConfig.DEFINITIONS);
    coap.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, config.envelopeBytesMax());
    coap.set(CoapConfig.PREFERRED_BLOCK_SIZE, config.blockSizeBytes());
    coap.set(CoapConfig.MAX_MESSAGE_SIZE, config.blockSizeBytes());
    coap.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY);
    coap.set(DtlsConfig.DTLS_MAX_CONNECTIONS, config.dtlsConnectionsMax());
    coap.set(DtlsConfig.DTLS_USE_SERVER_NAME_INDICATION, false);
    List<CipherSuite> suites = new ArrayList<>(PSK_CIPHER_SUITES);
    if (config.x509Enabled()) {
      suites.addAll(CERTIFICATE_CIPHER_SUITES);
    }
    coap.set(DtlsConfig.DTLS_CIPHER_SUITES, suites);
    // NEEDED applies to certificate suites only: a PSK handshake is authenticated by the key itself.
    coap.set(DtlsConfig.DTLS_CLIENT_AUTHENTICATION_MODE, CertificateAuthenticationMode.NEEDED);
    return coap;
  }

  private static DtlsConnectorConfig dtlsConfig(CoapAccessConfig config, Configuration coap, IdentityService identity,
      DevicePskDeriver pskDeriver, ConnectivityReporter reporter, DeviceInbox inbox) {
    HandshakeFailures failures = new HandshakeFailures(inbox);
    reporter.onMacError(failures::macError);
    DtlsConnectorConfig.Builder dtls = DtlsConnectorConfig.builder(coap)
        .setAddress(config.dtlsAddress())
        .setAdvancedPskStore(new DevicePskStore(identity, pskDeriver, inbox))
        .setConnectionListener(reporter)
        .setSessionListener(failures);
    if (config.x509Enabled()) {
      dtls.setCertificateIdentityProvider(new SingleCertificateProvider(config.serverKey(),
              config.serverCertificateChain().toArray(new X509Certificate[0]), CertificateType.X_509))
          .setAdvancedCertificateVerifier(new DeviceCertificateVerifier(identity, config.clock(), inbox));
    }
    return dtls.build();
  }

  /** The bound DTLS address (with the real port when configured with port 0). */
  public InetSocketAddress dtlsAddress() {
    return dtlsEndpoint.getAddress();
  }

  /** The bound plain UDP address, when configured. */
  public Optional<InetSocketAddress> plainUdpAddress() {
    return Optional.ofNullable(plainEndpoint).map(CoapEndpoint::getAddress);
  }

  /** Stops both endpoints and releases their sockets and threads; safe to call twice. */
  @Override
  public void close() {
    server.destroy();
  }
}
