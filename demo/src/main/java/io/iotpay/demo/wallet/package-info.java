/**
 * {@code iotpay demo wallet} (docs/demo-wallet.md): wallet cards and PSAMs of both suites in
 * jCardSim, POSes with journals and online-part agents, the issuer's online parts, day end and
 * signed lists.
 */
package io.iotpay.demo.wallet;
