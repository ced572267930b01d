package org.neurogate.phantoms.dicom;

import static org.neurogate.phantoms.dicom.MrImageWriter.number;
import static org.neurogate.phantoms.dicom.MrImageWriter.put;
import static org.neurogate.phantoms.dicom.MrImageWriter.vector;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.AttributeTagAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UnsignedLongAttribute;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.neurogate.phantoms.RenderedSeries;
import org.neurogate.phantoms.SeriesRole;
import org.neurogate.phantoms.geometry.ImageGrid;

/**
 * Writes a rendered series as one Enhanced MR Image Storage object (PS3.3 A.36.2): every slice (and
 * b-value) a frame, geometry in the per-frame Plane Position and shared Plane Orientation and Pixel
 * Measures functional groups, frames indexed by stack position (and b-value).
 *
 * <p>The frames are computed, not acquired, so Image Type value 1 is DERIVED; the acquisition-only
 * functional groups that DICOM requires of ORIGINAL frames (timing, coils, echo) therefore do not apply.
 */
public final class EnhancedMrWriter {

    private static final AttributeTag DIFFUSION_B_VALUE = new AttributeTag(0x0018, 0x9087);
    private static final AttributeTag DIFFUSION_DIRECTIONALITY = new AttributeTag(0x0018, 0x9075);
    private static final AttributeTag APPLICABLE_SAFETY_STANDARD_AGENCY = new AttributeTag(0x0018, 0x9174);

    private EnhancedMrWriter() {
    }

