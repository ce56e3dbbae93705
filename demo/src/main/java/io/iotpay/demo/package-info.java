/**
 * The scenarios {@code iotpay demo} runs: each wires real parties together on embedded defaults,
 * drives a simulated business day and reports from the parties' own records (ledger, audit log,
 * refusal log). Scenario code only wires; parties read and write their own files.
 */
package io.iotpay.demo;
