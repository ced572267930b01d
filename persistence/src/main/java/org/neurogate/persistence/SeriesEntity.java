package org.neurogate.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A series (PS3.3 C.7.3.1) and where its assembly stands. */
@Entity
@Table(name = "series")
public class SeriesEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "series_instance_uid", nullable = false, unique = true)
    public String seriesInstanceUid;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "study_ref")
    public StudyEntity study;

    public String modality;

    @Column(name = "series_number")
    public Integer seriesNumber;

    @Column(name = "series_description")
    public String seriesDescription;

    @Column(name = "sending_ae")
    public String sendingAe;

    @Enumerated(EnumType.STRING)
    public SeriesState state;

    @Column(name = "instance_count")
    public int instanceCount;

    @Column(name = "first_received_at")
    public OffsetDateTime firstReceivedAt;

    @Column(name = "last_received_at")
    public OffsetDateTime lastReceivedAt;

    @Column(name = "completed_at")
    public OffsetDateTime completedAt;
}
