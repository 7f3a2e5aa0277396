package dev.jstomp.bench.e2e;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-written STOMP 1.2 frames for the raw-socket baselines: encoded once, written many times. */
final class RawFrames {

    private RawFrames() {
    }

    static byte[] connect(BrokerAddress broker) {
        return frame("CONNECT\naccept-version:1.2\nhost:localhost\nlogin:" + broker.login() + "\npasscode:"
                + broker.passcode() + "\nheart-beat:0,0\n\n", new byte[0]);
    }

    static byte[] subscribe(String destination) {
        return frame("SUBSCRIBE\nid:0\ndestination:" + destination + "\nack:auto\n\n", new byte[0]);
    }

    static byte[] send(String destination, byte[] body) {
        return frame("SEND\ndestination:" + destination + "\ncontent-length:" + body.length + "\n\n", body);
    }

    static byte[] disconnect() {
        return frame("DISCONNECT\n\n", new byte[0]);
    }

    private static byte[] frame(String head, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + body.length + 1);
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        out.write(0);
        return out.toByteArray();
    }
}
