package dev.jstomp.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.jstomp.StompMessage;
import dev.jstomp.Transaction;

/**
 * The script of {@code jstomp demo}: three users in a chat room, a committed and an aborted transaction,
 * and a work queue with client acknowledgements. Every step waits (bounded) for the broker's deliveries
 * before the transcript moves on, so the output is the same on every run.
 */
final class ChatDemo {

    private static final int SEEN_COLUMN = 58;
    private static final List<String> JOBS = List.of("book-table", "buy-drinks", "send-invites");

    private final Connector connector;
    private final String primaryUrl;
    private final String tcpUrl;
    private final String room;
    private final String workQueue;
    private final Map<String, String> headers;
    private final PrintWriter out;
    private final List<ChatMember> members = new ArrayList<>();
    private int seq;
    private int delivered;
    private int deliveries;
    private String step = "starting";

    ChatDemo(Connector connector, String primaryUrl, String tcpUrl, String room, String workQueue,
            Map<String, String> headers, PrintWriter out) {
        this.connector = connector;
        this.primaryUrl = primaryUrl;
        this.tcpUrl = tcpUrl;
        this.room = room;
        this.workQueue = workQueue;
        this.headers = headers;
        this.out = out;
    }

    /** Plays the script; on failure says at which step. */
    void run() {
        try {
            play();
        } catch (CliException e) {
            throw new CliException("demo failed while " + step + ": " + e.getMessage(), e.exitCode());
        } finally {
            members.forEach(ChatMember::close);
        }
    }

    private void play() {
        out.println("Chat room " + room + ": alice and bob connect over " + label(primaryUrl) + ", carol over "
                + label(tcpUrl) + ".");
        section("Joining");
        ChatMember alice = join("alice", primaryUrl);
        ChatMember bob = join("bob", primaryUrl);
        ChatMember carol = join("carol", tcpUrl);
        section("Chatting");
        say(alice, "Hi both! Is everyone here?");
        say(carol, "Hello from the TCP side \uD83D\uDC4B");
        say(bob, "Shall we plan Friday?");
        transactions(bob);
        workQueue(alice, carol, bob);
        section("Leaving");
        leave(bob);
        leave(alice);
        out.println();
        out.println("Demo complete: 3 users (" + transports() + "); " + Texts.plural(delivered, "room message")
                + " reached " + Texts.count(deliveries) + " inboxes in order; the aborted one reached none.");
        out.flush();
    }

    private ChatMember join(String name, String url) {
        step = name + " was joining";
        Session session = connector.session(name).url(url).watchFrames().open();
        ChatMember member = new ChatMember(name, session);
        members.add(member);
        out.println("  " + name + " connected over " + member.transport() + " to " + session.url() + " (STOMP "
                + session.version() + ", " + session.server() + ")");
        member.enter(room);
        broadcast(member, "  * " + name + " joined the room", Map.of("x-chat-event", "join"), name + " joined");
        return member;
    }

    private void say(ChatMember member, String text) {
        step = member.name() + " was talking";
        broadcast(member, "  " + member.name() + " (" + member.transport() + "): " + text, Map.of(), text);
    }

    private void leave(ChatMember member) {
        step = member.name() + " was leaving";
        member.exit();
        broadcast(member, "  * " + member.name() + " left the room", Map.of("x-chat-event", "leave"),
                member.name() + " left");
        member.session().disconnect(); // whether or not the broker confirms, the member is gone
    }

    private void transactions(ChatMember bob) {
        section("Transactions");
        step = "bob was using transactions";
        Transaction committed = bob.session().client().begin();
        out.println("  bob begins " + committed.id() + ", sends two messages in it and commits");
        List<String> texts = List.of("Pizza at 7?", "I'll bring the drinks.");
        List<Integer> numbers = new ArrayList<>();
        for (String text : texts) {
            numbers.add(send(bob, text, Map.of("transaction", committed.id())));
        }
        committed.commit();
        for (int i = 0; i < texts.size(); i++) {
            seen("  bob (" + bob.transport() + ", " + committed.id() + "): " + texts.get(i), numbers.get(i), texts.get(i));
        }
        Transaction aborted = bob.session().client().begin();
        String regret = "Actually, let's skip Friday.";
        out.println("  bob begins " + aborted.id() + ", sends \"" + regret + "\" in it and aborts");
        send(bob, regret, Map.of("transaction", aborted.id()));
        aborted.abort();
        say(bob, "Never mind, Friday is on!");
        out.println("  (the aborted message reached nobody: the next message everyone saw was the one after ABORT)");
    }

    private void workQueue(ChatMember alice, ChatMember carol, ChatMember bob) {
        section("Work queue " + workQueue + " (ack: client-individual)");
        step = "alice was queueing jobs";
        for (int i = 0; i < JOBS.size(); i++) {
            queueJob(alice, JOBS.get(i), i == JOBS.size() - 1);
        }
        out.println("  alice queues " + JOBS.size() + " jobs: " + String.join(", ", JOBS));
        carolWorks(carol);
        leave(carol);
        bobTakesOver(alice, bob);
    }

