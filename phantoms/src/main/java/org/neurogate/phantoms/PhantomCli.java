package org.neurogate.phantoms;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.dicom.IdentityOverrides;
import org.neurogate.phantoms.geometry.Vec3;

/**
 * {@code ./neurogate phantom}: one study, or a cohort with {@code --cohort N}. Exit status 2 with a
 * message for unknown, malformed or contradictory options.
 */
public final class PhantomCli {

    static final String USAGE = """
            usage: ./neurogate phantom --out DIR [--seed N] [--age Y] [--sex F|M] [--diagnosis CN|MCI]
                                       [--lesions N] [--lesion-volume-ml V] [--midline-shift-mm S]
                                       [--yaw-deg A] [--roll-deg B] [--pitch-deg C] [--translation-mm X,Y,Z]
                                       [--plane sagittal|axial|coronal] [--oblique-deg D] [--enhanced]
                                       [--slice-thickness-mm T] [--slice-gap-mm G]
                                       [--transfer-syntax explicit|implicit|big-endian|deflate] [--snr X]
                                       [--patient-id ID] [--birth-date YYYY-MM-DD] [--study-date YYYY-MM-DD]
                                       [--head-scale S] [--identity IDENTITY.json]
                   ./neurogate phantom --cohort N --out DIR [--seed N]
                   ./neurogate phantom --from-nifti VOLUME.nii.gz --out DIR [--role t1|flair|dwi|adc]
                                       [--b-value B] [--lesion-mask MASK.nii.gz [--diffusion flat|graded]
                                       [--skull-stripped] [--no-b0]] [--seed N] [--age Y] [--sex F|M]""";

    private static final Set<String> FLAGS = Set.of("--enhanced", "--skull-stripped", "--no-b0");
    private static final Set<String> OPTIONS = Set.of("--out", "--seed", "--age", "--sex", "--diagnosis", "--lesions",
            "--lesion-volume-ml", "--midline-shift-mm", "--yaw-deg", "--roll-deg", "--pitch-deg", "--plane",
            "--oblique-deg", "--transfer-syntax", "--snr", "--cohort", "--from-nifti", "--role", "--lesion-mask", "--b-value", "--diffusion",
            "--translation-mm", "--slice-thickness-mm", "--slice-gap-mm", "--patient-id", "--birth-date", "--study-date",
            "--head-scale", "--identity");
    private static final Set<String> SUBJECT_OPTIONS = Set.of("--age", "--patient-id", "--birth-date", "--study-date",
            "--head-scale", "--identity", "--sex", "--diagnosis", "--lesions",
            "--lesion-volume-ml", "--midline-shift-mm", "--yaw-deg", "--roll-deg", "--pitch-deg", "--plane",
            "--oblique-deg", "--enhanced", "--transfer-syntax", "--snr", "--translation-mm", "--slice-thickness-mm",
            "--slice-gap-mm");

    /** Options that shape the synthetic anatomy; they contradict --from-nifti, which brings its own. */
    private static final Set<String> ANATOMY_OPTIONS = Set.of("--diagnosis", "--lesions", "--lesion-volume-ml",
            "--midline-shift-mm", "--yaw-deg", "--roll-deg", "--pitch-deg", "--plane", "--oblique-deg",
            "--translation-mm", "--head-scale");

    /** A problem with the command line, reported without a stack trace. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private PhantomCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
                out.println(USAGE);
                return 0;
            }
            Map<String, String> options = parse(args);
            Path dir = Path.of(require(options, "--out"));
            long seed = parseLong(options, "--seed", 1);
            if (options.containsKey("--cohort")) {
                for (String o : options.keySet()) {
                    if (SUBJECT_OPTIONS.contains(o)) {
                        throw new UsageException(o + " cannot be combined with --cohort: a cohort varies it itself");
                    }
                }
                int n = (int) parseLong(options, "--cohort", 0);
                if (n < 1 || n > 500) {
                    throw new UsageException("--cohort must be 1..500, was " + n);
                }
                long started = System.nanoTime();
                PhantomCohort.write(n, seed, dir);
                out.printf(Locale.ROOT, "Wrote %d phantom studies and cohort.csv to %s in %.1f s%n", n, dir,
                        (System.nanoTime() - started) / 1e9);
                return 0;
            }
            if (options.containsKey("--from-nifti")) {
                return importNifti(options, seed, dir, out);
            }
            for (String o : List.of("--role", "--lesion-mask", "--b-value", "--diffusion", "--skull-stripped", "--no-b0")) {
                if (options.containsKey(o)) {
                    throw new UsageException(o + " needs --from-nifti");
                }
            }
            Subject subject = subject(options, seed);
            Visit visit = visit(options, subject);
            subject = subject.atAge(Visit.ageYears(visit.birthDate(), visit.studyDate()));
            AcquisitionOptions acquisition = acquisition(options);
            long started = System.nanoTime();
            Map<String, Object> truth = PhantomStudy.write(subject, visit, acquisition, dir);
            out.printf(Locale.ROOT, "Wrote phantom study %s to %s in %.1f s (ICV %.0f mL, hippocampi %.2f / %.2f mL,"
                    + " lesion %.1f mL, midline shift %.1f mm)%n", truth.get("study_instance_uid"), dir,
                    (System.nanoTime() - started) / 1e9, truth.get("icv_ml"), truth.get("hippocampus_left_ml"),
                    truth.get("hippocampus_right_ml"), truth.get("lesion_volume_ml"), truth.get("midline_shift_mm"));
            return 0;
        } catch (UsageException | IllegalArgumentException e) {
            err.println("phantom: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (IOException e) {
            err.println("phantom: cannot write: " + e.getMessage());
            return 1;
        }
    }

    /** --diffusion: see {@link DiffusionContrast}. */
    private enum DiffusionKind { FLAT, GRADED }

