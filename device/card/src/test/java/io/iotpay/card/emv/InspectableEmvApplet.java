package io.iotpay.card.emv;

import java.util.Arrays;

/**
 * The real applet, installed so a test can read back its whole state (persistent and session) to
 * prove a refused command changed nothing, and damage it the way an exhausted counter or a worn
 * memory cell would.
 */
public final class InspectableEmvApplet extends EmvApplet {

  static InspectableEmvApplet last;

  private InspectableEmvApplet(byte[] bArray, short bOffset) {
    super(bArray, bOffset);
  }

  public static void install(byte[] bArray, short bOffset, byte bLength) {
    InspectableEmvApplet applet = new InspectableEmvApplet(bArray, bOffset);
    applet.register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    last = applet;
  }

  /** Every field a command could change, as text that compares equal only if all are equal. */
  String state() {
    return "atc=" + atc + " ptc=" + pinTryCounter + " flags=" + flags + " consecutive=" + consecutiveOffline
        + " limits=" + lowerConsecutiveLimit + "/" + upperConsecutiveLimit
        + " amounts=" + Arrays.toString(amounts) + " lastArqc=" + Arrays.toString(lastArqc)
        + " scripts=" + Arrays.toString(scriptMacs) + "@" + scriptAtc + "/" + scriptCount
        + " tx=" + Arrays.toString(tx) + " cvr=" + Arrays.toString(cvr)
        + " life=" + lifeCycle + " dgi=" + dgiFlags + " pdol=" + Arrays.toString(pdol) + "/" + pdolLength + "/"
        + pdolDataLength + " record1=" + Arrays.toString(record1) + "/" + record1Length
        + " record2=" + Arrays.toString(record2) + "/" + record2Length;
  }

  void exhaustAtc() {
    atc = (short) 0xFFFF;
  }

  void corruptCumulativeAmount() {
    amounts[CUMULATIVE + 5] = (byte) 0xAF;
  }
}
