package io.iotpay.issuer.transit;

import io.iotpay.issuer.IssuerInputException;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.FastDesEngine;
import io.iotpay.foundation.crypto.FastDesedeEngine;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.protocol.Pan;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Fast TAC verification for clearing: the card's formula of docs/card-apdus.md §6 (same result as
 * {@link io.iotpay.issuer.card.CardCrypto#tac}, a test keeps the two equal) with the per-record cost cut to what the
 * formula needs. The card's AC key (EMV option A from IMK-AC) is derived once per card and cached;
 * each thread reuses its own cipher engines and keeps the last card's key scheduled, so a record of
 * the same card as the one before costs one key schedule (the session key's) and the MAC's blocks.
 *
 * <p>Thread-safe: the key cache is shared, the engines are per thread. The cache holds at most
 * {@link #CARD_KEYS_CACHED_MAX} card keys; when full it is emptied (a cheap bound: a day's file
 * touches each card a few times, so a refill costs one derivation per card). The cached keys are
 * secrets: drop the verifier when the file is done (the issuer keeps one per clearing file).
 */
public final class TacVerifier {
  /** Most card keys cached (about 150 bytes each): 4 million cards, about 0.6 GB. */
  public static final int CARD_KEYS_CACHED_MAX = 4_000_000;

  private final Map<AlgorithmSuite, SecretKeyBytes> imkAc;
  private final ConcurrentHashMap<CardId, byte[]> cardKeys = new ConcurrentHashMap<>();

  /** A cache key that costs no string building: the PAN (its digits' hash is cached) and suite × PSN. */
  private record CardId(Pan pan, int suiteAndSequence) {}
  private final ThreadLocal<Engines> engines = ThreadLocal.withInitial(Engines::new);

  /**
   * @param imkAc the issuer master key for application cryptograms of each suite that will be
   *     verified (copied; a suite without a key is refused at {@link #verify})
   */
  public TacVerifier(Map<AlgorithmSuite, SecretKeyBytes> imkAc) {
    this.imkAc = new EnumMap<>(AlgorithmSuite.class);
    this.imkAc.putAll(imkAc);
  }

  /**
   * Whether {@code tac} is the card's TAC over {@code cryptogramInput} for {@code atc}; the compare
   * is constant-time.
   *
   * @param atc 0..65535
   * @throws IssuerInputException when the verifier has no IMK-AC for {@code suite}, or the ATC or
   *     PAN sequence is out of range
   */
  public boolean verify(AlgorithmSuite suite, Pan pan, int panSequence, int atc, byte[] cryptogramInput, byte[] tac) {
    return MessageDigest.isEqual(tac(suite, pan, panSequence, atc, cryptogramInput), tac);
  }

  /** The 8-byte TAC the card computes; same parameters and exceptions as {@link #verify}. */
  public byte[] tac(AlgorithmSuite suite, Pan pan, int panSequence, int atc, byte[] cryptogramInput) {
    if (atc < 0 || atc > EmvKeyDerivation.ATC_MAX || panSequence < 0 || panSequence > 99) {
      throw new IssuerInputException("TAC: ATC " + atc + " or PAN sequence " + panSequence + " out of range");
    }
    Engines e = engines.get();
    int suiteAndSequence = suite.ordinal() * 100 + panSequence;
    if (!e.holdsCard(pan, suiteAndSequence)) {
      e.loadCard(suite, pan, suiteAndSequence, cardKey(e, suite, pan, panSequence));
    }
    return switch (suite) {
      case INTERNATIONAL -> e.tdesTac(atc, cryptogramInput);
      case NATIONAL -> e.sm4Tac(atc, cryptogramInput);
    };
  }

  private byte[] cardKey(Engines e, AlgorithmSuite suite, Pan pan, int panSequence) {
    CardId name = new CardId(pan, suite.ordinal() * 100 + panSequence);
    byte[] key = cardKeys.get(name);
    if (key == null) {
      // the thread's IMK-AC engine (scheduled once) derives it: same as Issuer.acKey, a test keeps them equal
      key = e.deriver(suite, imkAc).cardMasterKey(pan.digits(), panSequence).value();
      if (cardKeys.size() >= CARD_KEYS_CACHED_MAX) {
        cardKeys.clear();
      }
      cardKeys.put(name, key);
    }
    return key;
  }

  /**
   * One thread's engines, re-keyed per record instead of allocated per record. The engine keyed
   * with a card's AC key stays keyed while the thread's records are of that card: a clearing file
   * is in card order (docs/clearing-files.md §4), so a card's taps come one after another and only
   * the session key is scheduled per record.
   */
  private static final class Engines {
    // Table key schedules: every record re-keys the session engines (profiling: BouncyCastle's
    // bit-by-bit DES schedule was most of the 3DES verification time).
    private final DESedeEngine tdes = new FastDesedeEngine();
    private final DESEngine k1 = new FastDesEngine();
    private final DESEngine k2 = new FastDesEngine();
    private final SM4Engine cardSm4 = new SM4Engine();
    private final SM4Engine sm4 = new SM4Engine();
    private Pan cardPan;
    private int cardSuiteAndSequence = -1;
    private final Map<AlgorithmSuite, EmvKeyDerivation.CardKeys> derivers = new EnumMap<>(AlgorithmSuite.class);

    EmvKeyDerivation.CardKeys deriver(AlgorithmSuite suite, Map<AlgorithmSuite, SecretKeyBytes> imkAc) {
      EmvKeyDerivation.CardKeys deriver = derivers.get(suite);
      if (deriver == null) {
        SecretKeyBytes master = imkAc.get(suite);
        if (master == null) {
          throw new IssuerInputException("TAC: no IMK-AC for suite " + suite);
        }
        deriver = new EmvKeyDerivation.CardKeys(suite, master);
        derivers.put(suite, deriver);
      }
      return deriver;
    }

    boolean holdsCard(Pan pan, int suiteAndSequence) {
      return suiteAndSequence == cardSuiteAndSequence && pan.equals(cardPan);
    }

    void loadCard(AlgorithmSuite suite, Pan pan, int suiteAndSequence, byte[] cardKey) {
      switch (suite) {
        case INTERNATIONAL -> tdes.init(true, new KeyParameter(cardKey));
        case NATIONAL -> cardSm4.init(true, new KeyParameter(cardKey));
      }
      cardPan = pan;
      cardSuiteAndSequence = suiteAndSequence;
    }
    private final byte[] counterBlock = new byte[16];
    private final byte[] sessionKey = new byte[16];
    private final byte[] state = new byte[16];

    /** With the card's key loaded ({@link #loadCard}). */
    byte[] tdesTac(int atc, byte[] input) {
      // SK = E_MK(C ‖ F0 ‖ 00×5) ‖ E_MK(C ‖ 0F ‖ 00×5) (EMV Book 2 A1.3 as the card does it).
      counterBlock(atc, (byte) 0xF0, 8);
      tdes.processBlock(counterBlock, 0, sessionKey, 0);
      counterBlock(atc, (byte) 0x0F, 8);
      tdes.processBlock(counterBlock, 0, sessionKey, 8);
      // ISO 9797-1 algorithm 3, padding method 2, zero ICV: CBC under K1, then D(K2), E(K1).
      k1.init(true, new KeyParameter(sessionKey, 0, 8));
      k2.init(false, new KeyParameter(sessionKey, 8, 8));
      cbc(k1, input, 8);
      k2.processBlock(state, 0, state, 0);
      k1.processBlock(state, 0, state, 0);
      return java.util.Arrays.copyOf(state, 8);
    }

    /** With the card's key loaded ({@link #loadCard}). */
    byte[] sm4Tac(int atc, byte[] input) {
      // SK = E_MK(C ‖ F0 ‖ 00×13); MAC = CBC-MAC under SK, padding method 2, first 8 bytes.
      counterBlock(atc, (byte) 0xF0, 16);
      cardSm4.processBlock(counterBlock, 0, sessionKey, 0);
      sm4.init(true, new KeyParameter(sessionKey));
      cbc(sm4, input, 16);
      return java.util.Arrays.copyOf(state, 8);
    }

    private void counterBlock(int atc, byte marker, int blockBytes) {
      java.util.Arrays.fill(counterBlock, (byte) 0);
      counterBlock[0] = (byte) (atc >>> 8);
      counterBlock[1] = (byte) atc;
      counterBlock[2] = marker;
    }

    /** CBC from a zero ICV over {@code input} ‖ 80 ‖ 00… to a whole block; result in {@code state}. */
    private void cbc(org.bouncycastle.crypto.BlockCipher engine, byte[] input, int blockBytes) {
      java.util.Arrays.fill(state, (byte) 0);
      int paddedBytes = (input.length / blockBytes + 1) * blockBytes;
      for (int offset = 0; offset < paddedBytes; offset += blockBytes) {
        for (int i = 0; i < blockBytes; i++) {
          int at = offset + i;
          byte b = at < input.length ? input[at] : (at == input.length ? (byte) 0x80 : 0);
          state[i] ^= b;
        }
        engine.processBlock(state, 0, state, 0);
      }
    }
  }
}
