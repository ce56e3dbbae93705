package io.iotpay.bench.pos;

import io.iotpay.foundation.codec.BerTlv;
import io.iotpay.foundation.codec.Dol;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvCryptograms;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.protocol.Pan;
import io.iotpay.terminal.pos.AuthorisationRequest;
import io.iotpay.terminal.pos.AuthorisationResponse;
import io.iotpay.terminal.pos.OnlineAuthoriser;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The issuer, in process, for the kernel's tests and bench: an {@link OnlineAuthoriser} built only
 * on foundation's host crypto ({@link EmvCryptograms}, {@link EmvKeyDerivation}). It derives each
 * card's keys from its PAN and PSN (option A), verifies the ARQC from field 55 (rebuilding the CDOL1
 * data from the field's tags), answers with ARPC method 1 in tag 91 and adds the scripts queued for
 * the card (71 before, 72 after the final GENERATE AC), MACed for this ATC and ARQC. It shares no code
 * with the applet or the kernel. The real issuer host (ISO 8583) replaces it in production.
 *
 * <p>The bench's own copy of the POS kernel tests' fixture of the same name (benchmarks use no
 * other module's test code, issue 12); it goes when the issuer's EMV personalisation and the
 * issuer authorisation host of issue 15 can stand in for it.
 */
public final class LoopbackIssuer implements OnlineAuthoriser {
  /** How the issuer behaves for the next requests. */
  public enum Mode {
    APPROVE,
    DECLINE,
    NO_ANSWER,
    /** Approve, but send an ARPC with one bit flipped. */
    WRONG_ARPC
  }

  /** A script queued for a card's next online transaction. */
  public record Script(int template, String header, byte[] data) {
    /** APPLICATION BLOCK, after the final GENERATE AC (72). */
    public static Script block() {
      return new Script(0x72, "841E0000", new byte[0]);
    }

    /** PUT DATA of the upper consecutive offline limit 9F23, before the final GENERATE AC (71). */
    public static Script upperConsecutiveLimit(int value) {
      return new Script(0x71, "04DA9F23", new byte[] {(byte) value});
    }
  }

  private static final byte[] ARC_APPROVED = {'0', '0'};
  private static final byte[] ARC_DECLINED = {'0', '5'};
  private static final Dol CDOL1 = Dol.parse(Hex.decode(PosCard.CDOL1));

  private final SecretKeyBytes[][] imk = new SecretKeyBytes[2][3];
  private final Map<String, AlgorithmSuite> cards = new HashMap<>();
  private final Map<String, List<Script>> queued = new HashMap<>();
  private Mode mode = Mode.APPROVE;
  /** Requests seen, ARQCs that verified, and the last request. */
  public int requests;
  public int arqcsValid;
  public AuthorisationRequest lastRequest;

  public LoopbackIssuer(long seed) {
    Random random = new Random(seed);
    for (SecretKeyBytes[] suiteKeys : imk) {
      for (int i = 0; i < suiteKeys.length; i++) {
        byte[] k = new byte[16];
        random.nextBytes(k);
        suiteKeys[i] = new SecretKeyBytes(k);
      }
    }
  }

  public void mode(Mode mode) {
    this.mode = mode;
  }

  public void queue(Pan pan, Script script) {
    queued.computeIfAbsent(pan.digits(), p -> new ArrayList<>()).add(script);
  }

  /** MK_AC ‖ MK_SMI ‖ MK_SMC of a card (the applet's install data). */
  byte[] cardMasterKeys(AlgorithmSuite suite, Pan pan, int psn) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(48);
    for (SecretKeyBytes issuerKey : imk[suite.ordinal()]) {
      out.writeBytes(EmvKeyDerivation.cardMasterKey(suite, issuerKey, pan.digits(), String.format("%02d", psn)).value());
    }
    return out.toByteArray();
  }

  void register(PosCard card) {
    register(card.pan, card.suite);
  }

  /** A card this issuer personalised, known by its PAN (e.g. one in a real reader). */
  void register(Pan pan, AlgorithmSuite suite) {
    cards.put(pan.digits(), suite);
  }

  @Override
  public AuthorisationResponse authorise(AuthorisationRequest request) {
    requests++;
    lastRequest = request;
    if (mode == Mode.NO_ANSWER) {
      return new AuthorisationResponse.NoAnswer("issuer down (test)");
    }
    AlgorithmSuite suite = cards.get(request.pan().digits());
    Map<Integer, byte[]> chip = new HashMap<>();
    for (Tlv t : BerTlv.parse(request.field55())) {
      chip.put(t.tag().value(), ((Tlv.Primitive) t).value());
    }
    byte[] arqc = chip.get(0x9F26);
    int atc = ((chip.get(0x9F36)[0] & 0xFF) << 8) | (chip.get(0x9F36)[1] & 0xFF);
    byte[] cdol1Data = CDOL1.build(tag -> Optional.ofNullable(chip.get(tag.value())));
    byte[] input = EmvCryptograms.cryptogramInput(cdol1Data, chip.get(0x82), atc, chip.get(0x9F10));
    SecretKeyBytes skAc = sessionKey(suite, 0, request.pan(), request.panSequence(), atc);
    boolean valid = EmvCryptograms.isCryptogramValid(suite, skAc, input, arqc);
    arqcsValid += valid ? 1 : 0;
    boolean approve = valid && (mode == Mode.APPROVE || mode == Mode.WRONG_ARPC);
    byte[] arc = approve ? ARC_APPROVED : ARC_DECLINED;
    byte[] arpc = EmvCryptograms.arpcMethod1(suite, skAc, arqc, arc);
    if (mode == Mode.WRONG_ARPC) {
      arpc[0] ^= 0x01;
    }
    List<Tlv> issuerData = new ArrayList<>();
    issuerData.add(Tlv.primitive(Tag.of(0x91), PosCard.concat(arpc, arc)));
    if (valid) {
      SecretKeyBytes smi = sessionKey(suite, 1, request.pan(), request.panSequence(), atc);
      for (Script s : queued.getOrDefault(request.pan().digits(), List.of())) {
        byte[] command = EmvCryptograms.scriptCommand(suite, smi, Hex.decode(s.header()), atc, arqc, s.data());
        issuerData.add(Tlv.constructed(Tag.of(s.template()), Tlv.primitive(Tag.of(0x86), command)));
      }
      queued.remove(request.pan().digits());
    }
    return new AuthorisationResponse.Answered(approve, arc, BerTlv.encode(issuerData));
  }

  private SecretKeyBytes sessionKey(AlgorithmSuite suite, int keyIndex, Pan pan, int psn, int atc) {
    SecretKeyBytes mk = EmvKeyDerivation.cardMasterKey(suite, imk[suite.ordinal()][keyIndex], pan.digits(),
        String.format("%02d", psn));
    return EmvCryptograms.sessionKey(suite, mk, atc);
  }
}
