package org.kinora.server.http;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who the client is and which address it reached us at, believing {@code X-Forwarded-For},
 * {@code -Proto} and {@code -Host} only from the configured proxies ({@code server.trusted-proxies}).
 * Anyone else could send them to poison links or to dodge per-address rate limits.
 *
 * <p>Absolute URLs (playback, oEmbed, og:* and canonical links) come from {@code server.public-url}
 * when set. Otherwise from the host the client used, but only when that host is one we know:
 * loopback names, the bind address, or {@code server.allowed-hosts}; any other Host gets
 * {@code http://localhost:<port>}, so a forged Host never lands in a cached page or oEmbed answer.
 *
 * <p>A before-filter resolves all of this once per request; the rest of the code reads it with the
 * static accessors.
 */
public final class ForwardedHeaders implements Routes {
    private static final String CLIENT_IP = "kinora.client-ip";
    private static final String HTTPS = "kinora.https";
    private static final String HOST = "kinora.host";
    private static final String BASE_URL = "kinora.base-url";
    private static final String FROM_PROXY = "kinora.from-trusted-proxy";
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");

    private final List<Range> trusted;
    private final Set<String> allowedHosts;
    private final Optional<String> publicUrl;

    public ForwardedHeaders(List<String> trustedProxies, List<String> allowedHosts, String bindHost, Optional<String> publicUrl) {
        this.trusted = trustedProxies.stream().map(Range::parse).toList();
        var hosts = new java.util.HashSet<String>(LOOPBACK_NAMES);
        for (String h : allowedHosts) hosts.add(h.toLowerCase(Locale.ROOT));
        if (!bindHost.equals("0.0.0.0") && !bindHost.equals("::") && !bindHost.isBlank()) hosts.add(bindHost.toLowerCase(Locale.ROOT));
        this.allowedHosts = Set.copyOf(hosts);
        this.publicUrl = publicUrl;
    }

    /** As configured: {@code server.trusted-proxies}, {@code server.allowed-hosts}, the bind address and {@code server.public-url}. */
    public static ForwardedHeaders of(org.kinora.server.config.KinoraConfig config) {
        return new ForwardedHeaders(config.security().trustedProxies(), config.security().allowedHosts(), config.host(), config.publicUrl());
    }

    @Override
    public void register(Api app) {
        app.before(this::resolve);
    }

    void resolve(Context ctx) {
        String peer = stripBrackets(ctx.req().getRemoteAddr());
        boolean fromProxy = isTrusted(peer);
        String client = fromProxy ? clientBehindProxies(peer, ctx.header("X-Forwarded-For")) : peer;
        boolean https = "https".equals(ctx.scheme())
                || (fromProxy && "https".equalsIgnoreCase(first(ctx.header("X-Forwarded-Proto"))));
        String forwardedHost = fromProxy ? first(ctx.header("X-Forwarded-Host")) : null;
        String host = forwardedHost != null ? forwardedHost : ctx.host();
        ctx.attribute(CLIENT_IP, client);
        ctx.attribute(FROM_PROXY, fromProxy);
        ctx.attribute(HTTPS, https);
        ctx.attribute(HOST, host);
        ctx.attribute(BASE_URL, publicUrl.orElseGet(() -> {
            if (host != null && isAllowedHost(host)) return (https ? "https" : "http") + "://" + host;
            return "http://localhost:" + ctx.req().getLocalPort();
        }));
    }

    /** The client's address: the peer's, or the first untrusted hop of X-Forwarded-For behind trusted proxies. */
    public static String clientIp(Context ctx) {
        String ip = ctx.attribute(CLIENT_IP);
        return ip != null ? ip : ctx.ip();
    }

    /** Whether the request came straight from a trusted proxy (whose other headers, like a CDN's country, may be believed). */
    public static boolean fromTrustedProxy(Context ctx) {
        return Boolean.TRUE.equals(ctx.attribute(FROM_PROXY));
    }

    /** Whether the client's connection is HTTPS (directly, or at a trusted proxy). */
    public static boolean isHttps(Context ctx) {
        Boolean https = ctx.attribute(HTTPS);
        return https != null ? https : "https".equals(ctx.scheme());
    }

    /** The host[:port] the client addressed (X-Forwarded-Host from a trusted proxy, else Host); for origin checks. */
    public static String requestHost(Context ctx) {
        String host = ctx.attribute(HOST);
        return host != null ? host : ctx.host();
    }

    /** Scheme and authority for absolute URLs, never taken from an unvetted header. Empty when not resolved. */
    public static Optional<String> baseUrl(Context ctx) {
        return Optional.ofNullable(ctx.attribute(BASE_URL));
    }

    /** Whether the client's address is on this machine (for /metrics without a token). */
    public static boolean isLoopbackClient(Context ctx) {
        try {
            return InetAddress.getByName(stripBrackets(clientIp(ctx))).isLoopbackAddress();
        } catch (UnknownHostException | RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code host} (a Host header's name, with or without its port) is one absolute URLs may name. */
    public boolean isAllowedHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (allowedHosts.contains(h)) return true;
        int colon = h.lastIndexOf(':');
        // "name:port" (or "[v6]:port"): an entry without a port allows every port of that name.
        return colon > 0 && h.indexOf(']') < colon && h.substring(colon + 1).matches("\\d{1,5}")
                && allowedHosts.contains(h.substring(0, colon));
    }

    private boolean isTrusted(String address) {
        if (trusted.isEmpty() || address == null) return false;
        byte[] bytes = Range.literal(address);
        if (bytes == null) return false;
        for (Range r : trusted) if (r.contains(bytes)) return true;
        return false;
    }

    /** Walks X-Forwarded-For from the right: the first hop not a trusted proxy is the client. */
    private String clientBehindProxies(String peer, String forwardedFor) {
        if (forwardedFor == null || forwardedFor.isBlank()) return peer;
        List<String> hops = new ArrayList<>();
        for (String s : forwardedFor.split(",")) hops.add(stripBrackets(s.strip()));
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (Range.literal(hop) == null) return client; // not an address: stop at what we can vouch for
            client = hop;
            if (!isTrusted(hop)) return hop;
        }
        return client;
    }

    private static String first(String header) {
        if (header == null) return null;
        String v = header.split(",", 2)[0].strip();
        return v.isEmpty() ? null : v;
    }

    private static String stripBrackets(String address) {
        if (address == null) return null;
        return address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    }

    /** An address or CIDR range of IPv4 or IPv6 literals (never a name: no DNS on the request path). */
    record Range(byte[] network, int prefix) {
        // Compiled once: this runs for every request from a trusted proxy (String.matches compiled them each time).
        private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
        private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]+");

        static Range parse(String text) {
            String[] parts = text.split("/", 2);
            byte[] net = literal(parts[0]);
            if (net == null) throw new IllegalArgumentException("not an IP address: " + text);
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : net.length * 8;
            if (prefix < 0 || prefix > net.length * 8) throw new IllegalArgumentException("bad prefix length: " + text);
            return new Range(net, prefix);
        }

        /** The bytes of an IP literal, or null when it is not one. */
        static byte[] literal(String s) {
            // Only dotted-quad IPv4 or colon-hex IPv6 reach InetAddress, which then parses without DNS.
            if (s == null || !(IPV4.matcher(s).matches() || (s.contains(":") && IPV6.matcher(s).matches()))) return null;
            try {
                return InetAddress.getByName(s).getAddress(); // a literal: parsed, never resolved
            } catch (UnknownHostException e) {
                return null;
            }
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) return false;
            int full = prefix / 8;
            for (int i = 0; i < full; i++) if (address[i] != network[i]) return false;
            int rest = prefix % 8;
            if (rest == 0) return true;
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
