package io.iotpay.platform.state;

/**
 * A position on the earth in decimal degrees (WGS 84). Floating point is fine here: a location is a
 * measurement, never money.
 *
 * @param latitudeDeg -90..90
 * @param longitudeDeg -180..180
 */
public record GeoPoint(double latitudeDeg, double longitudeDeg) {
  /** Mean earth radius (IUGG), the usual choice for the haversine formula. */
  public static final double EARTH_RADIUS_METRES = 6_371_008.8;

  /** @throws StateInputException when a coordinate is out of range or not a number */
  public GeoPoint {
    if (!(latitudeDeg >= -90 && latitudeDeg <= 90)) {
      throw new StateInputException("latitude " + latitudeDeg + " outside -90..90");
    }
    if (!(longitudeDeg >= -180 && longitudeDeg <= 180)) {
      throw new StateInputException("longitude " + longitudeDeg + " outside -180..180");
    }
  }

  /** Great-circle distance to {@code other} by the haversine formula, in metres. */
  public double distanceMetresTo(GeoPoint other) {
    double lat1 = Math.toRadians(latitudeDeg);
    double lat2 = Math.toRadians(other.latitudeDeg);
    double dLat = lat2 - lat1;
    double dLon = Math.toRadians(other.longitudeDeg - longitudeDeg);
    double sinLat = Math.sin(dLat / 2);
    double sinLon = Math.sin(dLon / 2);
    double a = sinLat * sinLat + Math.cos(lat1) * Math.cos(lat2) * sinLon * sinLon;
    // min() guards asin against rounding just above 1 for antipodal points.
    return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1.0, Math.sqrt(a)));
  }
}
