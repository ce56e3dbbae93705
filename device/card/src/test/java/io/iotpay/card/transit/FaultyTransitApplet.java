package io.iotpay.card.transit;

/**
 * The real applet, installed so a test can reach its persistent memory and damage it the way a
 * worn EEPROM cell or an exhausted counter would: the card's own checks must notice.
 */
public final class FaultyTransitApplet extends TransitApplet {

  static FaultyTransitApplet last;

  private FaultyTransitApplet(byte[] bArray, short bOffset, byte bLength) {
    super(bArray, bOffset, bLength);
  }

  public static void install(byte[] bArray, short bOffset, byte bLength) {
    FaultyTransitApplet applet = new FaultyTransitApplet(bArray, bOffset, bLength);
    applet.register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    last = applet;
  }

  void flipLogByte(int index) {
    log[index] ^= 0x10;
  }

  void flipProofByte(int index) {
    proof[index] ^= 0x10;
  }

  void corruptQuota() {
    amounts[QUOTA + 5] = (byte) 0xAF;
  }

  void exhaustAtc() {
    atc = (short) 0xFFFF;
  }
}
