package org.neurogate.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The packaged gateway as an operator runs it: {@code java -jar quarkus-run.jar}, configured by environment. */
final class GatewayProcess implements AutoCloseable {

    static final String ADMIN_PASSWORD = "system-test-operator-pw";
    static final String ALLOWED_AES = "STORESCU,DCMSEND,TESTSCU";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** HTTP/1.1, as browsers speak plain HTTP (they never upgrade it to cleartext HTTP/2). */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Path dataDir;
    private final Map<String, String> extraEnv;
    private final int dicomPort;
    private final int httpPort;
    private final Path log;
    private Process process;
    private int starts;
    private boolean viaLauncher;
    private boolean awaitReadiness = true;

    private GatewayProcess(Path dataDir, Map<String, String> extraEnv) throws IOException {
        this(dataDir, dataDir.getFileName().toString(), extraEnv);
    }

    private GatewayProcess(Path dataDir, String name, Map<String, String> extraEnv) throws IOException {
        this.dataDir = dataDir;
        this.extraEnv = Map.copyOf(extraEnv);
        this.dicomPort = TestEnvironment.freePort();
        this.httpPort = TestEnvironment.freePort();
        this.log = dataDir.resolveSibling(name + "-gateway.log");
    }

    static GatewayProcess start(Path dataDir, Map<String, String> extraEnv) throws Exception {
        GatewayProcess gateway = new GatewayProcess(dataDir, extraEnv);
        gateway.restart();
        return gateway;
    }

    /**
     * One of several processes on a shared data directory (the instance store) and an external
     * database, with its own log, {@code <name>-gateway.log} beside the data directory.
     */
    static GatewayProcess startNamed(Path dataDir, String name, Map<String, String> extraEnv) throws Exception {
        GatewayProcess gateway = new GatewayProcess(dataDir, name, extraEnv);
        gateway.restart();
        return gateway;
    }

    /** Started as an operator does, with {@code ./neurogate run} (the launcher's JVM options included). */
    static GatewayProcess startWithLauncher(Path dataDir, Map<String, String> extraEnv) throws Exception {
        GatewayProcess gateway = new GatewayProcess(dataDir, extraEnv);
        gateway.viaLauncher = true;
        gateway.restart();
        return gateway;
    }

    /** Started and alive (liveness up), without waiting to be ready: for tests of what readiness refuses. */
    static GatewayProcess startAlive(Path dataDir, Map<String, String> extraEnv) throws Exception {
        GatewayProcess gateway = new GatewayProcess(dataDir, extraEnv);
        gateway.awaitReadiness = false;
        gateway.restart();
        return gateway;
    }

