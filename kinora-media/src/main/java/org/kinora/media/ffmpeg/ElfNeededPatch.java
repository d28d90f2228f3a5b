package org.kinora.media.ffmpeg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes one shared-library dependency from an ELF64 little-endian shared object, in place.
 *
 * <p>Why: the bundled {@code libavdevice.so.62} declares {@code DT_NEEDED libpulse.so.0}, so
 * every ffmpeg/ffprobe run fails on machines without PulseAudio. Kinora never opens the pulse
 * input device, and all {@code pa_*} imports are lazy PLT slots that are only bound when called,
 * so dropping the dependency is safe. Two structures name the library:
 *
 * <ul>
 *   <li>the {@code DT_NEEDED} entry in {@code .dynamic}: removed by shifting the later entries
 *       up one slot (the array ends at {@code DT_NULL}, so its size is unchanged);
 *   <li>the Verneed entry in {@code .gnu.version_r} asking that file for {@code PULSE_0}: if only
 *       the NEEDED entry went away, the loader would reject the library; if it pointed at some
 *       other file, the loader would warn "no version information available" on every run. The
 *       section is rewritten compactly without that entry and the entry counts are decremented.
 * </ul>
 *
 * <p>Nothing moves in the file's layout and no other section refers to offsets inside these two,
 * so this is a pure in-place edit. It is a no-op if the library is not referenced.
 */
final class ElfNeededPatch {
    private static final int SHT_DYNAMIC = 6;
    private static final int SHT_GNU_VERNEED = 0x6ffffffe;
    private static final long DT_NULL = 0;
    private static final long DT_NEEDED = 1;
    private static final long DT_VERNEEDNUM = 0x6fffffff;
    private static final int VERNEED_SIZE = 16;
    private static final int VERNAUX_SIZE = 16;

    private ElfNeededPatch() {}

    /** Returns true if the file was changed. */
    static boolean removeNeeded(Path elfFile, String libraryName) throws IOException {
        byte[] bytes = Files.readAllBytes(elfFile);
        ByteBuffer elf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        boolean changed = removeNeeded(elf, libraryName, elfFile);
        if (changed) {
            Files.write(elfFile, bytes);
        }
        return changed;
    }

    static boolean removeNeeded(ByteBuffer elf, String libraryName, Path nameForErrors) {
        checkHeader(elf, nameForErrors);
        List<Section> sections = sections(elf);
        Section dynamic = sections.stream().filter(s -> s.type == SHT_DYNAMIC).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(nameForErrors + " has no .dynamic section; is it a shared library?"));
        Section dynstr = sections.get(dynamic.link);

