package org.neurogate.inference.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurogate.inference.roles.SeriesRole;
import org.neurogate.inference.roles.SeriesRoleRules;
import org.neurogate.inference.volume.Volume;
import org.neurogate.phantoms.AcquisitionOptions;
import org.neurogate.phantoms.PhantomStudy;
import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.geometry.Vec3;

/** Series become correctly oriented volumes; bad series become named QC failures with numbers. */
class SeriesToVolumeTest {

    private final VolumeAssembler assembler = new VolumeAssembler(VolumeAssembler.Tolerances.defaults());
    private final SeriesRoleRules roles = SeriesRoleRules.defaults();

    @Test
    void realPhilipsT1GeometryMatchesEverySlicePosition() throws Exception {
        List<Path> files = SharedSamples.files(SharedSamples.folder("dicom-philips-adni-mprage-t1"), ".dcm");
        List<SeriesVolume> result = assembler.assemble(files);
        assertEquals(1, result.size());
        SeriesVolume.Analysable t1 = assertInstanceOf(SeriesVolume.Analysable.class, result.get(0), describe(result));
        Volume v = t1.volume();
        assertEquals(170, v.nz());
        assertEquals(SeriesRole.T1, roles.classify(t1.attributes(), t1.bValue()));
        // Every file's ImagePositionPatient is the volume's position of (0, 0, k) for one k, to 0.01 mm.
        List<double[]> positions = new ArrayList<>();
        for (Path f : files) {
            AttributeList list = new AttributeList();
            list.read(f.toFile(), TagFromName.PixelData);
            positions.add(Attribute.getDoubleValues(list, TagFromName.ImagePositionPatient));
            double[] iop = Attribute.getDoubleValues(list, TagFromName.ImageOrientationPatient);
            assertArrayEquals(new double[] {iop[0], iop[1], iop[2]}, v.axis(0), 1e-4);
        }
        double[] normal = v.axis(2);
        positions.sort(Comparator.comparingDouble(p -> p[0] * normal[0] + p[1] * normal[1] + p[2] * normal[2]));
        for (int k = 0; k < v.nz(); k++) {
            assertArrayEquals(positions.get(k), v.voxelToPatient(0, 0, k), 0.01, "slice " + k);
        }
    }

    @Test
    void siemensEnhancedSeriesAndTheirRoles() throws Exception {
        Path dir = SharedSamples.folder("dicom-siemens-xa30-enhanced");
        Map<String, SeriesRole> expected = Map.of("5_anat-T1w_acq-tfl", SeriesRole.T1, "6_anat-T1w_acq-tfl", SeriesRole.T1,
                "11_DWI_dir80_PA", SeriesRole.ADC,
                "12_DWI_dir80_PA", SeriesRole.DWI_B1000, "13_DWI_dir80_PA", SeriesRole.OTHER,
                "16_DWI_dir80_PA", SeriesRole.DWI_B0);
        for (Map.Entry<String, SeriesRole> e : expected.entrySet()) {
            List<SeriesVolume> result = assembler.assemble(SharedSamples.files(dir.resolve(e.getKey()), ".dcm"));
            SeriesVolume.Analysable a = assertInstanceOf(SeriesVolume.Analysable.class, result.get(0), describe(result));
            assertEquals(e.getValue(), roles.classify(a.attributes(), a.bValue()), e.getKey());
            assertTrue(a.volume().nz() > 20, e.getKey() + " slices " + a.volume().nz());
        }
        List<SeriesVolume> colour = assembler.assemble(SharedSamples.files(dir.resolve("14_DWI_dir80_PA"), ".dcm"));
        SeriesVolume.NotAnalysable rgb = assertInstanceOf(SeriesVolume.NotAnalysable.class, colour.get(0));
        assertEquals(QcFailure.Reason.UNSUPPORTED_PHOTOMETRIC_INTERPRETATION, rgb.failure().reason());
        assertTrue(rgb.failure().describe().contains("RGB"));
    }

    /** A series holding only a presentation state is no image, not a broken one. */
    @Test
    void aPresentationStateSeriesIsNotAnImageSeries(@TempDir Path dir) throws Exception {
        AttributeList state = new AttributeList();
        put(state, TagFromName.SOPClassUID, "1.2.840.10008.5.1.4.1.1.11.1"); // Grayscale Softcopy Presentation State
        put(state, TagFromName.SOPInstanceUID, "1.2.826.0.1.3680043.10.1.77.1");
        put(state, TagFromName.SeriesInstanceUID, "1.2.826.0.1.3680043.10.1.77");
        put(state, TagFromName.StudyInstanceUID, "1.2.826.0.1.3680043.10.1.7");
        put(state, TagFromName.Modality, "PR");
        com.pixelmed.dicom.FileMetaInformation.addFileMetaInformation(state, "1.2.840.10008.1.2.1", "NEUROGATE");
        Path file = dir.resolve("pr.dcm");
        state.write(file.toFile(), "1.2.840.10008.1.2.1", true, true);
        List<SeriesVolume> result = assembler.assemble(List.of(file));
        SeriesVolume.NotAnalysable n = assertInstanceOf(SeriesVolume.NotAnalysable.class, result.get(0), describe(result));
        assertEquals(QcFailure.Reason.NOT_AN_IMAGE, n.failure().reason());
        assertTrue(n.failure().describe().startsWith("not an image series: "), n.failure().describe());
    }

    private static void put(AttributeList list, com.pixelmed.dicom.AttributeTag tag, String value) throws Exception {
        Attribute a = com.pixelmed.dicom.AttributeFactory.newAttribute(tag);
        a.addValue(value);
        list.put(a);
    }

