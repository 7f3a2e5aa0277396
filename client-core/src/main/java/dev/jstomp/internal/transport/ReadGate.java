package dev.jstomp.internal.transport;

import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;

/**
 * Holds back a TCP channel's reads while jstomp's callbacks have a backlog, so that the broker's messages
 * wait in the broker, not in the client's heap. Auto-read off alone does not hold: a decoder asks for a
 * read after each read that produced nothing (jstomp's codec hands frames on itself, so for Netty nothing
 * is ever produced), and Reactor Netty's receiver turns auto-read back on. Every read request travels
 * towards the head of the pipeline, so this handler, put at the head, keeps them while paused.
 */
final class ReadGate extends ChannelDuplexHandler {

    static final String NAME = "jstomp.readGate";

    private boolean paused; // touched on the channel's event loop only

    /**
     * Makes the channel's reading what {@code paused} says when this runs on the event loop (from any
     * thread). Asking for the wanted state rather than passing it keeps the last word with the last caller:
     * a resume queued from a callback thread must not undo a pause made on the event loop after it.
     */
    static void apply(Channel channel, BooleanSupplier paused) {
        onEventLoop(channel, () -> {
            boolean pause = paused.getAsBoolean();
            ChannelPipeline pipeline = channel.pipeline();
            ReadGate gate = (ReadGate) pipeline.get(NAME);
            if (gate == null) {
                if (!pause) {
                    return;
                }
                // Installed on first use: Spring puts its decoder first when it takes the connection, which
                // comes after Reactor Netty's connected hook, and the gate has to be ahead of it.
                gate = new ReadGate();
                pipeline.addFirst(NAME, gate);
            }
            if (pause == gate.paused) {
                return;
            }
            gate.paused = pause;
            channel.config().setAutoRead(!pause);
            if (!pause) {
                channel.read(); // the read held meanwhile (auto-read may have been on already, asking for none)
            }
        });
    }

    private static void onEventLoop(Channel channel, Runnable action) {
        if (channel.eventLoop().inEventLoop()) {
            action.run();
            return;
        }
        try {
            channel.eventLoop().execute(action);
        } catch (RejectedExecutionException e) {
            // The event loop is shutting down, and the channel with it: nothing left to read.
        }
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (paused) {
            // Whoever asked may have turned auto-read on first; with it off, Netty drops the socket's read
            // interest at the end of the current read.
            ctx.channel().config().setAutoRead(false);
            return;
        }
        ctx.read();
    }
}
