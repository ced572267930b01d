package org.neurogate.inference.analysis;

import org.neurogate.inference.volumetry.NormativeModel;

/**
 * Every code NeuroGate writes, in one place: the concepts of its measurements and segments, the
 * structure of its reports (TID 1500 and the templates it includes), and UCUM units. SNOMED CT (SCT)
 * and DICOM (DCM) codes where the standard has them; 99NEUROGATE private codes (PS3.16 8.3 local
 * coding scheme) where it has none, such as a brain-age gap.
 */
public final class Concepts {

    public static final String LOCAL = "99NEUROGATE";

    public static final CodedConcept VOLUME = new CodedConcept("SCT", "118565006", "Volume");
    public static final CodedConcept DISTANCE = new CodedConcept("SCT", "246132006", "Distance");
    public static final CodedConcept INFARCT = new CodedConcept("SCT", "55641003", "Infarct");
    public static final CodedConcept ISCHAEMIC_CORE = new CodedConcept(LOCAL, "NG-CORE", "Ischemic core (ADC < 620)");
    public static final CodedConcept LESION_COUNT = new CodedConcept(LOCAL, "NG-LESION-COUNT", "Number of lesions");
    public static final CodedConcept LARGEST_LESION = new CodedConcept(LOCAL, "NG-LESION-MAX", "Largest lesion volume");
    public static final CodedConcept LEFT_HEMISPHERE_LESION = new CodedConcept(LOCAL, "NG-LESION-LEFT", "Lesion volume, left hemisphere");
    public static final CodedConcept RIGHT_HEMISPHERE_LESION = new CodedConcept(LOCAL, "NG-LESION-RIGHT", "Lesion volume, right hemisphere");
    public static final CodedConcept WMH = new CodedConcept(LOCAL, "NG-WMH", "White matter hyperintensity");
    public static final CodedConcept WMH_COUNT = new CodedConcept(LOCAL, "NG-WMH-COUNT", "Number of white matter hyperintensities");
    public static final CodedConcept MIDLINE_SHIFT = new CodedConcept(LOCAL, "NG-MIDLINE-SHIFT", "Midline shift");
    public static final CodedConcept MSP_YAW = new CodedConcept(LOCAL, "NG-MSP-YAW", "Mid-sagittal plane yaw");
    public static final CodedConcept MSP_ROLL = new CodedConcept(LOCAL, "NG-MSP-ROLL", "Mid-sagittal plane roll");
    public static final CodedConcept MSP_OFFSET = new CodedConcept(LOCAL, "NG-MSP-OFFSET", "Mid-sagittal plane offset");
    public static final CodedConcept GM_ASYMMETRY = new CodedConcept(LOCAL, "NG-AI-GM", "Grey matter asymmetry index");
    public static final CodedConcept WM_ASYMMETRY = new CodedConcept(LOCAL, "NG-AI-WM", "White matter asymmetry index");
    public static final CodedConcept VENTRICLE_ASYMMETRY = new CodedConcept(LOCAL, "NG-AI-VENT", "Ventricle asymmetry index");
    public static final CodedConcept BRAIN_AGE = new CodedConcept(LOCAL, "NG-BRAIN-AGE", "Predicted brain age");
    public static final CodedConcept BRAIN_AGE_UNCERTAINTY = new CodedConcept(LOCAL, "NG-AGE-SD", "Brain age uncertainty");
    public static final CodedConcept BRAIN_AGE_GAP = new CodedConcept(LOCAL, "NG-AGE-GAP", "Brain age gap");
    public static final CodedConcept INTRACRANIAL_VOLUME = new CodedConcept(LOCAL, "NG-ICV", "Intracranial volume");
    public static final CodedConcept GREY_MATTER = new CodedConcept(LOCAL, "NG-GREY-MATTER", "Grey matter");
    public static final CodedConcept WHITE_MATTER = new CodedConcept(LOCAL, "NG-WHITE-MATTER", "White matter");
    public static final CodedConcept CSF = new CodedConcept("SCT", "65216001", "Cerebrospinal fluid");
    public static final CodedConcept VENTRICLES = new CodedConcept("SCT", "35764002", "Brain ventricle");
    public static final CodedConcept HIPPOCAMPUS_LEFT = new CodedConcept(LOCAL, "NG-HIPPO-L", "Left hippocampus");
    public static final CodedConcept HIPPOCAMPUS_RIGHT = new CodedConcept(LOCAL, "NG-HIPPO-R", "Right hippocampus");
    public static final CodedConcept HIPPOCAMPUS_LEFT_ICV = new CodedConcept(LOCAL, "NG-HIPPO-L-ICV", "Left hippocampus / ICV");
    public static final CodedConcept HIPPOCAMPUS_RIGHT_ICV = new CodedConcept(LOCAL, "NG-HIPPO-R-ICV", "Right hippocampus / ICV");
    public static final CodedConcept HIPPOCAMPAL_ASYMMETRY = new CodedConcept(LOCAL, "NG-AI-HIPPO", "Hippocampal asymmetry index");
    public static final CodedConcept Z_HIPPOCAMPUS_LEFT = new CodedConcept(LOCAL, "NG-Z-HIPPO-L-ICV", "Left hippocampus z-score, ICV-adjusted");
    public static final CodedConcept Z_HIPPOCAMPUS_RIGHT = new CodedConcept(LOCAL, "NG-Z-HIPPO-R-ICV", "Right hippocampus z-score, ICV-adjusted");
    public static final CodedConcept Z_GREY_MATTER = new CodedConcept(LOCAL, "NG-Z-GM", "Grey matter z-score");
    public static final CodedConcept Z_WHITE_MATTER = new CodedConcept(LOCAL, "NG-Z-WM", "White matter z-score");
    public static final CodedConcept Z_VENTRICLES = new CodedConcept(LOCAL, "NG-Z-VENT", "Ventricle volume z-score");
    public static final CodedConcept Z_TOTAL_BRAIN = new CodedConcept(LOCAL, "NG-Z-BRAIN", "Total brain volume z-score");
    /** Segmentation categories (CID 7150). */
    public static final CodedConcept CATEGORY_ANATOMY = new CodedConcept("SCT", "91723000", "Anatomical Structure");
    public static final CodedConcept CATEGORY_TISSUE = new CodedConcept("SCT", "85756007", "Tissue");
    public static final CodedConcept CATEGORY_ALTERED = new CodedConcept("SCT", "49755003", "Morphologically Altered Structure");
    public static final CodedConcept WHOLE_BRAIN = new CodedConcept(LOCAL, "NG-WHOLE-BRAIN", "Whole brain (grey and white matter)");
    public static final CodedConcept NEW_LESIONS = new CodedConcept(LOCAL, "NG-NEW-LESIONS", "New lesions since prior study");
    public static final CodedConcept INTERVAL_SINCE_PRIOR = new CodedConcept(LOCAL, "NG-INTERVAL", "Interval since prior study");
    public static final CodedConcept CHANGE_SINCE_PRIOR = new CodedConcept(LOCAL, "NG-CHANGE", "Change since prior study");
    public static final CodedConcept ANNUALIZED_CHANGE = new CodedConcept(LOCAL, "NG-ANNUAL-CHANGE", "Annualized change since prior study");
    public static final CodedConcept PRIOR_VALUE = new CodedConcept(LOCAL, "NG-PRIOR-VALUE", "Value in prior study");
    public static final CodedConcept MCI_RISK = new CodedConcept(LOCAL, "NG-MCI-RISK", "MCI-like atrophy risk score");

