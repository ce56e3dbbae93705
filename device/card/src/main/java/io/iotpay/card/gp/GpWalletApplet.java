package io.iotpay.card.gp;

import io.iotpay.card.wallet.WalletApplet;
import io.iotpay.card.wallet.WalletSw;
import javacard.framework.AID;
import javacard.framework.APDU;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.Shareable;
import javacard.framework.Util;

/**
 * The wallet as a GlobalPlatform application: installed by a security domain (whose AID the card's
 * runtime passes as the install control data) and personalised only through that domain, which
 * checks the secure channel first. Plain STORE DATA and END PERSONALISATION from the reader are
 * refused; every other wallet command is {@link WalletApplet}'s.
 */
public class GpWalletApplet extends WalletApplet implements Personalisable {

  private static final short AID_MAX = 16;
  private final byte[] domainAid;

  /** jCardSim's install entry: AID || control (the associated domain's AID) || wallet data. */
  public static void install(byte[] bArray, short bOffset, byte bLength) {
    new GpWalletApplet(bArray, bOffset, bLength).register(bArray, (short) (bOffset + 1), bArray[bOffset]);
  }

  protected GpWalletApplet(byte[] bArray, short bOffset, byte bLength) {
    super(bArray, bOffset, bLength);
    short controlOff = (short) (bOffset + 1 + (short) (bArray[bOffset] & 0xFF));
    short length = (short) (bArray[controlOff] & 0xFF);
    if (length < 5 || length > AID_MAX) {
      ISOException.throwIt(WalletSw.WRONG_DATA);
    }
    domainAid = new byte[(short) (length + 1)];
    Util.arrayCopy(bArray, controlOff, domainAid, (short) 0, (short) (length + 1));
  }

  public void process(APDU apdu) {
    byte ins = apdu.getBuffer()[ISO7816.OFFSET_INS];
    if (!selectingApplet() && (ins == (byte) 0xE2 || ins == (byte) 0xF0)) {
      ISOException.throwIt(GpSw.SECURITY_NOT_SATISFIED);
    }
    super.process(apdu);
  }

  public Shareable getShareableInterfaceObject(AID clientAid, byte parameter) {
    if (clientAid == null || !clientAid.equals(domainAid, (short) 1, domainAid[0])) {
      return null;
    }
    return this;
  }

  public void personalise(byte tag, byte[] data, short off, short len) {
    storeData(tag, data, off, len);
  }

  public void endPersonalisation() {
    lock();
  }
}
