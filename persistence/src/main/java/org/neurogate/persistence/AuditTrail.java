package org.neurogate.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The audit trail's table: events appended in batches, read back by an admin with filters, newest
 * first; and the digests of the settings at the last start, to tell what changed since.
 */
@ApplicationScoped
public class AuditTrail {

    /** At most this many rows per read. */
    public static final int MAX_PAGE = 1000;

    /** One event as it happened. Text is cut to its column; none of it is a patient's name or ID. */
    public record Recorded(AuditEvent event, int outcome, String username, String userRole, String sourceAddress,
                           String objectType, String objectId, Integer instances, String detail) {
    }

    /** One row as read back. */
    public record Entry(long id, OffsetDateTime recordedAt, String kind, String eventCode, String eventTypeCode,
                        String action, int outcome, String username, String userRole, String sourceAddress,
                        String objectType, String objectId, Integer instances, String detail, String process) {
    }

    /** What to read: every field is optional; {@code beforeId} pages back from the previous page's last id. */
    public record Filter(Optional<OffsetDateTime> from, Optional<OffsetDateTime> to, Optional<String> kind,
                         Optional<String> username, Optional<Integer> outcome, Optional<String> objectId,
                         Optional<String> sourceAddress, Optional<Long> beforeId, int limit) {
    }

    private static final String INSERT = """
            INSERT INTO audit_event (recorded_at, kind, event_code, event_type_code, action, outcome, username,
                                     user_role, source_address, object_type, object_id, instances, detail, process)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /** This machine's host name, as the trail and the audit messages name it. */
    public static final String HOST = hostName();

    /** This process, as the trail names it: host and pid. */
    public static final String PROCESS = HOST + ":" + ProcessHandle.current().pid();

    private final AnalysisQueue queue;

    public AuditTrail(AnalysisQueue queue) {
        this.queue = queue;
    }

    /** Appends the events, each with the time it happened, in one transaction. */
    public void append(List<Map.Entry<OffsetDateTime, Recorded>> events) {
        queue.inTransaction("writing the audit trail", c -> {
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (Map.Entry<OffsetDateTime, Recorded> e : events) {
                    bind(ps, e.getKey(), e.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return true;
        });
    }

    /** Appends one event in the caller's transaction, so that it stands or falls with the change it records. */
    public static void append(Connection c, Recorded event) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            bind(ps, OffsetDateTime.now(), event);
            ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, OffsetDateTime at, Recorded r) throws SQLException {
        ps.setObject(1, at);
        ps.setString(2, r.event().kind());
        ps.setString(3, r.event().eventId().value());
        ps.setString(4, r.event().eventType().map(AuditEvent.Code::value).orElse(null));
        ps.setString(5, String.valueOf(r.event().action()));
        ps.setInt(6, r.outcome());
        ps.setString(7, cut(r.username(), 64));
        ps.setString(8, cut(r.userRole(), 32));
        ps.setString(9, cut(r.sourceAddress(), 64));
        ps.setString(10, cut(r.objectType(), 32));
        ps.setString(11, cut(r.objectId(), 128));
        if (r.instances() == null) {
            ps.setNull(12, Types.INTEGER);
        } else {
            ps.setInt(12, r.instances());
        }
        ps.setString(13, cut(r.detail(), 1000));
        ps.setString(14, cut(PROCESS, 64));
    }

    public List<Entry> read(Filter filter) {
        StringBuilder where = new StringBuilder("TRUE");
        List<Object> values = new ArrayList<>();
        filter.from().ifPresent(v -> condition(where, values, "recorded_at >= ?", v));
        filter.to().ifPresent(v -> condition(where, values, "recorded_at < ?", v));
        filter.kind().ifPresent(v -> condition(where, values, "kind = ?", v));
        filter.username().ifPresent(v -> condition(where, values, "username = ?", v));
        filter.outcome().ifPresent(v -> condition(where, values, "outcome = ?", v));
        filter.objectId().ifPresent(v -> condition(where, values, "object_id = ?", v));
        filter.sourceAddress().ifPresent(v -> condition(where, values, "source_address = ?", v));
        filter.beforeId().ifPresent(v -> condition(where, values, "id < ?", v));
        int limit = Math.max(1, Math.min(MAX_PAGE, filter.limit()));
        return queue.list("""
                SELECT id, recorded_at, kind, event_code, event_type_code, action, outcome, username, user_role,
                       source_address, object_type, object_id, instances, detail, process
                FROM audit_event WHERE %s ORDER BY id DESC LIMIT %d""".formatted(where, limit), ps -> {
                    for (int i = 0; i < values.size(); i++) {
                        ps.setObject(i + 1, values.get(i));
                    }
                }, rs -> new Entry(rs.getLong(1), rs.getObject(2, OffsetDateTime.class), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7), rs.getString(8),
                        rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12),
                        (Integer) rs.getObject(13), rs.getString(14), rs.getString(15)), "reading the audit trail");
    }

    private static void condition(StringBuilder where, List<Object> values, String sql, Object value) {
        where.append(" AND ").append(sql);
        values.add(value);
    }

    /** The settings' digests recorded at this node's last start, by name; empty on the first start. */
    public Map<String, String> settingDigests(String node) {
        Map<String, String> digests = new HashMap<>();
        queue.list("SELECT name, digest FROM audited_setting WHERE node = ?", ps -> ps.setString(1, cut(node, 64)),
                rs -> digests.put(rs.getString(1), rs.getString(2)), "reading the audited settings");
        return digests;
    }

    /** Replaces this node's recorded digests with {@code digests}. */
    public void recordSettingDigests(String node, Map<String, String> digests) {
        queue.inTransaction("recording the audited settings", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM audited_setting WHERE node = ?")) {
                ps.setString(1, cut(node, 64));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    // Processes of one node starting together (several on a shared data directory) must not
                    // fail each other's start: the last to write wins.
                    """
                    INSERT INTO audited_setting (node, name, digest) VALUES (?, ?, ?)
                    ON CONFLICT (node, name) DO UPDATE SET digest = EXCLUDED.digest""")) {
                for (Map.Entry<String, String> d : digests.entrySet()) {
                    ps.setString(1, cut(node, 64));
                    ps.setString(2, cut(d.getKey(), 200));
                    ps.setString(3, d.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return true;
        });
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
