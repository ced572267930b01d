package org.neurogate.inference.brainage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a little-endian float32, C-order NumPy .npy array: the known-answer tensors of the model folder. */
final class Npy {

    record Array(float[] values, int[] shape) {
    }

    private Npy() {
    }

    static Array read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        b.get(magic);
        if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IOException(file + " is not a .npy file");
        }
        int major = b.get();
        b.get();
        int headerLength = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
        byte[] header = new byte[headerLength];
        b.get(header);
        String dict = new String(header, StandardCharsets.ISO_8859_1);
        if (!dict.contains("'descr': '<f4'") || !dict.contains("'fortran_order': False")) {
            throw new IOException(file + ": not little-endian float32 in C order: " + dict.strip());
        }
        Matcher m = Pattern.compile("'shape': \\(([0-9, ]*)\\)").matcher(dict);
        if (!m.find()) {
            throw new IOException(file + ": no shape in " + dict.strip());
        }
        int[] shape = Arrays.stream(m.group(1).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        float[] values = new float[Arrays.stream(shape).reduce(1, (x, y) -> x * y)];
        b.asFloatBuffer().get(values);
        return new Array(values, shape);
    }
}
