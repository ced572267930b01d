package org.neurogate.systemtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** DCMTK tools as the scanner and the PACS. TCP_NODELAY=1 spares every PDU a 40 ms Nagle wait. */
final class Dcmtk {

    record Result(int exitCode, String output) {
        /** storescu -v prints one "Received Store Response (Success)" per acknowledged instance. */
        long successes() {
            return output.lines().filter(l -> l.contains("Received Store Response (Success")).count();
        }

        long failures() {
            return output.lines().filter(l -> l.contains("Received Store Response") && !l.contains("(Success")).count();
        }
    }

    private Dcmtk() {
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = start(command, null);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Result(process.exitValue(), output);
    }

    /** Starts a tool; its combined output goes to {@code log}, or to the process's stream when null. */
    static Process start(List<String> command, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("TCP_NODELAY", "1");
        if (log != null) {
            builder.redirectOutput(log.toFile());
        }
        return builder.start();
    }

    static Result storescu(String callingAe, int port, List<String> options, List<Path> files)
            throws IOException, InterruptedException {
        return run(storescuCommand(callingAe, port, options, files));
    }

    static List<String> storescuCommand(String callingAe, int port, List<String> options, List<Path> files) {
        List<String> command = new ArrayList<>(List.of("storescu", "-v", "-aet", callingAe, "-aec", "NEUROGATE"));
        command.addAll(options);
        command.add("localhost");
        command.add(Integer.toString(port));
        files.forEach(f -> command.add(f.toString()));
        return command;
    }

    /** A storescu running in the background while a test breaks something. */
    record Background(Process process, Path log) {
        Result finish() throws IOException, InterruptedException {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("storescu did not finish; log " + log);
            }
            return new Result(process.exitValue(), java.nio.file.Files.readString(log));
        }
    }

    static Background storescuInBackground(String callingAe, int port, List<Path> files, Path log) throws IOException {
        return new Background(start(storescuCommand(callingAe, port, List.of(), files), log), log);
    }

    static Result echoscu(String callingAe, String calledAe, int port) throws IOException, InterruptedException {
        return run(List.of("echoscu", "-v", "-aet", callingAe, "-aec", calledAe, "localhost", Integer.toString(port)));
    }
}
