package org.neurogate.gateway.dicom;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the DICOM port is open: a gateway that cannot receive is not ready. */
@Readiness
@ApplicationScoped
public class DicomScpHealthCheck implements HealthCheck {

    private final DicomScp scp;

    public DicomScpHealthCheck(DicomScp scp) {
        this.scp = scp;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("dicom-scp")
                .status(scp.isListening())
                .withData("port", scp.port())
                .build();
    }
}
