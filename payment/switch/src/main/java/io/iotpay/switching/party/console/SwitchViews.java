package io.iotpay.switching.party.console;

import java.util.List;

/**
 * What the switch console's templates show: plain text, already formatted, so a template has no logic
 * beyond loops and conditions and cannot print an object that holds a secret (PANs only masked).
 * Public because the precompiled templates live in a package of their own.
 */
public final class SwitchViews {
  private SwitchViews() {}

  /**
   * One clearing file received or sent.
   *
   * @param signer the signer's party id, or "unsigned"
   * @param outcome TAKEN, REPLAYED, REFUSED or WRITTEN
   */
  public record FileRow(String at, String kind, String fileName, String party, String businessDate, String sequence,
      String signer, String outcome, String reason, int records, int accepted) {}

  /**
   * The files page.
   *
   * @param direction "received" or "sent"
   * @param party the party filter, or ""
   * @param nextBefore the id to continue before, or null on the last page
   */
  public record FilesView(String direction, String party, List<FileRow> files, String nextBefore) {}

  /** One window in the list. */
  public record WindowRow(String windowId, String businessDate, String state, long records, String closedBy,
      String closedAt) {}

  /**
   * The settlement windows page.
   *
   * @param openDates business dates with presentments and no window yet
   * @param today the switch's today, the close form's default
   * @param nextBefore the business date to continue before, or null on the last page
   */
  public record WindowsView(List<WindowRow> windows, List<String> openDates, String today, String nextBefore) {}

  /** One participant's positions, amounts in major units of the window's currency. */
  public record PositionRow(String party, String role, String pays, String receives, String net, boolean receiving) {}

  /** One window with its participants and the sum of their net positions. */
  public record WindowView(WindowRow window, String currency, List<PositionRow> positions, String netSum) {}

  /** One presentment rejected by the switch or not accepted by its issuer. */
  public record RefusedRow(String acquirer, String presentmentId, String kind, String issuer, String businessDate,
      String panMasked, String amount, String status, String issuerStatus, String rrn, String terminalId) {}

  /**
   * The exceptions page.
   *
   * @param date the business date filter, or ""
   * @param nextAfter "ACQUIRER/ID" to continue after, or null on the last page
   */
  public record ExceptionsView(String date, List<RefusedRow> presentments, String nextAfter) {}
}
