package org.neurogate.inference.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds an ONNX model (onnx.proto3: ModelProto, GraphProto, NodeProto, TensorProto) in code. Used for
 * the reference pack, whose models are written by the build, and by the MeshNet importer.
 */
public final class OnnxGraph {

    /** TensorProto.DataType FLOAT. */
    private static final int FLOAT = 1;
    private static final int INT64 = 7;
    private static final long IR_VERSION = 8;
    private static final long OPSET = 17;

    private final String name;
    private final List<ProtobufWriter> nodes = new ArrayList<>();
    private final List<ProtobufWriter> initializers = new ArrayList<>();
    private final List<ProtobufWriter> inputs = new ArrayList<>();
    private final List<ProtobufWriter> outputs = new ArrayList<>();
    private int counter;

    public OnnxGraph(String name) {
        this.name = name;
    }

    /** A float input; a negative dimension is symbolic (named d0, d1, ...). */
    public OnnxGraph input(String tensor, long... dims) {
        inputs.add(valueInfo(tensor, dims));
        return this;
    }

    public OnnxGraph output(String tensor, long... dims) {
        outputs.add(valueInfo(tensor, dims));
        return this;
    }

    public OnnxGraph initializer(String tensor, float[] values, long... dims) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        if (count != values.length) {
            throw new IllegalArgumentException("initializer " + tensor + ": dims need " + count + " values, got " + values.length);
        }
        ProtobufWriter t = new ProtobufWriter();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, FLOAT).string(8, tensor).bytes(9, ProtobufWriter.rawFloats(values));
        initializers.add(t);
        return this;
    }

    public OnnxGraph int64Initializer(String tensor, long[] values) {
        ProtobufWriter t = new ProtobufWriter();
        t.varint(1, values.length).varint(2, INT64).string(8, tensor);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        t.bytes(9, b.array());
        initializers.add(t);
        return this;
    }

    /** A scalar float constant as an initializer; returns its name. */
    public String constant(float value) {
        String tensor = "const_" + (counter++);
        initializer(tensor, new float[] {value});
        return tensor;
    }

    /** Adds a node; attributes are name/value pairs (Long, long[], Float, String). Returns its first output. */
    public String node(String opType, List<String> in, String out, Object... attributes) {
        ProtobufWriter n = new ProtobufWriter();
        for (String i : in) {
            n.string(1, i);
        }
        n.string(2, out).string(3, opType + "_" + (counter++)).string(4, opType);
        for (int a = 0; a < attributes.length; a += 2) {
            n.message(5, attribute((String) attributes[a], attributes[a + 1]));
        }
        nodes.add(n);
        return out;
    }

    /** A fresh intermediate tensor name. */
    public String temp(String hint) {
        return hint + "_" + (counter++);
    }

    public byte[] toBytes() {
        ProtobufWriter graph = new ProtobufWriter();
        nodes.forEach(n -> graph.message(1, n));
        graph.string(2, name);
        initializers.forEach(i -> graph.message(5, i));
        inputs.forEach(i -> graph.message(11, i));
        outputs.forEach(o -> graph.message(12, o));
        ProtobufWriter opset = new ProtobufWriter().string(1, "").varint(2, OPSET);
        return new ProtobufWriter().varint(1, IR_VERSION).string(2, "neurogate").string(3, "0.1")
                .message(7, graph).message(8, opset).toByteArray();
    }

    private static ProtobufWriter attribute(String name, Object value) {
        ProtobufWriter a = new ProtobufWriter().string(1, name);
        if (value instanceof Float f) {
            a.float32(2, f).varint(20, 1);
        } else if (value instanceof Long l) {
            a.varint(3, l).varint(20, 2);
        } else if (value instanceof Integer i) {
            a.varint(3, i).varint(20, 2);
        } else if (value instanceof String s) {
            a.string(4, s).varint(20, 3);
        } else if (value instanceof long[] ints) {
            for (long i : ints) {
                a.varint(8, i);
            }
            a.varint(20, 7);
        } else {
            throw new IllegalArgumentException("unsupported attribute " + name + ": " + value);
        }
        return a;
    }

    private static ProtobufWriter valueInfo(String tensor, long... dims) {
        ProtobufWriter shape = new ProtobufWriter();
        for (int i = 0; i < dims.length; i++) {
            ProtobufWriter dim = new ProtobufWriter();
            if (dims[i] >= 0) {
                dim.varint(1, dims[i]);
            } else {
                dim.string(2, "d" + i);
            }
            shape.message(1, dim);
        }
        ProtobufWriter tensorType = new ProtobufWriter().varint(1, FLOAT).message(2, shape);
        ProtobufWriter type = new ProtobufWriter().message(1, tensorType);
        return new ProtobufWriter().string(1, tensor).message(2, type);
    }
}
