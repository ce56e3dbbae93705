/**
 * The off-card side of the card's GlobalPlatform key hierarchy (issue 17 item 2,
 * docs/gp-hierarchy.md): an SCP03 session to a security domain ({@link io.iotpay.issuer.gp.Scp03Host}),
 * the INSTALL / PUT KEY / STORE DATA commands ({@link io.iotpay.issuer.gp.GpCommands}) and the steps
 * the issuer and the wallet provider take ({@link io.iotpay.issuer.gp.KeyHierarchy}).
 */
package io.iotpay.issuer.gp;
