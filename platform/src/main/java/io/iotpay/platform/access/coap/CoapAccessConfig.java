package io.iotpay.platform.access.coap;

import io.iotpay.foundation.InvalidInputException;
import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Settings of {@link CoapAccessServer}; immutable, checked when built. {@link #toString()} never
 * shows the server's private key.
 *
 * @param dtlsAddress where the DTLS endpoint listens; default {@code 0.0.0.0:5684} (coaps)
 * @param plainUdpAddress where a plain UDP endpoint listens, or null (the default: off). Only for a
 *     DTLS-terminating reverse proxy on a trusted link or for tests: requests there are taken to come
 *     from the device their path names, and each envelope's signature still proves its device
 * @param envelopeBytesMax largest request body (Block1 reassembled), default 16 KiB, 1..64 KiB: bounds
 *     the memory a blockwise transfer may hold per peer
 * @param blockSizeBytes Block1/Block2 size the server prefers, default 512 (16..1024, a power of two):
 *     NB-IoT links carry about 1 KiB datagrams after DTLS overhead
 * @param dtlsConnectionsMax most DTLS connections kept, default 100 000 (1..1 000 000): bounds memory;
 *     when full, a connection idle past Scandium's stale threshold makes room, else a new handshake is dropped
 * @param serverKey the platform's DTLS server key (EC P-256), or null for PSK only
 * @param serverCertificateChain the server certificate first; empty exactly when {@code serverKey} is null
 * @param clock the time client certificates are checked at
 */
public record CoapAccessConfig(
    InetSocketAddress dtlsAddress,
    InetSocketAddress plainUdpAddress,
    int envelopeBytesMax,
    int blockSizeBytes,
    int dtlsConnectionsMax,
    PrivateKey serverKey,
    List<X509Certificate> serverCertificateChain,
    Clock clock) {
  public static final int ENVELOPE_BYTES_MAX_DEFAULT = 16 * 1024;
  public static final int ENVELOPE_BYTES_MAX_LIMIT = 64 * 1024;
  public static final int BLOCK_SIZE_BYTES_DEFAULT = 512;
  public static final int DTLS_CONNECTIONS_MAX_DEFAULT = 100_000;
  public static final int DTLS_CONNECTIONS_MAX_LIMIT = 1_000_000;
  public static final int COAPS_PORT = 5684;

  /** @throws InvalidInputException naming the first setting out of its bounds */
  public CoapAccessConfig {
    require(dtlsAddress != null, "dtlsAddress is required");
    require(clock != null, "clock is required");
    require(envelopeBytesMax >= 1 && envelopeBytesMax <= ENVELOPE_BYTES_MAX_LIMIT,
        "envelopeBytesMax " + envelopeBytesMax + " outside 1.." + ENVELOPE_BYTES_MAX_LIMIT);
    require(blockSizeBytes >= 16 && blockSizeBytes <= 1024 && Integer.bitCount(blockSizeBytes) == 1,
        "blockSizeBytes " + blockSizeBytes + " is not a power of two in 16..1024");
    require(dtlsConnectionsMax >= 1 && dtlsConnectionsMax <= DTLS_CONNECTIONS_MAX_LIMIT,
        "dtlsConnectionsMax " + dtlsConnectionsMax + " outside 1.." + DTLS_CONNECTIONS_MAX_LIMIT);
    serverCertificateChain = serverCertificateChain == null ? List.of() : List.copyOf(serverCertificateChain);
    require((serverKey == null) == serverCertificateChain.isEmpty(), "serverKey and serverCertificateChain go together");
  }

  /** A builder with the defaults above (PSK only, no plain UDP, system clock). */
  public static Builder builder() {
    return new Builder();
  }

  /** True when the server offers certificate (X.509) handshakes besides PSK. */
  public boolean x509Enabled() {
    return serverKey != null;
  }

  /** The plain UDP address, when one is configured. */
  public Optional<InetSocketAddress> plainUdp() {
    return Optional.ofNullable(plainUdpAddress);
  }

  @Override
  public String toString() {
    return "CoapAccessConfig[dtls=" + dtlsAddress + ", plainUdp=" + plainUdpAddress + ", envelopeBytesMax=" + envelopeBytesMax
        + ", blockSizeBytes=" + blockSizeBytes + ", dtlsConnectionsMax=" + dtlsConnectionsMax + ", x509=" + x509Enabled() + "]";
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new InvalidInputException("coap: " + message);
    }
  }

  /** Builds a {@link CoapAccessConfig}; each setter documents nothing more than the record's field. */
  public static final class Builder {
    private InetSocketAddress dtlsAddress = new InetSocketAddress(COAPS_PORT);
    private InetSocketAddress plainUdpAddress;
    private int envelopeBytesMax = ENVELOPE_BYTES_MAX_DEFAULT;
    private int blockSizeBytes = BLOCK_SIZE_BYTES_DEFAULT;
    private int dtlsConnectionsMax = DTLS_CONNECTIONS_MAX_DEFAULT;
    private PrivateKey serverKey;
    private List<X509Certificate> serverCertificateChain = List.of();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    public Builder dtlsAddress(InetSocketAddress address) {
      this.dtlsAddress = address;
      return this;
    }

    public Builder plainUdpAddress(InetSocketAddress address) {
      this.plainUdpAddress = address;
      return this;
    }

    public Builder envelopeBytesMax(int bytes) {
      this.envelopeBytesMax = bytes;
      return this;
    }

    public Builder blockSizeBytes(int bytes) {
      this.blockSizeBytes = bytes;
      return this;
    }

    public Builder dtlsConnectionsMax(int connections) {
      this.dtlsConnectionsMax = connections;
      return this;
    }

    /** Enables X.509 handshakes with this server key and chain (server certificate first). */
    public Builder serverCredentials(PrivateKey key, List<X509Certificate> chain) {
      this.serverKey = key;
      this.serverCertificateChain = chain;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** @throws InvalidInputException when a setting is out of bounds */
    public CoapAccessConfig build() {
      return new CoapAccessConfig(dtlsAddress, plainUdpAddress, envelopeBytesMax, blockSizeBytes, dtlsConnectionsMax,
          serverKey, serverCertificateChain, clock);
    }
  }
}
