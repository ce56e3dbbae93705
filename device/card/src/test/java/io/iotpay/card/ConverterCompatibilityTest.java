package io.iotpay.card;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Backs the claim that the applet sources convert to a CAP file: reads every compiled class of the
 * module (Java 8 class files) and fails on what a Java Card converter rejects or a classic card
 * lacks: String, long, float, double or int fields and signatures, int locals, java.util or any
 * java.* class other than Object, invokedynamic, long/float/double bytecodes, int arrays, and
 * allocation outside constructors, static initialisers and install.
 */
class ConverterCompatibilityTest {

  private static final Path CLASSES = Paths.get("target", "classes", "io", "iotpay", "card");
  private static final Set<String> ALLOCATING_METHODS = Set.of("<init>", "<clinit>", "install");
  private static final Set<String> ALLOCATING_CALLS = Set.of("makeTransientByteArray",
      "makeTransientShortArray", "makeTransientBooleanArray", "makeTransientObjectArray",
      "buildKey", "getInstance");

  @Test
  void appletClasses_useOnlyWhatAJavaCardConverterAccepts() throws IOException {
    List<Path> classFiles;
    try (Stream<Path> walk = Files.walk(CLASSES)) {
      classFiles = walk.filter(p -> p.toString().endsWith(".class")).toList();
    }
    assertThat(classFiles).as("compiled applet classes").hasSizeGreaterThanOrEqualTo(8);
    // The applets' packages are in the scan: transit, the IoT secure chip, the phone SE.
    assertThat(classFiles.stream().map(p -> CLASSES.relativize(p).toString().replace('\\', '/')))
        .as("scanned packages")
        .contains("transit/TransitApplet.class", "chip/ChipApplet.class", "chip/EcSigner.class",
            "chip/Sm3Digest.class", "chip/ModN.class", "chip/SessionCipher.class",
            "chip/AesBlockCipher.class", "chip/Curves.class", "chip/ChipSw.class", "se/SeApplet.class",
            "se/SeSw.class");
    List<String> problems = new ArrayList<>();
    int localTables = 0;
    for (Path file : classFiles) {
      try (InputStream in = Files.newInputStream(file)) {
        ClassScan scan = new ClassScan(file.getFileName().toString(), new DataInputStream(in));
        scan.run();
        problems.addAll(scan.problems);
        localTables += scan.localVariableTables;
      }
    }
    assertThat(localTables).as("debug info present, so int locals are checked").isPositive();
    assertThat(problems).isEmpty();
  }

  @Test
  void scanner_flagsTheTypesItForbids() throws IOException {
    // The scanner must be able to fail: run it on a JDK class full of forbidden things.
    try (InputStream in = String.class.getResourceAsStream("/java/lang/Integer.class")) {
      ClassScan scan = new ClassScan("Integer.class", new DataInputStream(in));
      scan.run();
      assertThat(scan.problems).anyMatch(p -> p.contains("field"))
          .anyMatch(p -> p.contains("java/lang/String"));
    }
  }

  /** A bounded, iterative class-file reader (JVMS chapter 4) that records what it objects to. */
  private static final class ClassScan {
    private final String name;
    private final DataInputStream in;
    final List<String> problems = new ArrayList<>();
    int localVariableTables;
    private Object[] pool;
    /** Member refs (class, name-and-type) and name-and-type entries (name, descriptor). */
    private int[][] refs;

    ClassScan(String name, DataInputStream in) {
      this.name = name;
      this.in = in;
    }

    void run() throws IOException {
      in.readInt();
      in.readUnsignedShort();
      int major = in.readUnsignedShort();
      if (major > 52 && !name.equals("Integer.class")) {
        problems.add(name + ": class file version " + major + " above Java 8");
      }
      readPool();
      in.readUnsignedShort();
      in.readUnsignedShort();
      in.readUnsignedShort();
      int interfaces = in.readUnsignedShort();
      for (int i = 0; i < interfaces; i++) {
        in.readUnsignedShort();
      }
      int fields = in.readUnsignedShort();
      for (int i = 0; i < fields; i++) {
        in.readUnsignedShort();
        String field = (String) pool[in.readUnsignedShort()];
        String descriptor = (String) pool[in.readUnsignedShort()];
        boolean constant = skipAttributes();
        if (!allowedType(descriptor) && !constant) {
          problems.add(name + ": field " + field + " has type " + descriptor);
        }
      }
      int methods = in.readUnsignedShort();
      for (int i = 0; i < methods; i++) {
        in.readUnsignedShort();
        String method = (String) pool[in.readUnsignedShort()];
        String descriptor = (String) pool[in.readUnsignedShort()];
        checkSignature(method, descriptor);
        readMethodAttributes(method);
      }
    }

