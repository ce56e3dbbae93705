package io.iotpay.issuer.gp;

import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.KeyDiversification;
import io.iotpay.foundation.crypto.PutKey;
import io.iotpay.foundation.crypto.Scp02;
import io.iotpay.foundation.crypto.Scp03;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The host's end of one SCP02 session (GP 2.2 Annex E, i = 15, security level 01 C-MAC) with the
 * security domain selected on {@code channel}, triple DES (INTERNATIONAL). Not thread-safe.
 */
public final class Scp02Session implements GpSession {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int INIT_UPDATE_RESPONSE_BYTES = 28;
  private static final int KDD_BYTES = 10;

  private final CardChannel channel;
  private final Scp02.CommandMac commandMac;
  private final SecretKeyBytes sessionDek;

  private Scp02Session(CardChannel channel, Scp02.CommandMac commandMac, SecretKeyBytes sessionDek) {
    this.channel = channel;
    this.commandMac = commandMac;
    this.sessionDek = sessionDek;
  }

  /**
   * Selects {@code aid} and opens an authenticated SCP02 session with {@code keys} (ENC, MAC, DEK).
   *
   * @throws GpRefusedException when the card refuses a step, or its card cryptogram is wrong
   */
  public static Scp02Session open(CardChannel channel, byte[] aid, AlgorithmSuite suite, Scp03.StaticKeys keys,
      int keyVersion) {
    return open(channel, aid, suite, kdd -> keys, keyVersion);
  }

  /**
   * Opens a session with the card keys diversified from the issuer's master key {@code kmc} with
   * the key diversification data the card sends in its INITIALIZE UPDATE answer.
   *
   * @throws GpRefusedException as {@link #open(CardChannel, byte[], AlgorithmSuite, Scp03.StaticKeys, int)}
   */
  public static Scp02Session openWithMasterKey(CardChannel channel, byte[] aid, AlgorithmSuite suite,
      KeyDiversification.Method method, SecretKeyBytes kmc, int keyVersion) {
    return open(channel, aid, suite, kdd -> {
      KeyDiversification.CardKeys card = KeyDiversification.diversifyAll(suite, method, kmc, kdd);
      return new Scp03.StaticKeys(card.enc(), card.mac(), card.dek());
    }, keyVersion);
  }

  private static Scp02Session open(CardChannel channel, byte[] aid, AlgorithmSuite suite,
      Function<byte[], Scp03.StaticKeys> keysForCard, int keyVersion) {
    Scp03Host.expectOk(channel.transmit(new CommandApdu(0x00, 0xA4, 0x04, 0x00, aid, 256)), "SELECT");
    byte[] hostChallenge = new byte[Scp02.HOST_CHALLENGE_BYTES];
    RANDOM.nextBytes(hostChallenge);
    byte[] r = Scp03Host.expectOk(channel.transmit(new CommandApdu(0x80, 0x50, keyVersion, 0x00, hostChallenge, 256)),
        "INITIALIZE UPDATE");
    if (r.length != INIT_UPDATE_RESPONSE_BYTES || r[11] != 0x02) {
      throw new GpRefusedException("INITIALIZE UPDATE: not an SCP02 answer of 28 bytes", 0);
    }
    Scp03.StaticKeys keys = keysForCard.apply(Arrays.copyOf(r, KDD_BYTES));
    int sequenceCounter = ((r[12] & 0xFF) << 8) | (r[13] & 0xFF);
    byte[] cardChallenge = Arrays.copyOfRange(r, 14, 20);
    Scp02.SessionKeys session = Scp02.sessionKeys(suite, new Scp02.StaticKeys(keys.enc(), keys.mac(), keys.dek()),
        sequenceCounter);
    if (!Scp02.isCardCryptogramValid(suite, session.sEnc(), hostChallenge, sequenceCounter, cardChallenge,
        Arrays.copyOfRange(r, 20, 28))) {
      throw new GpRefusedException("INITIALIZE UPDATE: card cryptogram is wrong (other keys, or altered)", 0);
    }
    Scp02Session host = new Scp02Session(channel, new Scp02.CommandMac(suite, session.cMac()), session.dek());
    byte[] cryptogram = Scp02.hostCryptogram(suite, session.sEnc(), hostChallenge, sequenceCounter, cardChallenge);
    host.send(new CommandApdu(0x80, 0x82, 0x01, 0x00, cryptogram, 0), "EXTERNAL AUTHENTICATE");
    return host;
  }

  @Override
  public ResponseApdu transmit(CommandApdu command) {
    return channel.transmit(wrap(command));
  }

  @Override
  public CommandApdu wrap(CommandApdu command) {
    byte[] header = {(byte) command.cla(), (byte) command.ins(), (byte) command.p1(), (byte) command.p2()};
    CommandApdu wrapped = CommandApdu.parse(commandMac.wrap(header, command.data()));
    return new CommandApdu(wrapped.cla(), wrapped.ins(), wrapped.p1(), wrapped.p2(), wrapped.data(), command.ne());
  }

  @Override
  public PutKey.Protocol protocol() {
    return PutKey.Protocol.SCP02;
  }

  @Override
  public SecretKeyBytes keyEncryptionKey() {
    return sessionDek;
  }
}
