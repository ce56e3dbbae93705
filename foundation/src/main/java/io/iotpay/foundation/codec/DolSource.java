package io.iotpay.foundation.codec;

import java.util.Optional;

/** Where the terminal (or card) finds the value of a data object a DOL asks for. */
@FunctionalInterface
public interface DolSource {
  /**
   * The value of the data object, as it is held (before DOL padding or truncation).
   *
   * @param tag the requested tag, not null
   * @return the value bytes, or empty when this side does not have the object; never null
   */
  Optional<byte[]> valueOf(Tag tag);
}
