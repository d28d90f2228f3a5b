package org.kinora.core.channel;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.kinora.core.account.AccountAdminService;
import org.kinora.core.account.Role;
import org.kinora.core.account.User;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.Ids;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Channels: created with the account, edited by their owner (or an admin), pictures resized on upload. */
public final class ChannelService {
    private static final Logger log = LoggerFactory.getLogger(ChannelService.class);
    private static final Pattern HANDLE = Pattern.compile("[a-zA-Z0-9_.-]{3,32}");
    public static final int MAX_IMAGE_BYTES = 8 * 1024 * 1024;

    private final ChannelRepository channels;
    private final SubscriptionRepository subscriptions;
    private final BlobStore blobs;
    private final ImageProcessor images;
    private final AccountAdminService accounts;
    private final Clock clock;

    public ChannelService(ChannelRepository channels, SubscriptionRepository subscriptions, BlobStore blobs,
                          ImageProcessor images, AccountAdminService accounts, Clock clock) {
        this.channels = channels;
        this.subscriptions = subscriptions;
        this.blobs = blobs;
        this.images = images;
        this.accounts = accounts;
        this.clock = clock;
    }

    /** A channel as a page shows it: with its counts and whether the viewer follows it. */
    public record ChannelDetails(Channel channel, long videoCount, Boolean subscribed) {}

    /** Called inside registration: the handle starts as the username (with a suffix if a channel took it meanwhile). */
    public void createFor(User user) {
        String handle = user.username();
        for (int attempt = 0; attempt < 5; attempt++) {
            Channel c = new Channel(user.id(), handle, user.username(), "", null, null, 0, user.createdAt(), user.createdAt());
            if (channels.insertIfAbsent(c)) return;
            handle = user.username() + "-" + Ids.newId().substring(0, 4).replace('_', 'x').replace('-', 'x');
        }
        throw KinoraException.conflict("handle_taken", "Could not find a free channel handle for " + user.username() + ".");
    }

    /** By id, or by handle when the reference starts with '@'. */
    public Channel channel(String ref) {
        Optional<Channel> c;
        if (ref != null && ref.startsWith("@")) c = channels.findByHandle(ref.substring(1));
        else c = Ids.looksValid(ref) ? channels.find(ref) : Optional.empty();
        return c.orElseThrow(() -> KinoraException.notFound("Channel"));
    }

    public ChannelDetails details(String ref, String viewerId) {
        Channel c = channel(ref);
        Boolean subscribed = viewerId == null ? null : subscriptions.isSubscribed(viewerId, c.id());
        return new ChannelDetails(c, channels.publicVideoCount(c.id()), subscribed);
    }

    public Map<String, Channel> channels(Collection<String> ids) {
        return ids.isEmpty() ? Map.of() : channels.findAll(ids);
    }

    /** Owner (or admin) edits; null fields stay. */
    public Channel update(String ref, String requesterId, String handle, String displayName, String description) {
        Channel c = editable(ref, requesterId);
        if (handle != null && !HANDLE.matcher(handle).matches()) {
            throw KinoraException.badRequest("invalid_handle", "Handle must be 3–32 characters: letters, digits, '.', '_' or '-'.");
        }
        if (displayName != null && (displayName.isBlank() || displayName.length() > 64)) {
            throw KinoraException.badRequest("invalid_display_name", "Display name must be 1–64 characters.");
        }
        if (description != null && description.length() > 5000) {
            throw KinoraException.badRequest("invalid_description", "Channel description is longer than 5000 characters.");
        }
        boolean ok = channels.updateProfile(c.id(), handle == null ? c.handle() : handle,
                displayName == null ? c.displayName() : displayName.strip(),
                description == null ? c.description() : description);
        if (!ok) throw KinoraException.conflict("handle_taken", "The handle @" + handle + " is taken; choose another.");
        return channels.find(c.id()).orElseThrow();
    }

    /** Validates, resizes (cover crop) and stores a new avatar or banner; the old file is removed. */
    public Channel setImage(String ref, String requesterId, ChannelImage kind, byte[] bytes) throws IOException {
        Channel c = editable(ref, requesterId);
        if (bytes == null || bytes.length == 0) {
            throw KinoraException.badRequest("empty_image", "Send the picture's bytes as the request body.");
        }
        if (bytes.length > MAX_IMAGE_BYTES) {
            throw new KinoraException(ErrorKind.PAYLOAD_TOO_LARGE, "image_too_large",
                    "The picture is " + bytes.length + " bytes; the largest accepted is " + MAX_IMAGE_BYTES + " bytes.",
                    Map.of("max_size", MAX_IMAGE_BYTES));
        }
        byte[] jpeg = images.coverJpeg(bytes, kind.width, kind.height);
        String file = kind.wireName() + "-" + Ids.newId() + ".jpg";
        blobs.put(BlobKeys.channelImage(c.id(), file), jpeg, "image/jpeg");
        channels.setImage(c.id(), kind, file);
        String old = kind == ChannelImage.AVATAR ? c.avatarFile() : c.bannerFile();
        if (old != null) {
            try {
                blobs.delete(BlobKeys.channelImage(c.id(), old));
            } catch (IOException e) {
                log.warn("old {} of channel {} could not be removed: {}", kind.wireName(), c.id(), e.toString());
            }
        }
        return channels.find(c.id()).orElseThrow();
    }

    private Channel editable(String ref, String requesterId) {
        Channel c = channel(ref);
        if (!c.isOwnedBy(requesterId) && accounts.role(requesterId) != Role.ADMIN) {
            throw KinoraException.forbidden("Only the channel's owner may change it.");
        }
        return c;
    }
}
