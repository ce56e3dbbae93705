/**
 * The metro gate kernel: tap-in and tap-out over a {@link io.iotpay.foundation.card.CardChannel},
 * distance fares, anti-passback, incomplete journeys, the offline deny list, the append-only gate
 * journal and flash-card recovery with GET TRANS PROVE. Entry point: {@link
 * io.iotpay.terminal.gate.GateKernel}. The APDU sequences and file formats are in docs/gate.md.
 */
package io.iotpay.terminal.gate;
