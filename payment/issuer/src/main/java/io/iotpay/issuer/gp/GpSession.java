package io.iotpay.issuer.gp;

import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.PutKey;
import io.iotpay.foundation.crypto.SecretKeyBytes;

/**
 * An authenticated secure channel to one security domain, SCP02 ({@link Scp02Session}) or SCP03
 * ({@link Scp03Host}): what the hierarchy's steps need from it. Not thread-safe.
 */
public interface GpSession {

  /**
   * Sends {@code command} with its C-MAC.
   *
   * @return the response data
   * @throws GpRefusedException when the card answers other than 9000
   */
  default byte[] send(CommandApdu command, String what) {
    return Scp03Host.expectOk(transmit(command), what);
  }

  /** Sends {@code command} with its C-MAC and returns the card's answer as it is. */
  ResponseApdu transmit(CommandApdu command);

  /** {@code command} with CLA|04, Lc + 8 and its C-MAC; advances the MAC chain. */
  CommandApdu wrap(CommandApdu command);

  /** The PUT KEY key-block layout of this channel. */
  PutKey.Protocol protocol();

  /** The key PUT KEY ciphers new keys under: SCP02 the session DEK, SCP03 the static DEK. */
  SecretKeyBytes keyEncryptionKey();
}
