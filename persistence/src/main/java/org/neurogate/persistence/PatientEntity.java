package org.neurogate.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A patient as the sending modality identified them (PS3.3 C.7.1.1). Holds PHI: never log its fields. */
@Entity
@Table(name = "patient")
public class PatientEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "patient_key", nullable = false, unique = true)
    public String patientKey;

    @Column(name = "patient_id")
    public String patientId;

    public String issuer;

    @Column(name = "patient_name")
    public String patientName;

    @Column(name = "birth_date")
    public String birthDate;

    public String sex;

    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;
}
