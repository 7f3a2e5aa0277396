package dev.jstomp;

/**
 * Heart-beat settings, as in stomp.js's {@code client.heartbeat}: {@code client.heartbeat().outgoing(20_000).incoming(0)}.
 *
 * <p>Values are in milliseconds; 0 turns that direction off; the default is 10,000 both ways. The client
 * offers them in CONNECT and then follows the STOMP rule: it sends a beat every {@code max(outgoing,
 * server's incoming)} ms when it has written nothing else, and declares the broker dead when nothing
 * arrives for {@link #tolerance()} (default twice) {@code max(incoming, server's outgoing)}. Changing a value while connected throws
 * {@link IllegalStateException}.
 */
public interface Heartbeat {

    /** The outgoing interval offered to the broker, in milliseconds. */
    long outgoing();

    /** The incoming interval asked of the broker, in milliseconds. */
    long incoming();

    /**
     * Sets how often this client can send beats.
     *
     * @param millis milliseconds, 0 for none
     * @return this, for chaining
     */
    Heartbeat outgoing(long millis);

    /**
     * How many negotiated intervals of silence from the broker make it dead (default 2.0, as stomp.js and
     * Artemis). At 1.5 intervals the client's degraded listener hears that beats are late.
     */
    double tolerance();

    /**
     * Sets how many negotiated intervals of silence declare the broker dead.
     *
     * @param multiple at least 1.5
     * @return this, for chaining
     */
    Heartbeat tolerance(double multiple);

    /**
     * Sets how often this client wants beats from the broker.
     *
     * @param millis milliseconds, 0 for none
     * @return this, for chaining
     */
    Heartbeat incoming(long millis);
}
