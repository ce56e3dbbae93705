package io.iotpay.terminal.pos;

import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.Pan;
import java.util.List;
import java.util.Set;

/**
 * One POS terminal's EMV settings. Immutable; {@link #defaults} fills every setting, the {@code with}
 * methods change one group. All amounts are minor units of {@code currency}.
 *
 * @param terminalId 9F1C, 1..8 of A-Z, 0-9
 * @param merchantId 9F16, 1..15 of A-Z, 0-9
 * @param countryCode 9F1A, 0..999 (default 156)
 * @param currency 5F2A, the only currency this terminal charges in (default CNY)
 * @param floorLimitMinor an amount at or above it sets TVR "exceeds floor limit" (default 0: every
 *     transaction goes online unless the TACs say otherwise), 0..{@link Bcd#AMOUNT_MINOR_MAX}
 * @param cvmLimitMinor the contactless CVM required limit: above it the card's CVM list is
 *     processed, at or below it no CVM is asked (default 30000 = 300.00)
 * @param randomSelection random transaction selection below the floor limit (EMV Book 3 §10.6.2)
 * @param tacDenial terminal action code denial, 5 bytes (default {@link #TAC_DENIAL_DEFAULT})
 * @param tacOnline terminal action code online (default {@link #TAC_ONLINE_DEFAULT})
 * @param tacDefault terminal action code default (default {@link #TAC_DEFAULT_DEFAULT})
 * @param supportedAids AIDs (5..16 bytes, hex) the terminal accepts, matched as prefixes of the
 *     card's AIDs (partial selection); 1..{@link #SUPPORTED_AIDS_MAX}
 * @param signatureSupported whether "signature" is a CVM this terminal can perform
 * @param onlinePinSupported whether "enciphered PIN verified online" is a CVM this terminal supports
 *     (it also needs a {@link PinPad} that answers)
 * @param exceptionFile the terminal exception file: PANs to refuse (TVR "card on exception file"),
 *     at most {@link #EXCEPTION_FILE_PANS_MAX}
 * @param panTokenKey the key of the journal's PAN token (HMAC-SHA-256), 16..32 bytes; never logged
 */