    /** Carol takes all three jobs: ACKs one, NACKs one, and leaves the last unacknowledged. */
    private void carolWorks(ChatMember carol) {
        step = "carol was working";
        Inbox carolsJobs = carol.session().inbox();
        carol.session().subscribe(workQueue, carolsJobs, Map.of("id", "jobs", "ack", "client-individual"));
        List<StompMessage> taken = carolsJobs.next(JOBS.size(), "job");
        List<String> names = taken.stream().map(StompMessage::body).toList();
        if (!names.equals(JOBS)) {
            throw new CliException("carol expected " + JOBS + " in order, got " + names);
        }
        taken.get(0).ack();
        out.println("  carol takes " + JOBS.get(0) + ": done, ACK");
        String nackReceipt = "nack-" + RunId.next();
        var nacked = carol.session().client().watchForReceipt(nackReceipt);
        taken.get(1).nack(Map.of("receipt", nackReceipt));
        carol.session().await(nacked, "RECEIPT for carol's NACK");
        out.println("  carol takes " + JOBS.get(1) + ": can't do it, NACK");
        out.println("  carol takes " + JOBS.get(2) + " but has to go before finishing it (no ACK)");
    }

    /** Bob gets what the broker kept of carol's jobs, and one more. */
    private void bobTakesOver(ChatMember alice, ChatMember bob) {
        step = "bob was taking over the work queue";
        Inbox bobsJobs = bob.session().inbox();
        bob.session().subscribe(workQueue, bobsJobs, Map.of("id", "jobs", "ack", "client-individual"));
        queueJob(alice, "wrap-up", false);
        out.println("  bob subscribes to the work queue with ack: client-individual; alice queues one more job: wrap-up");
        // Carol's unacknowledged job goes back when her connection is gone, which a broker may finish a
        // moment after her DISCONNECT: wait for it and for wrap-up, then tell it in queue order.
        Set<String> waitingFor = new HashSet<>(List.of(JOBS.get(2), "wrap-up"));
        Set<String> bobTook = new HashSet<>();
        while (!bobTook.containsAll(waitingFor)) {
            StompMessage job = bobsJobs.next("job for bob");
            job.ack();
            bobTook.add(job.body());
        }
        for (String name : JOBS) {
            if (bobTook.contains(name)) {
                String why = name.equals(JOBS.get(1)) ? "redelivered after carol's NACK" : "carol left without acknowledging it";
                out.println("  bob takes " + name + " (again: " + why + "): done, ACK");
            }
        }
        out.println("  bob takes wrap-up: done, ACK");
        if (!bobTook.contains(JOBS.get(1))) {
            out.println("  " + JOBS.get(1) + " did not come back: " + brokerName(bob.session()) + " discarded the NACKed "
                    + "message (STOMP 1.2 lets a broker redeliver, discard or dead-letter it)");
        }
    }

    private void queueJob(ChatMember from, String job, boolean confirm) {
        if (confirm) {
            // The last job's RECEIPT means all are queued before carol subscribes.
            from.session().await(from.session().client().sendWithReceipt(workQueue, headers, job),
                    "RECEIPT for the job " + job);
        } else {
            from.session().client().send(workQueue, headers, job);
        }
    }

    /** Sends to the room and prints who saw it, waiting for every member in the room. */
    private void broadcast(ChatMember from, String line, Map<String, String> extra, String body) {
        int number = send(from, body, extra);
        seen(line, number, body);
    }

    private int send(ChatMember from, String body, Map<String, String> extra) {
        int number = ++seq;
        Map<String, String> frame = new LinkedHashMap<>(headers);
        frame.putAll(extra);
        frame.put(ChatMember.SEQ, Integer.toString(number));
        frame.put("x-chat-user", from.name());
        frame.put("content-type", "text/plain;charset=utf-8");
        from.session().client().send(room, frame, body);
        return number;
    }

    private void seen(String line, int number, String body) {
        List<String> seenBy = new ArrayList<>();
        for (ChatMember member : members) {
            if (member.inRoom()) {
                member.expect(number, "'" + Texts.cut(body, 40) + "'");
                seenBy.add(member.name());
                deliveries++;
            }
        }
        delivered++;
        String who = seenBy.isEmpty() ? "nobody (the room is empty)" : String.join(", ", seenBy);
        out.println(pad(line) + "  seen by " + who);
        out.flush();
    }

    private void section(String title) {
        out.println();
        out.println(title);
    }

    private static String label(String url) {
        return BrokerUrl.check(url).label();
    }

    /** "2 over WebSocket, 1 over TCP". */
    private String transports() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        members.forEach(m -> counts.merge(m.transport(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        counts.forEach((transport, n) -> parts.add(n + " over " + transport));
        return String.join(", ", parts);
    }

    private static String brokerName(Session session) {
        return "the broker (" + session.server() + ")";
    }

    private static String pad(String line) {
        int width = Texts.width(line);
        return width >= SEEN_COLUMN ? line : line + " ".repeat(SEEN_COLUMN - width);
    }
}
