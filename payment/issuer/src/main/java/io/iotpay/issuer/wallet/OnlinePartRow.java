package io.iotpay.issuer.wallet;

/** One answered online part as the issuer stored it. */
public record OnlinePartRow(String cardIdHex, long counter, long amountMinor, OnlinePartOutcome outcome) {}
