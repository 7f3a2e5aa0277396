package dev.jstomp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.jstomp.StompMessage;

/** Collects a subscription's messages, with waiting assertions. Pass it as the callback: {@code inbox::add}. */
final class Inbox implements Consumer<StompMessage> {

    /** Long enough for a loaded CI machine; a passing test never waits for it. */
    static final Duration WAIT = Duration.ofSeconds(20);
    /** How long "nothing else arrives" is watched: a delivery on loopback takes a few milliseconds. */
    static final Duration QUIET = Duration.ofMillis(700);

    private final BlockingQueue<StompMessage> messages = new LinkedBlockingQueue<>();

    @Override
    public void accept(StompMessage message) {
        messages.add(message);
    }

    StompMessage next() throws InterruptedException {
        StompMessage message = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(message).as("a message within %s", WAIT).isNotNull();
        return message;
    }

    List<StompMessage> next(int count) throws InterruptedException {
        List<StompMessage> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StompMessage message = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(message).as("message %d of %d within %s", i + 1, count, WAIT).isNotNull();
            list.add(message);
        }
        return list;
    }

    List<String> bodies(int count) throws InterruptedException {
        return next(count).stream().map(StompMessage::body).toList();
    }

    /** Asserts that nothing (more) arrives within {@link #QUIET}. */
    void assertQuiet(String why) throws InterruptedException {
        StompMessage extra = messages.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(extra == null ? null : extra.body()).as(why).isNull();
    }
}
