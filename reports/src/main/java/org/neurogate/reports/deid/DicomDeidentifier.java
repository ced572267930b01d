package org.neurogate.reports.deid;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.ClinicalTrialsAttributes;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * De-identifies one DICOM object under the PS3.15 Annex E Basic Application Level Confidentiality
 * Profile with the options of a research export ({@link DeidentificationProfile}). PixelMed's
 * {@link ClinicalTrialsAttributes} removes or blanks the identifying attributes, cleans descriptors and
 * (TID 1500 kept whole, free text replaced) and moves the dates; this class adds what it lacks for an export that must link
 * across studies: keyed (not random) UID remapping that reaches into the SR content tree, a keyed
 * per-patient date offset, the subject pseudonym, and private attributes kept only from a safe list.
 */
public final class DicomDeidentifier {

    private static final DicomDictionary DICTIONARY = DicomDictionary.StandardDictionary;
    /** The reference date PixelMed moves dates from: only the difference to the epoch matters. */
    private static final long REFERENCE_EPOCH_MS = java.time.LocalDate.of(2000, 1, 1)
            .atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli();
    private static final long DAY_MS = 86_400_000L;
    /** UI attributes that name a kind of thing (a SOP class, a syntax, a coding scheme), not an instance. */
    private static final Set<String> NOT_INSTANCE_UIDS = Set.of("TransferSyntaxUID", "ReferencedTransferSyntaxUIDInFile",
            "CodingSchemeUID", "ContextGroupExtensionCreatorUID", "ContextUID", "MappingResourceUID",
            "TemplateExtensionCreatorUID", "PrivateInformationCreatorUID", "ImplementationClassUID");

    /**
     * TEXT concepts NeuroGate fills with its own provenance, never with patient data: Algorithm Name and
     * Version, Tracking Identifier, and the Device Observer's name, manufacturer, model and serial number.
     */
    private static final Set<String> NEUROGATE_TEXT = Set.of("111001", "111003", "112039", "121013", "121014", "121015",
            "121016");

    private final Pseudonyms pseudonyms;
    private final DeidentificationProfile profile;

    public DicomDeidentifier(Pseudonyms pseudonyms, DeidentificationProfile profile) {
        this.pseudonyms = pseudonyms;
        this.profile = profile;
    }

