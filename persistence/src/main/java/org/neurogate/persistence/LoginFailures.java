package org.neurogate.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Failed logins and the lockout they cause: {@code failures} failures within {@code window}, for one
 * user name or from one address, lock it for {@code duration} from the last of them. A locked name is
 * refused even with the right password; a success clears the name's failures.
 */
@ApplicationScoped
public class LoginFailures {

    private static final int MAX_TEXT = 64;

    private final DataSource dataSource;
    private final AtomicLong recorded = new AtomicLong();

    public LoginFailures(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The lockout rule. */
    public record Rule(int failures, Duration window, Duration duration) {
    }

    public void record(String username, String address) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO login_failure (username, address) VALUES (?, ?)")) {
                ps.setString(1, cut(username));
                ps.setString(2, cut(address));
                ps.executeUpdate();
            }
            if (recorded.incrementAndGet() % 100 == 0) {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM login_failure WHERE failed_at < now() - interval '1 day'")) {
                    ps.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new CatalogUnavailableException("recording a failed login failed: " + e.getMessage(), e);
        }
    }

    public void clear(String username) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM login_failure WHERE username = ?")) {
            ps.setString(1, cut(username));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new CatalogUnavailableException("clearing failed logins failed: " + e.getMessage(), e);
        }
    }

    /** Until when the name or the address is locked, if it is locked now. */
    public Optional<OffsetDateTime> lockedUntil(String username, String address, Rule rule) {
        OffsetDateTime now = OffsetDateTime.now();
        OffsetDateTime until = null;
        for (String column : new String[] {"username", "address"}) {
            OffsetDateTime u = lockedUntil(times(column, column.equals("username") ? username : address,
                    rule.window().plus(rule.duration())), rule);
            if (u != null && u.isAfter(now) && (until == null || u.isAfter(until))) {
                until = u;
            }
        }
        return Optional.ofNullable(until);
    }

    /** The end of the latest lockout that {@code times} (ascending) earn under {@code rule}, or null. */
    static OffsetDateTime lockedUntil(List<OffsetDateTime> times, Rule rule) {
        OffsetDateTime until = null;
        for (int last = rule.failures() - 1; last < times.size(); last++) {
            OffsetDateTime first = times.get(last - rule.failures() + 1);
            if (Duration.between(first, times.get(last)).compareTo(rule.window()) <= 0) {
                until = times.get(last).plus(rule.duration());
            }
        }
        return until;
    }

    private List<OffsetDateTime> times(String column, String value, Duration lookBack) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT failed_at FROM login_failure WHERE " + column
                     + " = ? AND failed_at > now() - make_interval(secs => ?) ORDER BY failed_at")) {
            ps.setString(1, cut(value));
            ps.setDouble(2, lookBack.toMillis() / 1000.0);
            List<OffsetDateTime> times = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    times.add(rs.getObject(1, OffsetDateTime.class));
                }
            }
            return times;
        } catch (SQLException e) {
            throw new CatalogUnavailableException("reading failed logins failed: " + e.getMessage(), e);
        }
    }

    private static String cut(String text) {
        String t = text == null ? "" : text;
        return t.length() > MAX_TEXT ? t.substring(0, MAX_TEXT) : t;
    }
}
