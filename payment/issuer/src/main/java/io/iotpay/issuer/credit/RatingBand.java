package io.iotpay.issuer.credit;

/** Rating bands, best first. What each band allows is a {@link BandPolicy} of the scorecard's settings. */
public enum RatingBand {
  A,
  B,
  C,
  D,
  E;

  /**
   * @throws CreditInputException for a name that is not a band
   */
  public static RatingBand parse(String name) {
    for (RatingBand band : values()) {
      if (band.name().equals(name)) {
        return band;
      }
    }
    throw new CreditInputException("'" + (name == null ? "null" : name.length() > 8 ? name.substring(0, 8) + "…" : name)
        + "' is not a rating band (A..E)");
  }
}
