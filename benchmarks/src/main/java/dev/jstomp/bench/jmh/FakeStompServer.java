package dev.jstomp.bench.jmh;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.jstomp.bench.e2e.RawFrameReader;

/**
 * A STOMP server on loopback that does the least a broker can: answers CONNECT, counts SEND frames and
 * drops them, remembers the connection that subscribed, and on request blasts pre-encoded MESSAGE frames
 * at it. Takes the broker out of the measurement of a client's socket path.
 */
final class FakeStompServer implements AutoCloseable {

    private static final byte[] CONNECTED = "CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0".getBytes(StandardCharsets.UTF_8);

    final AtomicLong sends = new AtomicLong();
    private final ServerSocket server;
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private volatile OutputStream subscriber;

    FakeStompServer() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::accept, "fake-stomp-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    void awaitSubscriber() throws InterruptedException {
        if (!subscribed.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no SUBSCRIBE in 10 s");
        }
    }

    /** Writes the pre-encoded chunk {@code times} times to the subscribed connection. */
    void blast(byte[] chunk, int times) throws IOException {
        OutputStream out = subscriber;
        for (int i = 0; i < times; i++) {
            out.write(chunk);
        }
        out.flush();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                Thread t = new Thread(() -> serve(socket), "fake-stomp-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            RawFrameReader in = new RawFrameReader(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            while (true) {
                char c = in.next();
                if (c == 'C' || (c == 'S' && in.secondLetter() == 'T')) {
                    out.write(CONNECTED);
                    out.flush();
                } else if (c == 'S' && in.secondLetter() == 'E') {
                    sends.incrementAndGet();
                } else if (c == 'S' && in.secondLetter() == 'U') {
                    subscriber = out;
                    subscribed.countDown();
                } else if (c == 'D') {
                    return; // DISCONNECT: the client sees the close and finishes
                }
            }
        } catch (IOException closed) {
            // connection over
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
