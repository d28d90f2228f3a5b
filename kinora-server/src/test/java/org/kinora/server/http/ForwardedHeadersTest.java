package org.kinora.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The address ranges of server.trusted-proxies, parsed without DNS. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ForwardedHeadersTest {
    @Test
    void rangesMatchTheirAddressesOnly() {
        var net = ForwardedHeaders.Range.parse("10.0.0.0/8");
        assertThat(net.contains(ForwardedHeaders.Range.literal("10.200.3.4"))).isTrue();
        assertThat(net.contains(ForwardedHeaders.Range.literal("11.0.0.1"))).isFalse();
        var odd = ForwardedHeaders.Range.parse("192.168.4.0/22");
        assertThat(odd.contains(ForwardedHeaders.Range.literal("192.168.7.255"))).isTrue();
        assertThat(odd.contains(ForwardedHeaders.Range.literal("192.168.8.0"))).isFalse();
        var one = ForwardedHeaders.Range.parse("::1");
        assertThat(one.contains(ForwardedHeaders.Range.literal("0:0:0:0:0:0:0:1"))).isTrue();
        assertThat(one.contains(ForwardedHeaders.Range.literal("127.0.0.1"))).isFalse();
    }

    @Test
    void namesAreNeverResolved() {
        assertThat(ForwardedHeaders.Range.literal("localhost")).isNull();
        assertThat(ForwardedHeaders.Range.literal("abc.def")).isNull();
        assertThat(ForwardedHeaders.Range.literal("unknown")).isNull();
        assertThatThrownBy(() -> ForwardedHeaders.Range.parse("proxy.internal")).isInstanceOf(IllegalArgumentException.class);
    }
}
