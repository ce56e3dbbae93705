package io.iotpay.platform.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GeoPointTest {
  @Test
  void haversine_matchesThePublishedNashvilleToLosAngelesExample() {
    // Rosetta Code, task "Haversine formula": BNA (36.12, -86.67) to LAX (33.94, -118.40) with
    // R = 6372.8 km is 2887.2599506071106 km. Our radius differs, so scale the central angle.
    GeoPoint nashville = new GeoPoint(36.12, -86.67);
    GeoPoint losAngeles = new GeoPoint(33.94, -118.40);
    double centralAngle = nashville.distanceMetresTo(losAngeles) / GeoPoint.EARTH_RADIUS_METRES;
    assertThat(centralAngle * 6_372.8).isCloseTo(2887.2599506071106, within(1e-6));
  }

  @Test
  void oneDegreeAlongAMeridian_isAThreeHundredSixtiethOfTheCircumference() {
    double expected = 2 * Math.PI * GeoPoint.EARTH_RADIUS_METRES / 360;
    assertThat(new GeoPoint(10, 20).distanceMetresTo(new GeoPoint(11, 20))).isCloseTo(expected, within(1e-6));
    assertThat(new GeoPoint(0, 0).distanceMetresTo(new GeoPoint(0, 0))).isZero();
  }

  @Test
  void antipodes_areHalfACircumferenceApart() {
    assertThat(new GeoPoint(90, 0).distanceMetresTo(new GeoPoint(-90, 0))).isCloseTo(Math.PI * GeoPoint.EARTH_RADIUS_METRES, within(1e-3));
  }

  @Test
  void outOfRangeCoordinates_areRefusedNamingTheCoordinate() {
    assertThatThrownBy(() -> new GeoPoint(90.5, 0)).isInstanceOf(StateInputException.class).hasMessageContaining("latitude 90.5");
    assertThatThrownBy(() -> new GeoPoint(0, -180.1)).isInstanceOf(StateInputException.class).hasMessageContaining("longitude");
    assertThatThrownBy(() -> new GeoPoint(Double.NaN, 0)).isInstanceOf(StateInputException.class);
  }
}
