package dev.jstomp.internal.session;

/**
 * The STOMP heart-beat negotiation: the client offers {@code cx,cy}, the server answers {@code sx,sy};
 * the client sends every {@code max(cx, sy)} ms and expects beats every {@code max(sx, cy)} ms, each
 * only when both sides' values are non-zero.
 *
 * @param sendEvery milliseconds between our beats, 0 for none
 * @param expectEvery milliseconds between the broker's beats, 0 for none
 */
record HeartbeatTerms(long sendEvery, long expectEvery) {

    static HeartbeatTerms negotiate(long clientOutgoing, long clientIncoming, String serverHeader) {
        long[] server = parse(serverHeader);
        long send = clientOutgoing == 0 || server[1] == 0 ? 0 : Math.max(clientOutgoing, server[1]);
        long expect = clientIncoming == 0 || server[0] == 0 ? 0 : Math.max(clientIncoming, server[0]);
        return new HeartbeatTerms(send, expect);
    }

    /** Parses {@code "x,y"}; a missing or malformed header means no heart-beats (STOMP 1.0 brokers). */
    static long[] parse(String header) {
        if (header == null) {
            return new long[] {0, 0};
        }
        String[] parts = header.split(",");
        if (parts.length != 2) {
            return new long[] {0, 0};
        }
        try {
            return new long[] {Math.max(0, Long.parseLong(parts[0].trim())), Math.max(0, Long.parseLong(parts[1].trim()))};
        } catch (NumberFormatException e) {
            return new long[] {0, 0};
        }
    }
}
