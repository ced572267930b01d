package org.neurogate.gateway.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The spool file an instance streams into. A disk error, or a data set over the size limit, is
 * remembered rather than thrown, so the rest of the data set can still be drained from the association
 * and answered with 0xA700 instead of tearing the association down. Past the limit nothing more is
 * written.
 */
final class SpoolFile extends OutputStream {

    private final Path path;
    private final FileChannel channel;
    private final OutputStream out;
    private final long limit;
    private IOException failure;
    private boolean overLimit;
    private long written;

    SpoolFile(Path path, long limit) throws IOException {
        this.path = path;
        this.limit = limit;
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 256 * 1024);
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (failure != null || overLimit) {
            return;
        }
        if (written + len > limit) {
            overLimit = true;
            return;
        }
        try {
            out.write(b, off, len);
            written += len;
        } catch (IOException e) {
            failure = e;
        }
    }

    /** Flushes and fsyncs; throws the first write error if there was one. */
    void sync() throws IOException {
        if (failure != null) {
            throw failure;
        }
        out.flush();
        channel.force(true);
    }

    /** True when the data set grew past the limit; what was written is incomplete. */
    boolean overLimit() {
        return overLimit;
    }

    long bytesWritten() {
        return written;
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the file is deleted or already synced; nothing depends on close
        }
    }

    void delete() {
        close();
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a stale .part file is removed at the next start
        }
    }
}