    private static int importNifti(Map<String, String> options, long seed, Path dir, PrintStream out)
            throws UsageException, IOException {
        for (String o : options.keySet()) {
            if (ANATOMY_OPTIONS.contains(o) || o.equals("--cohort")) {
                throw new UsageException(o + " cannot be combined with --from-nifti: the anatomy comes from the file");
            }
        }
        SeriesRole role = choice(options, "--role", "t1", SeriesRole.class);
        Path lesionMask = options.containsKey("--lesion-mask") ? Path.of(options.get("--lesion-mask")) : null;
        if (lesionMask != null && role != SeriesRole.T1) {
            throw new UsageException("--lesion-mask goes with a T1 volume (--role t1)");
        }
        for (String o : List.of("--diffusion", "--skull-stripped", "--no-b0")) {
            if (options.containsKey(o) && lesionMask == null) {
                throw new UsageException(o + " shapes the DWI and ADC drawn from --lesion-mask");
            }
        }
        boolean graded = choice(options, "--diffusion", "flat", DiffusionKind.class) == DiffusionKind.GRADED;
        if (!graded && (options.containsKey("--skull-stripped") || options.containsKey("--no-b0"))) {
            throw new UsageException("--skull-stripped and --no-b0 go with --diffusion graded");
        }
        DiffusionContrast contrast = new DiffusionContrast(graded, options.containsKey("--skull-stripped"),
                !options.containsKey("--no-b0"));
        if (options.containsKey("--b-value") && role != SeriesRole.DWI) {
            throw new UsageException("--b-value goes with a DWI volume (--role dwi)");
        }
        Integer bValue = options.containsKey("--b-value") ? (int) Math.round(parseDouble(options, "--b-value", 0)) : null;
        Subject subject = new Subject(seed, parseDouble(options, "--age", 65), choice(options, "--sex", "M",
                Subject.Sex.class), Subject.Diagnosis.CN, 0, 0, 0, Vec3.ZERO, 0, 0, 0);
        AcquisitionOptions acquisition = acquisition(options);
        Map<String, Object> truth = NiftiImport.write(Path.of(options.get("--from-nifti")), role, lesionMask, subject,
                acquisition, bValue, contrast, dir);
        out.printf(Locale.ROOT, "Wrote %s as DICOM study %s to %s%n", options.get("--from-nifti"),
                truth.get("study_instance_uid"), dir);
        return 0;
    }