    // Report structure (TID 1500, TID 1411, TID 4019, SEG derivation) and UCUM units.
    public static final CodedConcept ALGORITHM_NAME = new CodedConcept("DCM", "111001", "Algorithm Name");
    public static final CodedConcept ALGORITHM_VERSION = new CodedConcept("DCM", "111003", "Algorithm Version");
    public static final CodedConcept COMMENT = new CodedConcept("DCM", "121106", "Comment");
    public static final CodedConcept DERIVATION = new CodedConcept("DCM", "121401", "Derivation");
    public static final CodedConcept STUDY_INSTANCE_UID = new CodedConcept("DCM", "110180", "Study Instance UID");
    public static final CodedConcept PERCENT_PER_YEAR = new CodedConcept("UCUM", "%/a", "percent per year");
    public static final CodedConcept DEGREE = new CodedConcept("UCUM", "deg", "degree");
    public static final CodedConcept DEVICE = new CodedConcept("DCM", "121007", "Device");
    public static final CodedConcept DEVICE_OBSERVER_MANUFACTURER = new CodedConcept("DCM", "121014", "Device Observer Manufacturer");
    public static final CodedConcept DEVICE_OBSERVER_MODEL_NAME = new CodedConcept("DCM", "121015", "Device Observer Model Name");
    public static final CodedConcept DEVICE_OBSERVER_NAME = new CodedConcept("DCM", "121013", "Device Observer Name");
    public static final CodedConcept DEVICE_OBSERVER_SERIAL_NUMBER = new CodedConcept("DCM", "121016", "Device Observer Serial Number");
    public static final CodedConcept DEVICE_OBSERVER_UID = new CodedConcept("DCM", "121012", "Device Observer UID");
    public static final CodedConcept ENGLISH_UNITED_STATES = new CodedConcept("RFC5646", "en-US", "English (United States)");
    public static final CodedConcept FINDING = new CodedConcept("DCM", "121071", "Finding");
    public static final CodedConcept IMAGE_REGION = new CodedConcept("DCM", "111030", "Image Region");
    public static final CodedConcept IMAGE_LIBRARY = new CodedConcept("DCM", "111028", "Image Library");
    public static final CodedConcept IMAGE_LIBRARY_GROUP = new CodedConcept("DCM", "126200", "Image Library Group");
    public static final CodedConcept IMAGING_MEASUREMENTS = new CodedConcept("DCM", "126010", "Imaging Measurements");
    public static final CodedConcept IMAGING_MEASUREMENT_REPORT = new CodedConcept("DCM", "126000", "Imaging Measurement Report");
    public static final CodedConcept LANGUAGE_OF_CONTENT_ITEM_AND_DESCENDANTS = new CodedConcept("DCM", "121049", "Language of Content Item and Descendants");
    public static final CodedConcept MAGNETIC_RESONANCE_IMAGING = new CodedConcept("SCT", "113091000", "Magnetic resonance imaging");
    public static final CodedConcept MEASUREMENT_GROUP = new CodedConcept("DCM", "125007", "Measurement Group");
    public static final CodedConcept MILLILITER = new CodedConcept("UCUM", "mL", "milliliter");
    public static final CodedConcept MILLIMETER = new CodedConcept("UCUM", "mm", "millimeter");
    public static final CodedConcept NO_UNITS = new CodedConcept("UCUM", "1", "no units");
    public static final CodedConcept OBSERVER_TYPE = new CodedConcept("DCM", "121005", "Observer Type");
    public static final CodedConcept PERCENT = new CodedConcept("UCUM", "%", "percent");
    public static final CodedConcept PROCEDURE_REPORTED = new CodedConcept("DCM", "121058", "Procedure reported");
    public static final CodedConcept PROCESSING_EQUIPMENT = new CodedConcept("DCM", "109102", "Processing Equipment");
    public static final CodedConcept QUALITATIVE_EVALUATIONS = new CodedConcept("UMLS", "C0034375", "Qualitative Evaluations");
    public static final CodedConcept REFERENCED_SEGMENT = new CodedConcept("DCM", "121191", "Referenced Segment");
    public static final CodedConcept SEGMENTATION = new CodedConcept("DCM", "113076", "Segmentation");
    public static final CodedConcept SOURCE_IMAGE_FOR_IMAGE_PROCESSING_OPERATION = new CodedConcept("DCM", "121322", "Source image for image processing operation");
    public static final CodedConcept SOURCE_SERIES_FOR_SEGMENTATION = new CodedConcept("DCM", "121232", "Source series for segmentation");
    public static final CodedConcept TRACKING_IDENTIFIER = new CodedConcept("DCM", "112039", "Tracking Identifier");
    public static final CodedConcept TRACKING_UNIQUE_IDENTIFIER = new CodedConcept("DCM", "112040", "Tracking Unique Identifier");
    public static final CodedConcept YEAR = new CodedConcept("UCUM", "a", "year");

    private Concepts() {
    }

    /** The z-score concept of a normative structure; hippocampi are scored on their ICV-adjusted volume. */
    public static CodedConcept zScore(NormativeModel.Structure structure) {
        return switch (structure) {
            case HIPPOCAMPUS_LEFT -> Z_HIPPOCAMPUS_LEFT;
            case HIPPOCAMPUS_RIGHT -> Z_HIPPOCAMPUS_RIGHT;
            case GREY_MATTER -> Z_GREY_MATTER;
            case WHITE_MATTER -> Z_WHITE_MATTER;
            case VENTRICLES -> Z_VENTRICLES;
            case TOTAL_BRAIN -> Z_TOTAL_BRAIN;
        };
    }

    /** The private coding scheme's identification (PS3.3 C.12.1.1.4), for every object that uses it. */
    public static final String LOCAL_SCHEME_NAME = "NeuroGate local codes";
    public static final String LOCAL_SCHEME_OWNER = "NeuroGate";
}