        boolean removedNeeded = removeNeededEntry(elf, dynamic, dynstr, libraryName);
        boolean removedVerneed = false;
        for (Section s : sections) {
            if (s.type == SHT_GNU_VERNEED && removeVerneedEntry(elf, s, sections.get(s.link), libraryName)) {
                removedVerneed = true;
                decrementVerneedNum(elf, dynamic, nameForErrors);
            }
        }
        return removedNeeded || removedVerneed;
    }

    private static boolean removeNeededEntry(ByteBuffer elf, Section dynamic, Section dynstr, String libraryName) {
        int count = (int) (dynamic.size / 16);
        for (int i = 0; i < count; i++) {
            int at = (int) dynamic.offset + i * 16;
            long tag = elf.getLong(at);
            if (tag == DT_NULL) {
                return false;
            }
            if (tag == DT_NEEDED && libraryName.equals(string(elf, dynstr, elf.getLong(at + 8)))) {
                int end = (int) (dynamic.offset + dynamic.size);
                // Shift the rest of the array (including the terminating DT_NULL) up by one entry.
                System.arraycopy(elf.array(), at + 16, elf.array(), at, end - at - 16);
                elf.putLong(end - 16, DT_NULL);
                elf.putLong(end - 8, 0);
                return true;
            }
        }
        return false;
    }

    /** The DT_NEEDED library names, in order; for tests and diagnostics. */
    static List<String> neededLibraries(ByteBuffer elf) {
        List<Section> sections = sections(elf);
        Section dynamic = sections.stream().filter(s -> s.type == SHT_DYNAMIC).findFirst().orElseThrow();
        List<String> names = new ArrayList<>();
        for (int at = (int) dynamic.offset; at < dynamic.offset + dynamic.size && elf.getLong(at) != DT_NULL; at += 16) {
            if (elf.getLong(at) == DT_NEEDED) {
                names.add(string(elf, sections.get(dynamic.link), elf.getLong(at + 8)));
            }
        }
        return names;
    }

    /** The vn_file names of the Verneed chain, following vn_next as the loader does. */
    static List<String> versionNeedFiles(ByteBuffer elf) {
        List<Section> sections = sections(elf);
        List<String> files = new ArrayList<>();
        for (Section s : sections) {
            if (s.type == SHT_GNU_VERNEED) {
                int at = (int) s.offset;
                for (int i = 0; i < s.info; i++) {
                    files.add(string(elf, sections.get(s.link), Integer.toUnsignedLong(elf.getInt(at + 4))));
                    int next = elf.getInt(at + 12);
                    if (next == 0) {
                        break;
                    }
                    at += next;
                }
            }
        }
        return files;
    }

    /** The DT_VERNEEDNUM value, or -1 if absent. */
    static long verneedNum(ByteBuffer elf) {
        Section dynamic = sections(elf).stream().filter(s -> s.type == SHT_DYNAMIC).findFirst().orElseThrow();
        for (int at = (int) dynamic.offset; at < dynamic.offset + dynamic.size && elf.getLong(at) != DT_NULL; at += 16) {
            if (elf.getLong(at) == DT_VERNEEDNUM) {
                return elf.getLong(at + 8);
            }
        }
        return -1;
    }

    private record Verneed(byte[] header, List<byte[]> aux) {}

    private static boolean removeVerneedEntry(ByteBuffer elf, Section verneed, Section strtab, String libraryName) {
        // sh_info holds the number of Verneed entries; the chain itself is linked by vn_next.
        List<Verneed> kept = new ArrayList<>();
        boolean found = false;
        int at = (int) verneed.offset;
        for (int i = 0; i < verneed.info; i++) {
            int cnt = Short.toUnsignedInt(elf.getShort(at + 2));
            long file = Integer.toUnsignedLong(elf.getInt(at + 4));
            int auxAt = at + elf.getInt(at + 8);
            List<byte[]> aux = new ArrayList<>();
            for (int j = 0; j < cnt; j++) {
                aux.add(slice(elf, auxAt, VERNAUX_SIZE));
                auxAt += elf.getInt(auxAt + 12);
            }
            if (libraryName.equals(string(elf, strtab, file))) {
                found = true;
            } else {
                kept.add(new Verneed(slice(elf, at, VERNEED_SIZE), aux));
            }
            int next = elf.getInt(at + 12);
            if (next == 0) {
                break;
            }
            at += next;
        }
        if (!found) {
            return false;
        }
        // Rewrite the kept entries back to back from the start of the section, each Verneed
        // followed by its Vernaux entries, and zero the now unused tail.
        byte[] out = new byte[(int) verneed.size];
        ByteBuffer w = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 0;
        for (int i = 0; i < kept.size(); i++) {
            Verneed v = kept.get(i);
            boolean last = i == kept.size() - 1;
            w.put(pos, v.header);
            w.putInt(pos + 8, VERNEED_SIZE);
            w.putInt(pos + 12, last ? 0 : VERNEED_SIZE + VERNAUX_SIZE * v.aux.size());
            pos += VERNEED_SIZE;
            for (int j = 0; j < v.aux.size(); j++) {
                w.put(pos, v.aux.get(j));
                w.putInt(pos + 12, j == v.aux.size() - 1 ? 0 : VERNAUX_SIZE);
                pos += VERNAUX_SIZE;
            }
        }
        elf.put((int) verneed.offset, out);
        elf.putInt((int) verneed.headerOffset + 44, kept.size()); // sh_info
        return true;
    }

    private static void decrementVerneedNum(ByteBuffer elf, Section dynamic, Path nameForErrors) {
        for (int at = (int) dynamic.offset; at < dynamic.offset + dynamic.size; at += 16) {
            long tag = elf.getLong(at);
            if (tag == DT_VERNEEDNUM) {
                elf.putLong(at + 8, elf.getLong(at + 8) - 1);
                return;
            }
            if (tag == DT_NULL) {
                break;
            }
        }
        throw new IllegalArgumentException(nameForErrors + " has a .gnu.version_r section but no DT_VERNEEDNUM; refusing to patch it");
    }

    private record Section(long headerOffset, int type, long offset, long size, int link, int info) {}

    private static List<Section> sections(ByteBuffer elf) {
        long shoff = elf.getLong(0x28);
        int shentsize = Short.toUnsignedInt(elf.getShort(0x3A));
        int shnum = Short.toUnsignedInt(elf.getShort(0x3C));
        List<Section> sections = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            int h = (int) (shoff + (long) i * shentsize);
            sections.add(new Section(h, elf.getInt(h + 4), elf.getLong(h + 24), elf.getLong(h + 32),
                    elf.getInt(h + 40), elf.getInt(h + 44)));
        }
        return sections;
    }

    private static void checkHeader(ByteBuffer elf, Path name) {
        boolean elf64le = elf.limit() > 0x40
                && elf.get(0) == 0x7f && elf.get(1) == 'E' && elf.get(2) == 'L' && elf.get(3) == 'F'
                && elf.get(4) == 2 && elf.get(5) == 1;
        if (!elf64le) {
            throw new IllegalArgumentException(name + " is not a 64-bit little-endian ELF file");
        }
    }

    private static String string(ByteBuffer elf, Section strtab, long index) {
        int start = (int) (strtab.offset + index);
        int end = start;
        while (elf.get(end) != 0) {
            end++;
        }
        return new String(elf.array(), start, end - start, StandardCharsets.US_ASCII);
    }

    private static byte[] slice(ByteBuffer elf, int at, int length) {
        byte[] b = new byte[length];
        elf.get(at, b);
        return b;
    }
}
