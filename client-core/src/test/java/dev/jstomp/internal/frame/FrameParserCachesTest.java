package dev.jstomp.internal.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The parser's shortcuts on the receive hot path: known names and commands matched from the bytes, a
 * header's last value reused while it repeats, the flat header map, and direct buffers copied to the heap.
 * Each must give exactly the frames the plain way gives.
 */
class FrameParserCachesTest {

    private final FrameParser parser = new FrameParser(1 << 20);

    private static ByteBuffer direct(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }

    private static String message(String id, String destination) {
        return "MESSAGE\nsubscription:sub-0\ndestination:" + destination + "\nmessage-id:" + id
                + "\ncontent-length:5\npriority:4\n\nhello\0";
    }

    @Test
    void aRepeatedValueIsTheSameStringAndAChangedOneIsNew() {
        Frame first = parser.parse(direct(message("ID:1", "/queue/a"))).get(0);
        Frame second = parser.parse(direct(message("ID:2", "/queue/a"))).get(0);
        Frame third = parser.parse(direct(message("ID:3", "/queue/b"))).get(0);

        assertThat(second.header("destination")).isSameAs(first.header("destination"));
        assertThat(second.header("subscription")).isSameAs(first.header("subscription"));
        assertThat(first.header("message-id")).isEqualTo("ID:1");
        assertThat(second.header("message-id")).isEqualTo("ID:2");
        assertThat(third.header("destination")).isEqualTo("/queue/b");
        assertThat(third.header("message-id")).isEqualTo("ID:3");
        assertThat(third.command()).isSameAs("MESSAGE");
        assertThat(third.body()).isEqualTo("hello");
    }

    @Test
    void everyHeaderOfArtemisMessagesIsKnownAndItsRepeatedValuesReused() {
        // As ActiveMQ Artemis 2.55 sends a MESSAGE (captured from the embedded broker).
        String artemis = "MESSAGE\nsubscription:0\ncontent-length:3\nmessage-id:%s\ndestination:/queue/peek\n"
                + "expires:0\nredelivered:false\npriority:4\npersistent:false\ntimestamp:1796665910459\n"
                + "destination-type:ANYCAST\n\nabc\0";
        Frame first = parser.parse(direct(artemis.formatted("7,11"))).get(0);
        Frame second = parser.parse(direct(artemis.formatted("7,12"))).get(0);
        for (String name : first.headers().keySet()) {
            assertThat(HeaderNames.find(name.getBytes(StandardCharsets.US_ASCII), 0, name.length()))
                    .as(name).isNotNegative();
            if (!name.equals("message-id")) {
                assertThat(second.header(name)).as(name).isSameAs(first.header(name));
            }
        }
        assertThat(first.headers()).hasSize(10);
        assertThat(second.header("message-id")).isEqualTo("7,12");
        assertThat(second.header("destination-type")).isEqualTo("ANYCAST");
    }

    @Test
    void aValueOfTheSameLengthDifferingOnlyInItsFirstByteIsNotReused() {
        Frame a = parser.parse(direct(message("ID:1", "/queue/a"))).get(0);
        Frame b = parser.parse(direct(message("ID:1", "xqueue/a"))).get(0);
        assertThat(a.header("destination")).isEqualTo("/queue/a");
        assertThat(b.header("destination")).isEqualTo("xqueue/a");
    }

    @Test
    void escapedAndNonAsciiValuesOfKnownHeadersComeOutRightEveryTime() {
        for (int i = 0; i < 3; i++) {
            Frame frame = parser.parse(direct("MESSAGE\ndestination:/queue/a\\cb\nsubscription:s\u00e9\n\n\0")).get(0);
            assertThat(frame.header("destination")).isEqualTo("/queue/a:b");
            assertThat(frame.header("subscription")).isEqualTo("s\u00e9");
        }
    }

    @Test
    void aValueRememberedFromAFrameThatIsNotUnescapedIsNotReusedForOneThatIs() {
        Frame connected = parser.parse(direct("CONNECTED\ndestination:/queue/a\\cb\n\n\0")).get(0);
        Frame message = parser.parse(direct("MESSAGE\ndestination:/queue/a\\cb\n\n\0")).get(0);
        Frame again = parser.parse(direct("CONNECTED\ndestination:/queue/a\\cb\n\n\0")).get(0);
        assertThat(connected.header("destination")).isEqualTo("/queue/a\\cb");
        assertThat(message.header("destination")).isEqualTo("/queue/a:b");
        assertThat(again.header("destination")).isEqualTo("/queue/a\\cb");
    }

