package io.iotpay.terminal.pos;

import io.iotpay.foundation.codec.BerTlv;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.codec.TlvLimits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Parsers of what the card (and the issuer) send the kernel, each bounded and iterative (the TLV
 * parser of foundation never recurses). Every malformed input ends in {@link PosException} or a
 * {@link io.iotpay.foundation.codec.TlvException}; both are {@link
 * io.iotpay.foundation.InvalidInputException}s, which the kernel turns into END APPLICATION.
 */
final class EmvData {
  /** Card responses are short APDUs: no value above 256 bytes, templates at most 4 deep (6F/A5/BF0C/61). */
  static final TlvLimits CARD_TLV = TlvLimits.DEFAULT.withDepthMax(4).withValueBytesMax(256);
  /** PPSE directory entries considered; further entries are ignored (a real PPSE holds a handful). */
  static final int PPSE_ENTRIES_MAX = 8;
  /** AFL entries (4 bytes each) and the records they may name in all. */
  static final int AFL_ENTRIES_MAX = 16;
  static final int RECORDS_MAX = 32;
  /** Data objects kept from the records (two records of ours hold 14). */
  static final int CARD_OBJECTS_MAX = 64;
  /** IAD (9F10) is at most 32 bytes (EMV Book 3 Annex A). */
  static final int IAD_BYTES_MAX = 32;
  /** Issuer data (response field 55) and the script commands in it. */
  static final int ISSUER_DATA_BYTES_MAX = 512;
  static final int SCRIPT_COMMANDS_MAX = 8;

  private EmvData() {}

  /** One application of the PPSE directory. */
  record Candidate(byte[] aid, int priority) {}

  /**
   * The PPSE's applications this terminal supports, by priority (1 first, none last; ties keep the
   * card's order).
   */
  static List<Candidate> candidates(byte[] fci, List<String> supportedAids) {
    Tlv root = single(fci, 0x6F, "PPSE FCI");
    Tlv directory = root.find(Tag.of(0xBF0C)).orElseThrow(() -> new PosException("PPSE FCI has no BF0C"));
    List<Candidate> out = new ArrayList<>();
    if (!(directory instanceof Tlv.Constructed dir)) {
      throw new PosException("PPSE BF0C is not a template");
    }
    for (Tlv entry : dir.children()) {
      if (out.size() == PPSE_ENTRIES_MAX || !(entry instanceof Tlv.Constructed e) || entry.tag().value() != 0x61) {
        continue;
      }
      byte[] aid = primitive(e, 0x4F);
      if (aid == null || aid.length < 5 || aid.length > 16) {
        throw new PosException("PPSE entry without a 5..16-byte AID");
      }
      byte[] priority = primitive(e, 0x87);
      int p = priority == null || priority.length != 1 ? 0 : priority[0] & 0x0F;
      if (supported(aid, supportedAids)) {
        out.add(new Candidate(aid, p == 0 ? 16 : p));
      }
    }
    out.sort(Comparator.comparingInt(Candidate::priority));
    return out;
  }

  private static boolean supported(byte[] aid, List<String> supportedAids) {
    String hex = Hex.encode(aid).toUpperCase();
    return supportedAids.stream().anyMatch(hex::startsWith);
  }

  /** The PDOL of an application's FCI (empty when none), after checking the DF name is the AID selected. */
  static byte[] pdolOfFci(byte[] fci, byte[] aid) {
    Tlv root = single(fci, 0x6F, "application FCI");
    byte[] dfName = root.find(Tag.of(0x84)).map(EmvData::value).orElse(null);
    if (dfName == null || !Arrays.equals(dfName, aid)) {
      throw new PosException("application FCI: DF name does not match the AID selected");
    }
    return root.find(Tag.of(0x9F38)).map(EmvData::value).orElse(new byte[0]);
  }

  /** AIP and AFL of a GPO response, format 1 ({@code 80}) or format 2 ({@code 77}). */
  record ProcessingOptions(byte[] aip, byte[] afl) {}

