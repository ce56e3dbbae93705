package io.iotpay.agent.transport;

import io.iotpay.foundation.InvalidInputException;
import io.iotpay.protocol.device.RefusalReason;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;

/**
 * Sends envelopes to the platform's CoAP server over DTLS 1.2 (Californium's {@link CoapClient},
 * Scandium): a confirmable {@code POST coaps://host:port/devices/{id}/up}, Block1 when the envelope
 * exceeds one block. Californium retransmits a CON request with exponential back-off
 * ({@code ackTimeout}, up to {@link #MAX_RETRANSMIT} times) and the server answers each
 * retransmission with the same response, so one {@link #send} is handled once.
 *
 * <p>Responses: 2.04 → the answer bytes (at most {@link #ANSWER_BYTES_MAX}); any other code →
 * {@link TransportException} whose reason is the platform's refusal reason (the diagnostic payload),
 * retryable for {@code DUPLICATE_IN_PROGRESS} and {@code UNAVAILABLE}; no answer after the
 * retransmissions → {@code TIMEOUT}; a failed handshake or socket error → {@code CONNECTION}. Both
 * are retryable: resend the same bytes. Thread-safe; one DTLS session per instance.
 */
public final class CoapDeviceTransport implements DeviceTransport {
  /** Largest answer accepted, bytes (the SDK's {@code EnvelopeClient.ANSWER_BYTES_MAX}). */
  public static final int ANSWER_BYTES_MAX = 16 * 1024;
  /** Retransmissions of a CON request before giving up (RFC 7252's default). */
  public static final int MAX_RETRANSMIT = 4;
  /** Block size for Block1/Block2, bytes: fits an NB-IoT datagram with DTLS overhead. */
  public static final int BLOCK_SIZE_BYTES = 512;
  /** A refusal reason read from a diagnostic payload: upper-case words, bounded. */
  private static final Pattern REASON = Pattern.compile("[A-Z][A-Z_]{0,39}");

  private final CoapEndpoint endpoint;
  private final CoapClient client;

  /**
   * @param server the platform's DTLS address
   * @param deviceId this device's id (the path is {@code devices/{deviceId}/up})
   * @param credentials PSK or X.509
   * @param ackTimeout first retransmission timeout (RFC 7252 ACK_TIMEOUT, default 2 s); 100 ms..60 s
   * @throws InvalidInputException when an argument is missing or out of bounds
   * @throws TransportException CONNECTION when no local UDP socket can be opened
   */
  public CoapDeviceTransport(InetSocketAddress server, String deviceId, CoapDeviceCredentials credentials, Duration ackTimeout) {
    if (server == null || deviceId == null || deviceId.isEmpty() || deviceId.length() > 64 || credentials == null) {
      throw new InvalidInputException("coap: server, a device id of 1..64 characters and credentials are required");
    }
    if (ackTimeout == null || ackTimeout.toMillis() < 100 || ackTimeout.toMillis() > 60_000) {
      throw new InvalidInputException("coap: ackTimeout " + ackTimeout + " outside 100 ms..60 s");
    }
    Configuration coap = configuration(credentials, ackTimeout);
    DTLSConnector connector = new DTLSConnector(dtlsConfig(coap, credentials));
    endpoint = new CoapEndpoint.Builder().setConfiguration(coap).setConnector(connector).build();
    try {
      endpoint.start();
    } catch (IOException e) {
      endpoint.destroy();
      throw new TransportException("CONNECTION", true, "cannot open a local UDP socket", e);
    }
    client = new CoapClient("coaps://" + hostLiteral(server) + ":" + server.getPort() + "/devices/" + deviceId + "/up");
    client.setEndpoint(endpoint);
  }

