package io.iotpay.issuer.gp;

import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.PutKey;
import io.iotpay.foundation.crypto.Scp03;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The host's end of one SCP03 session (GP 2.2 Amendment D, security level 01 C-MAC) with the
 * security domain selected on {@code channel}: INITIALIZE UPDATE, card cryptogram check, EXTERNAL
 * AUTHENTICATE, then every command wrapped with its C-MAC. One per session; not thread-safe.
 */
public final class Scp03Host implements GpSession {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int INIT_UPDATE_RESPONSE_BYTES = 29;

  private final CardChannel channel;
  private final Scp03.Session session;
  private final SecretKeyBytes staticDek;

  private Scp03Host(CardChannel channel, Scp03.Session session, SecretKeyBytes staticDek) {
    this.channel = channel;
    this.session = session;
    this.staticDek = staticDek;
  }

  /**
   * Selects {@code aid} and opens an authenticated session with the key set of {@code keyVersion}.
   *
   * @throws GpRefusedException when the card refuses a step, or its card cryptogram is wrong (not
   *     this key set)
   */
  public static Scp03Host open(CardChannel channel, byte[] aid, AlgorithmSuite suite, Scp03.StaticKeys keys,
      int keyVersion) {
    expectOk(channel.transmit(new CommandApdu(0x00, 0xA4, 0x04, 0x00, aid, 256)), "SELECT");
    byte[] hostChallenge = new byte[Scp03.CHALLENGE_BYTES];
    RANDOM.nextBytes(hostChallenge);
    ResponseApdu init = channel.transmit(new CommandApdu(0x80, 0x50, keyVersion, 0x00, hostChallenge, 256));
    byte[] r = expectOk(init, "INITIALIZE UPDATE");
    if (r.length != INIT_UPDATE_RESPONSE_BYTES || r[11] != 0x03) {
      throw new GpRefusedException("INITIALIZE UPDATE: not an SCP03 answer of 29 bytes", 0);
    }
    byte[] cardChallenge = Arrays.copyOfRange(r, 13, 21);
    Scp03.SessionKeys sessionKeys = Scp03.sessionKeys(suite, keys, hostChallenge, cardChallenge);
    if (!Scp03.isCardCryptogramValid(suite, sessionKeys.sMac(), hostChallenge, cardChallenge,
        Arrays.copyOfRange(r, 21, 29))) {
      throw new GpRefusedException("INITIALIZE UPDATE: card cryptogram is wrong (other keys, or altered)", 0);
    }
    Scp03.Session session = new Scp03.Session(suite, sessionKeys, Scp03.SecurityLevel.C_MAC);
    byte[] hostCryptogram = Scp03.hostCryptogram(suite, sessionKeys.sMac(), hostChallenge, cardChallenge);
    expectOk(channel.transmit(CommandApdu.parse(session.externalAuthenticate(hostCryptogram))),
        "EXTERNAL AUTHENTICATE");
    return new Scp03Host(channel, session, keys.dek());
  }

  @Override
  public ResponseApdu transmit(CommandApdu command) {
    return channel.transmit(wrap(command));
  }

  @Override
  public CommandApdu wrap(CommandApdu command) {
    return CommandApdu.parse(session.wrap(command.encode()));
  }

  @Override
  public PutKey.Protocol protocol() {
    return PutKey.Protocol.SCP03;
  }

  @Override
  public SecretKeyBytes keyEncryptionKey() {
    return staticDek;
  }

  static byte[] expectOk(ResponseApdu response, String what) {
    if (response.sw() != 0x9000) {
      throw new GpRefusedException(what + " refused", response.sw());
    }
    return response.data();
  }
}