    private void readPool() throws IOException {
      int count = in.readUnsignedShort();
      pool = new Object[count];
      refs = new int[count][];
      int[] classNameIndex = new int[count];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> pool[i] = in.readUTF();
          case 3 -> {
            // short and byte constants (ConstantValue) are stored as CONSTANT_Integer too;
            // only a value outside the short range needs int arithmetic.
            int value = in.readInt();
            if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
              problems.add(name + ": int constant " + value + " outside the short range");
            }
          }
          case 4 -> {
            in.readInt();
            problems.add(name + ": float constant in pool");
          }
          case 5, 6 -> {
            in.readLong();
            problems.add(name + ": long/double constant in pool");
            i++;
          }
          case 7 -> classNameIndex[i] = in.readUnsignedShort();
          case 8 -> {
            in.readUnsignedShort();
            problems.add(name + ": String constant in pool");
          }
          case 9, 10, 11, 12 -> refs[i] = new int[] {in.readUnsignedShort(),
              in.readUnsignedShort()};
          case 17 -> in.readInt();
          case 18 -> {
            in.readInt();
            problems.add(name + ": invokedynamic");
          }
          case 15 -> {
            in.readUnsignedByte();
            in.readUnsignedShort();
          }
          case 16, 19, 20 -> in.readUnsignedShort();
          default -> throw new IOException(name + ": unknown constant tag " + tag);
        }
      }
      for (int i = 1; i < count; i++) {
        if (classNameIndex[i] != 0) {
          String className = (String) pool[classNameIndex[i]];
          if (!allowedClass(className)) {
            problems.add(name + ": uses class " + className);
          }
        }
      }
    }

    private static boolean allowedClass(String className) {
      String element = className.replaceFirst("^\\[+L?", "").replaceFirst(";$", "");
      if (className.startsWith("[") && element.length() == 1) {
        return "BSZ".contains(element);
      }
      return element.startsWith("javacard/") || element.startsWith("javacardx/")
          || element.startsWith("io/iotpay/card/") || element.equals("java/lang/Object");
    }

    private static boolean allowedType(String descriptor) {
      String element = descriptor.replaceFirst("^\\[+", "");
      if (element.length() == 1) {
        return "BSZ".contains(element);
      }
      return element.startsWith("L") && allowedClass(element.substring(1, element.length() - 1));
    }

    private void checkSignature(String method, String descriptor) {
      int close = descriptor.indexOf(')');
      List<String> types = splitTypes(descriptor.substring(1, close));
      String returned = descriptor.substring(close + 1);
      if (!returned.equals("V")) {
        types.add(returned);
      }
      for (String type : types) {
        if (!allowedType(type)) {
          problems.add(name + ": method " + method + " uses type " + type);
        }
      }
    }

    private static List<String> splitTypes(String params) {
      List<String> types = new ArrayList<>();
      int p = 0;
      while (p < params.length()) {
        int start = p;
        while (params.charAt(p) == '[') {
          p++;
        }
        p = params.charAt(p) == 'L' ? params.indexOf(';', p) + 1 : p + 1;
        types.add(params.substring(start, p));
      }
      return types;
    }

    /** @return true if a ConstantValue attribute was present (a compile-time constant) */
    private boolean skipAttributes() throws IOException {
      boolean constant = false;
      int count = in.readUnsignedShort();
      for (int i = 0; i < count; i++) {
        String attribute = (String) pool[in.readUnsignedShort()];
        constant |= attribute.equals("ConstantValue");
        in.skipBytes(in.readInt());
      }
      return constant;
    }

    private void readMethodAttributes(String method) throws IOException {
      int count = in.readUnsignedShort();
      for (int i = 0; i < count; i++) {
        String attribute = (String) pool[in.readUnsignedShort()];
        int length = in.readInt();
        if (!attribute.equals("Code")) {
          in.skipBytes(length);
          continue;
        }
        in.skipBytes(4);
        byte[] code = new byte[in.readInt()];
        in.readFully(code);
        scanCode(method, code);
        in.skipBytes(in.readUnsignedShort() * 8);
        readCodeAttributes(method);
      }
    }

    private void readCodeAttributes(String method) throws IOException {
      int count = in.readUnsignedShort();
      for (int i = 0; i < count; i++) {
        String attribute = (String) pool[in.readUnsignedShort()];
        int length = in.readInt();
        if (!attribute.equals("LocalVariableTable")) {
          in.skipBytes(length);
          continue;
        }
        localVariableTables++;
        int locals = in.readUnsignedShort();
        for (int l = 0; l < locals; l++) {
          in.skipBytes(4);
          String local = (String) pool[in.readUnsignedShort()];
          String descriptor = (String) pool[in.readUnsignedShort()];
          in.skipBytes(2);
          if (!allowedType(descriptor)) {
            problems.add(name + ": " + method + " local " + local + " has type " + descriptor);
          }
        }
      }
    }

    private static final String FORBIDDEN_OPCODES =
        "09 0A 0B 0C 0D 0E 0F 16 17 18 1E 1F 20 21 22 23 24 25 26 27 28 29 2F 30 31 37 38 39 "
            + "3F 40 41 42 43 44 45 46 47 48 49 4A 50 51 52 61 62 63 65 66 67 69 6A 6B 6D 6E 6F "
            + "71 72 73 75 76 77 79 7B 7D 7F 81 83 85 86 87 88 89 8A 8B 8C 8D 8E 8F 90 94 95 96 "
            + "97 98 AD AE AF";

    private void scanCode(String method, byte[] code) {
      boolean mayAllocate = ALLOCATING_METHODS.contains(method);
      int p = 0;
      while (p < code.length) {
        int op = code[p] & 0xFF;
        if (FORBIDDEN_OPCODES.contains(String.format("%02X", op))) {
          problems.add(name + ": " + method + " uses long/float/double opcode " + op);
        }
        if ((op == 0xBB || op == 0xBC || op == 0xBD || op == 0xC5) && !mayAllocate) {
          problems.add(name + ": " + method + " allocates (opcode " + op + ")");
        }
        if (op == 0xBC && (code[p + 1] == 10 || code[p + 1] == 11)) {
          problems.add(name + ": " + method + " allocates an int or long array");
        }
        if ((op == 0xB8 || op == 0xB6) && !mayAllocate) {
          String callee = memberName(((code[p + 1] & 0xFF) << 8) | (code[p + 2] & 0xFF));
          if (ALLOCATING_CALLS.contains(callee)) {
            problems.add(name + ": " + method + " calls " + callee + " after install");
          }
        }
        p += instructionLength(code, p);
      }
    }

    /** The method name a Methodref points at, through its NameAndType entry. */
    private String memberName(int refIndex) {
      int[] ref = refs[refIndex];
      if (ref == null || refs[ref[1]] == null) {
        return "";
      }
      return (String) pool[refs[ref[1]][0]];
    }

    private static int instructionLength(byte[] code, int p) {
      int op = code[p] & 0xFF;
      if (op == 0xAA || op == 0xAB) {
        int q = (p + 4) & ~3;
        if (op == 0xAA) {
          int low = readInt(code, q + 4);
          int high = readInt(code, q + 8);
          return q + 12 + (high - low + 1) * 4 - p;
        }
        return q + 8 + readInt(code, q + 4) * 8 - p;
      }
      if (op == 0xC4) {
        return (code[p + 1] & 0xFF) == 0x84 ? 6 : 4;
      }
      return LENGTHS[op];
    }

    private static int readInt(byte[] code, int p) {
      return ((code[p] & 0xFF) << 24) | ((code[p + 1] & 0xFF) << 16) | ((code[p + 2] & 0xFF) << 8)
          | (code[p + 3] & 0xFF);
    }

    private static final int[] LENGTHS = new int[256];

    static {
      java.util.Arrays.fill(LENGTHS, 1);
      LENGTHS[0x10] = 2;
      LENGTHS[0x11] = 3;
      LENGTHS[0x12] = 2;
      LENGTHS[0x13] = 3;
      LENGTHS[0x14] = 3;
      for (int op = 0x15; op <= 0x19; op++) {
        LENGTHS[op] = 2;
      }
      for (int op = 0x36; op <= 0x3A; op++) {
        LENGTHS[op] = 2;
      }
      LENGTHS[0x84] = 3;
      for (int op = 0x99; op <= 0xA8; op++) {
        LENGTHS[op] = 3;
      }
      LENGTHS[0xA9] = 2;
      for (int op = 0xB2; op <= 0xB8; op++) {
        LENGTHS[op] = 3;
      }
      LENGTHS[0xB9] = 5;
      LENGTHS[0xBA] = 5;
      LENGTHS[0xBB] = 3;
      LENGTHS[0xBC] = 2;
      LENGTHS[0xBD] = 3;
      LENGTHS[0xC0] = 3;
      LENGTHS[0xC1] = 3;
      LENGTHS[0xC5] = 4;
      LENGTHS[0xC6] = 3;
      LENGTHS[0xC7] = 3;
      LENGTHS[0xC8] = 5;
      LENGTHS[0xC9] = 5;
    }
  }
}
