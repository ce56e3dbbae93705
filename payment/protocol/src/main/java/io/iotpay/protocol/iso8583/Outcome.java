package io.iotpay.protocol.iso8583;

/** What became of a request the {@link Iso8583Client} sent: never a hang, always one of these. */
public sealed interface Outcome {
  /** The peer's response, its MAC verified (when the link MACs). */
  record Answered(Iso8583Message response) implements Outcome {}

  /** No response within the timeout; a late one is counted and dropped, never delivered. */
  record TimedOut(Iso8583Message.MatchKey key, long timeoutMs) implements Outcome {}

  /** The peer refused the request's MAC (39=A0), or its response failed ours. */
  record MacRefused(Iso8583Exception.Reason reason) implements Outcome {}

  /** The connection was lost (or could not be made) before a response came. */
  record LinkDown(String reason) implements Outcome {}

  /** Not sent: a request with the same match key is in flight, or the in-flight bound is reached. */
  record NotSent(String reason) implements Outcome {}
}
