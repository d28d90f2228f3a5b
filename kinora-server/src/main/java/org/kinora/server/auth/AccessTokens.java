package org.kinora.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Duration;
import java.util.Date;
import org.kinora.core.common.Clock;
import org.kinora.core.common.KinoraException;

/**
 * Bearer tokens: HS256 JWTs whose subject is the user id and whose {@code gen} claim is the user's
 * token generation at issue time (a password change bumps it, refusing older tokens).
 */
public final class AccessTokens {
    private static final String ISSUER = "kinora";
    private static final String GENERATION = "gen";
    private final MACSigner signer;
    private final MACVerifier verifier;
    private final Duration ttl;
    private final Clock clock;

    public AccessTokens(byte[] key, Duration ttl, Clock clock) {
        try {
            this.signer = new MACSigner(key);
            this.verifier = new MACVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("signing key too short", e);
        }
        this.ttl = ttl;
        this.clock = clock;
    }

    public Duration ttl() { return ttl; }

    /** What a valid token says: whose it is and in which token generation it was issued. */
    public record Claims(String userId, int generation) {}

    public String issue(String userId) {
        return issue(userId, 0);
    }

    public String issue(String userId, int generation) {
        var now = clock.now();
        var claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject(userId).claim(GENERATION, generation)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** The user id the token was issued to; 401 with a reason when it is malformed, forged or expired. */
    public String verify(String token) {
        return verifyClaims(token).userId();
    }

    /** The token's claims; 401 with a reason when it is malformed, forged or expired. */
    public Claims verifyClaims(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                throw KinoraException.unauthorized("invalid_token", "The access token's signature is not valid; sign in again.");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!ISSUER.equals(claims.getIssuer()) || claims.getSubject() == null || claims.getExpirationTime() == null) {
                throw KinoraException.unauthorized("invalid_token", "The access token is not a Kinora token; sign in again.");
            }
            if (!claims.getExpirationTime().toInstant().isAfter(clock.now())) {
                throw KinoraException.unauthorized("token_expired", "The access token expired; sign in again.");
            }
            Long generation = claims.getLongClaim(GENERATION);
            return new Claims(claims.getSubject(), generation == null ? 0 : generation.intValue());
        } catch (ParseException | JOSEException | RuntimeException e) {
            if (e instanceof KinoraException k) throw k;
            throw KinoraException.unauthorized("invalid_token", "The access token is malformed; sign in again.");
        }
    }
}
