package org.neurogate.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** A study (PS3.3 C.7.2.1), keyed by its Study Instance UID. */
@Entity
@Table(name = "study")
public class StudyEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "study_instance_uid", nullable = false, unique = true)
    public String studyInstanceUid;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "patient_ref")
    public PatientEntity patient;

    @Column(name = "study_date")
    public String studyDate;

    @Column(name = "study_time")
    public String studyTime;

    @Column(name = "accession_number")
    public String accessionNumber;

    @Column(name = "study_description")
    public String studyDescription;

    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    @OneToMany(mappedBy = "study", fetch = FetchType.LAZY)
    @OrderBy("seriesNumber, seriesInstanceUid")
    public List<SeriesEntity> series = new ArrayList<>();
}