    @Test
    void anInvalidUtf8ValueIsNeverTakenForItsPredecessor() {
        byte[] head = "MESSAGE\ndestination:".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\n\n\0".getBytes(StandardCharsets.US_ASCII);
        List<String> seen = new ArrayList<>();
        for (byte[] value : List.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xfe}, new byte[] {'x'})) {
            ByteBuffer buffer = ByteBuffer.allocate(head.length + value.length + tail.length)
                    .put(head).put(value).put(tail).flip();
            seen.add(parser.parse(buffer).get(0).header("destination"));
        }
        assertThat(seen).containsExactly("\ufffd", "\ufffd", "x");
    }

    @Test
    void directAndHeapBuffersGiveTheSameFramesAndLeaveTheSamePosition() {
        String input = message("ID:7", "/topic/t") + "\n" + "RECEIPT\nreceipt-id:r-1\n\n\0" + "MESSAGE\nsubscr";
        ByteBuffer heap = ByteBuffer.wrap(input.getBytes(StandardCharsets.UTF_8));
        ByteBuffer direct = direct(input);
        List<Frame> fromHeap = new FrameParser(1 << 20).parse(heap);
        List<Frame> fromDirect = new FrameParser(1 << 20).parse(direct);

        assertThat(fromDirect).extracting(Frame::command).containsExactly("MESSAGE", "HEARTBEAT", "RECEIPT");
        assertThat(fromDirect).extracting(Frame::command)
                .containsExactlyElementsOf(fromHeap.stream().map(Frame::command).toList());
        for (int i = 0; i < fromHeap.size(); i++) {
            assertThat(fromDirect.get(i).headers()).isEqualTo(fromHeap.get(i).headers());
            assertThat(fromDirect.get(i).body()).isEqualTo(fromHeap.get(i).body());
        }
        assertThat(direct.position()).isEqualTo(heap.position()).isEqualTo(input.lastIndexOf("MESSAGE\nsubscr")).isPositive();
    }

    @Test
    void aBodyStartedInADirectBufferIsFilledFromTheNextReads() {
        String frame = "MESSAGE\ndestination:/queue/a\ncontent-length:10\n\n0123456789\0";
        ByteBuffer first = direct(frame.substring(0, frame.indexOf("0123") + 4));
        assertThat(parser.parse(first)).isEmpty();
        assertThat(first.hasRemaining()).isFalse(); // the body's first bytes went into the frame's own array
        assertThat(parser.parse(direct("456"))).isEmpty();
        List<Frame> done = parser.parse(direct("789\0MESSAGE\ndestination:/queue/a\n\nx\0"));
        assertThat(done).extracting(Frame::body).containsExactly("0123456789", "x");
    }

    @Test
    void headerMapKeepsOrderAndFirstWinsBelowAndAboveItsLinearLimit() {
        StringBuilder frame = new StringBuilder("MESSAGE\n");
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            frame.append("h").append(i).append(':').append(i).append('\n');
            expected.put("h" + i, String.valueOf(i));
            if (i % 7 == 0) {
                frame.append("h").append(i).append(":again\n"); // a repeat: the first wins
            }
        }
        frame.append("\n\0");
        Map<String, String> headers = parser.parse(direct(frame.toString())).get(0).headers();
        assertThat(headers).isEqualTo(expected);
        assertThat(new ArrayList<>(headers.keySet())).containsExactlyElementsOf(expected.keySet());
        assertThat(headers.get("h39")).isEqualTo("39");
        assertThatThrownBy(() -> headers.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);

        Map<String, String> few = parser.parse(direct("MESSAGE\na:1\nb:2\na:3\n\n\0")).get(0).headers();
        assertThat(few).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(few).isEqualTo(Map.of("a", "1", "b", "2")).hasSameHashCodeAs(Map.of("a", "1", "b", "2"));
        assertThat(few.containsKey("b")).isTrue();
        assertThat(few.get("c")).isNull();
        assertThatThrownBy(() -> few.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> few.entrySet().iterator().next().setValue("z"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theFirstContentLengthOfARepeatedOneCounts() {
        Frame frame = parser.parse(direct("MESSAGE\ncontent-length:3\ncontent-length:1\n\na\0b\0")).get(0);
        assertThat(frame.binaryBody()).containsExactly('a', 0, 'b');
        assertThat(frame.header("content-length")).isEqualTo("3");
    }

    @Test
    void anUnknownCommandIsStillRefused() {
        assertThatThrownBy(() -> parser.parse(direct("MESSAGES\n\n\0")))
                .hasMessageContaining("unknown command 'MESSAGES'");
    }
}
