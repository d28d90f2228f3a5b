package org.kinora.core.admin;

import org.kinora.core.moderation.HoldPolicy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.kinora.core.admin.InstanceSettings.SignUps;
import org.kinora.core.common.Clock;
import org.kinora.core.common.KinoraException;

/**
 * The instance settings in force: the config file's values, overridden by what admins stored in
 * the database. Read from memory (sign-up and upload checks ask often), refreshed by
 * {@link #refresh()} on a timer so that every node learns a change within its period, and at once
 * on the node where the admin saved it. Listeners apply what is not read per request (the write
 * budget's rate).
 */
public final class InstanceSettingsService {
    private static final long MAX_WRITES_PER_MINUTE = 100_000;
    private static final int MAX_HOLD_DAYS = 3650;
    private static final int MAX_HOLD_PUBLISHED = 1_000_000;
    private static final int MAX_KEYWORDS = 500;
    private static final int MAX_KEYWORD_LENGTH = 100;

    private final InstanceSettingsRepository store;
    private final InstanceSettings defaults;
    private final Clock clock;
    private final List<Consumer<InstanceSettings>> listeners = new ArrayList<>();
    private volatile InstanceSettings current;

    public InstanceSettingsService(InstanceSettingsRepository store, InstanceSettings defaults, Clock clock) {
        this.store = store;
        this.defaults = defaults;
        this.clock = clock;
        this.current = merge(defaults, store.load());
    }

    public InstanceSettings current() { return current; }

    public InstanceSettings defaults() { return defaults; }

    public long uploadQuotaBytes() { return current.uploadQuotaBytes(); }

    /** The holds before publication in force (read per upload and per comment). */
    public HoldPolicy holds() { return current.holds(); }

    /** Called with the settings now and after every change this node learns. */
    public synchronized void onChange(Consumer<InstanceSettings> listener) {
        listeners.add(listener);
        listener.accept(current);
    }

    /** Reads the stored settings again (every node, on a timer). */
    public void refresh() {
        apply(merge(defaults, store.load()));
    }

    /** Admins only (the caller checked the role): stores the given fields; null fields stay as they are. */
    public InstanceSettings update(String adminId, String signUps, Long uploadQuotaBytes, Integer writesPerMinute,
                                   InstanceSettings.HoldsPatch holds) {
        Map<String, String> changes = new LinkedHashMap<>();
        if (holds.newAccountDays() != null) {
            if (holds.newAccountDays() < 0 || holds.newAccountDays() > MAX_HOLD_DAYS) {
                throw KinoraException.badRequest("invalid_hold", "hold_new_account_days must be 0 (off) to " + MAX_HOLD_DAYS + ".");
            }
            changes.put(InstanceSettings.HOLD_NEW_ACCOUNT_DAYS, holds.newAccountDays().toString());
        }
        if (holds.untilPublished() != null) {
            if (holds.untilPublished() < 0 || holds.untilPublished() > MAX_HOLD_PUBLISHED) {
                throw KinoraException.badRequest("invalid_hold", "hold_until_published must be 0 (off) to " + MAX_HOLD_PUBLISHED + ".");
            }
            changes.put(InstanceSettings.HOLD_UNTIL_PUBLISHED, holds.untilPublished().toString());
        }
        if (holds.keywords() != null) {
            List<String> words = keywords(holds.keywords());
            if (words.size() > MAX_KEYWORDS || words.stream().anyMatch(w -> w.length() > MAX_KEYWORD_LENGTH)) {
                throw KinoraException.badRequest("invalid_hold", "hold_keywords holds at most " + MAX_KEYWORDS
                        + " comma-separated words of at most " + MAX_KEYWORD_LENGTH + " characters each.");
            }
            changes.put(InstanceSettings.HOLD_KEYWORDS, String.join(",", words));
        }
        if (holds.videosByKeyword() != null) changes.put(InstanceSettings.HOLD_VIDEOS_BY_KEYWORD, holds.videosByKeyword().toString());
        if (signUps != null) {
            SignUps mode = SignUps.parse(signUps).orElseThrow(() -> KinoraException.badRequest("invalid_signups",
                    "signups must be open, approval or closed."));
            changes.put(InstanceSettings.SIGN_UPS, mode.wireName());
        }
        if (uploadQuotaBytes != null) {
            if (uploadQuotaBytes < -1) {
                throw KinoraException.badRequest("invalid_quota", "upload_quota_bytes must be -1 (unlimited) or a number of bytes.");
            }
            changes.put(InstanceSettings.UPLOAD_QUOTA, uploadQuotaBytes.toString());
        }
        if (writesPerMinute != null) {
            if (writesPerMinute < 1 || writesPerMinute > MAX_WRITES_PER_MINUTE) {
                throw KinoraException.badRequest("invalid_rate", "writes_per_minute must be between 1 and " + MAX_WRITES_PER_MINUTE + ".");
            }
            changes.put(InstanceSettings.WRITES_PER_MINUTE, writesPerMinute.toString());
        }
        if (!changes.isEmpty()) store.save(changes, adminId, clock.now());
        refresh();
        return current;
    }

    private synchronized void apply(InstanceSettings next) {
        boolean changed = !next.equals(current);
        current = next;
        if (changed) for (Consumer<InstanceSettings> l : listeners) l.accept(next);
    }

    /** Stored values over the defaults; a value the store holds but cannot be read (hand-edited) keeps the default. */
    static InstanceSettings merge(InstanceSettings d, Map<String, String> stored) {
        SignUps signUps = SignUps.parse(stored.get(InstanceSettings.SIGN_UPS)).orElse(d.signUps());
        long quota = parseLong(stored.get(InstanceSettings.UPLOAD_QUOTA), d.uploadQuotaBytes());
        int writes = (int) Math.max(1, Math.min(MAX_WRITES_PER_MINUTE, parseLong(stored.get(InstanceSettings.WRITES_PER_MINUTE), d.writesPerMinute())));
        HoldPolicy h = d.holds();
        int days = (int) Math.max(0, Math.min(MAX_HOLD_DAYS, parseLong(stored.get(InstanceSettings.HOLD_NEW_ACCOUNT_DAYS), h.newAccountDays())));
        int published = (int) Math.max(0, Math.min(MAX_HOLD_PUBLISHED, parseLong(stored.get(InstanceSettings.HOLD_UNTIL_PUBLISHED), h.minPublished())));
        String words = stored.get(InstanceSettings.HOLD_KEYWORDS);
        String byKeyword = stored.get(InstanceSettings.HOLD_VIDEOS_BY_KEYWORD);
        boolean videos = "true".equals(byKeyword) || (!"false".equals(byKeyword) && h.videosByKeyword());
        return new InstanceSettings(signUps, quota, writes,
                new HoldPolicy(days, published, words == null ? h.keywords() : keywords(words), videos));
    }

    /** Comma-separated words, trimmed and lower-cased, empty ones dropped, each once. */
    static List<String> keywords(String commaSeparated) {
        return java.util.Arrays.stream(commaSeparated.split(",")).map(w -> w.strip().toLowerCase(java.util.Locale.ROOT))
                .filter(w -> !w.isEmpty()).distinct().toList();
    }

    private static long parseLong(String s, long fallback) {
        if (s == null) return fallback;
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
