// An acquirer built on the npm package iso_8583 (MIT; not our code) and Node's own crypto, for
// SwitchNpmInteropTest. It connects to the online switch's acquirer port, signs on (0800/001) and
// sends one 0100, each built by the library, framed with its 2-byte length header and MACed here in
// field 128 (hex text) with Node's crypto under the link's zone authentication key:
//   INTERNATIONAL  ISO/IEC 9797-1 MAC algorithm 3 (retail MAC, two-key 3DES), padding method 2
//   NATIONAL       SM4-CBC from a zero IV over the data with padding method 2, leftmost 8 bytes
// It checks field 128 of each answer the same way and prints each answer as the library parses it:
//   SIGNON {json}            the 0810
//   SIGNON_MAC ok|bad
//   RESPONSE {json}          the 0110
//   RESPONSE_MAC ok|bad
//   RESPONSE_FRAME <hex>     the 0110 as received, length header included
// Usage: NODE_PATH=<prefix>/node_modules node npm-acquirer.js <port> <suite> <zak hex> <0100 fields json>
'use strict';
const crypto = require('crypto');
const net = require('net');
const Iso8583 = require('iso_8583');

const MAC_CHARS = 16;
// Our packager sends binary fields as hex text (j8583's ASCII mode): field 128 is 16 hex characters.
const formats = {
  128: { ContentType: 'ans', Label: 'MAC (hex text)', LenType: 'fixed', MaxLen: MAC_CHARS },
};

const [port, suite, zakHex, fieldsJson] = process.argv.slice(2);
const zak = Buffer.from(zakHex, 'hex');

function ecb(cipher, key, block) {
  const c = crypto.createCipheriv(cipher, key, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()]);
}

function padMethod2(data, blockSize) {
  const length = Math.floor(data.length / blockSize + 1) * blockSize;
  const padded = Buffer.alloc(length);
  data.copy(padded);
  padded[data.length] = 0x80;
  return padded;
}

function xor(a, b) {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i];
  return out;
}

// ISO/IEC 9797-1 MAC algorithm 3: CBC with single DES under K1 (two-key 3DES with both halves K1),
// then the last chained block under 3DES K1‖K2 (output transformation 3: E_K1(D_K2(·))).
function retailMac(key, data) {
  const k1 = key.subarray(0, 8);
  const single = Buffer.concat([k1, k1]);
  const padded = padMethod2(data, 8);
  let chain = Buffer.alloc(8);
  for (let i = 0; i < padded.length - 8; i += 8) {
    chain = ecb('des-ede-ecb', single, xor(chain, padded.subarray(i, i + 8)));
  }
  return ecb('des-ede-ecb', key, xor(chain, padded.subarray(padded.length - 8)));
}

function sm4Mac(key, data) {
  const c = crypto.createCipheriv('sm4-cbc', key, Buffer.alloc(16));
  c.setAutoPadding(false);
  const out = Buffer.concat([c.update(padMethod2(data, 16)), c.final()]);
  return out.subarray(out.length - 16, out.length - 8);
}

function mac(data) {
  if (suite === 'INTERNATIONAL') return retailMac(zak, data);
  if (suite === 'NATIONAL') return sm4Mac(zak, data);
  throw new Error('unknown suite ' + suite);
}

// Built by the library with a placeholder MAC; field 128 is the last 16 bytes, MACed over all before.
function framed(message) {
  const buffer = new Iso8583({ ...message, 128: '0'.repeat(MAC_CHARS) }, formats).getBufferMessage();
  if (buffer.error) {
    throw new Error('iso_8583 refused to build ' + message[0] + ': ' + buffer.error);
  }
  const value = mac(buffer.subarray(2, buffer.length - MAC_CHARS)).toString('hex').toUpperCase();
  buffer.write(value, buffer.length - MAC_CHARS, 'ascii');
  return buffer;
}

function macOk(frame, parsed) {
  const expected = mac(frame.subarray(2, frame.length - MAC_CHARS));
  const received = Buffer.from(String(parsed[128] || ''), 'hex');
  return received.length === expected.length && crypto.timingSafeEqual(received, expected);
}

const signOn = { 0: '0800', 7: '1207090000', 11: '000900', 32: '48020000', 41: 'NPMACQ01', 70: '001' };
const authorisation = JSON.parse(fieldsJson);

const socket = net.connect(Number(port), '127.0.0.1');
let pending = Buffer.alloc(0);
let step = 0;
socket.setTimeout(20000, () => {
  console.error('timed out waiting for the switch');
  process.exit(2);
});
socket.on('connect', () => socket.write(framed(signOn)));
socket.on('data', (data) => {
  pending = Buffer.concat([pending, data]);
  while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
    const frame = pending.subarray(0, 2 + pending.readUInt16BE(0));
    pending = pending.subarray(frame.length);
    const parsed = new Iso8583(undefined, formats).getIsoJSON(frame, {});
    if (parsed.error) {
      console.error('iso_8583 could not parse the answer: ' + parsed.error);
      process.exit(3);
    }
    step += 1;
    const label = step === 1 ? 'SIGNON' : 'RESPONSE';
    console.log(label + ' ' + JSON.stringify(parsed));
    console.log(label + '_MAC ' + (macOk(frame, parsed) ? 'ok' : 'bad'));
    if (step === 1) {
      socket.write(framed(authorisation));
    } else {
      console.log('RESPONSE_FRAME ' + frame.toString('hex'));
      socket.end();
    }
  }
});
socket.on('error', (error) => {
  console.error('socket error: ' + error.message);
  process.exit(4);
});
