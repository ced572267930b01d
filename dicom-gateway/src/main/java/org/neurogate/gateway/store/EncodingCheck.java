package org.neurogate.gateway.store;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Walks a data set's element headers (PS3.5 7.1 - 7.5) without reading values, and refuses what a
 * lenient parser would quietly accept or fail on badly: an item or delimiter tag at the top level or
 * where none belongs, a VR that is not a VR, a value or item that overruns its container or the file,
 * and sequence nesting deep enough to exhaust a recursive parser's stack. It is iterative, so a
 * hostile nesting costs it nothing but a counter.
 *
 * <p>A value of undefined length in VR UN holds an implicit VR little endian sequence (PS3.5 6.2.2),
 * walked as such. An implicit VR sequence of defined length cannot be told from other bytes without a
 * dictionary; its content is left to the parser (whose stack overflow is caught as a refusal).
 *
 * <p>The walk also notes where the top-level pixel data element is, so the parser can stop there and
 * never decode the pixels it would only have counted.
 */
final class EncodingCheck {

    /** Far deeper than any real image's nesting; a recursive parser still has stack to spare here. */
    static final int MAX_NESTING = 64;

    private static final long UNDEFINED = 0xFFFFFFFFL;
    private static final Set<String> VRS = Set.of("AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS",
            "LO", "LT", "OB", "OD", "OF", "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC",
            "UI", "UL", "UN", "UR", "US", "UT", "UV");
    /** VRs with a reserved field and a 32-bit length in explicit VR (PS3.5 table 7.1-1). */
    private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN",
            "UR", "UT", "SV", "UV");

    private static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    private static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";
    private static final String DEFLATED = "1.2.840.10008.1.2.1.99";

    /** The encoding is broken; the message says how, for the sender's error comment. */
    static final class Broken extends Exception {
        Broken(String message) {
            super(message);
        }
    }

    /**
     * The first top-level Pixel Data, Float Pixel Data or Double Float Pixel Data element: its tag, the
     * offset of its tag from the start of the data set, and its value length ({@code 0xFFFFFFFF} for
     * encapsulated fragments).
     */
    record PixelElement(int element, long offset, long length) {
        boolean encapsulated() {
            return length == UNDEFINED;
        }
    }

    private enum Kind { SEQUENCE, ITEM, FRAGMENTS }

    /** An open container: where it ends (or UNDEFINED) and how its content is encoded. */
    private record Frame(Kind kind, long end, boolean implicit) {
    }

    private final Reader in;
    private final boolean implicitTop;
    private final Deque<Frame> open = new ArrayDeque<>();
    private PixelElement pixels;

    private EncodingCheck(Reader in, boolean implicitTop) {
        this.in = in;
        this.implicitTop = implicitTop;
    }

    /**
     * Checks the data set that starts {@code offset} bytes into {@code file}, encoded in {@code transferSyntax}.
     *
     * @return its top-level pixel data element, or null when it has none
     */
    static PixelElement check(Path file, long offset, String transferSyntax) throws Broken, IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            raw.skipNBytes(offset);
            InputStream data = DEFLATED.equals(transferSyntax)
                    ? new InflaterInputStream(raw, new Inflater(true), 64 * 1024) : raw;
            Reader reader = new Reader(new BufferedInputStream(data, 64 * 1024), !EXPLICIT_BE.equals(transferSyntax));
            EncodingCheck walk = new EncodingCheck(reader, IMPLICIT_LE.equals(transferSyntax));
            walk.walk();
            return walk.pixels;
        }
    }

    private void walk() throws Broken, IOException {
        while (true) {
            closeFinished();
            long tagOffset;
            int group;
            try {
                tagOffset = in.position();
                group = in.u16();
            } catch (EOFException end) {
                if (!open.isEmpty()) {
                    throw new Broken("data set ends inside a sequence");
                }
                return;
            }
            int element = in.u16();
            boolean implicit = open.isEmpty() ? implicitTop : open.peek().implicit();
            if (group == 0xFFFE) {
                delimiter(element);
                continue;
            }
            Frame container = open.peek();
            if (container != null && container.kind() != Kind.ITEM) {
                throw new Broken(String.format("element (%04X,%04X) in a sequence outside any item", group, element));
            }
            String vr = null;
            long length;
            if (implicit) {
                length = in.u32();
            } else {
                vr = in.ascii2();
                if (!VRS.contains(vr)) {
                    throw new Broken(String.format("element (%04X,%04X) has no valid VR (bytes '%s')", group, element,
                            printable(vr)));
                }
                if (LONG_VRS.contains(vr)) {
                    in.u16();
                    length = in.u32();
                } else {
                    length = in.u16();
                }
            }
            boolean pixelData = group == 0x7FE0 && element == 0x0010;
            if (open.isEmpty() && pixels == null && group == 0x7FE0
                    && (element == 0x0010 || element == 0x0008 || element == 0x0009)) {
                pixels = new PixelElement(element, tagOffset, length);
            }
            if (length == UNDEFINED) {
                if (pixelData && !implicit && ("OB".equals(vr) || "OW".equals(vr))) {
                    open.push(new Frame(Kind.FRAGMENTS, UNDEFINED, false));
                } else if (implicit || "SQ".equals(vr) || "UN".equals(vr)) {
                    openSequence(UNDEFINED, implicit || "UN".equals(vr), group, element);
                } else {
                    throw new Broken(String.format("undefined length on (%04X,%04X) %s", group, element, vr));
                }
            } else if ("SQ".equals(vr)) {
                openSequence(in.position() + length, false, group, element);
            } else {
                skipWithin(length, group, element);
            }
        }
    }

    private void openSequence(long end, boolean implicit, int group, int element) throws Broken {
        long depth = open.stream().filter(f -> f.kind() == Kind.SEQUENCE).count() + 1;
        if (depth > MAX_NESTING) {
            throw new Broken("sequences nested deeper than " + MAX_NESTING + " levels");
        }
        requireWithinContainer(end, group, element);
        open.push(new Frame(Kind.SEQUENCE, end, implicit));
    }

    private void delimiter(int element) throws Broken, IOException {
        long length = in.u32();
        Frame container = open.peek();
        if (container == null) {
            throw new Broken(String.format("stray (FFFE,%04X) at the top level of the data set", element));
        }
        switch (element) {
            case 0xE000 -> {
                if (container.kind() == Kind.FRAGMENTS) {
                    if (length == UNDEFINED) {
                        throw new Broken("Pixel Data fragment of undefined length");
                    }
                    skipWithin(length, 0xFFFE, 0xE000);
                } else if (container.kind() == Kind.SEQUENCE) {
                    long end = length == UNDEFINED ? UNDEFINED : in.position() + length;
                    requireWithinContainer(end, 0xFFFE, 0xE000);
                    open.push(new Frame(Kind.ITEM, end, container.implicit()));
                } else {
                    throw new Broken("item inside an item without a sequence");
                }
            }
            case 0xE00D -> {
                if (container.kind() != Kind.ITEM || container.end() != UNDEFINED) {
                    throw new Broken("item delimiter outside an item of undefined length");
                }
                open.pop();
            }
            case 0xE0DD -> {
                if (container.kind() == Kind.ITEM || container.end() != UNDEFINED) {
                    throw new Broken("sequence delimiter outside a sequence of undefined length");
                }
                open.pop();
            }
            default -> throw new Broken(String.format("unknown delimiter tag (FFFE,%04X)", element));
        }
    }

    /** Closes every container of defined length that ends here; one overrun is an error. */
    private void closeFinished() throws Broken {
        while (!open.isEmpty() && open.peek().end() != UNDEFINED) {
            long end = open.peek().end();
            if (in.position() < end) {
                return;
            }
            if (in.position() > end) {
                throw new Broken("an element overruns its item or sequence");
            }
            open.pop();
        }
    }

    /** A value, item or sequence ending at {@code end} must end within the innermost container of defined length. */
    private void requireWithinContainer(long end, int group, int element) throws Broken {
        if (end == UNDEFINED) {
            return;
        }
        for (Frame f : open) {
            if (f.end() != UNDEFINED) {
                if (end > f.end()) {
                    throw new Broken(String.format("(%04X,%04X) overruns its item or sequence", group, element));
                }
                return;
            }
        }
    }

    private void skipWithin(long length, int group, int element) throws Broken, IOException {
        requireWithinContainer(in.position() + length, group, element);
        try {
            in.skip(length);
        } catch (EOFException e) {
            throw new Broken(String.format("data set truncated inside (%04X,%04X)", group, element));
        }
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\x%02X", (int) c));
        }
        return b.toString();
    }

    /** Little or big endian reads that count bytes; EOFException at the end. */
    private static final class Reader {
        private final InputStream in;
        private final boolean little;
        private long position;

        Reader(InputStream in, boolean little) {
            this.in = in;
            this.little = little;
        }

        long position() {
            return position;
        }

        private int byteOrEof() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            position++;
            return b;
        }

        int u16() throws IOException {
            int a = byteOrEof();
            int b = byteOrEof();
            return little ? a | (b << 8) : (a << 8) | b;
        }

        long u32() throws IOException {
            long a = u16();
            long b = u16();
            return little ? a | (b << 16) : (a << 16) | b;
        }

        String ascii2() throws IOException {
            return new String(new char[] {(char) byteOrEof(), (char) byteOrEof()});
        }

        void skip(long n) throws IOException {
            in.skipNBytes(n);
            position += n;
        }
    }
}
