package io.iotpay.agent.transport;

import io.iotpay.foundation.InvalidInputException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.List;

/** How a device authenticates its DTLS channel to the platform's CoAP server. */
public sealed interface CoapDeviceCredentials {

  /**
   * A pre-shared key: the identity is the device id, the key the one the platform derives for it
   * (docs/coap.md). Every suite can use it; NATIONAL (SM2) devices must, since DTLS cannot carry SM2 certificates.
   *
   * @param identity the device id, 1..64 characters
   * @param key the PSK, 16..64 bytes; copied
   */
  record Psk(String identity, byte[] key) implements CoapDeviceCredentials {
    public Psk {
      if (identity == null || identity.isEmpty() || identity.length() > 64) {
        throw new InvalidInputException("coap: PSK identity must be a device id of 1..64 characters");
      }
      if (key == null || key.length < 16 || key.length > 64) {
        throw new InvalidInputException("coap: PSK of " + (key == null ? "no" : key.length) + " bytes (expected 16..64)");
      }
      key = key.clone();
    }

    @Override
    public byte[] key() {
      return key.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Psk psk && identity.equals(psk.identity) && MessageDigest.isEqual(key, psk.key);
    }

    @Override
    public int hashCode() {
      return identity.hashCode();
    }

    @Override
    public String toString() {
      return "Psk[identity=" + identity + ", key hidden]";
    }
  }

  /**
   * An X.509 client certificate (INTERNATIONAL suite only: EC P-256 with ECDSA), and the CAs the
   * device trusts for the platform's server certificate.
   *
   * @param key the device's private key (P-256)
   * @param chain the device certificate first, 1..4 certificates
   * @param trustedServerCas at least one CA for the server's certificate
   * @throws InvalidInputException when the key is not P-256 (an SM2 key: use {@link Psk}) or a list is empty
   */
  record X509(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> trustedServerCas) implements CoapDeviceCredentials {
    /** Order of the NIST P-256 group (FIPS 186-4 D.1.2.3): tells P-256 keys from SM2 keys on their own curve. */
    private static final BigInteger P256_ORDER =
        new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);

    public X509 {
      if (!(key instanceof ECPrivateKey ec) || !P256_ORDER.equals(ec.getParams().getOrder())) {
        throw new InvalidInputException("coap: X.509 DTLS needs an EC P-256 key; SM2 devices use a PSK");
      }
      if (chain == null || chain.isEmpty() || chain.size() > 4 || trustedServerCas == null || trustedServerCas.isEmpty()) {
        throw new InvalidInputException("coap: X.509 needs 1..4 chain certificates and at least one trusted server CA");
      }
      chain = List.copyOf(chain);
      trustedServerCas = List.copyOf(trustedServerCas);
    }

    @Override
    public String toString() {
      return "X509[subject=" + chain.get(0).getSubjectX500Principal() + ", key hidden, trusted=" + trustedServerCas.size() + "]";
    }

    X509Certificate[] chainArray() {
      return chain.toArray(new X509Certificate[0]);
    }

    X509Certificate[] trustedArray() {
      return trustedServerCas.toArray(new X509Certificate[0]);
    }
  }
}
