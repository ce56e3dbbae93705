package io.iotpay.phone.pos;

/**
 * What the phone measures about itself for each attestation token. On a phone these come from
 * the platform's app-integrity measurement (the digest of the installed SDK build), the TEE's view
 * of the device state, and the location service; none of them runs here, so the app (or a test)
 * supplies them through this interface — a model, said so in docs/phone-sdk.md.
 */
public interface DeviceSensors {
  int ROOTED = 0x01;
  int DEBUGGER = 0x02;
  int EMULATOR = 0x04;
  int BOOTLOADER_UNLOCKED = 0x08;

  /** The app integrity digest, 32 bytes. */
  byte[] integrityDigest();

  /** Device state flags ({@link #ROOTED} …); 0 for a device in a good state. */
  int deviceFlags();

  /** Latitude in microdegrees, −90,000,000..90,000,000. */
  int latitudeMicro();

  /** Longitude in microdegrees, −180,000,000..180,000,000. */
  int longitudeMicro();

  /** Fixed readings. */
  static DeviceSensors fixed(byte[] digest, int flags, int latitudeMicro, int longitudeMicro) {
    byte[] copy = digest.clone();
    return new DeviceSensors() {
      @Override
      public byte[] integrityDigest() {
        return copy.clone();
      }

      @Override
      public int deviceFlags() {
        return flags;
      }

      @Override
      public int latitudeMicro() {
        return latitudeMicro;
      }

      @Override
      public int longitudeMicro() {
        return longitudeMicro;
      }
    };
  }
}