    /**
     * De-identifies {@code list} in place.
     *
     * @param defaced whether its pixels had the face removed (Clean Recognizable Visual Features)
     */
    public void deidentify(AttributeList list, boolean defaced) throws DicomException {
        String patientId = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientID);
        String issuer = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.IssuerOfPatientID);
        String subject = pseudonyms.subject(patientId, issuer);
        int shiftDays = pseudonyms.dateShiftDays(patientId, issuer);

        list.removeGroupLengthAttributes();
        list.removeMetaInformationHeaderAttributes();
        removeUnsafePrivateAttributes(list);
        Date reference = new Date(REFERENCE_EPOCH_MS);
        Date moved = new Date(REFERENCE_EPOCH_MS + shiftDays * DAY_MS);
        ClinicalTrialsAttributes.removeOrNullIdentifyingAttributes(list, ClinicalTrialsAttributes.HandleUIDs.keep,
                false /* descriptors */, false /* series descriptors */, false /* protocol name */,
                true /* patient characteristics */, false /* device identity */, false /* institution identity */,
                ClinicalTrialsAttributes.HandleDates.modify, moved, reference,
                ClinicalTrialsAttributes.HandleStructuredContent.keep);
        cleanStructuredContent(list);
        remapUids(list);
        put(list, new PersonNameAttribute(TagFromName.PatientName), subject);
        put(list, new LongStringAttribute(TagFromName.PatientID), subject);
        list.remove(TagFromName.IssuerOfPatientID);
        list.remove(TagFromName.IssuerOfPatientIDQualifiersSequence);
        put(list, new CodeStringAttribute(TagFromName.PatientIdentityRemoved), "YES");
        put(list, new CodeStringAttribute(tag("LongitudinalTemporalInformationModified")), "MODIFIED");
        if (defaced) {
            put(list, new CodeStringAttribute(tag("RecognizableVisualFeatures")), "NO");
        }
        LongStringAttribute method = new LongStringAttribute(TagFromName.DeidentificationMethod);
        for (DeidentificationProfile.Option option : profile.options(defaced)) {
            method.addValue(option.meaning());
        }
        list.put(method);
        SequenceAttribute codes = new SequenceAttribute(TagFromName.DeidentificationMethodCodeSequence);
        for (DeidentificationProfile.Option option : profile.options(defaced)) {
            codes.addItem(new CodedSequenceItem(option.code(), "DCM", option.meaning()).getAttributeList());
        }
        list.put(codes);
    }

    /**
     * Clean Structured Content for NeuroGate's own SRs: the tree is kept whole (codes, numbers, UIDs,
     * images; PixelMed has moved its dates), text is kept only for the concepts NeuroGate fills with
     * its own provenance (algorithm, tracking identifier, device observer), and every other text and
     * person name is replaced. PixelMed's own cleaning removes the algorithm names and tracking
     * identifiers TID 1500 requires, and leaves empty content sequences behind.
     */
    private static void cleanStructuredContent(AttributeList list) throws DicomException {
        Attribute content = list.get(TagFromName.ContentSequence);
        if (!(content instanceof SequenceAttribute sequence)) {
            return;
        }
        for (Iterator<?> items = sequence.iterator(); items.hasNext(); ) {
            AttributeList item = ((SequenceItem) items.next()).getAttributeList();
            String valueType = Attribute.getSingleStringValueOrEmptyString(item, TagFromName.ValueType);
            CodedSequenceItem concept = CodedSequenceItem.getSingleCodedSequenceItemOrNull(item,
                    TagFromName.ConceptNameCodeSequence);
            boolean ours = concept != null && "DCM".equals(concept.getCodingSchemeDesignator())
                    && NEUROGATE_TEXT.contains(concept.getCodeValue());
            if (valueType.equals("TEXT") && !ours) {
                item.remove(TagFromName.TextValue);
                put(item, new com.pixelmed.dicom.UnlimitedTextAttribute(TagFromName.TextValue),
                        ClinicalTrialsAttributes.replacementForTextInStructuredContent);
            } else if (valueType.equals("PNAME")) {
                put(item, new PersonNameAttribute(TagFromName.PersonName),
                        ClinicalTrialsAttributes.replacementForPersonNameInStructuredContent);
            }
            cleanStructuredContent(item);
        }
    }

    /** Replaces every instance UID, at any depth (the SR content tree included), with its keyed 2.25 UID. */
    private void remapUids(AttributeList list) throws DicomException {
        for (Attribute a : new ArrayList<>(list.values())) {
            if (a instanceof SequenceAttribute sequence) {
                for (Iterator<?> items = sequence.iterator(); items.hasNext(); ) {
                    remapUids(((SequenceItem) items.next()).getAttributeList());
                }
            } else if (a instanceof UniqueIdentifierAttribute && isInstanceUid(a.getTag())) {
                String[] values = a.getStringValues();
                if (values == null || values.length == 0) {
                    continue;
                }
                a.removeValues();
                for (String v : values) {
                    a.addValue(v.startsWith("1.2.840.10008.") ? v : pseudonyms.uid(v));
                }
            }
        }
    }

    private static boolean isInstanceUid(AttributeTag tag) {
        String keyword = DICTIONARY.getNameFromTag(tag);
        return keyword != null && !keyword.endsWith("ClassUID") && !keyword.endsWith("ClassUIDs")
                && !keyword.equals("SOPClassesInStudy") && !NOT_INSTANCE_UIDS.contains(keyword);
    }

    /**
     * Removes private attributes and their creators, except those on the profile's safe list (kept
     * with their creator).
     */
    private void removeUnsafePrivateAttributes(AttributeList list) throws DicomException {
        List<AttributeTag> remove = new ArrayList<>();
        List<AttributeTag> creatorsInUse = new ArrayList<>();
        for (Attribute a : new ArrayList<>(list.values())) {
            AttributeTag tag = a.getTag();
            if (a instanceof SequenceAttribute sequence && !tag.isPrivate()) {
                for (Iterator<?> items = sequence.iterator(); items.hasNext(); ) {
                    removeUnsafePrivateAttributes(((SequenceItem) items.next()).getAttributeList());
                }
                continue;
            }
            if (!tag.isPrivate() || tag.isPrivateCreator()) {
                continue;
            }
            AttributeTag creatorTag = new AttributeTag(tag.getGroup(), tag.getElement() >> 8);
            String creator = Attribute.getSingleStringValueOrEmptyString(list, creatorTag).strip();
            if (profile.isSafePrivate(tag.getGroup(), creator, tag.getElement() & 0xFF)) {
                creatorsInUse.add(creatorTag);
            } else {
                remove.add(tag);
            }
        }
        for (Attribute a : new ArrayList<>(list.values())) {
            if (a.getTag().isPrivateCreator() && !creatorsInUse.contains(a.getTag())) {
                remove.add(a.getTag());
            }
        }
        remove.forEach(list::remove);
    }

    private static AttributeTag tag(String keyword) {
        AttributeTag tag = DICTIONARY.getTagFromName(keyword);
        if (tag == null) {
            throw new IllegalStateException(keyword + " is not in PixelMed's dictionary");
        }
        return tag;
    }

    private static void put(AttributeList list, Attribute attribute, String value) throws DicomException {
        attribute.addValue(value);
        list.put(attribute);
    }
}