  private static Configuration configuration(CoapDeviceCredentials credentials, Duration ackTimeout) {
    Configuration coap = new Configuration(CoapConfig.DEFINITIONS, DtlsConfig.DEFINITIONS, UdpConfig.DEFINITIONS);
    coap.set(CoapConfig.ACK_TIMEOUT, ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
    coap.set(CoapConfig.MAX_RETRANSMIT, MAX_RETRANSMIT);
    coap.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, ANSWER_BYTES_MAX);
    coap.set(CoapConfig.PREFERRED_BLOCK_SIZE, BLOCK_SIZE_BYTES);
    coap.set(CoapConfig.MAX_MESSAGE_SIZE, BLOCK_SIZE_BYTES);
    coap.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
    coap.set(DtlsConfig.DTLS_USE_SERVER_NAME_INDICATION, false);
    coap.set(DtlsConfig.DTLS_RETRANSMISSION_TIMEOUT, ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
    coap.set(DtlsConfig.DTLS_CIPHER_SUITES, switch (credentials) {
      case CoapDeviceCredentials.Psk psk -> List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8, CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256);
      case CoapDeviceCredentials.X509 x509 -> List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
          CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);
    });
    return coap;
  }

  private static DtlsConnectorConfig dtlsConfig(Configuration coap, CoapDeviceCredentials credentials) {
    DtlsConnectorConfig.Builder dtls = DtlsConnectorConfig.builder(coap).setAddress(new InetSocketAddress(0));
    switch (credentials) {
      case CoapDeviceCredentials.Psk psk -> dtls.setAdvancedPskStore(new AdvancedSinglePskStore(psk.identity(), psk.key()));
      case CoapDeviceCredentials.X509 x509 -> dtls
          .setCertificateIdentityProvider(new SingleCertificateProvider(x509.key(), x509.chainArray(), CertificateType.X_509))
          .setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder()
              .setTrustedCertificates(x509.trustedArray()).build());
    }
    return dtls.build();
  }

  private static String hostLiteral(InetSocketAddress server) {
    String host = server.getAddress() == null ? server.getHostString() : server.getAddress().getHostAddress();
    return host.contains(":") ? "[" + host + "]" : host;
  }

  /**
   * Posts {@code envelope} (bounded by the server, 16 KiB by default) as a CON request.
   *
   * @return completes with the platform's answer, or exceptionally with {@link TransportException}
   */
  @Override
  public CompletableFuture<byte[]> send(byte[] envelope) {
    CompletableFuture<byte[]> answer = new CompletableFuture<>();
    if (envelope == null || envelope.length == 0) {
      answer.completeExceptionally(new TransportException("MALFORMED", false, "no envelope to send"));
      return answer;
    }
    Request request = Request.newPost();
    request.setConfirmable(true);
    request.setPayload(envelope.clone());
    request.getOptions().setContentFormat(18); // application/cose; cose-type="cose-sign1"
    AtomicReference<TransportException> failure = new AtomicReference<>();
    request.addMessageObserver(new MessageObserverAdapter() {
      @Override
      public void onTimeout() {
        failure.compareAndSet(null, new TransportException("TIMEOUT", true, "no answer after " + MAX_RETRANSMIT + " retransmissions"));
      }

      @Override
      protected void failed() {
        failure.compareAndSet(null, new TransportException("CONNECTION", true, "DTLS handshake or send failed"));
      }

      @Override
      public void onSendError(Throwable error) {
        failure.compareAndSet(null, new TransportException("CONNECTION", true, "DTLS handshake or send failed: " + error.getMessage(), error));
      }
    });
    client.advanced(new CoapHandler() {
      @Override
      public void onLoad(CoapResponse response) {
        complete(answer, response);
      }

      @Override
      public void onError() {
        TransportException known = failure.get();
        answer.completeExceptionally(known != null ? known : new TransportException("CONNECTION", true, "request failed"));
      }
    }, request);
    return answer;
  }

  private static void complete(CompletableFuture<byte[]> answer, CoapResponse response) {
    byte[] payload = response.getPayload();
    if (response.getCode() == ResponseCode.CHANGED) {
      if (payload == null || payload.length == 0 || payload.length > ANSWER_BYTES_MAX) {
        answer.completeExceptionally(new TransportException("OVERSIZED", false,
            "answer of " + (payload == null ? 0 : payload.length) + " bytes (1.." + ANSWER_BYTES_MAX + ")"));
        return;
      }
      answer.complete(payload);
      return;
    }
    answer.completeExceptionally(refusal(response.getCode(), response.getResponseText()));
  }

  /** The platform's refusal: its reason when the diagnostic payload names one, else {@code COAP_<code>}. */
  static TransportException refusal(ResponseCode code, String diagnostic) {
    String text = diagnostic == null ? "" : diagnostic.strip();
    String reason = REASON.matcher(text).matches() ? text : "COAP_" + code.name();
    boolean retryable = RefusalReason.named(reason).map(RefusalReason::retryable).orElse(false) || code == ResponseCode.SERVICE_UNAVAILABLE;
    return new TransportException(reason, retryable, "platform answered " + code.text + " " + code.name());
  }

  /** Ends the DTLS session and frees the socket and threads; pending sends fail. */
  @Override
  public void close() {
    client.shutdown();
    endpoint.destroy();
  }
}
