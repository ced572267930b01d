package org.neurogate.systemtest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.neurogate.phantoms.SyntheticMrSeries;

/**
 * {@code ./neurogate bench abuse}: what a flood of wrong passwords costs a scanner's push. One series
 * of 170 instances (256 x 256) is pushed with storescu, median of three, while nothing else happens,
 * then while 16 threads send the admin's name with wrong passwords as fast as they can: once with the
 * password checks taking turns (the default, one at a time) and once with 16 at a time (as before the
 * limit). The login lockout is off here: it would end the flood after ten guesses. A benchmark, not a
 * test: it prints figures and asserts nothing; it runs only with {@code -Dng.bench=abuse}.
 */
@EnabledIfSystemProperty(named = "ng.bench", matches = "abuse")
class AbuseBenchmark {

    private static final int ROUNDS = 3;

    @Test
    void pushUnderAPasswordFlood() throws Exception {
        Path work = TestEnvironment.workDir("bench-abuse");
        List<Path> series = SyntheticMrSeries.write(new SyntheticMrSeries.Spec(171, 0, 170, 256, 1.0), work.resolve("series"));
        List<String> lines = new ArrayList<>();
        for (int permits : new int[] {1, 16}) {
            // The lockout would stop the flood after ten guesses; it is off here, to measure the turns alone.
            try (GatewayProcess gateway = GatewayProcess.start(work.resolve("data-" + permits),
                    Map.of("NEUROGATE_MAX_CONCURRENT_PASSWORD_CHECKS", Integer.toString(permits),
                            "NEUROGATE_LOGIN_LOCKOUT_FAILURES", "1000000000"))) {
                push(gateway, series); // warm-up, and every later push is all duplicates: same work per round
                double quiet = median(gateway, series);
                AtomicBoolean flooding = new AtomicBoolean(true);
                AtomicLong attempts = new AtomicLong();
                List<Thread> attackers = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    Thread a = new Thread(() -> flood(gateway.httpPort(), flooding, attempts));
                    a.start();
                    attackers.add(a);
                }
                long start = System.nanoTime();
                double flooded = median(gateway, series);
                double seconds = (System.nanoTime() - start) / 1e9;
                flooding.set(false);
                for (Thread a : attackers) {
                    a.join();
                }
                if (permits == 1) {
                    lines.add(String.format("  %-58s %6.2f s", "push of 170 instances, nothing else", quiet));
                }
                lines.add(String.format("  %-58s %6.2f s  (%d wrong passwords, %.0f/s)",
                        "the same under 16 password loops, " + permits + " check" + (permits == 1 ? "" : "s") + " at once",
                        flooded, attempts.get(), attempts.get() / seconds));
            }
        }
        System.out.printf("Abuse benchmark: %d cores, median of %d pushes%n", Runtime.getRuntime().availableProcessors(), ROUNDS);
        lines.forEach(System.out::println);
    }

    private static double median(GatewayProcess gateway, List<Path> series) throws Exception {
        double[] times = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long start = System.nanoTime();
            push(gateway, series);
            times[r] = (System.nanoTime() - start) / 1e9;
        }
        java.util.Arrays.sort(times);
        return times[ROUNDS / 2];
    }

    private static void push(GatewayProcess gateway, List<Path> series) throws Exception {
        Dcmtk.Result sent = Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(), series);
        if (sent.successes() != series.size()) {
            throw new IllegalStateException(sent.output());
        }
    }

    private static void flood(int httpPort, AtomicBoolean flooding, AtomicLong attempts) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String wrong = "Basic " + Base64.getEncoder().encodeToString("admin:not-the-password".getBytes(StandardCharsets.UTF_8));
        while (flooding.get()) {
            try {
                http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/api/studies"))
                        .header("Authorization", wrong).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.discarding());
                attempts.incrementAndGet();
            } catch (Exception e) {
                // keep flooding
            }
        }
    }
}
