package io.iotpay.app.cli;

import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.codec.BerTlv;
import io.iotpay.foundation.codec.CodecException;
import io.iotpay.foundation.codec.DataFormat;
import io.iotpay.foundation.codec.Dol;
import io.iotpay.foundation.codec.DolEntry;
import io.iotpay.foundation.codec.EmvTag;
import io.iotpay.foundation.codec.EmvTags;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.codec.TlvLimits;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code iotpay tlv}: BER-TLV tools. */
@Command(
    name = "tlv",
    mixinStandardHelpOptions = true,
    description = "BER-TLV tools (EMV Book 3 Annex B).",
    subcommands = {TlvCommand.Decode.class})
public final class TlvCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code iotpay tlv decode HEX}: prints the tree, one line per data object. */
  @Command(
      name = "decode",
      mixinStandardHelpOptions = true,
      description = {
        "Decodes BER-TLV hex into an indented tree: tag, EMV name, length, value in hex,",
        "and a decoded form in brackets for numeric, text and DOL values.",
        "Whitespace in HEX is ignored; several arguments are joined."
      })
  static final class Decode implements Runnable {
    /** Tags whose value is a Data Object List, printed as its entries. */
    private static final Set<Tag> DOL_TAGS =
        Set.of(Tag.of(0x9F38), Tag.of(0x8C), Tag.of(0x8D), Tag.of(0x9F49), Tag.of(0x97), Tag.of(0x9F4F));

    /** Binary tags that usually hold text (DF and DDF names such as 2PAY.SYS.DDF01). */
    private static final Set<Tag> NAME_TAGS = Set.of(Tag.of(0x84), Tag.of(0x9D));

    private static final String INDENT = "  ";

    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "HEX", description = "TLV bytes in hex, e.g. 6F0A840841..")
    List<String> hexParts;

    @Option(names = "--depth-max", paramLabel = "N", description = "Deepest nesting accepted, 1..64 (default: ${DEFAULT-VALUE}).")
    int depthMax = TlvLimits.DEFAULT.depthMax();

    @Override
    public void run() {
      if (depthMax < 1 || depthMax > TlvLimits.DEPTH_MAX_CEILING) {
        throw new CodecException("--depth-max " + depthMax + " outside 1.." + TlvLimits.DEPTH_MAX_CEILING);
      }
      String hex = String.join("", hexParts).replaceAll("\\s+", "");
      List<Tlv> roots = BerTlv.parse(Hex.decode(hex), TlvLimits.DEFAULT.withDepthMax(depthMax));
      PrintWriter out = spec.commandLine().getOut();
      printTree(out, roots);
      out.flush();
    }

    /** Walks the tree with an explicit stack, like the parser, so output order is pre-order. */
    private static void printTree(PrintWriter out, List<Tlv> roots) {
      record Item(Tlv tlv, int depth) {}
      Deque<Item> pending = new ArrayDeque<>();
      for (int i = roots.size() - 1; i >= 0; i--) {
        pending.push(new Item(roots.get(i), 0));
      }
      while (!pending.isEmpty()) {
        Item item = pending.pop();
        out.println(INDENT.repeat(item.depth()) + line(item.tlv()));
        if (item.tlv() instanceof Tlv.Constructed constructed) {
          List<Tlv> children = constructed.children();
          for (int i = children.size() - 1; i >= 0; i--) {
            pending.push(new Item(children.get(i), item.depth() + 1));
          }
        }
      }
    }

    private static String line(Tlv tlv) {
      String head = tlv.tag() + " " + EmvTags.nameOf(tlv.tag()) + " (" + tlv.valueLength() + ")";
      return switch (tlv) {
        case Tlv.Constructed constructed -> head;
        case Tlv.Primitive primitive -> head + ": " + primitive.valueHex()
            + decoded(primitive).map(text -> " [" + text + "]").orElse("");
      };
    }

    /** A readable form of the value when its format gives one; empty for binary or bad values. */
    private static Optional<String> decoded(Tlv.Primitive primitive) {
      byte[] value = primitive.value();
      if (value.length == 0) {
        return Optional.empty();
      }
      if (DOL_TAGS.contains(primitive.tag())) {
        return dolText(value);
      }
      DataFormat format = EmvTags.lookup(primitive.tag()).map(EmvTag::format).orElse(DataFormat.B);
      try {
        return switch (format) {
          case N -> Optional.of(Bcd.decodeDigits(value));
          case CN -> Optional.of(Bcd.decodeCompressed(value));
          case A, AN, ANS -> printableAscii(value);
          case B -> NAME_TAGS.contains(primitive.tag()) ? printableAscii(value) : Optional.empty();
        };
      } catch (CodecException notDecimal) {
        return Optional.of("not valid " + format.name().toLowerCase() + ": " + notDecimal.getMessage());
      }
    }

    private static Optional<String> dolText(byte[] value) {
      try {
        StringJoiner entries = new StringJoiner(", ", "DOL ", "");
        for (DolEntry entry : Dol.parse(value).entries()) {
          entries.add(entry.tag() + " " + EmvTags.nameOf(entry.tag()) + " (" + entry.length() + ")");
        }
        return Optional.of(entries.toString());
      } catch (CodecException notADol) {
        return Optional.of("not a valid DOL: " + notADol.getMessage());
      }
    }

    private static Optional<String> printableAscii(byte[] value) {
      for (byte b : value) {
        if (b < 0x20 || b > 0x7E) {
          return Optional.empty();
        }
      }
      return Optional.of(new String(value, StandardCharsets.US_ASCII));
    }
  }
}
