package io.iotpay.protocol.transit;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.FastDesEngine;
import io.iotpay.foundation.crypto.FastDesedeEngine;
import io.iotpay.foundation.crypto.FastSm4Engine;
import io.iotpay.protocol.PartyId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The transit card's TAC formula on the host, once (docs/card-apdus.md §6; the applet keeps its
 * own Java Card copy): the counter session key {@code SK = E_AC(ATC ‖ F0 ‖ 00…)} (3DES: ‖ {@code
 * E_AC(ATC ‖ 0F ‖ 00×5)}), then the card MAC over the cryptogram input, padding method 2, zero ICV —
 * ISO 9797-1 algorithm 3 under the 3DES session key, CBC-MAC under the SM4 session key — first 8
 * bytes. Every host party that computes or checks a TAC (the issuer's clearing, its tests, the
 * benchmarks' load generator) calls this.
 */
public final class TransitTac {
  /** Bytes of a TAC. */
  public static final int TAC_BYTES = 8;
  /** Bytes of a card's AC key (3DES double-length or SM4). */
  public static final int AC_KEY_BYTES = 16;
  private static final ThreadLocal<Engine> ENGINES = ThreadLocal.withInitial(Engine::new);

  private TransitTac() {}

  /**
   * The TC's cryptogram input, as the card builds it and every host reads it (docs/card-apdus.md
   * §6): CDOL1 data (the EMV part, 29 bytes, then the acceptor: terminal id and operator id, 16
   * bytes each, ASCII, right-padded with spaces) ‖ AIP ‖ ATC ‖ CID ‖ IAD ‖ 9F79 after ‖ DF63 after ‖
   * CAPP record. The acceptor is inside the TAC, so an operator cannot present another acceptor's
   * transaction as its own.
   */
  public static final class Input {
    /** Bytes of one acceptor field (terminal id, operator id). */
    public static final int ACCEPTOR_FIELD_BYTES = 16;
    public static final int AMOUNT = 0;
    public static final int CURRENCY = 19;
    public static final int DATE = 21;
    public static final int UN = 25;
    public static final int TERMINAL_ID = 29;
    public static final int OPERATOR_ID = TERMINAL_ID + ACCEPTOR_FIELD_BYTES;
    /** Bytes of the CDOL1 data the gate sends. */
    public static final int CDOL1_BYTES = OPERATOR_ID + ACCEPTOR_FIELD_BYTES;
    public static final int AIP = CDOL1_BYTES;
    public static final int ATC = AIP + 2;
    public static final int CID = ATC + 2;
    public static final int IAD = CID + 1;
    public static final int QUOTA_AFTER = IAD + 4;
    public static final int LOCKED_AFTER = QUOTA_AFTER + 6;
    public static final int CAPP = LOCKED_AFTER + 6;
    public static final int CAPP_BYTES = 32;
    /** Bytes of a TC's cryptogram input. */
    public static final int BYTES = CAPP + CAPP_BYTES;

    private Input() {}

    /**
     * The acceptor part of CDOL1: terminal id ‖ operator id, each ASCII right-padded with spaces.
     *
     * @throws IllegalArgumentException when an id is longer than {@link #ACCEPTOR_FIELD_BYTES} or not ASCII
     */
    public static byte[] acceptor(String terminalId, PartyId operator) {
      byte[] out = new byte[2 * ACCEPTOR_FIELD_BYTES];
      java.util.Arrays.fill(out, (byte) ' ');
      field(terminalId, out, 0);
      field(operator.value(), out, ACCEPTOR_FIELD_BYTES);
      return out;
    }

    /**
     * The terminal id the TAC covers (padding removed); {@code input} is a cryptogram input or the
     * CDOL1 data alone (at least {@link #CDOL1_BYTES}).
     */
    public static String terminalId(byte[] input) {
      return text(input, TERMINAL_ID);
    }

    /** The operator id the TAC covers (padding removed), as text: it may not be a valid party id; input as {@link #terminalId}. */
    public static String operatorId(byte[] input) {
      return text(input, OPERATOR_ID);
    }

    private static void field(String value, byte[] out, int at) {
      byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
      if (bytes.length > ACCEPTOR_FIELD_BYTES || !StandardCharsets.US_ASCII.newEncoder().canEncode(value)) {
        throw new IllegalArgumentException("acceptor id '" + value + "' is not 1.." + ACCEPTOR_FIELD_BYTES + " ASCII");
      }
      System.arraycopy(bytes, 0, out, at, bytes.length);
    }

    private static String text(byte[] input, int at) {
      return new String(input, at, ACCEPTOR_FIELD_BYTES, StandardCharsets.US_ASCII).stripTrailing();
    }
  }

  /**
   * The TAC the card computes; thread-safe (each thread uses its own {@link Engine}).
   *
   * @param acKey the card's AC key, 16 bytes
   * @param atc 0..65535
   * @throws IllegalArgumentException when the key is not 16 bytes or the ATC out of range
   */
  public static byte[] tac(AlgorithmSuite suite, byte[] acKey, int atc, byte[] cryptogramInput) {
    return ENGINES.get().load(suite, acKey).tac(atc, cryptogramInput);
  }

  /**
   * The formula with its cipher engines kept between calls: a card's key is scheduled once by
   * {@link #load} and stays while the caller's records are of that card, so a record costs one
   * session key schedule and the MAC's blocks. Not thread-safe: one per thread.
   */
  public static final class Engine {
    // Table key schedules: every record re-keys the session engines (profiling: BouncyCastle's
    // bit-by-bit DES schedule was most of the 3DES verification time).
    private final DESedeEngine cardTdes = new FastDesedeEngine();
    private final DESEngine k1 = new FastDesEngine();
    private final DESEngine k2 = new FastDesEngine();
    // SM4 by tables: the session key is scheduled per record, and BouncyCastle's engine computes the
    // S-box and L per byte and round (about 1.35x the CPU of the table engine per TAC).
    private final FastSm4Engine cardSm4 = new FastSm4Engine();
    private final FastSm4Engine sessionSm4 = new FastSm4Engine();
    private final byte[] counterBlock = new byte[16];
    private final byte[] sessionKey = new byte[16];
    private final byte[] state = new byte[16];
    /** The card key last scheduled (a card's records come together: its key is scheduled once). */
    private final byte[] loadedKey = new byte[AC_KEY_BYTES];
    private AlgorithmSuite suite;

    /**
     * Schedules a card's AC key for the next {@link #tac} calls.
     *
     * @throws IllegalArgumentException when the key is not 16 bytes
     */
    public Engine load(AlgorithmSuite cardSuite, byte[] acKey) {
      if (acKey == null || acKey.length != AC_KEY_BYTES) {
        throw new IllegalArgumentException("TAC: the AC key must be " + AC_KEY_BYTES + " bytes");
      }
      if (cardSuite == suite && Arrays.equals(acKey, loadedKey)) {
        return this; // the same card's key again: already scheduled
      }
      suite = null; // until scheduled: a failure below leaves nothing loaded
      switch (cardSuite) {
        case INTERNATIONAL -> cardTdes.init(true, new KeyParameter(acKey));
        case NATIONAL -> cardSm4.init(true, new KeyParameter(acKey));
      }
      System.arraycopy(acKey, 0, loadedKey, 0, AC_KEY_BYTES);
      suite = cardSuite;
      return this;
    }

    /**
     * The TAC over {@code input} for {@code atc} under the loaded card key.
     *
     * @throws IllegalArgumentException when the ATC is outside 0..65535
     * @throws IllegalStateException when no key was loaded
     */
    public byte[] tac(int atc, byte[] input) {
      if (atc < 0 || atc > 0xFFFF) {
        throw new IllegalArgumentException("TAC: ATC " + atc + " is outside 0..65535");
      }
      if (suite == null) {
        throw new IllegalStateException("TAC: no card key loaded");
      }
      return switch (suite) {
        case INTERNATIONAL -> tdesTac(atc, input);
        case NATIONAL -> sm4Tac(atc, input);
      };
    }

    private byte[] tdesTac(int atc, byte[] input) {
      // SK = E_MK(C ‖ F0 ‖ 00×5) ‖ E_MK(C ‖ 0F ‖ 00×5) (EMV Book 2 A1.3 as the card does it).
      counterBlock(atc, (byte) 0xF0);
      cardTdes.processBlock(counterBlock, 0, sessionKey, 0);
      counterBlock(atc, (byte) 0x0F);
      cardTdes.processBlock(counterBlock, 0, sessionKey, 8);
      // ISO 9797-1 algorithm 3, padding method 2, zero ICV: CBC under K1, then D(K2), E(K1).
      k1.init(true, new KeyParameter(sessionKey, 0, 8));
      k2.init(false, new KeyParameter(sessionKey, 8, 8));
      cbc(k1, input, 8);
      k2.processBlock(state, 0, state, 0);
      k1.processBlock(state, 0, state, 0);
      return Arrays.copyOf(state, TAC_BYTES);
    }

    private byte[] sm4Tac(int atc, byte[] input) {
      // SK = E_MK(C ‖ F0 ‖ 00×13); MAC = CBC-MAC under SK, padding method 2, first 8 bytes.
      counterBlock(atc, (byte) 0xF0);
      cardSm4.processBlock(counterBlock, 0, sessionKey, 0);
      sessionSm4.init(true, new KeyParameter(sessionKey));
      cbc(sessionSm4, input, 16);
      return Arrays.copyOf(state, TAC_BYTES);
    }

    private void counterBlock(int atc, byte marker) {
      Arrays.fill(counterBlock, (byte) 0);
      counterBlock[0] = (byte) (atc >>> 8);
      counterBlock[1] = (byte) atc;
      counterBlock[2] = marker;
    }

    /**
     * CBC from a zero ICV over {@code input} ‖ 80 ‖ 00… to a whole block; result in {@code state}.
     * The whole blocks are chained straight from the input and only the last one is padded (it was a
     * test per byte for the padding).
     */
    private void cbc(BlockCipher engine, byte[] input, int blockBytes) {
      Arrays.fill(state, (byte) 0);
      int whole = input.length - input.length % blockBytes;
      for (int offset = 0; offset < whole; offset += blockBytes) {
        for (int i = 0; i < blockBytes; i++) {
          state[i] ^= input[offset + i];
        }
        engine.processBlock(state, 0, state, 0);
      }
      int rest = input.length - whole;
      for (int i = 0; i < rest; i++) {
        state[i] ^= input[whole + i];
      }
      state[rest] ^= (byte) 0x80;
      engine.processBlock(state, 0, state, 0);
    }
  }
}
