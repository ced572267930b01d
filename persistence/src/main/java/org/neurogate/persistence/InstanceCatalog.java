package org.neurogate.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The record of every acknowledged instance and of series assembly.
 *
 * <p>The ingest path uses single-statement upserts so that parallel associations of the same study
 * neither deadlock nor create duplicate rows: {@code ON CONFLICT DO NOTHING} waits for a concurrent
 * inserter to commit and then sees its row.
 */
@ApplicationScoped
public class InstanceCatalog {

    private final EntityManager em;
    private final DataSource dataSource;

    @Inject
    public InstanceCatalog(EntityManager em, DataSource dataSource) {
        this.em = em;
        this.dataSource = dataSource;
    }

    /** The step that makes the instance's file durable in its final place; runs inside the recording transaction. */
    @FunctionalInterface
    public interface FilePlacement {
        void place() throws IOException;
    }

    /**
     * Records an instance in one database transaction: a known SOP Instance UID is a duplicate and
     * nothing happens; otherwise {@code placement} puts the file in place durably, the row is inserted
     * and the series' stable timer restarts, and only then is the transaction committed. The commit is
     * what makes a C-STORE success honest.
     *
     * <p>This is plain JDBC on a pooled connection rather than a JTA transaction: it is the hot path of
     * ingest, and one local transaction needs none of the transaction manager's machinery.
     *
     * @throws IOException                 when {@code placement} fails; nothing is recorded
     * @throws CatalogUnavailableException when the database fails; nothing is recorded
     */
    public RecordOutcome record(ReceivedInstance instance, FilePlacement placement) throws IOException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (exists(c, instance.sopInstanceUid())) {
                    c.rollback();
                    return RecordOutcome.DUPLICATE;
                }
                placement.place();
                int inserted = insertInstance(c, instance);
                if (inserted == 0 && findSeriesId(c, instance.series().seriesInstanceUid()).isEmpty()) {
                    createSeries(c, instance);
                    inserted = insertInstance(c, instance);
                }
                c.commit();
                // 0 here: a concurrent copy of the same instance committed first.
                return inserted == 0 ? RecordOutcome.DUPLICATE : RecordOutcome.NEW;
            } catch (SQLException | IOException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new CatalogUnavailableException("recording instance failed: " + e.getMessage(), e);
        }
    }

    /** Inserts the instance under its (existing) series and restarts the series' stable timer; 0 when nothing was inserted. */
    private static int insertInstance(Connection c, ReceivedInstance instance) throws SQLException {
        // A late instance re-opens a completed series: its stable timer starts again.
        try (PreparedStatement ps = c.prepareStatement("""
                WITH inserted AS (
                    INSERT INTO instance (sop_instance_uid, sop_class_uid, series_ref, instance_number,
                                          transfer_syntax_uid, storage_path, size_bytes, calling_ae)
                    SELECT ?, ?, s.id, ?, ?, ?, ?, ? FROM series s WHERE s.series_instance_uid = ?
                    ON CONFLICT (sop_instance_uid) DO NOTHING
                    RETURNING series_ref)
                UPDATE series SET instance_count = instance_count + 1, last_received_at = now(),
                                  state = 'RECEIVING', completed_at = NULL
                WHERE id IN (SELECT series_ref FROM inserted)""")) {
            ps.setString(1, instance.sopInstanceUid());
            ps.setString(2, instance.sopClassUid());
            ps.setObject(3, instance.instanceNumber(), Types.INTEGER);
            ps.setString(4, instance.transferSyntaxUid());
            ps.setString(5, instance.storagePath());
            ps.setLong(6, instance.sizeBytes());
            ps.setString(7, instance.callingAe());
            ps.setString(8, instance.series().seriesInstanceUid());
            return ps.executeUpdate();
        }
    }

    private static boolean exists(Connection c, String sopInstanceUid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM instance WHERE sop_instance_uid = ?")) {
            ps.setString(1, sopInstanceUid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }

    /**
     * Marks every series that received nothing for {@code stableSeconds} as COMPLETE and queues an
     * analysis job for its study when it is MR (one waiting job per study), in one statement: the timer is the {@code last_received_at} column,
     * so a restart loses nothing. A concurrent instance insert re-checks the predicate under the row
     * lock (READ COMMITTED), so a series that just got an instance is not completed.
     */
    @Transactional
    public List<CompletedSeries> completeStableSeries(int stableSeconds) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     WITH done AS (
                         UPDATE series SET state = 'COMPLETE', completed_at = now()
                         WHERE state = 'RECEIVING' AND last_received_at <= now() - make_interval(secs => ?)
                         RETURNING id, study_ref, modality, series_instance_uid, instance_count),
                     jobs AS (
                         INSERT INTO analysis_job (study_ref, state)
                         SELECT DISTINCT study_ref, 'QUEUED' FROM done WHERE modality = 'MR'
                         ON CONFLICT (study_ref) WHERE state = 'QUEUED' DO NOTHING
                         RETURNING study_ref)
                     SELECT d.series_instance_uid, d.modality, d.instance_count,
                            d.modality = 'MR' AND (j.study_ref IS NOT NULL
                                OR EXISTS (SELECT 1 FROM analysis_job q WHERE q.study_ref = d.study_ref AND q.state = 'QUEUED'))
                     FROM done d LEFT JOIN jobs j ON j.study_ref = d.study_ref""")) {
            ps.setDouble(1, stableSeconds);
            List<CompletedSeries> completed = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    completed.add(new CompletedSeries(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getBoolean(4)));
                }
            }
            return completed;
        } catch (SQLException e) {
            throw new CatalogUnavailableException("series completion failed: " + e.getMessage(), e);
        }
    }

    @Transactional
    public long queuedJobCount() {
        return AnalysisJobEntity.count("state", AnalysisJobState.QUEUED);
    }

    @Transactional
    public List<StudySummary> studies() {
        List<StudyEntity> studies = em.createQuery(
                "SELECT DISTINCT s FROM StudyEntity s LEFT JOIN FETCH s.series ORDER BY s.id", StudyEntity.class)
                .getResultList();
        return studies.stream().map(InstanceCatalog::summarise).toList();
    }

    @Transactional
    public Optional<StudySummary> study(String studyInstanceUid) {
        return em.createQuery(
                "SELECT DISTINCT s FROM StudyEntity s LEFT JOIN FETCH s.series WHERE s.studyInstanceUid = ?1",
                StudyEntity.class)
                .setParameter(1, studyInstanceUid)
                .getResultStream().findFirst().map(InstanceCatalog::summarise);
    }

    private static StudySummary summarise(StudyEntity study) {
        return new StudySummary(study.studyInstanceUid, study.studyDate, study.series.stream()
                .map(s -> new StudySummary.SeriesSummary(s.seriesInstanceUid, s.modality, s.seriesDescription,
                        s.instanceCount, s.state))
                .toList());
    }

    private static Optional<Long> findSeriesId(Connection c, String seriesInstanceUid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM series WHERE series_instance_uid = ?")) {
            ps.setString(1, seriesInstanceUid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private static void createSeries(Connection c, ReceivedInstance in) throws SQLException {
        ReceivedInstance.PatientAttributes p = in.patient();
        ReceivedInstance.StudyAttributes st = in.study();
        ReceivedInstance.SeriesAttributes se = in.series();
        update(c, """
                INSERT INTO patient (patient_key, patient_id, issuer, patient_name, birth_date, sex)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (patient_key) DO NOTHING""",
                p.patientKey(), p.patientId(), p.issuerOfPatientId(), p.patientName(), p.birthDate(), p.sex());
        update(c, """
                INSERT INTO study (study_instance_uid, patient_ref, study_date, study_time, accession_number,
                                   study_description)
                SELECT ?, id, ?, ?, ?, ? FROM patient WHERE patient_key = ?
                ON CONFLICT (study_instance_uid) DO NOTHING""",
                st.studyInstanceUid(), st.studyDate(), st.studyTime(), st.accessionNumber(),
                st.studyDescription(), p.patientKey());
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO series (series_instance_uid, study_ref, modality, series_number, series_description,
                                    sending_ae, state)
                SELECT ?, id, ?, ?, ?, ?, 'RECEIVING' FROM study WHERE study_instance_uid = ?
                ON CONFLICT (series_instance_uid) DO NOTHING""")) {
            ps.setString(1, se.seriesInstanceUid());
            ps.setString(2, se.modality());
            ps.setObject(3, se.seriesNumber(), Types.INTEGER);
            ps.setString(4, se.seriesDescription());
            ps.setString(5, in.callingAe());
            ps.setString(6, st.studyInstanceUid());
            ps.executeUpdate();
        }
    }

    private static void update(Connection c, String sql, String... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setString(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }
}