public record PosConfig(
    String terminalId,
    String merchantId,
    int countryCode,
    CurrencyUnit currency,
    long floorLimitMinor,
    long cvmLimitMinor,
    RandomSelection randomSelection,
    byte[] tacDenial,
    byte[] tacOnline,
    byte[] tacDefault,
    List<String> supportedAids,
    boolean signatureSupported,
    boolean onlinePinSupported,
    Set<Pan> exceptionFile,
    SecretKeyBytes panTokenKey) {

  /** Bound on the supported AIDs: the PPSE directory itself holds at most a handful. */
  public static final int SUPPORTED_AIDS_MAX = 16;
  /** Bound on the exception file held in memory (a terminal's hot list, not the scheme's). */
  public static final int EXCEPTION_FILE_PANS_MAX = 100_000;
  /**
   * Denial: card on exception file (B1 10); expired, not yet effective, service not allowed (B2 70).
   */
  public static final String TAC_DENIAL_DEFAULT = "1070000000";
  /**
   * Online: ODA failed (B1 4C); CVM not successful, online PIN entered (B3 84); exceeds floor limit,
   * selected randomly (B4 90); issuer authentication failed (B5 40).
   */
  public static final String TAC_ONLINE_DEFAULT = "4C00849040";
  /** Default (unable to go online): ODA failed (B1 4C), B2 70, CVM not successful (B3 80), exceeds floor limit (B4 80). */
  public static final String TAC_DEFAULT_DEFAULT = "4C70808000";
  /** The application this project's card carries (docs/emv-card-apdus.md). */
  public static final String IOTPAY_DEBIT_AID = "A0000003330101";

  /**
   * @param thresholdMinor below it transactions are selected with {@code targetPercent}
   * @param targetPercent 0..99
   * @param maxTargetPercent targetPercent..99, the percentage reached just below the floor limit
   */
  public record RandomSelection(long thresholdMinor, int targetPercent, int maxTargetPercent) {
    /** No random selection. */
    public static final RandomSelection OFF = new RandomSelection(0, 0, 0);

    /** @throws PosException when a percentage is outside 0..99 or below the target */
    public RandomSelection {
      check(thresholdMinor >= 0 && thresholdMinor <= Bcd.AMOUNT_MINOR_MAX, "random selection threshold out of range");
      check(targetPercent >= 0 && targetPercent <= 99, "target percentage " + targetPercent + " is outside 0..99");
      check(maxTargetPercent >= targetPercent && maxTargetPercent <= 99,
          "maximum target percentage " + maxTargetPercent + " is outside target..99");
    }
  }

  /** @throws PosException naming the first setting out of its bound */
  public PosConfig {
    check(currency != null && randomSelection != null && supportedAids != null && exceptionFile != null
        && panTokenKey != null, "a setting is missing");
    check(terminalId != null && terminalId.matches("[A-Z0-9]{1,8}"), "terminal id is not 1..8 of A-Z, 0-9");
    check(merchantId != null && merchantId.matches("[A-Z0-9]{1,15}"), "merchant id is not 1..15 of A-Z, 0-9");
    check(countryCode >= 0 && countryCode <= 999, "country code " + countryCode + " is outside 0..999");
    check(floorLimitMinor >= 0 && floorLimitMinor <= Bcd.AMOUNT_MINOR_MAX, "floor limit out of range");
    check(cvmLimitMinor >= 0 && cvmLimitMinor <= Bcd.AMOUNT_MINOR_MAX, "CVM limit out of range");
    check(randomSelection.equals(RandomSelection.OFF) || randomSelection.thresholdMinor() <= floorLimitMinor,
        "random selection threshold above the floor limit");
    tacDenial = tac(tacDenial, "TAC denial");
    tacOnline = tac(tacOnline, "TAC online");
    tacDefault = tac(tacDefault, "TAC default");
    check(!supportedAids.isEmpty() && supportedAids.size() <= SUPPORTED_AIDS_MAX,
        "supported AIDs: 1.." + SUPPORTED_AIDS_MAX + " needed");
    for (String aid : supportedAids) {
      check(aid != null && aid.matches("([0-9A-F]{2}){5,16}"), "supported AID '" + aid + "' is not 5..16 bytes of hex");
    }
    supportedAids = List.copyOf(supportedAids);
    check(exceptionFile.size() <= EXCEPTION_FILE_PANS_MAX, "exception file above " + EXCEPTION_FILE_PANS_MAX + " PANs");
    exceptionFile = Set.copyOf(exceptionFile);
    check(panTokenKey.value().length >= 16, "PAN token key shorter than 16 bytes");
  }

  /** A terminal for this project's debit card: CNY, country 156, floor limit 0, CVM limit 300.00, default TACs. */
  public static PosConfig defaults(String terminalId, String merchantId, SecretKeyBytes panTokenKey) {
    return new PosConfig(terminalId, merchantId, 156, CurrencyUnit.CNY, 0, 30_000, RandomSelection.OFF,
        Hex.decode(TAC_DENIAL_DEFAULT), Hex.decode(TAC_ONLINE_DEFAULT), Hex.decode(TAC_DEFAULT_DEFAULT),
        List.of(IOTPAY_DEBIT_AID), true, true, Set.of(), panTokenKey);
  }

  /** This configuration with other floor limit, CVM limit and random selection. */
  public PosConfig withLimits(long floorLimit, long cvmLimit, RandomSelection random) {
    return new PosConfig(terminalId, merchantId, countryCode, currency, floorLimit, cvmLimit, random, tacDenial,
        tacOnline, tacDefault, supportedAids, signatureSupported, onlinePinSupported, exceptionFile, panTokenKey);
  }

  /** This configuration with other terminal action codes (5 bytes of hex each). */
  public PosConfig withTacs(String denial, String online, String dflt) {
    return new PosConfig(terminalId, merchantId, countryCode, currency, floorLimitMinor, cvmLimitMinor,
        randomSelection, Hex.decode(denial), Hex.decode(online), Hex.decode(dflt), supportedAids, signatureSupported,
        onlinePinSupported, exceptionFile, panTokenKey);
  }

  /** This configuration with another exception file. */
  public PosConfig withExceptionFile(Set<Pan> pans) {
    return new PosConfig(terminalId, merchantId, countryCode, currency, floorLimitMinor, cvmLimitMinor,
        randomSelection, tacDenial, tacOnline, tacDefault, supportedAids, signatureSupported, onlinePinSupported, pans,
        panTokenKey);
  }

  /** This configuration with other CVM capabilities. */
  public PosConfig withCvms(boolean signature, boolean onlinePin) {
    return new PosConfig(terminalId, merchantId, countryCode, currency, floorLimitMinor, cvmLimitMinor,
        randomSelection, tacDenial, tacOnline, tacDefault, supportedAids, signature, onlinePin, exceptionFile,
        panTokenKey);
  }

  @Override
  public byte[] tacDenial() {
    return tacDenial.clone();
  }

  @Override
  public byte[] tacOnline() {
    return tacOnline.clone();
  }

  @Override
  public byte[] tacDefault() {
    return tacDefault.clone();
  }

  @Override
  public String toString() {
    return "PosConfig[terminal=" + terminalId + ", merchant=" + merchantId + ", floorLimitMinor=" + floorLimitMinor
        + ", cvmLimitMinor=" + cvmLimitMinor + ", exceptionFile=" + exceptionFile.size() + " PANs]";
  }

  private static byte[] tac(byte[] tac, String what) {
    check(tac != null && tac.length == Tvr.LENGTH_BYTES, what + " must be " + Tvr.LENGTH_BYTES + " bytes");
    return tac.clone();
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new PosException("POS configuration: " + message);
    }
  }
}