  static ProcessingOptions processingOptions(byte[] response) {
    List<Tlv> objects = BerTlv.parse(response, CARD_TLV);
    if (objects.size() != 1) {
      throw new PosException("GPO response holds " + objects.size() + " top-level objects, not 1");
    }
    Tlv root = objects.get(0);
    byte[] aip;
    byte[] afl;
    if (root.tag().value() == 0x80 && root instanceof Tlv.Primitive p) {
      byte[] v = p.value();
      if (v.length < 2) {
        throw new PosException("GPO format 1 shorter than the AIP");
      }
      aip = Arrays.copyOfRange(v, 0, 2);
      afl = Arrays.copyOfRange(v, 2, v.length);
    } else if (root.tag().value() == 0x77 && root instanceof Tlv.Constructed c) {
      aip = primitive(c, 0x82);
      afl = primitive(c, 0x94);
    } else {
      throw new PosException("GPO response is neither format 1 (80) nor format 2 (77)");
    }
    if (aip == null || aip.length != 2 || afl == null) {
      throw new PosException("GPO response without a 2-byte AIP and an AFL");
    }
    checkAfl(afl);
    return new ProcessingOptions(aip, afl);
  }

  /** Checks the AFL (EMV Book 3 §10.2): SFI 1..30, first record ≥ 1, last ≥ first, ODA count within. */
  static void checkAfl(byte[] afl) {
    if (afl.length == 0 || afl.length % 4 != 0 || afl.length / 4 > AFL_ENTRIES_MAX) {
      throw new PosException("AFL of " + afl.length + " bytes is not 1.." + AFL_ENTRIES_MAX + " entries of 4");
    }
    int records = 0;
    for (int i = 0; i < afl.length; i += 4) {
      int sfi = (afl[i] & 0xFF) >> 3;
      int first = afl[i + 1] & 0xFF;
      int last = afl[i + 2] & 0xFF;
      int oda = afl[i + 3] & 0xFF;
      if ((afl[i] & 0x07) != 0 || sfi < 1 || sfi > 30 || first < 1 || last < first || oda > last - first + 1) {
        throw new PosException("AFL entry " + i / 4 + " is malformed");
      }
      records += last - first + 1;
    }
    if (records > RECORDS_MAX) {
      throw new PosException("AFL names " + records + " records, more than " + RECORDS_MAX);
    }
  }

  /**
   * Adds the primitive objects of one record (template 70) to {@code into}; a repeated tag is an
   * error.
   *
   * @return the record's template, for ODA
   */
  static Tlv readRecord(byte[] record, Map<Integer, byte[]> into) {
    Tlv root = single(record, 0x70, "record");
    for (Tlv child : ((Tlv.Constructed) root).children()) {
      if (!(child instanceof Tlv.Primitive p)) {
        continue; // templates inside records carry nothing this kernel reads
      }
      if (into.size() >= CARD_OBJECTS_MAX) {
        throw new PosException("records hold more than " + CARD_OBJECTS_MAX + " data objects");
      }
      if (into.putIfAbsent(p.tag().value(), p.value()) != null) {
        throw new PosException("data object " + p.tag() + " appears twice in the records");
      }
    }
    return root;
  }

  /**
   * The value field of a record's 70 template, as the card sent it: the static data to be
   * authenticated of an SFI 1..10 record (EMV Book 3 §10.3). The record already parsed.
   */
  static byte[] templateValue(byte[] record) {
    int lengthByte = record[1] & 0xFF;
    int header = lengthByte < 0x80 ? 2 : 2 + (lengthByte & 0x7F);
    return Arrays.copyOfRange(record, header, record.length);
  }

  /**
   * One GENERATE AC answer. {@code type} is the CID's top two bits: 00 AAC, 40 TC, 80 ARQC.
   * {@code cardAuthenticationData} (9F69) and {@code signedDynamicData} (9F4B) are null unless the
   * card signed (fDDA, format 2 only).
   */
  record Ac(int cid, int atc, byte[] cryptogram, byte[] iad, byte[] cardAuthenticationData,
      byte[] signedDynamicData) {
    int type() {
      return cid & 0xC0;
    }
  }

