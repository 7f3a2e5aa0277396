package dev.jstomp.bench.e2e;

/**
 * For diagnosis, not a client of the tables: one client's consumer with another client's producer on the same
 * queue ({@code jstomp-send}: jstomp sends, the raw socket receives; {@code jstomp-receive}: the raw socket
 * sends, jstomp receives), so that a gap against raw can be put on the side that makes it.
 */
final class HybridWorkload implements Workload {

    private final Workload receiver;
    private final Workload sender;

    HybridWorkload(Workload receiver, Workload sender) {
        this.receiver = receiver;
        this.sender = sender;
    }

    @Override
    public void start(String destination, Inbox inbox, int consumers) throws Exception {
        receiver.start(destination, inbox, consumers);
        sender.start(destination, inbox, 0);
    }

    @Override
    public void send(byte[] body) throws Exception {
        sender.send(body);
    }

    @Override
    public void flush() throws Exception {
        sender.flush();
    }

    @Override
    public void close() {
        sender.close();
        receiver.close();
    }
}
