package io.iotpay.switching.online;

import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.PartyId;

/**
 * One request/response pair of the message log. Carries no full PAN: the masked PAN and the keyed
 * hash are computed when the entry is made.
 *
 * @param issuer null when no issuer was found (unknown range)
 * @param response null when nothing was answered (never for a relayed pair)
 * @param issuerMs time spent waiting for the issuer, or -1 when it was not asked
 * @param original a reversal's field 90 (what it undoes), else null
 */
record LogEntry(
    long loggedAtMs, PartyId acquirer, PartyId issuer, Mti requestMti, CardTransaction transaction,
    String panHash, CardResponse response, AnsweredBy answeredBy, long issuerMs, long totalMs,
    OriginalData original) {}