  /** GENERATE AC response, format 1 (80: CID ‖ ATC ‖ AC ‖ IAD) or format 2 (77: 9F27, 9F36, 9F26, 9F10). */
  static Ac generateAcResponse(byte[] response) {
    Tlv root = BerTlv.parse(response, CARD_TLV).stream().findFirst()
        .orElseThrow(() -> new PosException("GENERATE AC answered no data"));
    byte[] cid;
    byte[] atc;
    byte[] ac;
    byte[] iad;
    byte[] cardData = null;
    byte[] signed = null;
    if (root.tag().value() == 0x80 && root instanceof Tlv.Primitive p) {
      byte[] v = p.value();
      if (v.length < 11) {
        throw new PosException("GENERATE AC format 1 shorter than 11 bytes");
      }
      cid = Arrays.copyOfRange(v, 0, 1);
      atc = Arrays.copyOfRange(v, 1, 3);
      ac = Arrays.copyOfRange(v, 3, 11);
      iad = Arrays.copyOfRange(v, 11, v.length);
    } else if (root.tag().value() == 0x77 && root instanceof Tlv.Constructed c) {
      cid = primitive(c, 0x9F27);
      atc = primitive(c, 0x9F36);
      ac = primitive(c, 0x9F26);
      iad = primitive(c, 0x9F10);
      iad = iad == null ? new byte[0] : iad;
      cardData = primitive(c, 0x9F69);
      signed = primitive(c, 0x9F4B);
    } else {
      throw new PosException("GENERATE AC response is neither format 1 nor format 2");
    }
    if (cid == null || cid.length != 1 || atc == null || atc.length != 2 || ac == null || ac.length != 8
        || iad.length > IAD_BYTES_MAX) {
      throw new PosException("GENERATE AC response lacks a 1-byte CID, 2-byte ATC or 8-byte cryptogram");
    }
    if ((cid[0] & 0xC0) == 0xC0) {
      throw new PosException("GENERATE AC: CID " + Hex.encode(cid) + " is RFU");
    }
    return new Ac(cid[0] & 0xFF, ((atc[0] & 0xFF) << 8) | (atc[1] & 0xFF), ac, iad, cardData, signed);
  }

  /** What the issuer sent back for the card: 91 and the script templates 71 (before) and 72 (after the final AC). */
  record IssuerData(byte[] authenticationData, List<List<CommandApdu>> before, List<List<CommandApdu>> after) {
    static final IssuerData NONE = new IssuerData(null, List.of(), List.of());
  }

  static IssuerData issuerData(byte[] data) {
    if (data.length > ISSUER_DATA_BYTES_MAX) {
      throw new PosException("issuer data of " + data.length + " bytes exceeds " + ISSUER_DATA_BYTES_MAX);
    }
    byte[] auth = null;
    List<List<CommandApdu>> before = new ArrayList<>();
    List<List<CommandApdu>> after = new ArrayList<>();
    int commands = 0;
    for (Tlv object : BerTlv.parse(data, CARD_TLV.withDepthMax(2))) {
      int tag = object.tag().value();
      if (tag == 0x91 && object instanceof Tlv.Primitive p) {
        auth = p.value();
      } else if ((tag == 0x71 || tag == 0x72) && object instanceof Tlv.Constructed script) {
        List<CommandApdu> list = new ArrayList<>();
        for (Tlv child : script.children()) {
          if (child.tag().value() == 0x86 && child instanceof Tlv.Primitive command) {
            if (++commands > SCRIPT_COMMANDS_MAX) {
              throw new PosException("issuer scripts hold more than " + SCRIPT_COMMANDS_MAX + " commands");
            }
            list.add(CommandApdu.parse(command.value()));
          }
        }
        (tag == 0x71 ? before : after).add(List.copyOf(list));
      }
    }
    if (auth != null && (auth.length < 8 || auth.length > 16)) {
      throw new PosException("issuer authentication data (91) is not 8..16 bytes");
    }
    return new IssuerData(auth, List.copyOf(before), List.copyOf(after));
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** The only top-level object of {@code bytes}, which must be the template {@code tag}. */
  private static Tlv single(byte[] bytes, int tag, String what) {
    List<Tlv> objects = BerTlv.parse(bytes, CARD_TLV);
    if (objects.size() != 1 || objects.get(0).tag().value() != tag || !(objects.get(0) instanceof Tlv.Constructed)) {
      throw new PosException(what + " is not one template " + Integer.toHexString(tag).toUpperCase());
    }
    return objects.get(0);
  }

  /** The value of a primitive child {@code tag} directly inside {@code template}, or null. */
  private static byte[] primitive(Tlv.Constructed template, int tag) {
    for (Tlv child : template.children()) {
      if (child.tag().value() == tag && child instanceof Tlv.Primitive p) {
        return p.value();
      }
    }
    return null;
  }

  private static byte[] value(Tlv tlv) {
    if (tlv instanceof Tlv.Primitive p) {
      return p.value();
    }
    throw new PosException("data object " + tlv.tag() + " is a template, a primitive was expected");
  }
}