    /** Starts (again) on the same data directory and ports, and waits until it is ready. */
    void restart() throws Exception {
        List<String> command = viaLauncher
                ? List.of(TestEnvironment.repositoryRoot().resolve("neurogate").toString(), "run")
                : new ArrayList<>(List.of(javaBinary(), "-Xmx3g", "-jar",
                        TestEnvironment.gatewayJar().toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (viaLauncher) {
            builder.directory(dataDir.getParent().toFile()); // a crash file must not land here
        }
        Map<String, String> env = builder.environment();
        if (viaLauncher) {
            env.put("NEUROGATE_JAVA_OPTS", "-Xmx3g");
        }
        env.put("NEUROGATE_DATA_DIR", dataDir.toString());
        env.put("NEUROGATE_DICOM_PORT", Integer.toString(dicomPort));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        env.put("NEUROGATE_ALLOWED_CALLING_AES", ALLOWED_AES);
        env.put("NEUROGATE_SERIES_STABLE_SECONDS", "2");
        env.put("NEUROGATE_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.putAll(extraEnv);
        process = builder.start();
        starts++;
        waitUntilReady(Duration.ofSeconds(120));
    }

    int dicomPort() {
        return dicomPort;
    }

    long pid() {
        return process.pid();
    }

    /** Open file descriptors of the gateway process (Linux /proc). */
    long openFileDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
            return fds.count();
        }
    }

    int httpPort() {
        return httpPort;
    }

    Path dataDir() {
        return dataDir;
    }

    /** The embedded PostgreSQL's port, from its postmaster.pid. */
    int databasePort() throws IOException {
        return Integer.parseInt(Files.readAllLines(dataDir.resolve("pgdata").resolve("postmaster.pid")).get(3).trim());
    }

    /** A connection to the gateway's embedded database as its application role, with the password it keeps. */
    java.sql.Connection database() throws Exception {
        return database("neurogate", "application.password");
    }

    /** The same as the cluster's superuser, for what a test must see that the application may not. */
    java.sql.Connection databaseAsSuperuser() throws Exception {
        return database("postgres", "superuser.password");
    }

    private java.sql.Connection database(String role, String passwordKey) throws Exception {
        java.util.Properties credentials = new java.util.Properties();
        try (var in = Files.newBufferedReader(dataDir.resolve("pgdata.credentials"))) {
            credentials.load(in);
        }
        return java.sql.DriverManager.getConnection("jdbc:postgresql://localhost:" + databasePort() + "/postgres",
                role, credentials.getProperty(passwordKey));
    }

    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /**
     * Whether {@code text} appears in the log within {@code seconds}: a line written just after the
     * reply to a peer (a rejection is sent first, then logged) can reach the file after the peer exits.
     */
    boolean logShows(String text, double seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (!log().contains(text)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    JsonNode api(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path, true);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    HttpResponse<String> get(String path, boolean authenticated) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path))
                .timeout(Duration.ofSeconds(30));
        if (authenticated) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An HTTP request as {@code user} (Basic), with an optional JSON body; the answer's bytes. */
    HttpResponse<byte[]> send(String method, String path, String user, String password, String jsonBody)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path))
                .timeout(Duration.ofSeconds(120))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Runs {@code java -jar <gateway> ARGS} (a CLI of the gateway, such as {@code export}) on this data
     * directory, with extra environment; answers its exit status and output.
     */
    Dcmtk.Result cli(List<String> args, Map<String, String> extraCliEnv) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar",
                TestEnvironment.gatewayJar().toAbsolutePath().toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("NEUROGATE_DATA_DIR", dataDir.toString());
        builder.environment().putAll(extraCliEnv);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", args) + " did not finish: " + output);
        }
        return new Dcmtk.Result(p.exitValue(), output);
    }

    /** The value of a Prometheus sample whose line starts with {@code name}, or 0 when absent. */
    double metric(String name) throws IOException, InterruptedException {
        for (String line : get("/q/metrics", false).body().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    /** Waits until the Prometheus sample {@code name} reaches {@code atLeast}. */
    void awaitMetric(String name, double atLeast, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (metric(name) < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not reach " + atLeast + " within " + timeout);
            }
            Thread.sleep(10);
        }
    }

    /** Polls the API until {@code condition} holds on {@code path}, returning the last answer. */
    JsonNode awaitApi(String path, Predicate<JsonNode> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = api(path);
                if (condition.test(last)) {
                    return last;
                }
            } catch (IllegalStateException | IOException notYet) {
                // e.g. 404 before the first instance is recorded, or 500 while the database reconnects
            }
            Thread.sleep(250);
        }
        throw new AssertionError("condition not met on " + path + " within " + timeout + "; last answer: " + last);
    }

    /** SIGTERM, as a supervisor stops us; answers the exit status. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("gateway did not stop within 90 s of SIGTERM");
        }
        return process.exitValue();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    private void waitUntilReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String health = awaitReadiness ? "/q/health/ready" : "/q/health/live";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("gateway exited with " + process.exitValue() + "; log:\n" + log());
            }
            try {
                int status = get(health, false).statusCode();
                // 200; or a redirect to HTTPS, where the test itself waits for readiness
                if (status == 200 || (status >= 301 && status <= 308)) {
                    return;
                }
            } catch (IOException notYet) {
                // HTTP port not open yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("gateway (start " + starts + ") not ready within " + timeout + "; log:\n" + log());
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy(); // SIGTERM: Quarkus shuts down and stops its embedded PostgreSQL
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static Map<String, String> env(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