    public static List<Path> write(RenderedSeries series, StudyIdentity study, SeriesProtocol protocol,
                                   Function<String, String> uids, String transferSyntaxUid, Path dir)
            throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("ENHANCED.dcm");
        try {
            AttributeList list = build(series, study, protocol, uids);
            study.overrides().applyTo(list);
            FileMetaInformation.addFileMetaInformation(list, transferSyntaxUid, "NEUROGATE_PH");
            list.write(file.toFile(), transferSyntaxUid, true, true);
        } catch (DicomException e) {
            throw new IOException("cannot write enhanced " + protocol.seriesDescription() + ": " + e.getMessage(), e);
        }
        return List.of(file);
    }

    static AttributeList build(RenderedSeries series, StudyIdentity study, SeriesProtocol protocol,
                               Function<String, String> uids) throws DicomException {
        ImageGrid g = series.grid();
        int frames = g.slices() * series.volumes();
        boolean diffusion = series.bValues().length > 0;
        String contrast = contrastOf(series.role());
        String imageType = "DERIVED\\PRIMARY\\VOLUME\\" + (series.role() == SeriesRole.ADC ? "ADC" : "NONE");

        AttributeList list = new AttributeList();
        put(list, TagFromName.SOPClassUID, SOPClass.EnhancedMRImageStorage);
        put(list, TagFromName.SOPInstanceUID, uids.apply("instance-" + protocol.seriesNumber() + "-enhanced"));
        MrImageWriter.putStudy(list, study);
        MrImageWriter.putSeries(list, protocol);
        put(list, TagFromName.ManufacturerModelName, "Digital head phantom");
        put(list, TagFromName.DeviceSerialNumber, "NG-PH-1");
        put(list, TagFromName.SoftwareVersions, "0.1");
        put(list, TagFromName.InstanceNumber, "1");
        put(list, TagFromName.ContentDate, study.studyDate());
        put(list, TagFromName.ContentTime, study.studyTime());
        put(list, TagFromName.AcquisitionDateTime, study.studyDate() + study.studyTime());
        put(list, TagFromName.NumberOfFrames, Integer.toString(frames));
        put(list, TagFromName.ImageType, imageType);
        putImageDescription(list, contrast);
        put(list, TagFromName.ContentQualification, "RESEARCH");
        put(list, TagFromName.BurnedInAnnotation, "NO");
        put(list, TagFromName.PresentationLUTShape, "IDENTITY");
        put(list, TagFromName.LossyImageCompression, "00");
        put(list, APPLICABLE_SAFETY_STANDARD_AGENCY, "IEC");
        list.put(new SequenceAttribute(TagFromName.AcquisitionContextSequence));

        String dimensionOrganization = uids.apply("dimension-organization-" + protocol.seriesNumber());
        SequenceAttribute organization = new SequenceAttribute(TagFromName.DimensionOrganizationSequence);
        AttributeList organizationItem = new AttributeList();
        put(organizationItem, TagFromName.DimensionOrganizationUID, dimensionOrganization);
        organization.addItem(organizationItem);
        list.put(organization);
        put(list, TagFromName.DimensionOrganizationType, "3D");
        SequenceAttribute index = new SequenceAttribute(TagFromName.DimensionIndexSequence);
        if (diffusion) {
            index.addItem(dimension(dimensionOrganization, DIFFUSION_B_VALUE, TagFromName.MRDiffusionSequence));
        }
        index.addItem(dimension(dimensionOrganization, TagFromName.StackID, TagFromName.FrameContentSequence));
        index.addItem(dimension(dimensionOrganization, TagFromName.InStackPositionNumber, TagFromName.FrameContentSequence));
        list.put(index);

        AttributeList shared = new AttributeList();
        AttributeList measures = new AttributeList();
        put(measures, TagFromName.PixelSpacing, number(g.rowSpacing()) + "\\" + number(g.columnSpacing()));
        put(measures, TagFromName.SliceThickness, number(g.sliceThickness()));
        put(measures, TagFromName.SpacingBetweenSlices, number(g.sliceSpacing()));
        shared.put(sequence(TagFromName.PixelMeasuresSequence, measures));
        AttributeList orientation = new AttributeList();
        put(orientation, TagFromName.ImageOrientationPatient, vector(g.rowDirection()) + "\\" + vector(g.columnDirection()));
        shared.put(sequence(TagFromName.PlaneOrientationSequence, orientation));
        AttributeList anatomy = new AttributeList();
        AttributeList brain = new AttributeList();
        put(brain, TagFromName.CodeValue, "12738006");
        put(brain, TagFromName.CodingSchemeDesignator, "SCT");
        put(brain, TagFromName.CodeMeaning, "Brain");
        anatomy.put(sequence(TagFromName.AnatomicRegionSequence, brain));
        put(anatomy, TagFromName.FrameLaterality, "U");
        shared.put(sequence(TagFromName.FrameAnatomySequence, anatomy));
        AttributeList frameType = new AttributeList();
        put(frameType, TagFromName.FrameType, imageType);
        putImageDescription(frameType, contrast);
        shared.put(sequence(TagFromName.MRImageFrameTypeSequence, frameType));
        AttributeList transformation = new AttributeList();
        put(transformation, TagFromName.RescaleIntercept, "0");
        put(transformation, TagFromName.RescaleSlope, "1");
        // ADC values are 10^-6 mm2/s as stored; "US" (unspecified) is the defined term for that.
        put(transformation, TagFromName.RescaleType, "US");
        shared.put(sequence(TagFromName.PixelValueTransformationSequence, transformation));
        SequenceAttribute sharedGroups = new SequenceAttribute(TagFromName.SharedFunctionalGroupsSequence);
        sharedGroups.addItem(shared);
        list.put(sharedGroups);

        SequenceAttribute perFrame = new SequenceAttribute(TagFromName.PerFrameFunctionalGroupsSequence);
        for (int volume = 0; volume < series.volumes(); volume++) {
            for (int k = 0; k < g.slices(); k++) {
                AttributeList frame = new AttributeList();
                AttributeList content = new AttributeList();
                put(content, TagFromName.StackID, "1");
                put(content, TagFromName.InStackPositionNumber, Integer.toString(k + 1));
                put(content, TagFromName.FrameAcquisitionNumber, "1");
                UnsignedLongAttribute indexValues = new UnsignedLongAttribute(TagFromName.DimensionIndexValues);
                if (diffusion) {
                    indexValues.addValue(volume + 1);
                }
                indexValues.addValue(1);
                indexValues.addValue(k + 1);
                content.put(indexValues);
                frame.put(sequence(TagFromName.FrameContentSequence, content));
                AttributeList position = new AttributeList();
                put(position, TagFromName.ImagePositionPatient, vector(g.slicePosition(k)));
                frame.put(sequence(TagFromName.PlanePositionSequence, position));
                if (diffusion) {
                    AttributeList diffusionItem = new AttributeList();
                    put(diffusionItem, DIFFUSION_B_VALUE, number(series.bValues()[volume]));
                    put(diffusionItem, DIFFUSION_DIRECTIONALITY, series.bValues()[volume] == 0 ? "NONE" : "ISOTROPIC");
                    frame.put(sequence(TagFromName.MRDiffusionSequence, diffusionItem));
                }
                perFrame.addItem(frame);
            }
        }
        list.put(perFrame);
        MrImageWriter.putImagePixel(list, g, series.frames().clone());
        return list;
    }

    /** MR Image Description Macro (PS3.3 C.8.13.3), at image level and in the MR Image Frame Type group. */
    private static void putImageDescription(AttributeList list, String contrast) throws DicomException {
        put(list, TagFromName.PixelPresentation, "MONOCHROME");
        put(list, TagFromName.VolumetricProperties, "VOLUME");
        put(list, TagFromName.VolumeBasedCalculationTechnique, "NONE");
        put(list, TagFromName.ComplexImageComponent, "MAGNITUDE");
        put(list, TagFromName.AcquisitionContrast, contrast);
    }

    private static String contrastOf(SeriesRole role) {
        return switch (role) {
            case T1 -> "T1";
            case FLAIR -> "FLUID_ATTENUATED";
            case DWI, ADC -> "DIFFUSION";
        };
    }

    private static AttributeList dimension(String organization, AttributeTag pointer, AttributeTag group)
            throws DicomException {
        AttributeList item = new AttributeList();
        put(item, TagFromName.DimensionOrganizationUID, organization);
        AttributeTagAttribute indexPointer = new AttributeTagAttribute(TagFromName.DimensionIndexPointer);
        indexPointer.addValue(pointer);
        item.put(indexPointer);
        AttributeTagAttribute groupPointer = new AttributeTagAttribute(TagFromName.FunctionalGroupPointer);
        groupPointer.addValue(group);
        item.put(groupPointer);
        return item;
    }

    private static SequenceAttribute sequence(AttributeTag tag, AttributeList item) {
        SequenceAttribute s = new SequenceAttribute(tag);
        s.addItem(item);
        return s;
    }
}
