// An ISO 8583 peer built on the npm package iso_8583 (MIT; not our code), for the interop test
// Iso8583NpmInteropTest. It signs on (0800/001), sends one 0100 built by the library, framed with
// the library's own 2-byte length header, and prints each answer as the library parses it:
//   SIGNON {json of the 0810}
//   RESPONSE {json of the 0110}
// Usage: NODE_PATH=<prefix>/node_modules node npm-peer.js <port>
'use strict';
const net = require('net');
const Iso8583 = require('iso_8583');

// Our packager sends binary fields as hex text (j8583's ASCII mode): field 52 is 32 hex characters (a 16-byte format 4 block).
// Field 55 is the library's default (ans LLLVAR), which carries the hex text as it is.
const formats = {
  52: { ContentType: 'ans', Label: 'PIN block (hex text)', LenType: 'fixed', MaxLen: 32 },
  53: { ContentType: 'ans', Label: 'DUKPT KSN (hex text)', LenType: 'fixed', MaxLen: 24 },
};

const signOn = {
  0: '0800', 7: '1206235501', 11: '000041', 32: '48020000', 41: 'NPMPEER1', 70: '001',
};
// The values Iso8583NpmInteropTest expects to see parsed on our side.
const authorisation = {
  0: '0100',
  2: '6212345678901232',
  3: '000000',
  4: '000000012345',
  7: '1206235501',
  11: '000042',
  12: '235501',
  13: '1206',
  14: '2912',
  22: '071',
  23: '001',
  32: '48020000',
  37: 'RRN000000042',
  41: 'TERM0001',
  42: 'MERCHANT0000001',
  49: '156',
  52: '0123456789ABCDEF0123456789ABCDEF',
  53: 'FFFF987654321000000000A1',
  55: '9F2608A1B2C3D4E5F607189F3602002A95050000000000',
};

function framed(message) {
  const buffer = new Iso8583(message, formats).getBufferMessage();
  if (buffer.error) {
    throw new Error('iso_8583 refused to build ' + message[0] + ': ' + buffer.error);
  }
  return buffer;
}

const port = Number(process.argv[2]);
const socket = net.connect(port, '127.0.0.1');
let pending = Buffer.alloc(0);
let step = 0;
socket.setTimeout(15000, () => {
  console.error('timed out waiting for the server');
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
    if (step === 1) {
      console.log('SIGNON ' + JSON.stringify(parsed));
      socket.write(framed(authorisation));
    } else {
      console.log('RESPONSE ' + JSON.stringify(parsed));
      socket.end();
    }
  }
});
socket.on('error', (error) => {
  console.error('socket error: ' + error.message);
  process.exit(4);
});