    @Test
    void philipsDwiSplitsByBValue() throws Exception {
        List<Path> files = SharedSamples.files(SharedSamples.folder("dicom-philips-dwi-dicomdir").resolve("DICOM"), null);
        SeriesReader.ReadSeries series = SeriesReader.read(files.stream().filter(f -> isDti(f)).toList());
        List<SeriesVolume> result = assembler.assemble(series.attributes(), series.frames());
        List<SeriesRole> found = new ArrayList<>();
        for (SeriesVolume s : result) {
            SeriesVolume.Analysable a = assertInstanceOf(SeriesVolume.Analysable.class, s, describe(result));
            found.add(roles.classify(a.attributes(), a.bValue()));
        }
        assertTrue(found.contains(SeriesRole.DWI_B0) && found.contains(SeriesRole.DWI_B1000), found.toString());
    }

    @Test
    void everyTransferSyntaxDecodesToTheSamePixelsOrFailsByName() throws Exception {
        List<Path> files = SharedSamples.files(SharedSamples.folder("dicom-transfer-syntaxes"), ".dcm");
        float[] reference = SeriesReader.read(List.of(files.get(0))).frames().get(0).pixels();
        for (Path f : files) {
            String syntax = Attribute.getSingleStringValueOrNull(header(f), TagFromName.TransferSyntaxUID);
            try {
                float[] pixels = SeriesReader.read(List.of(f)).frames().get(0).pixels();
                assertArrayEquals(reference, pixels, 0f, f.getFileName() + " (" + syntax + ")");
            } catch (QcException e) {
                assertEquals("1.2.840.10008.1.2.4.80", syntax, "only JPEG-LS lacks a decoder: " + e.getMessage());
                assertEquals(QcFailure.Reason.UNDECODABLE_TRANSFER_SYNTAX, e.failure().reason());
            }
        }
        // A single mosaic image is not a volume.
        List<SeriesVolume> mosaic = assembler.assemble(List.of(files.get(0)));
        SeriesVolume.NotAnalysable localizer = assertInstanceOf(SeriesVolume.NotAnalysable.class, mosaic.get(0));
        assertEquals(QcFailure.Reason.TOO_FEW_SLICES, localizer.failure().reason());
        assertEquals(SeriesRole.OTHER, roles.classify(localizer.attributes(), null));
    }

    @Test
    void phantomSeriesGetTheirRolesAndGeometry(@TempDir Path dir) throws Exception {
        for (boolean enhanced : new boolean[] {false, true}) {
            Path study = dir.resolve(enhanced ? "enhanced" : "classic");
            PhantomStudy.write(new Subject(70, 66, Subject.Sex.M, Subject.Diagnosis.CN, 9, -5, 3, new Vec3(2, 1, -3), 0, 1, 8),
                    new AcquisitionOptions(AcquisitionOptions.Plane.CORONAL, 6, enhanced,
                            AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN, 30), study);
            List<SeriesRole> found = new ArrayList<>();
            for (String series : List.of("01_t1", "02_flair", "03_dwi", "04_adc")) {
                for (SeriesVolume s : assembler.assemble(SharedSamples.files(study.resolve("dicom").resolve(series), ".dcm"))) {
                    SeriesVolume.Analysable a = assertInstanceOf(SeriesVolume.Analysable.class, s, describe(List.of(s)));
                    found.add(roles.classify(a.attributes(), a.bValue()));
                }
            }
            assertEquals(List.of(SeriesRole.T1, SeriesRole.FLAIR, SeriesRole.DWI_B0, SeriesRole.DWI_B1000, SeriesRole.ADC),
                    found, enhanced ? "enhanced" : "classic");
        }
    }

    @Test
    void rescaleSlopeAndInterceptAreApplied(@TempDir Path dir) throws Exception {
        List<Path> files = org.neurogate.phantoms.SyntheticMrSeries.write(
                new org.neurogate.phantoms.SyntheticMrSeries.Spec(5, 0, 6, 16, 1.0), dir.resolve("raw"));
        List<Path> rescaled = new ArrayList<>();
        for (Path f : files) {
            AttributeList list = new AttributeList();
            list.read(f.toFile());
            Attribute slope = new com.pixelmed.dicom.DecimalStringAttribute(TagFromName.RescaleSlope);
            slope.addValue(2.5);
            Attribute intercept = new com.pixelmed.dicom.DecimalStringAttribute(TagFromName.RescaleIntercept);
            intercept.addValue(-100);
            list.put(slope);
            list.put(intercept);
            Path out = dir.resolve("scaled-" + f.getFileName());
            list.write(out.toFile(), com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian, true, true);
            rescaled.add(out);
        }
        float[] raw = SeriesReader.read(files).frames().get(3).pixels();
        float[] scaled = SeriesReader.read(rescaled).frames().get(3).pixels();
        for (int v = 0; v < raw.length; v++) {
            assertEquals(2.5f * raw[v] - 100, scaled[v], 1e-3f);
        }
    }

    private static boolean isDti(Path f) {
        try {
            return "DTI_Biobank_2mm_MB3S2_EPI".equals(Attribute.getSingleStringValueOrNull(header(f), TagFromName.SeriesDescription));
        } catch (Exception e) {
            return false;
        }
    }

    private static AttributeList header(Path f) throws Exception {
        AttributeList list = new AttributeList();
        list.read(f.toFile(), TagFromName.PixelData);
        return list;
    }

    private static String describe(List<SeriesVolume> result) {
        StringBuilder b = new StringBuilder();
        for (SeriesVolume s : result) {
            if (s instanceof SeriesVolume.NotAnalysable n) {
                b.append(n.failure().describe()).append('\n');
            }
        }
        return b.toString();
    }
}
