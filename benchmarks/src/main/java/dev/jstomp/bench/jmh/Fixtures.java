package dev.jstomp.bench.jmh;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Wire bytes shared by the benchmarks. */
final class Fixtures {

    static final String DESTINATION = "/queue/bench";
    static final String SUBSCRIPTION = "bench";

    private Fixtures() {
    }

    static byte[] body(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'x');
        return body;
    }

    /**
     * A MESSAGE frame with the headers Artemis 2.55 sends for a STOMP message on an ack:auto subscription
     * (the same names, order and kinds of value as captured from the embedded broker).
     */
    static byte[] message(int bodySize, long id) {
        String head = "MESSAGE\nsubscription:" + SUBSCRIPTION + "\ncontent-length:" + bodySize + "\nmessage-id:7," + id
                + "\ndestination:" + DESTINATION + "\nexpires:0\nredelivered:false\npriority:4\npersistent:false"
                + "\ntimestamp:1767225600000\ndestination-type:ANYCAST\n\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + bodySize + 1);
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body(bodySize));
        out.write(0);
        return out.toByteArray();
    }

    /** {@code count} MESSAGE frames back to back, as one read from the socket would hold them. */
    static byte[] messages(int bodySize, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            out.writeBytes(message(bodySize, 1000L + i));
        }
        return out.toByteArray();
    }
}
