package io.iotpay.platform.decision;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries one encoded authorisation request to the issuer and brings back its encoded answer. The
 * application wires an in-process link to the issuer's {@code AuthorisationHost}; a network link can
 * implement the same interface. A link need not retry: {@link ProtocolAuthoriser}'s caller retries
 * with the same request id, which the issuer applies once.
 */
@FunctionalInterface
public interface IssuerLink {
  /**
   * @param request the encoded request, at most 256 bytes; never null
   * @return the encoded answer; never null
   * @throws IOException when the answer did not come back (the request may or may not have been applied)
   */
  byte[] exchange(byte[] request) throws IOException;

  /**
   * Carries many requests at once (the issuer may apply them in one ledger batch); the answers come
   * back in the same order. The default exchanges them one by one.
   *
   * @throws IOException when the answers did not come back (each request may or may not have been applied)
   */
  default List<byte[]> exchangeAll(List<byte[]> requests) throws IOException {
    List<byte[]> answers = new ArrayList<>(requests.size());
    for (byte[] request : requests) {
      answers.add(exchange(request));
    }
    return answers;
  }
}
