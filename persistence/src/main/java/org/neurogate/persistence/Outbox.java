package org.neurogate.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Delivery rows of report objects. A row is taken for sending by pushing its next attempt past the
 * send timeout under {@code FOR UPDATE SKIP LOCKED}, so two forwarders never send the same row at
 * once, and a forwarder that dies mid-send leaves the row due again after the timeout.
 */
@ApplicationScoped
public class Outbox {

    private final DataSource dataSource;
    private final AnalysisQueue queue;

    @Inject
    public Outbox(DataSource dataSource, AnalysisQueue queue) {
        this.dataSource = dataSource;
        this.queue = queue;
    }

    /** A row taken for sending. */
    public record Due(long id, String destination, String storagePath, String sopClassUid, String sopInstanceUid,
                      int attempts) {
    }

    public List<Due> take(int limit, int sendTimeoutSeconds) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     UPDATE outbox o SET next_attempt_at = now() + make_interval(secs => ?)
                     FROM report_object r
                     WHERE r.id = o.report_ref AND o.id IN (
                         SELECT id FROM outbox WHERE state = 'PENDING' AND next_attempt_at <= now()
                         ORDER BY next_attempt_at, id FOR UPDATE SKIP LOCKED LIMIT ?)
                     RETURNING o.id, o.destination, r.storage_path, r.sop_class_uid, r.sop_instance_uid, o.attempts""")) {
            ps.setDouble(1, sendTimeoutSeconds);
            ps.setInt(2, limit);
            List<Due> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Due(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getInt(6)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CatalogUnavailableException("taking outbox rows failed: " + e.getMessage(), e);
        }
    }

    public void sent(long id) {
        queue.update("UPDATE outbox SET state = 'SENT', sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ?",
                ps -> ps.setLong(1, id));
    }

    /**
     * Records a failed attempt: due again after {@code retryInSeconds}, or DEAD once
     * {@code maxAttempts} attempts have failed.
     */
    public void failed(long id, String error, double retryInSeconds, int maxAttempts) {
        queue.update("""
                UPDATE outbox SET attempts = attempts + 1, last_error = ?,
                       state = CASE WHEN attempts + 1 >= ? THEN 'DEAD' ELSE 'PENDING' END,
                       next_attempt_at = now() + make_interval(secs => ?)
                WHERE id = ?""", ps -> {
            ps.setString(1, error.length() > 1000 ? error.substring(0, 1000) : error);
            ps.setInt(2, maxAttempts);
            ps.setDouble(3, retryInSeconds);
            ps.setLong(4, id);
        });
    }

    /** Rows by state (PENDING, SENT, DEAD), for metrics. */
    public Map<String, Long> counts() {
        return queue.counts("SELECT state, count(*) FROM outbox GROUP BY state");
    }
}
