package org.kinora.server.apidocs;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kinora.server.http.ApiRole;
import org.kinora.server.http.Endpoint;

/**
 * Writes the OpenAPI 3.1 document from the declared {@link Endpoint}s: one operation per
 * endpoint with its summary, area, path parameters, security (for {@link ApiRole#SIGNED_IN}),
 * roles ({@code x-kinora-roles}), JSON request body (the fields of the declared record, named as
 * the API's JSON names them) and the error shape every API call shares. Nothing here is written
 * by hand per route, so the document describes exactly what is registered.
 */
final class OpenApiDocument {
    private static final Pattern PARAM = Pattern.compile("[{<]([^}>]+)[}>]");

    private final ObjectMapper json;

    OpenApiDocument(ObjectMapper json) {
        this.json = json;
    }

    ObjectNode build(List<Endpoint> endpoints, String version) {
        ObjectNode doc = json.createObjectNode();
        doc.put("openapi", "3.1.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Kinora API");
        info.put("version", version);
        info.put("description", """
                REST + JSON under /api/v1. Errors are {"code", "message", "details"} with the HTTP status that fits. \
                Lists are pages: pass the response's next_cursor as ?cursor= for the next one. Mutating calls marked \
                IDEMPOTENT honour an Idempotency-Key header (a retry gets the first response again); calls marked \
                WRITE_LIMITED share one budget per caller and answer 429 with Retry-After when it is spent. \
                Sign in with POST /api/v1/auth/token and send Authorization: Bearer <access_token>.""");
        ObjectNode paths = doc.putObject("paths");
        Set<String> operationIds = new HashSet<>();
        Set<String> tags = new java.util.LinkedHashSet<>();
        for (Endpoint e : endpoints) {
            String path = PARAM.matcher(e.path()).replaceAll("{$1}");
            ObjectNode item = paths.has(path) ? (ObjectNode) paths.get(path) : paths.putObject(path);
            ObjectNode op = item.putObject(e.method().name().toLowerCase(Locale.ROOT));
            op.put("summary", e.doc().summary());
            op.put("operationId", operationId(e, operationIds));
            op.putArray("tags").add(e.area());
            tags.add(e.area());
            ArrayNode roles = op.putArray("x-kinora-roles");
            e.doc().roles().stream().map(Enum::name).sorted().forEach(roles::add);
            parameters(op, e.path());
            if (e.doc().roles().contains(ApiRole.SIGNED_IN)) {
                ArrayNode security = op.putArray("security");
                security.addObject().putArray("bearer");
                security.addObject().putArray("session");
            }
            if (e.doc().roles().contains(ApiRole.IDEMPOTENT)) {
                ObjectNode key = ((ArrayNode) op.withArray("parameters")).addObject();
                key.put("name", "Idempotency-Key").put("in", "header").put("required", false)
                        .put("description", "1–255 characters; a retry with the same key gets the first response again");
                key.putObject("schema").put("type", "string");
            }
            e.doc().body().ifPresent(type -> {
                ObjectNode body = op.putObject("requestBody");
                body.put("required", true);
                body.putObject("content").putObject("application/json").set("schema", schema(json.constructType(type), 0));
            });
            responses(op, e);
        }
        ArrayNode tagList = doc.putArray("tags");
        tags.forEach(t -> tagList.addObject().put("name", t));
        ObjectNode components = doc.putObject("components");
        ObjectNode schemes = components.putObject("securitySchemes");
        schemes.putObject("bearer").put("type", "http").put("scheme", "bearer")
                .put("description", "An access token from POST /api/v1/auth/token");
        schemes.putObject("session").put("type", "apiKey").put("in", "cookie").put("name", "kinora_session")
                .put("description", "The web pages' session cookie from POST /api/v1/auth/session (same-origin requests only)");
        ObjectNode error = components.putObject("schemas").putObject("Error");
        error.put("type", "object");
        error.putArray("required").add("code").add("message");
        ObjectNode props = error.putObject("properties");
        props.putObject("code").put("type", "string").put("description", "Stable machine-readable reason, e.g. not_found");
        props.putObject("message").put("type", "string").put("description", "What went wrong and what to do");
        props.putObject("details").put("type", "object");
        return doc;
    }

    private static void parameters(ObjectNode op, String path) {
        Matcher m = PARAM.matcher(path);
        while (m.find()) {
            ObjectNode p = op.withArray("parameters").addObject();
            p.put("name", m.group(1)).put("in", "path").put("required", true);
            p.putObject("schema").put("type", "string");
        }
    }

    private static void responses(ObjectNode op, Endpoint e) {
        ObjectNode responses = op.putObject("responses");
        ObjectNode ok = responses.putObject("2XX");
        boolean api = e.path().startsWith("/api/v1/");
        if (e.events()) {
            ok.put("description", "A stream of server-sent events");
            ok.putObject("content").putObject("text/event-stream").putObject("schema").put("type", "string");
        } else if (api && e.method().name().equals("GET")) {
            ok.put("description", "Success");
            ok.putObject("content").putObject("application/json").putObject("schema").put("type", "object");
        } else {
            ok.put("description", "Success");
        }
        if (api) {
            ObjectNode error = responses.putObject("default");
            error.put("description", "An error");
            error.putObject("content").putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/Error");
        }
    }

    private static String operationId(Endpoint e, Set<String> taken) {
        StringBuilder id = new StringBuilder(e.method().name().toLowerCase(Locale.ROOT));
        for (String part : e.path().split("[^A-Za-z0-9]+")) {
            if (part.isEmpty()) continue;
            id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        String candidate = id.toString();
        for (int n = 2; !taken.add(candidate); n++) candidate = id.toString() + n;
        return candidate;
    }

    /** The JSON schema of a body type as the API's mapper reads it (snake_case names of a record's components). */
    private ObjectNode schema(JavaType type, int depth) {
        ObjectNode s = json.createObjectNode();
        Class<?> raw = type.getRawClass();
        if (raw == String.class || raw.isEnum()) return s.put("type", "string");
        if (raw == Instant.class) return s.put("type", "string").put("format", "date-time");
        if (raw == boolean.class || raw == Boolean.class) return s.put("type", "boolean");
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) return s.put("type", "integer");
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) return s.put("type", "number");
        if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
            s.put("type", "array");
            JavaType item = type.getContentType();
            s.set("items", item == null ? json.createObjectNode() : schema(item, depth + 1));
            return s;
        }
        if (!raw.isRecord() || depth > 4) return s.put("type", "object");
        s.put("type", "object");
        ObjectNode props = s.putObject("properties");
        for (BeanPropertyDefinition p : json.getDeserializationConfig().introspect(type).findProperties()) {
            props.set(p.getName(), schema(p.getPrimaryType(), depth + 1));
        }
        return s;
    }
}
