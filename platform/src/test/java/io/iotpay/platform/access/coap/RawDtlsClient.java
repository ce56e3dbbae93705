package io.iotpay.platform.access.coap;

import io.iotpay.agent.transport.CoapDeviceCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.serialization.UdpDataParser;
import org.eclipse.californium.core.network.serialization.UdpDataSerializer;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.eclipse.californium.elements.RawData;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.elements.exception.ConnectorException;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/**
 * A device-side Californium client that can do what the SDK transport never does: post to any path,
 * send any body, ping, and send the same serialized CON datagram again through the DTLS connector.
 */
final class RawDtlsClient implements AutoCloseable {
  private final InetSocketAddress server;
  private final DTLSConnector connector;
  private final CoapEndpoint endpoint;

  RawDtlsClient(InetSocketAddress server, CoapDeviceCredentials.Psk psk) {
    this(server, psk, null);
  }

  /**
   * @param datagrams when not null, every datagram the connector receives goes here (parsed) and the
   *     CoAP layer is not started: only {@link #sendDatagram} may be used
   */
  RawDtlsClient(InetSocketAddress server, CoapDeviceCredentials.Psk psk,
      java.util.function.Consumer<org.eclipse.californium.core.coap.Message> datagrams) {
    this.server = server;
    Configuration coap = new Configuration(CoapConfig.DEFINITIONS, DtlsConfig.DEFINITIONS, UdpConfig.DEFINITIONS);
    coap.set(CoapConfig.ACK_TIMEOUT, 300L, TimeUnit.MILLISECONDS);
    coap.set(CoapConfig.MAX_RETRANSMIT, 3);
    coap.set(CoapConfig.PREFERRED_BLOCK_SIZE, 512);
    coap.set(CoapConfig.MAX_MESSAGE_SIZE, 512);
    coap.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
    coap.set(DtlsConfig.DTLS_CIPHER_SUITES, List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8));
    connector = new DTLSConnector(DtlsConnectorConfig.builder(coap).setAddress(new InetSocketAddress(0))
        .setAdvancedPskStore(new AdvancedSinglePskStore(psk.identity(), psk.key())).build());
    try {
      if (datagrams != null) {
        connector.setRawDataReceiver(raw -> datagrams.accept(new UdpDataParser().parseMessage(raw)));
        connector.start();
        endpoint = null;
        return;
      }
      endpoint = new CoapEndpoint.Builder().setConfiguration(coap).setConnector(connector).build();
      endpoint.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A CON POST of {@code body} to {@code path}; null when no response came. */
  CoapResponse post(String path, byte[] body) {
    CoapClient client = client(path);
    try {
      Request request = Request.newPost();
      request.setPayload(body);
      return client.advanced(request);
    } catch (ConnectorException | IOException e) {
      throw new IllegalStateException(e);
    } finally {
      client.shutdown();
    }
  }

  /** A CoAP ping (empty CON); true when the server answered with RST. */
  boolean ping() {
    CoapClient client = client("");
    try {
      return client.ping(3_000);
    } finally {
      client.shutdown();
    }
  }

  /** The datagram of a CON POST with a fixed message id and token, before DTLS protection. */
  static byte[] conPost(InetSocketAddress server, String path, byte[] body, int mid) {
    Request request = Request.newPost();
    request.setURI("coaps://127.0.0.1:" + server.getPort() + "/" + path);
    request.setPayload(body);
    request.setMID(mid);
    request.setToken(new byte[] {1, 2, 3, 4});
    return new UdpDataSerializer().serializeRequest(request).getBytes();
  }

  /** Sends {@code datagram} through the DTLS connector (the CoAP layer is bypassed: no dedup, no retransmission). */
  void sendDatagram(byte[] datagram) {
    connector.send(RawData.outbound(datagram, new AddressEndpointContext(server), null, false));
  }

  private CoapClient client(String path) {
    CoapClient client = new CoapClient("coaps://127.0.0.1:" + server.getPort() + "/" + path);
    client.setEndpoint(endpoint);
    client.setTimeout(5_000L);
    return client;
  }

  @Override
  public void close() {
    if (endpoint != null) {
      endpoint.destroy();
    } else {
      connector.destroy();
    }
  }
}
