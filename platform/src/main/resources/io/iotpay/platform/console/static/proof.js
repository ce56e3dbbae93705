// The in-browser check of a payment's audit proofs (INTERNATIONAL suite): WebCrypto alone, so the
// viewer need not trust the server's own verdict. Each proof (docs/audit.md) is checked:
//   1. the entry hashes to leafHash: SHA-256(0x00 || entry);
//   2. the inclusion path leads from the leaf to the root (RFC 9162 section 2.1.3.2);
//   3. the checkpoint is for this tree size and root, and names the published key's id
//      (first 8 bytes of SHA-256 of the key's DER, lower-case hex);
//   4. the checkpoint's ECDSA P-256 signature verifies over its signed text (Checkpoint.signedBytes).
(function () {
  'use strict';

  function fromHex(text) {
    if (typeof text !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(text)) {
      throw new Error('not hex');
    }
    const out = new Uint8Array(text.length / 2);
    for (let i = 0; i < out.length; i++) {
      out[i] = parseInt(text.substr(2 * i, 2), 16);
    }
    return out;
  }

  function toHex(bytes) {
    return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
  }

  function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  function equal(a, b) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }

  async function sha256(bytes) {
    return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  }

  const LEAF = Uint8Array.of(0);
  const NODE = Uint8Array.of(1);

  // RFC 9162 2.1.3.2: verifying an inclusion proof.
  async function rootFromPath(leafIndex, treeSize, leafHash, path) {
    if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize) {
      return null;
    }
    let fn = leafIndex;
    let sn = treeSize - 1;
    let r = leafHash;
    for (const p of path) {
      if (sn === 0) {
        return null;
      }
      if (fn % 2 === 1 || fn === sn) {
        r = await sha256(concat(NODE, p, r));
        if (fn % 2 === 0) {
          while (fn % 2 === 0 && fn !== 0) {
            fn = Math.floor(fn / 2);
            sn = Math.floor(sn / 2);
          }
        }
      } else {
        r = await sha256(concat(NODE, r, p));
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    return sn === 0 ? r : null;
  }

  // A DER ECDSA signature (SEQUENCE of two INTEGERs) as WebCrypto's r || s, 32 bytes each.
  function derToRaw(der) {
    let at = 0;
    function take(tag) {
      if (der[at++] !== tag) {
        throw new Error('signature is not DER');
      }
      let length = der[at++];
      if (length === 0x81) {
        length = der[at++];
      } else if (length > 0x80) {
        throw new Error('signature is not DER');
      }
      const value = der.subarray(at, at + length);
      if (value.length !== length) {
        throw new Error('signature is cut');
      }
      at += length;
      return value;
    }
    const sequence = take(0x30);
    if (at !== der.length) {
      throw new Error('signature has trailing bytes');
    }
    der = sequence;
    at = 0;
    const parts = [take(0x02), take(0x02)].map(n => {
      let v = n;
      while (v.length > 32 && v[0] === 0) {
        v = v.subarray(1);
      }
      if (v.length > 32) {
        throw new Error('signature integer too long');
      }
      return concat(new Uint8Array(32 - v.length), v);
    });
    if (at !== der.length) {
      throw new Error('signature has trailing bytes');
    }
    return concat(parts[0], parts[1]);
  }

  function pemToDer(pem) {
    const body = pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '');
    return Uint8Array.from(atob(body), c => c.charCodeAt(0));
  }

  function signedText(cp) {
    return 'iotpay-audit-checkpoint/1'
      + '\nnumber ' + cp.number
      + '\nsuite ' + cp.suite
      + '\nkey ' + cp.keyId
      + '\nsize ' + cp.treeSize
      + '\nroot ' + toHex(fromHex(cp.rootHash)).toUpperCase()
      + '\ntime ' + cp.timestampMs
      + '\n';
  }

  // Empty string when the proof holds, else what does not.
  async function problemOf(proof, keyDer, key) {
    if (proof.suite !== 'INTERNATIONAL') {
      return 'suite ' + proof.suite + ' cannot be checked with WebCrypto';
    }
    const leafHash = fromHex(proof.leafHash);
    if (typeof proof.entry === 'string' && !equal(await sha256(concat(LEAF, fromHex(proof.entry))), leafHash)) {
      return 'the entry does not hash to leafHash';
    }
    if (!Array.isArray(proof.path)) {
      return 'no path';
    }
    const root = await rootFromPath(proof.leafIndex, proof.treeSize, leafHash, proof.path.map(fromHex));
    if (root === null || !equal(root, fromHex(proof.root))) {
      return 'the path does not lead from leaf ' + proof.leafIndex + ' to the root';
    }
    const cp = proof.checkpoint;
    if (!cp) {
      return 'no signed checkpoint: no key vouches for the root';
    }
    if (cp.treeSize !== proof.treeSize || !equal(fromHex(cp.rootHash), root)) {
      return 'the checkpoint is not for this tree size and root';
    }
    const keyId = toHex((await sha256(keyDer)).subarray(0, 8));
    if (cp.keyId !== keyId) {
      return 'the checkpoint names key ' + cp.keyId + ', not the published key ' + keyId;
    }
    const signed = await crypto.subtle.verify({name: 'ECDSA', hash: 'SHA-256'}, key, derToRaw(fromHex(cp.signature)),
      new TextEncoder().encode(signedText(cp)));
    return signed ? '' : 'the checkpoint\'s signature does not verify under the published key';
  }

  async function checkAll() {
    const results = document.querySelectorAll('.browser-check');
    if (!window.crypto || !crypto.subtle) {
      results.forEach(r => { r.textContent = 'not checked: this page has no WebCrypto (it needs HTTPS or localhost)'; });
      return;
    }
    const keyDer = pemToDer(document.getElementById('audit-public-key').textContent);
    let key;
    try {
      key = await crypto.subtle.importKey('spki', keyDer, {name: 'ECDSA', namedCurve: 'P-256'}, false, ['verify']);
    } catch (e) {
      results.forEach(r => { r.textContent = 'FAILED: the published key is not an ECDSA P-256 key'; r.className = 'browser-check fail'; });
      return;
    }
    for (const section of document.querySelectorAll('section.proof')) {
      const result = section.querySelector('.browser-check');
      let problem;
      try {
        problem = await problemOf(JSON.parse(section.querySelector('.proof-json').textContent), keyDer, key);
      } catch (e) {
        problem = 'the proof does not parse: ' + e.message;
      }
      result.textContent = problem === '' ? 'verified in this browser' : 'FAILED: ' + problem;
      result.className = 'browser-check ' + (problem === '' ? 'ok' : 'fail');
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    const again = document.getElementById('check-proofs');
    if (again) {
      again.hidden = false;
      again.addEventListener('click', checkAll);
    }
    if (document.querySelector('.browser-check')) {
      checkAll();
    }
  });
})();
