/**
 * The off-card side of the card's GlobalPlatform key hierarchy (issue 17 item 2,
 * docs/gp-hierarchy.md): a secure channel to a security domain ({@link io.iotpay.issuer.gp.GpSession}:
 * {@link io.iotpay.issuer.gp.Scp03Host}, {@link io.iotpay.issuer.gp.Scp02Session}),
 * the INSTALL / PUT KEY / STORE DATA commands ({@link io.iotpay.issuer.gp.GpCommands}) and the steps
 * the issuer and the wallet provider take ({@link io.iotpay.issuer.gp.KeyHierarchy}).
 */
package io.iotpay.issuer.gp;
