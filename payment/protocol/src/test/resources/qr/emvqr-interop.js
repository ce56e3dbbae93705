'use strict';
// Drives two independent EMV QR implementations from npm for QrNpmInteropTest:
//   emv-qrcps 0.0.7 (ISC) encodes merchant- and consumer-presented codes,
//   emvqr 0.0.5 (ISC) decodes merchant-presented codes.
// Usage: node emvqr-interop.js NPM_PREFIX < request.json > answer.json
// Request: {"encodeMpm": [objects...], "decodeMpm": [payload...], "encodeCpm": [cpm...]}
//   objects: [{"id": "59", "value": "SHOP"}, {"id": "26", "children": [...]}, ...] (no CRC)
//   cpm: {"applications": [fields], "common": fields|null}; fields: {"4F": hex, "50": text, ...,
//        "transparent": {"9F26": hex, ...}}; text-valued tags are 50, 5F20, 5F2D, 5F50.
// Answer, one line per item, fields separated by TAB (the test's values never hold TAB or newline):
//   mpm-encoded TAB payload | mpm-decoded TAB path=value TAB ... (or TAB ERROR message) | cpm-encoded TAB base64
const path = require('path');
const prefix = process.argv[2];
const { Merchant, Consumer } = require(path.join(prefix, 'node_modules', 'emv-qrcps'));
const emvqr = require(path.join(prefix, 'node_modules', 'emvqr'));

function encodeMpm(objects) {
  const qr = Merchant.buildEMVQR();
  for (const o of objects) {
    const id = parseInt(o.id, 10);
    if (id >= 26 && id <= 51) {
      const account = Merchant.buildMerchantAccountInformation();
      for (const c of o.children) {
        if (c.id === '00') account.setGloballyUniqueIdentifier(c.value); else account.addPaymentNetworkSpecific(c.id, c.value);
      }
      qr.addMerchantAccountInformation(o.id, account);
    } else if (id >= 80) {
      const unreserved = Merchant.buildUnreservedTemplate();
      for (const c of o.children) {
        if (c.id === '00') unreserved.setGloballyUniqueIdentifier(c.value); else unreserved.addContextSpecificData(c.id, c.value);
      }
      qr.addUnreservedTemplates(o.id, unreserved);
    } else if (o.id === '62') {
      qr.setAdditionalDataFieldTemplate(additional(o.children));
    } else if (o.id === '64') {
      const language = Merchant.buildMerchantInformationLanguageTemplate();
      for (const c of o.children) {
        if (c.id === '00') language.setLanguagePreference(c.value);
        if (c.id === '01') language.setMerchantName(c.value);
        if (c.id === '02') language.setMerchantCity(c.value);
      }
      qr.setMerchantInformationLanguageTemplate(language);
    } else {
      primitive(qr, o.id, o.value);
    }
  }
  return qr.generatePayload();
}

function additional(children) {
  const setters = {
    '01': 'setBillNumber', '02': 'setMobileNumber', '03': 'setStoreLabel', '04': 'setLoyaltyNumber',
    '05': 'setReferenceLabel', '06': 'setCustomerLabel', '07': 'setTerminalLabel', '08': 'setPurposeTransaction',
    '09': 'setAdditionalConsumerDataRequest',
  };
  const template = Merchant.buildAdditionalDataFieldTemplate();
  for (const c of children) {
    if (setters[c.id]) template[setters[c.id]](c.value); else template.addRFUforEMVCo(c.id, c.value);
  }
  return template;
}

function primitive(qr, id, value) {
  const setters = {
    '00': 'setPayloadFormatIndicator', '01': 'setPointOfInitiationMethod', '52': 'setMerchantCategoryCode',
    '53': 'setTransactionCurrency', '54': 'setTransactionAmount', '55': 'setTipOrConvenienceIndicator',
    '56': 'setValueOfConvenienceFeeFixed', '57': 'setValueOfConvenienceFeePercentage', '58': 'setCountryCode',
    '59': 'setMerchantName', '60': 'setMerchantCity', '61': 'setPostalCode',
  };
  if (!setters[id]) throw new Error('no emv-qrcps setter for ID ' + id);
  qr[setters[id]](value);
}

