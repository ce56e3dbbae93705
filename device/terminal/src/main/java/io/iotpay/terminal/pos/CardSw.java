package io.iotpay.terminal.pos;

import java.util.Map;

/**
 * What the kernel does with each status word, per command, as a table (docs/pos-kernel.md §3).
 * A status word not in a command's row takes that row's default.
 */
final class CardSw {
  /** The kernel's reaction to a status word. */
  enum Action {
    /** Go on with the transaction. */
    CONTINUE,
    /** Drop this application and select the next candidate. */
    NEXT_APPLICATION,
    TRY_ANOTHER_INTERFACE,
    END_APPLICATION,
    /** EXTERNAL AUTHENTICATE refused: TVR "issuer authentication failed", go on to the second GENERATE AC. */
    ISSUER_AUTHENTICATION_FAILED,
    /** A script command failed: TVR "script processing failed", skip the rest of that script. */
    SCRIPT_FAILED
  }

  /** The commands the kernel sends. */
  enum Command {
    SELECT_PPSE,
    SELECT_AID,
    GET_PROCESSING_OPTIONS,
    READ_RECORD,
    GENERATE_AC,
    EXTERNAL_AUTHENTICATE,
    ISSUER_SCRIPT
  }

  /** One row: exact status words first, then entries by SW1 alone, then the default. */
  private record Row(Map<Integer, Action> bySw, Map<Integer, Action> bySw1, Action otherwise) {}

  private static final Map<Command, Row> TABLE = Map.of(
      Command.SELECT_PPSE, new Row(Map.of(0x9000, Action.CONTINUE), Map.of(), Action.TRY_ANOTHER_INTERFACE),
      // 6283: application blocked; 6A81 function not supported; 6A82 not found (EMV Book B §3.3).
      Command.SELECT_AID, new Row(Map.of(0x9000, Action.CONTINUE, 0x6283, Action.NEXT_APPLICATION,
          0x6A81, Action.NEXT_APPLICATION, 0x6A82, Action.NEXT_APPLICATION), Map.of(), Action.END_APPLICATION),
      // 6984 / 6985 / 6986: the card will not do this contactless (EMV Book C-2 "try another interface").
      Command.GET_PROCESSING_OPTIONS, new Row(Map.of(0x9000, Action.CONTINUE, 0x6984, Action.TRY_ANOTHER_INTERFACE,
          0x6985, Action.TRY_ANOTHER_INTERFACE, 0x6986, Action.TRY_ANOTHER_INTERFACE), Map.of(),
          Action.END_APPLICATION),
      Command.READ_RECORD, new Row(Map.of(0x9000, Action.CONTINUE), Map.of(), Action.END_APPLICATION),
      Command.GENERATE_AC, new Row(Map.of(0x9000, Action.CONTINUE), Map.of(), Action.END_APPLICATION),
      Command.EXTERNAL_AUTHENTICATE, new Row(Map.of(0x9000, Action.CONTINUE), Map.of(),
          Action.ISSUER_AUTHENTICATION_FAILED),
      // EMV Book 3 §10.10: a script goes on after SW1 90, 62 or 63; anything else ends that script.
      Command.ISSUER_SCRIPT, new Row(Map.of(), Map.of(0x90, Action.CONTINUE, 0x62, Action.CONTINUE,
          0x63, Action.CONTINUE), Action.SCRIPT_FAILED));

  private CardSw() {}

  static Action action(Command command, int sw) {
    Row row = TABLE.get(command);
    Action exact = row.bySw().get(sw);
    if (exact != null) {
      return exact;
    }
    return row.bySw1().getOrDefault(sw >>> 8, row.otherwise());
  }
}