    static Map<String, String> parse(String[] args) throws UsageException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (FLAGS.contains(a)) {
                options.put(a, "true");
            } else if (OPTIONS.contains(a)) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new UsageException(a + " needs a value");
                }
                if (options.put(a, args[++i]) != null) {
                    throw new UsageException(a + " given twice");
                }
            } else {
                throw new UsageException("unknown option " + a);
            }
        }
        return options;
    }

    static Subject subject(Map<String, String> o, long seed) throws UsageException {
        int lesions = (int) parseLong(o, "--lesions", 0);
        double lesionVolume = parseDouble(o, "--lesion-volume-ml", lesions > 0 ? 12 : 0);
        if (o.containsKey("--lesion-volume-ml") && !o.containsKey("--lesions")) {
            throw new UsageException("--lesion-volume-ml needs --lesions N (N >= 1)");
        }
        return new Subject(seed, parseDouble(o, "--age", 65), choice(o, "--sex", "M", Subject.Sex.class),
                choice(o, "--diagnosis", "CN", Subject.Diagnosis.class), parseDouble(o, "--yaw-deg", 0),
                parseDouble(o, "--roll-deg", 0), parseDouble(o, "--pitch-deg", 0), translation(o),
                parseDouble(o, "--midline-shift-mm", 0), lesions, lesionVolume, parseDouble(o, "--head-scale", 1));
    }

    /**
     * Who is scanned when: --birth-date and --study-date fix the age (so --age contradicts a birth
     * date); without them the dates follow from the seed and the age, as before.
     */
    static Visit visit(Map<String, String> o, Subject subject) throws UsageException {
        IdentityOverrides identity = IdentityOverrides.NONE;
        Map<String, String> dates = new HashMap<>(o);
        if (o.containsKey("--identity")) {
            Path file = Path.of(o.get("--identity"));
            try {
                identity = IdentityOverrides.parse(new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UsageException("--identity " + file + " is not JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new UsageException("--identity " + file + " cannot be read: " + e.getMessage());
            }
            // The identity's patient ID and dates are the visit's: they place it in time and make its UIDs.
            String[][] visitKeys = {{"PatientID", "--patient-id"}, {"PatientBirthDate", "--birth-date"},
                {"StudyDate", "--study-date"}};
            for (String[] k : visitKeys) {
                String value = identity.value(k[0]);
                if (value != null) {
                    if (o.containsKey(k[1])) {
                        throw new UsageException(k[1] + " given twice: as an option and as " + k[0] + " in --identity");
                    }
                    dates.put(k[1], value);
                }
            }
        }
        if (dates.containsKey("--birth-date") && o.containsKey("--age")) {
            throw new UsageException("--age cannot be combined with a birth date: the dates give the age");
        }
        LocalDate study = dates.containsKey("--study-date") ? date(dates, "--study-date")
                : Visit.syntheticStudyDate(subject.seed());
        LocalDate birth = dates.containsKey("--birth-date") ? date(dates, "--birth-date")
                : Visit.birthDateFor(subject.ageYears(), study);
        String patientId = dates.getOrDefault("--patient-id", "NGPH" + subject.seed());
        Visit visit = new Visit(patientId, birth, study, identity);
        double age = Visit.ageYears(birth, study);
        if (age < 18 || age > 100) {
            throw new UsageException(String.format(Locale.ROOT, "the dates make the subject %.1f years old; 18..100 "
                    + "are supported", age));
        }
        return visit;
    }

    private static LocalDate date(Map<String, String> o, String name) throws UsageException {
        String value = o.get(name);
        try {
            return value.matches("\\d{8}") ? LocalDate.parse(value, java.time.format.DateTimeFormatter.BASIC_ISO_DATE)
                    : LocalDate.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new UsageException(name + " must be a date YYYY-MM-DD, was " + value);
        }
    }

    static AcquisitionOptions acquisition(Map<String, String> o) throws UsageException {
        String syntax = switch (o.getOrDefault("--transfer-syntax", "explicit")) {
            case "explicit" -> AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN;
            case "implicit" -> "1.2.840.10008.1.2";
            case "big-endian" -> "1.2.840.10008.1.2.2";
            case "deflate" -> "1.2.840.10008.1.2.1.99";
            default -> throw new UsageException("--transfer-syntax must be explicit, implicit, big-endian or deflate");
        };
        return new AcquisitionOptions(choice(o, "--plane", "sagittal", AcquisitionOptions.Plane.class),
                parseDouble(o, "--oblique-deg", 0), o.containsKey("--enhanced"), syntax, parseDouble(o, "--snr", 30),
                parseDouble(o, "--slice-thickness-mm", 0), parseDouble(o, "--slice-gap-mm", 0));
    }

    private static Vec3 translation(Map<String, String> o) throws UsageException {
        String value = o.get("--translation-mm");
        if (value == null) {
            return Vec3.ZERO;
        }
        String[] parts = value.split(",");
        try {
            if (parts.length != 3) {
                throw new NumberFormatException();
            }
            Vec3 t = new Vec3(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2]));
            if (t.norm() > 40) {
                throw new UsageException("--translation-mm must stay within 40 mm of the isocentre");
            }
            return t;
        } catch (NumberFormatException e) {
            throw new UsageException("--translation-mm must be three numbers X,Y,Z in mm, was " + value);
        }
    }

    private static <E extends Enum<E>> E choice(Map<String, String> o, String name, String fallback, Class<E> type)
            throws UsageException {
        String value = o.getOrDefault(name, fallback);
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException(name + " must be one of " + List.of(type.getEnumConstants()).toString()
                    .toLowerCase(Locale.ROOT) + ", was " + value);
        }
    }

    private static String require(Map<String, String> o, String name) throws UsageException {
        String value = o.get(name);
        if (value == null) {
            throw new UsageException(name + " is required");
        }
        return value;
    }

    private static long parseLong(Map<String, String> o, String name, long fallback) throws UsageException {
        try {
            return o.containsKey(name) ? Long.parseLong(o.get(name)) : fallback;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a whole number, was " + o.get(name));
        }
    }

    private static double parseDouble(Map<String, String> o, String name, double fallback) throws UsageException {
        try {
            double v = o.containsKey(name) ? Double.parseDouble(o.get(name)) : fallback;
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a number, was " + o.get(name));
        }
    }
}
