package dev.jstomp.broker;

import java.io.IOException;
import java.io.InputStream;

/**
 * Runs an {@link EmbeddedArtemis} as a process of its own, so that a load generator and the broker do not
 * share one heap and JIT: {@code java -cp <class path> dev.jstomp.broker.EmbeddedArtemisMain}.
 *
 * <p>Once the broker listens it prints one line on standard output,
 * {@code jstomp-embedded-broker ready port=PORT user=USER version=VERSION}, and serves until its standard
 * input ends (the parent closed it, or died) or it is told to stop (SIGTERM, Ctrl-C). Options:
 * {@code --ws-max-frame BYTES} (largest WebSocket frame, default 65536).
 */
public final class EmbeddedArtemisMain {

    /** The start of the line printed once the broker is ready. */
    public static final String READY = "jstomp-embedded-broker ready";

    private EmbeddedArtemisMain() {
    }

    /**
     * Starts the broker and serves until standard input ends.
     *
     * @param args {@code --ws-max-frame BYTES}, optionally
     * @throws IOException when standard input cannot be read
     */
    public static void main(String[] args) throws IOException {
        int maxFrame = EmbeddedArtemis.DEFAULT_WS_MAX_FRAME_PAYLOAD;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--ws-max-frame") && i + 1 < args.length) {
                maxFrame = Integer.parseInt(args[++i]);
            } else {
                System.err.println("EmbeddedArtemisMain: unknown option " + args[i] + " (known: --ws-max-frame BYTES)");
                System.exit(2);
            }
        }
        EmbeddedArtemis broker = new EmbeddedArtemis(maxFrame);
        broker.start();
        // SIGTERM and Ctrl-C run the hook; the end of standard input returns from the loop below.
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "jstomp-broker-stop"));
        String version = broker.server().getVersion().getFullVersion();
        System.out.println(READY + " port=" + broker.port() + " user=" + broker.user() + " version=" + version);
        System.out.flush();
        InputStream in = System.in;
        byte[] buffer = new byte[256];
        while (in.read(buffer) >= 0) {
            // Nothing to read; the stream is a lifeline that ends with the parent.
        }
        System.exit(0); // runs the shutdown hook, which stops the broker
    }
}
