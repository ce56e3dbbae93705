package io.iotpay.card.gp;

import javacard.framework.Shareable;

/**
 * What an application offers the security domain it is associated with, and no other: its
 * personalisation data (STORE DATA forwarded after the domain checked the secure channel).
 */
public interface Personalisable extends Shareable {

  /** One STORE DATA block: the application's own tag and value. */
  void personalise(byte tag, byte[] data, short off, short len);

  /** The last block has been stored: the application checks it is complete and locks. */
  void endPersonalisation();
}
