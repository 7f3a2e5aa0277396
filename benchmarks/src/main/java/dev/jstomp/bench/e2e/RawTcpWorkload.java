package dev.jstomp.bench.e2e;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCP baseline: plain {@link Socket}s, pre-encoded SEND frames written through a 64 KiB buffered
 * stream (several frames per write, flushed when the buffer fills and at the end), and a reader thread
 * that parses MESSAGE frames minimally ({@link RawFrameReader}). The practical limit of this broker here.
 */
final class RawTcpWorkload implements Workload {

    private final BrokerAddress broker;
    private final List<Socket> sockets = new ArrayList<>();
    private OutputStream out;
    private byte[] lastBody;
    private byte[] lastFrame;
    private String destination;

    RawTcpWorkload(BrokerAddress broker) {
        this.broker = broker;
    }

    @Override
    public void start(String destination, Inbox inbox, int consumers) throws Exception {
        this.destination = destination;
        for (int i = 0; i < consumers; i++) {
            subscribe(destination, inbox);
        }
        Socket producer = connect();
        expectConnected(new RawFrameReader(producer.getInputStream()));
        out = new BufferedOutputStream(producer.getOutputStream(), 1 << 16);
    }

    private void subscribe(String destination, Inbox inbox) throws IOException {
        Socket consumer = connect();
        RawFrameReader in = new RawFrameReader(consumer.getInputStream());
        expectConnected(in);
        consumer.getOutputStream().write(RawFrames.subscribe(destination));
        consumer.getOutputStream().flush();
        Thread reader = new Thread(() -> {
            try {
                while (true) {
                    char c = in.next();
                    if (c == 'M') {
                        inbox.hit();
                    } else if (c == 'E') {
                        System.err.println("raw-tcp consumer: ERROR frame from the broker");
                    }
                }
            } catch (IOException closed) {
                // end of run
            }
        }, "raw-tcp-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(broker.host(), broker.port());
        s.setTcpNoDelay(true);
        sockets.add(s);
        s.getOutputStream().write(RawFrames.connect(broker));
        s.getOutputStream().flush();
        return s;
    }

    private static void expectConnected(RawFrameReader in) throws IOException {
        char c = in.next();
        if (c != 'C') {
            throw new IOException("expected CONNECTED, got a frame starting with " + c);
        }
    }

    @Override
    public void send(byte[] body) throws IOException {
        if (body != lastBody) {
            lastBody = body;
            lastFrame = RawFrames.send(destination, body);
        }
        out.write(lastFrame);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() {
        for (Socket s : sockets) {
            try {
                s.getOutputStream().write(RawFrames.disconnect());
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
