package io.iotpay.foundation.custody;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.custody.KeyCustodyException.Reason;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The software custody's file, format 1 (docs/key-custody.md §"Sealed file"):
 *
 * <pre>
 * "IOTPAYKS" | format u8 = 1 | aead u8 (1 AES-256-GCM, 2 SM4-GCM) | kcv 8 | nonce 12 | GCM(body) ‖ tag 16
 * </pre>
 *
 * The 30 header bytes are the GCM associated data; the KCV (CMAC of a fixed text under the master
 * key, 8 bytes) tells a wrong master key from a tampered file. The body is {@code u16 count} then per
 * key: {@code u8 labelLength, label, u32 version, u8 suite, u8 usage, u8 retired, i64 createdMs, u16
 * secretLength, secret (key bytes or PKCS#8), u16 publicLength, public (X.509, 0 bytes for secret
 * keys)}. Parsing is bounded and iterative; a whole file is decoded before anything is used.
 */
final class SealedKeyFile {
  static final byte[] MAGIC = "IOTPAYKS".getBytes(StandardCharsets.US_ASCII);
  static final int FORMAT = 1;
  static final int KCV_BYTES = 8;
  static final int NONCE_BYTES = 12;
  static final int TAG_BYTES = 16;
  static final int HEADER_BYTES = MAGIC.length + 2 + KCV_BYTES + NONCE_BYTES;
  /** Largest key material one record holds: an SM2 PKCS#8 key is about 150 bytes. */
  static final int MATERIAL_BYTES_MAX = 2048;
  /** Largest file read: every key at its largest. */
  static final int FILE_BYTES_MAX = HEADER_BYTES + TAG_BYTES + 2
      + CustodyCore.KEYS_MAX * (1 + KeyRef.LABEL_CHARS_MAX + 4 + 3 + 8 + 4 + 2 * MATERIAL_BYTES_MAX);
  private static final byte[] KCV_TEXT = "iotpay-keystore-kcv:v1".getBytes(StandardCharsets.US_ASCII);

  /** One decoded key record; {@code secret} is the caller's to zeroise. */
  record Entry(KeyRef ref, boolean retired, long createdMs, byte[] secret, byte[] publicKey) {}

  private SealedKeyFile() {}

  /** Master key bytes each file AEAD takes. */
  static int masterKeyBytes(AlgorithmSuite storeSuite) {
    return switch (storeSuite) {
      case INTERNATIONAL -> 32;
      case NATIONAL -> 16;
    };
  }

  private static int aeadId(AlgorithmSuite storeSuite) {
    return switch (storeSuite) {
      case INTERNATIONAL -> 1;
      case NATIONAL -> 2;
    };
  }

  private static BlockCipher engine(AlgorithmSuite storeSuite) {
    return switch (storeSuite) {
      case INTERNATIONAL -> AESEngine.newInstance();
      case NATIONAL -> new SM4Engine();
    };
  }

  static byte[] kcv(AlgorithmSuite storeSuite, byte[] masterKey) {
    CMac cmac = new CMac(engine(storeSuite));
    cmac.init(new KeyParameter(masterKey));
    cmac.update(KCV_TEXT, 0, KCV_TEXT.length);
    byte[] out = new byte[cmac.getMacSize()];
    cmac.doFinal(out, 0);
    return Arrays.copyOf(out, KCV_BYTES);
  }

  static byte[] seal(AlgorithmSuite storeSuite, byte[] masterKey, List<Entry> entries, SecureRandom random) {
    byte[] body = encodeBody(entries);
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    header.put(MAGIC).put((byte) FORMAT).put((byte) aeadId(storeSuite)).put(kcv(storeSuite, masterKey));
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    header.put(nonce);
    byte[] aad = header.array();
    GCMBlockCipher gcm = (GCMBlockCipher) GCMBlockCipher.newInstance(engine(storeSuite));
    gcm.init(true, new AEADParameters(new KeyParameter(masterKey), TAG_BYTES * 8, nonce, aad));
    byte[] out = Arrays.copyOf(aad, HEADER_BYTES + gcm.getOutputSize(body.length));
    int length = gcm.processBytes(body, 0, body.length, out, HEADER_BYTES);
    try {
      gcm.doFinal(out, HEADER_BYTES + length);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("GCM encryption cannot fail", e);
    } finally {
      Arrays.fill(body, (byte) 0);
    }
    return out;
  }

