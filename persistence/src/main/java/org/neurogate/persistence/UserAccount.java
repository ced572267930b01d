package org.neurogate.persistence;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.Optional;

/** A person who may use the HTTP API; the password is stored as a bcrypt hash only. */
@Entity
@Table(name = "app_user")
public class UserAccount extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String username;

    @Column(name = "password_hash")
    public String passwordHash;

    public String role;

    /** The name this person signs reports with (DICOM PN, Family^Given); null means the user name. */
    @Column(name = "full_name")
    public String fullName;

    /** A disabled account cannot log in, and its open sessions end at their next request. */
    public boolean disabled;

    /** Set when an admin chose the password (a new account, a reset): the user must pick their own first. */
    @Column(name = "must_change_password")
    public boolean mustChangePassword;

    @Column(name = "password_changed_at")
    public java.time.OffsetDateTime passwordChangedAt;

    public String observerName() {
        return fullName == null || fullName.isBlank() ? username : fullName;
    }

    public static Optional<UserAccount> findByUsername(String username) {
        return find("username", username).firstResultOptional();
    }

    public void setPassword(String clearText) {
        passwordHash = BcryptUtil.bcryptHash(clearText);
        passwordChangedAt = java.time.OffsetDateTime.now();
    }

    /** Enabled admins other than {@code except}: an admin must not lock the last one out. */
    public static long otherEnabledAdmins(String except) {
        return count("role = ?1 and disabled = false and username <> ?2", "admin", except);
    }

    public boolean passwordMatches(String clearText) {
        return hashMatches(passwordHash, clearText);
    }

    public static boolean hashMatches(String passwordHash, String clearText) {
        return BcryptUtil.matches(clearText, passwordHash);
    }
}
