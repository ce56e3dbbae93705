package io.iotpay.card.wallet;

import io.iotpay.card.chip.Sm3Digest;
import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.security.MessageDigest;

/**
 * Test-only applet exposing {@link EcVerifier}: {@code 80 01 suite 00 Lc Q(65) ‖ sigLength(1) ‖
 * signature ‖ message} answers 9000 for a valid signature, 6988 otherwise.
 */
public class VerifierApplet extends Applet {
  private final EcVerifier ecdsa;
  private final EcVerifier sm2;

  public static void install(byte[] bArray, short bOffset, byte bLength) {
    new VerifierApplet().register();
  }

  protected VerifierApplet() {
    Sm3Digest sm3 = new Sm3Digest();
    ecdsa = new EcVerifier(false, sm3, MessageDigest.getInstance(MessageDigest.ALG_SHA_256, false));
    sm2 = new EcVerifier(true, sm3, null);
  }

  public void process(APDU apdu) {
    if (selectingApplet()) {
      return;
    }
    byte[] buf = apdu.getBuffer();
    short lc = apdu.setIncomingAndReceive();
    short off = ISO7816.OFFSET_CDATA;
    short sigLength = (short) (buf[(short) (off + 65)] & 0xFF);
    short sigOff = (short) (off + 66);
    short msgOff = (short) (sigOff + sigLength);
    short msgLength = (short) (lc - 66 - sigLength);
    if (msgLength < 0) {
      ISOException.throwIt(ISO7816.SW_WRONG_LENGTH);
    }
    EcVerifier verifier = buf[ISO7816.OFFSET_P1] == 2 ? sm2 : ecdsa;
    if (!verifier.verify(buf, msgOff, msgLength, buf, sigOff, sigLength, buf, off)) {
      ISOException.throwIt((short) 0x6988);
    }
  }
}