  /**
   * Opens a sealed file; the whole body is authenticated and decoded before anything is returned.
   *
   * @throws KeyCustodyException WRONG_MASTER_KEY when the KCV differs, TAMPERED for any other defect
   */
  static List<Entry> open(AlgorithmSuite storeSuite, byte[] masterKey, byte[] file) {
    if (file == null || file.length < HEADER_BYTES + TAG_BYTES || file.length > FILE_BYTES_MAX) {
      throw new KeyCustodyException(Reason.TAMPERED, "key store file: length outside "
          + (HEADER_BYTES + TAG_BYTES) + ".." + FILE_BYTES_MAX + " bytes");
    }
    byte[] aad = Arrays.copyOf(file, HEADER_BYTES);
    if (!Arrays.equals(aad, 0, MAGIC.length, MAGIC, 0, MAGIC.length) || aad[MAGIC.length] != FORMAT) {
      throw new KeyCustodyException(Reason.TAMPERED, "key store file: not an iotpay key store of format " + FORMAT);
    }
    if (aad[MAGIC.length + 1] != aeadId(storeSuite)) {
      throw new KeyCustodyException(Reason.WRONG_MASTER_KEY, "key store file is sealed under the other suite's AEAD");
    }
    byte[] kcv = Arrays.copyOfRange(aad, MAGIC.length + 2, MAGIC.length + 2 + KCV_BYTES);
    if (!MessageDigest.isEqual(kcv, kcv(storeSuite, masterKey))) {
      throw new KeyCustodyException(Reason.WRONG_MASTER_KEY, "the key store does not open under this master key");
    }
    byte[] nonce = Arrays.copyOfRange(aad, HEADER_BYTES - NONCE_BYTES, HEADER_BYTES);
    GCMBlockCipher gcm = (GCMBlockCipher) GCMBlockCipher.newInstance(engine(storeSuite));
    gcm.init(false, new AEADParameters(new KeyParameter(masterKey), TAG_BYTES * 8, nonce, aad));
    byte[] body = new byte[gcm.getOutputSize(file.length - HEADER_BYTES)];
    try {
      int length = gcm.processBytes(file, HEADER_BYTES, file.length - HEADER_BYTES, body, 0);
      gcm.doFinal(body, length);
      return decodeBody(body);
    } catch (InvalidCipherTextException e) {
      throw new KeyCustodyException(Reason.TAMPERED, "key store file fails its authentication tag");
    } finally {
      Arrays.fill(body, (byte) 0);
    }
  }

  private static byte[] encodeBody(List<Entry> entries) {
    int size = 2;
    for (Entry e : entries) {
      size += 1 + e.ref().label().length() + 4 + 3 + 8 + 4 + e.secret().length + e.publicKey().length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putShort((short) entries.size());
    for (Entry e : entries) {
      byte[] label = e.ref().label().getBytes(StandardCharsets.US_ASCII);
      out.put((byte) label.length).put(label).putInt(e.ref().version());
      out.put((byte) e.ref().suite().ordinal()).put((byte) e.ref().usage().ordinal()).put((byte) (e.retired() ? 1 : 0));
      out.putLong(e.createdMs());
      out.putShort((short) e.secret().length).put(e.secret());
      out.putShort((short) e.publicKey().length).put(e.publicKey());
    }
    return out.array();
  }

  /** Decodes the authenticated body; any inconsistency is TAMPERED (it cannot come from this code). */
  static List<Entry> decodeBody(byte[] body) {
    ByteBuffer in = ByteBuffer.wrap(body);
    List<Entry> out = new ArrayList<>();
    try {
      int count = Short.toUnsignedInt(in.getShort());
      if (count > CustodyCore.KEYS_MAX) {
        throw tampered("holds " + count + " keys, more than " + CustodyCore.KEYS_MAX);
      }
      for (int i = 0; i < count; i++) {
        out.add(decodeEntry(in));
      }
      if (in.hasRemaining()) {
        throw tampered("has bytes after its last key");
      }
      return out;
    } catch (BufferUnderflowException | KeyCustodyException | IllegalArgumentException e) {
      for (Entry e2 : out) {
        Arrays.fill(e2.secret(), (byte) 0);
      }
      throw e instanceof KeyCustodyException k && k.reason() == Reason.TAMPERED ? k
          : tampered("is malformed (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static Entry decodeEntry(ByteBuffer in) {
    byte[] label = new byte[Byte.toUnsignedInt(in.get())];
    in.get(label);
    int version = in.getInt();
    AlgorithmSuite suite = AlgorithmSuite.values()[index(in.get(), AlgorithmSuite.values().length)];
    KeyUsage usage = KeyUsage.values()[index(in.get(), KeyUsage.values().length)];
    int retired = in.get();
    if (retired != 0 && retired != 1) {
      throw tampered("has a retired flag of " + retired);
    }
    long createdMs = in.getLong();
    byte[] secret = bytes(in);
    byte[] publicKey = bytes(in);
    KeyRef ref = new KeyRef(new String(label, StandardCharsets.US_ASCII), version, suite, usage);
    return new Entry(ref, retired == 1, createdMs, secret, publicKey);
  }

  private static int index(byte value, int count) {
    int index = Byte.toUnsignedInt(value);
    if (index >= count) {
      throw tampered("names enum value " + index + " of " + count);
    }
    return index;
  }

  private static byte[] bytes(ByteBuffer in) {
    int length = Short.toUnsignedInt(in.getShort());
    if (length > MATERIAL_BYTES_MAX) {
      throw tampered("has key material of " + length + " bytes");
    }
    byte[] out = new byte[length];
    in.get(out);
    return out;
  }

  private static KeyCustodyException tampered(String what) {
    return new KeyCustodyException(Reason.TAMPERED, "key store file " + what);
  }

}
