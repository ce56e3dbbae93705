package io.iotpay.terminal.gate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Distance fares as data: stations, each with its number (as written on the card, 1..65535) and
 * id, and a symmetric matrix of fares in minor units. {@link #ofZones} builds the matrix from zones.
 * Immutable.
 */
public final class FareTable {
  /** Bound on the network size: the matrix is stations², kept in every gate. */
  public static final int STATIONS_MAX = 1_000;

  private final List<Station> stations;
  private final Map<Integer, Integer> indexByNumber = new LinkedHashMap<>();
  private final long[][] faresMinor;

  /** A station: its number on the card and its id in transit records. */
  public record Station(int number, String id, int zone) {
    /** @throws GateException for a number outside 1..65535, a bad id or a negative zone */
    public Station {
      if (number < 1 || number > 0xFFFF) {
        throw new GateException("station number " + number + " is outside 1..65535");
      }
      if (id == null || !id.matches("[A-Z0-9]{1,8}")) {
        throw new GateException("station id '" + id + "' is not 1..8 of A-Z, 0-9");
      }
      if (zone < 0) {
        throw new GateException("station " + id + ": zone " + zone + " is negative");
      }
    }
  }

  /**
   * @param stations the network's stations, distinct numbers
   * @param faresMinor square matrix, fare from row station to column station, all ≥ 0
   * @throws GateException when the sizes disagree, a number repeats, or a fare is negative
   */
  public FareTable(List<Station> stations, long[][] faresMinor) {
    if (stations == null || stations.isEmpty() || stations.size() > STATIONS_MAX) {
      throw new GateException("fare table: 1.." + STATIONS_MAX + " stations required");
    }
    if (faresMinor == null || faresMinor.length != stations.size()) {
      throw new GateException("fare table: the matrix must have one row per station");
    }
    this.stations = List.copyOf(stations);
    this.faresMinor = new long[stations.size()][];
    for (int i = 0; i < stations.size(); i++) {
      if (indexByNumber.put(stations.get(i).number(), i) != null) {
        throw new GateException("fare table: station number " + stations.get(i).number() + " repeats");
      }
      checkRow(faresMinor[i], i);
      this.faresMinor[i] = faresMinor[i].clone();
    }
  }

  private void checkRow(long[] row, int i) {
    if (row == null || row.length != stations.size()) {
      throw new GateException("fare table: row " + i + " must have " + stations.size() + " fares");
    }
    for (int j = 0; j < row.length; j++) {
      if (row[j] < 0) {
        throw new GateException("fare table: fare [" + i + "][" + j + "] is negative");
      }
    }
  }

  /**
   * Zone fares: {@code baseMinor + perZoneMinor × |zone(a) − zone(b)|}.
   *
   * @throws GateException as the constructor, or for negative amounts
   */
  public static FareTable ofZones(List<Station> stations, long baseMinor, long perZoneMinor) {
    if (baseMinor < 0 || perZoneMinor < 0) {
      throw new GateException("fare table: base and per-zone fares must not be negative");
    }
    long[][] matrix = new long[stations.size()][stations.size()];
    for (int i = 0; i < stations.size(); i++) {
      for (int j = 0; j < stations.size(); j++) {
        matrix[i][j] = baseMinor + perZoneMinor * Math.abs(stations.get(i).zone() - stations.get(j).zone());
      }
    }
    return new FareTable(stations, matrix);
  }

  /** A small demo network: {@code count} stations S01.., numbers 1.., zones 1..4 along the line. */
  public static FareTable line(int count, long baseMinor, long perZoneMinor) {
    List<Station> list = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      list.add(new Station(i, String.format("S%02d", i), 1 + (i - 1) * 4 / count));
    }
    return ofZones(list, baseMinor, perZoneMinor);
  }

  /** @throws GateException when either station is not in the table */
  public long fareMinor(int fromNumber, int toNumber) {
    return faresMinor[index(fromNumber)][index(toNumber)];
  }

  /** The largest fare from {@code fromNumber} to anywhere: what an entry there locks. */
  public long maxFareFromMinor(int fromNumber) {
    long max = 0;
    for (long fare : faresMinor[index(fromNumber)]) {
      max = Math.max(max, fare);
    }
    return max;
  }

  /** The station with this card number, if the network has it. */
  public Optional<Station> station(int number) {
    Integer i = indexByNumber.get(number);
    return i == null ? Optional.empty() : Optional.of(stations.get(i));
  }

  public List<Station> stations() {
    return Collections.unmodifiableList(stations);
  }

  private int index(int number) {
    Integer i = indexByNumber.get(number);
    if (i == null) {
      throw new GateException("fare table: no station number " + number);
    }
    return i;
  }
}
