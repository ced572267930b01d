package org.neurogate.gateway.ul;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The socket's input with two clocks: every read waits at most the read timeout, and while a deadline
 * is armed, no read outlives it. The deadline is what stops a peer that drips one byte just inside each
 * read timeout from holding an association slot for ever.
 */
final class TimedInputStream extends InputStream {

    private final Socket socket;
    private final InputStream in;
    private final int readTimeoutMillis;
    private long deadlineNanos;
    private String deadlineName;
    private int currentTimeout = -1;

    TimedInputStream(Socket socket, int readTimeoutMillis) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.readTimeoutMillis = readTimeoutMillis;
    }

    /** From now on, reads fail once {@code millis} have passed; {@code name} says which limit in the error. */
    void arm(long millis, String name) {
        deadlineNanos = System.nanoTime() + millis * 1_000_000L;
        deadlineName = name;
    }

    void disarm() {
        deadlineName = null;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int timeout = readTimeoutMillis;
        if (deadlineName != null) {
            long left = (deadlineNanos - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw new DeadlineExceededException(deadlineName);
            }
            timeout = (int) Math.min(timeout, left);
        }
        if (timeout != currentTimeout) {
            socket.setSoTimeout(timeout);
            currentTimeout = timeout;
        }
        try {
            return in.read(b, off, len);
        } catch (SocketTimeoutException e) {
            if (deadlineName != null && System.nanoTime() - deadlineNanos >= 0) {
                throw new DeadlineExceededException(deadlineName);
            }
            throw e;
        }
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }
}
