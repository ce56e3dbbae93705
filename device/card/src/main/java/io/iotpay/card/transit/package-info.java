/**
 * The PBOC-style payment applet with the low-value extended application used as a transit quota
 * (issue #4 item 1), and its SCP02 secure channel. APDUs and formulas: docs/card-apdus.md.
 */
package io.iotpay.card.transit;
