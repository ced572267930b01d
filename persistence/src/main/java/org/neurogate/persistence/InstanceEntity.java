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
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * One stored SOP instance and where its Part 10 file lies. Rows are written by {@link InstanceCatalog}
 * on the ingest path; the entity serves the readers (series assembly, analysis, export).
 */
@Entity
@Table(name = "instance")
public class InstanceEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "sop_instance_uid", nullable = false, unique = true)
    public String sopInstanceUid;

    @Column(name = "sop_class_uid", nullable = false)
    public String sopClassUid;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "series_ref")
    public SeriesEntity series;

    @Column(name = "instance_number")
    public Integer instanceNumber;

    @Column(name = "transfer_syntax_uid", nullable = false)
    public String transferSyntaxUid;

    /** Relative to the data directory. */
    @Column(name = "storage_path", nullable = false)
    public String storagePath;

    @Column(name = "size_bytes", nullable = false)
    public long sizeBytes;

    @Column(name = "calling_ae")
    public String callingAe;

    @Column(name = "received_at", insertable = false, updatable = false)
    public OffsetDateTime receivedAt;
}