// emvqr appends a description to 52, 53 and 58 ("4111 (...)"); keep the code only.
function decodeMpm(payload) {
  try {
    const decoded = emvqr.decode(payload);
    return Object.values(decoded).map(item => {
      if (item.data !== null && typeof item.data === 'object') {
        return { id: item.id, children: Object.values(item.data).map(c => ({ id: c.id, value: c.data })) };
      }
      const value = ['52', '53', '58'].includes(item.id) ? String(item.data).split(' (')[0] : String(item.data);
      return { id: item.id, value };
    });
  } catch (e) {
    return { error: String(e.message) };
  }
}

const TEXT_TAGS = ['50', '5F20', '5F2D', '5F50'];
const SETTERS = {
  '4F': 'setDataApplicationDefinitionFileName', '50': 'setDataApplicationLabel', '57': 'setDataTrack2EquivalentData',
  '5A': 'setDataApplicationPAN', '5F20': 'setDataCardholderName', '5F2D': 'setDataLanguagePreference',
  '5F50': 'setDataIssuerURL', '9F08': 'setDataApplicationVersionNumber', '9F10': 'setDataIssuerApplicationData',
  '9F19': 'setDataTokenRequestorID', '9F24': 'setDataPaymentAccountReference', '9F25': 'setDataLast4DigitsOfPAN',
  '9F26': 'setDataApplicationCryptogram', '9F36': 'setDataApplicationTransactionCounter', '9F37': 'setDataUnpredictableNumber',
};

function berTlv(fields) {
  const tlv = Consumer.buildBERTLV();
  for (const [tag, value] of Object.entries(fields)) {
    if (tag === 'transparent') continue;
    if (!SETTERS[tag]) throw new Error('no emv-qrcps setter for tag ' + tag);
    tlv[SETTERS[tag]](TEXT_TAGS.includes(tag) ? value : value.toUpperCase());
  }
  return tlv;
}

function encodeCpm(cpm) {
  const qr = Consumer.buildEMVQR();
  qr.setDataPayloadFormatIndicator('CPV01');
  for (const fields of cpm.applications) {
    const app = Consumer.buildApplicationTemplate();
    app.setBERTLV(berTlv(fields));
    if (fields.transparent) {
      const t = Consumer.buildApplicationSpecificTransparentTemplate();
      t.setBERTLV(berTlv(fields.transparent));
      app.addApplicationSpecificTransparentTemplate(t);
    }
    qr.addApplicationTemplate(app);
  }
  if (cpm.common) {
    const common = Consumer.buildCommonDataTemplate();
    common.setBERTLV(berTlv(cpm.common));
    if (cpm.common.transparent) {
      const t = Consumer.buildCommonDataTransparentTemplate();
      t.setBERTLV(berTlv(cpm.common.transparent));
      common.addCommonDataTransparentTemplate(t);
    }
    qr.addCommonDataTemplate(common);
  }
  return qr.generatePayload();
}

// A template's children become "path.child=value"; emvqr leaves 64 and 80..99 as raw text.
function flatten(objects) {
  if (objects.error !== undefined) return ['ERROR ' + objects.error];
  const fields = [];
  for (const o of objects) {
    if (o.children) for (const c of o.children) fields.push(o.id + '.' + c.id + '=' + c.value);
    else fields.push(o.id + '=' + o.value);
  }
  return fields;
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', chunk => { input += chunk; });
process.stdin.on('end', () => {
  const request = JSON.parse(input);
  const lines = [];
  for (const objects of request.encodeMpm || []) lines.push('mpm-encoded\t' + encodeMpm(objects));
  for (const payload of request.decodeMpm || []) lines.push(['mpm-decoded', ...flatten(decodeMpm(payload))].join('\t'));
  for (const cpm of request.encodeCpm || []) lines.push('cpm-encoded\t' + encodeCpm(cpm));
  process.stdout.write(lines.join('\n') + '\n');
});
