package io.iotpay.bench.pos;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import io.iotpay.card.se.QrTokenApplet;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.SmartcardioCardChannel;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.phone.wallet.IssuerApp;
import javacard.framework.AID;
import javax.smartcardio.CardException;

/**
 * A phone's secure element in jCardSim holding the payment-token applet ({@link QrTokenApplet}),
 * personalised with the token's card key (the issuer derives it from its IMK and the token number,
 * PSN 00). The issuer app ({@link IssuerApp}) reaches it through {@link #channel()}.
 */
public final class QrTokenChip {
  private final CardChannel channel;

  /** @param tokenKey the token's 16-byte card key (3DES double length for INTERNATIONAL, SM4 for NATIONAL) */
  public QrTokenChip(AlgorithmSuite suite, SecretKeyBytes tokenKey) {
    byte[] aid = IssuerApp.TOKEN_APPLET_AID;
    byte[] key = tokenKey.value();
    byte[] parameters = new byte[1 + aid.length + 2 + 1 + key.length];
    int p = 0;
    parameters[p++] = (byte) aid.length;
    System.arraycopy(aid, 0, parameters, p, aid.length);
    p += aid.length;
    parameters[p++] = 0;
    parameters[p++] = (byte) (1 + key.length);
    parameters[p++] = suite == AlgorithmSuite.INTERNATIONAL ? (byte) 1 : (byte) 2;
    System.arraycopy(key, 0, parameters, p, key.length);
    CardSimulator simulator = new CardSimulator();
    simulator.installApplet(new AID(aid, (short) 0, (byte) aid.length), QrTokenApplet.class, parameters, (short) 0,
        (byte) parameters.length);
    try {
      channel = new SmartcardioCardChannel(CardTerminalSimulator.terminal(simulator).connect("T=1").getBasicChannel());
    } catch (CardException e) {
      throw new IllegalStateException("simulated secure element did not connect", e);
    }
  }

  public CardChannel channel() {
    return channel;
  }
}
