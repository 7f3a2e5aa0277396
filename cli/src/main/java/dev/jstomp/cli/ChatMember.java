package dev.jstomp.cli;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.jstomp.StompMessage;
import dev.jstomp.Subscription;

/** One user of the demo's chat room: a session, its room subscription, and what it has seen there. */
final class ChatMember implements AutoCloseable {

    static final String SEQ = "x-chat-seq";

    private final String name;
    private final Session session;
    private final Inbox room;
    private @Nullable Subscription subscription;

    ChatMember(String name, Session session) {
        this.name = name;
        this.session = session;
        this.room = session.inbox();
    }

    String name() {
        return name;
    }

    Session session() {
        return session;
    }

    /** "WebSocket" or "TCP". */
    String transport() {
        return session.kind().label();
    }

    boolean inRoom() {
        return subscription != null;
    }

    /** Subscribes to the room; frames on one connection are handled in order, so it hears its own join. */
    void enter(String roomDestination) {
        subscription = session.subscribe(roomDestination, room, Map.of("id", "room"));
    }

    /** Unsubscribes from the room, so it no longer hears it. */
    void exit() {
        if (subscription != null) {
            subscription.unsubscribe();
            subscription = null;
        }
    }

    /**
     * Waits for the room message with this sequence number, which must be the next one this member sees.
     *
     * @throws CliException when another message came first or none came in time
     */
    StompMessage expect(int seq, String what) {
        StompMessage m = room.next(what + " at " + name);
        String got = m.header(SEQ);
        if (!Integer.toString(seq).equals(got)) {
            throw new CliException(name + " saw '" + Texts.cut(m.body(), 60) + "' where " + what + " was expected");
        }
        return m;
    }

    @Override
    public void close() {
        session.close();
    }
}
