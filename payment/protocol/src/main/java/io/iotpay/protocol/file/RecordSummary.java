package io.iotpay.protocol.file;

import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.transit.RecordId;
import java.time.LocalDate;

/**
 * What routing and de-duplication need of a record, from {@link TransitFileReader#summary()}: the
 * record was validated as fully as {@link TransitFileReader#record()} would, without building a
 * {@code TransitRecord} (whose construction dominates the cost of reading a 10-million-record day).
 *
 * @param id the gate's journal id
 * @param operator the gate's operator
 * @param businessDate day T of the record
 * @param pan the card
 * @param panSequence 0..99
 * @param atc 0..65535
 * @param fareMinor the fare, minor units of the file's currency
 */
public record RecordSummary(
    RecordId id, PartyId operator, LocalDate businessDate, Pan pan, int panSequence, int atc, long fareMinor) {}
