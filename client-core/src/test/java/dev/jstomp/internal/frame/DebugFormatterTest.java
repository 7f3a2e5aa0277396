package dev.jstomp.internal.frame;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DebugFormatterTest {

    private final DebugFormatter formatter = new DebugFormatter(20);

    private static Frame frame(String command, String body, String... headerPairs) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], headerPairs[i + 1]);
        }
        return new Frame(command, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void outgoingFrameIsCommandHeadersBlankLineBody() {
        String line = formatter.outgoing(frame("SEND", "Hello", "destination", "/queue/test", "priority", "9"));

        assertThat(line).isEqualTo(">>> SEND\ndestination:/queue/test\npriority:9\n\nHello");
    }

    @Test
    void incomingFrameStartsWithTheInboundArrow() {
        String line = formatter.incoming(frame("MESSAGE", "", "subscription", "sub-1"));

        assertThat(line).isEqualTo("<<< MESSAGE\nsubscription:sub-1\n\n");
    }

    @Test
    void heartbeatsArePingAndPong() {
        assertThat(formatter.outgoingHeartbeat()).isEqualTo(">>> PING");
        assertThat(formatter.incomingHeartbeat()).isEqualTo("<<< PONG");
    }

    @Test
    void passcodeIsNeverShown() {
        String line = formatter.outgoing(frame("CONNECT", "", "login", "guest", "passcode", "TOPSECRET-123",
                "Passcode", "TOPSECRET-456"));

        assertThat(line).contains("\nlogin:guest\n", "\npasscode:***\n", "\nPasscode:***\n")
                .doesNotContain("TOPSECRET");
        assertThat(DebugFormatter.REDACTED).isEqualTo("***");
    }

    @Test
    void headersAreShownEscapedAsOnTheWire() {
        String line = formatter.outgoing(frame("SEND", "", "destination", "/q", "we:ird", "a:b\nc\\d\re"));

        assertThat(line).contains("\nwe\\cird:a\\cb\\nc\\\\d\\re\n");
    }

    @Test
    void connectAndConnectedHeadersAreShownUnescaped() {
        assertThat(formatter.outgoing(frame("CONNECT", "", "host", "vhost:1", "login", "a\\b")))
                .contains("\nhost:vhost:1\n", "\nlogin:a\\b\n");
        assertThat(formatter.incoming(frame("CONNECTED", "", "server", "fake:1.0")))
                .contains("\nserver:fake:1.0\n");
    }

    @Test
    void longBodyIsCutWithAMarkerSayingHowLongItWas() {
        String line = formatter.incoming(frame("MESSAGE", "x".repeat(100)));

        assertThat(line).endsWith("\n\n" + "x".repeat(20) + "...[cut, body is 100 bytes]");
    }

    @Test
    void bodyAtTheLimitIsShownWhole() {
        assertThat(formatter.incoming(frame("MESSAGE", "y".repeat(20)))).endsWith("\n\n" + "y".repeat(20));
    }

    @Test
    void limitCountsCharactersNotBytes() {
        String accented = "é".repeat(20); // 40 bytes, 20 characters

        assertThat(formatter.incoming(frame("MESSAGE", accented))).endsWith("\n\n" + accented);
        assertThat(formatter.incoming(frame("MESSAGE", "é".repeat(30))))
                .endsWith("é".repeat(20) + "...[cut, body is 60 bytes]");
    }

    @Test
    void hugeBodyIsCutCheaply() {
        byte[] body = new byte[16 * 1024 * 1024];
        Arrays.fill(body, (byte) 'z');

        String line = new DebugFormatter(4096).incoming(new Frame("MESSAGE", new LinkedHashMap<>(), body));

        assertThat(line).hasSizeLessThan(4096 + 100).endsWith("...[cut, body is 16777216 bytes]");
    }

    @Test
    void binaryBodiesAreDescribedNotDumped() {
        Frame octets = new Frame("MESSAGE", new LinkedHashMap<>(Map.of("content-type", "application/octet-stream")),
                "readable but binary".getBytes(StandardCharsets.UTF_8));
        Frame withNul = new Frame("MESSAGE", new LinkedHashMap<>(), new byte[] {'a', 0, 'b', (byte) 0xFF});
        Frame image = new Frame("MESSAGE", new LinkedHashMap<>(Map.of("content-type", "image/png")), new byte[] {1, 2, 3});

        assertThat(formatter.incoming(octets)).endsWith("\n\n[binary body, 19 bytes]").doesNotContain("readable");
        assertThat(formatter.incoming(withNul)).endsWith("\n\n[binary body, 4 bytes]");
        assertThat(formatter.incoming(image)).endsWith("\n\n[binary body, 3 bytes]");
    }

    @Test
    void textContentTypesAreShownAsText() {
        Frame json = new Frame("MESSAGE", new LinkedHashMap<>(Map.of("content-type", "application/json;charset=utf-8")),
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(formatter.incoming(json)).endsWith("\n\n{\"a\":1}");
    }

    @Test
    void aBodySlicedFromALargerArrayShowsOnlyItself() {
        byte[] around = "\0\0[a text body]\0\0".getBytes(StandardCharsets.UTF_8);
        Frame sliced = new Frame("MESSAGE", new LinkedHashMap<>(), around, 2, 13);
        Frame longSlice = new Frame("MESSAGE", new LinkedHashMap<>(), ("--" + "w".repeat(30) + "\0").getBytes(StandardCharsets.UTF_8), 2, 30);

        // NULs outside the slice must neither show nor make the body look binary.
        assertThat(formatter.incoming(sliced)).endsWith("\n\n[a text body]");
        assertThat(formatter.incoming(longSlice)).endsWith("w".repeat(20) + "...[cut, body is 30 bytes]");
    }
}
