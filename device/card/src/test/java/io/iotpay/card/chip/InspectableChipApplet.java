package io.iotpay.card.chip;

import java.util.Arrays;

/**
 * The real applet, installed so a test can see what no APDU may show (the private scalar, the
 * session keys) and age the counter to its end, as years of use would.
 */
public final class InspectableChipApplet extends ChipApplet {

  static InspectableChipApplet last;

  private InspectableChipApplet(byte[] bArray, short bOffset, byte bLength) {
    super(bArray, bOffset, bLength);
  }

  public static void install(byte[] bArray, short bOffset, byte bLength) {
    InspectableChipApplet applet = new InspectableChipApplet(bArray, bOffset, bLength);
    applet.register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    last = applet;
  }

  byte[] privateScalar() {
    byte[] out = new byte[40];
    short length = privateKey.getS(out, (short) 0);
    return Arrays.copyOf(out, length);
  }

  byte[] sessionKeyBytes() {
    return sessionKeys.clone();
  }

  void setCounter(int value) {
    counter[0] = (byte) (value >>> 24);
    counter[1] = (byte) (value >>> 16);
    counter[2] = (byte) (value >>> 8);
    counter[3] = (byte) value;
  }
}
