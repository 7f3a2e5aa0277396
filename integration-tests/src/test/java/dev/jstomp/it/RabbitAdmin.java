package dev.jstomp.it;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * RabbitMQ over AMQP 0-9-1 (the official Java client), for what STOMP cannot do: declare exchanges and
 * queues, publish as a plain AMQP service would, check queues exist, clean up after tests.
 */
final class RabbitAdmin implements AutoCloseable {

    private final Connection connection;
    private final Channel channel;

    private RabbitAdmin(Connection connection) throws IOException {
        this.connection = connection;
        this.channel = connection.createChannel();
    }

    static RabbitAdmin open() throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(Endpoints.HOST);
        factory.setPort(Endpoints.RABBITMQ_AMQP);
        factory.setUsername(Endpoints.RABBITMQ_USER);
        factory.setPassword(Endpoints.RABBITMQ_PASSWORD);
        factory.setVirtualHost(Endpoints.RABBITMQ_VHOST);
        factory.setConnectionTimeout(5_000);
        return new RabbitAdmin(factory.newConnection("jstomp-it"));
    }

    Channel channel() {
        return channel;
    }

    /** True when the queue exists (a passive declare; a 404 closes the channel, so a fresh one is used). */
    boolean queueExists(String queue) throws IOException {
        try (Channel probe = connection.createChannel()) {
            probe.queueDeclarePassive(queue);
            return true;
        } catch (IOException notFound) {
            return false;
        } catch (TimeoutException e) {
            throw new IOException(e);
        }
    }

    /** Deletes queues the tests made; best effort, as a failed test may have made none. */
    static void deleteQueuesQuietly(List<String> queues) {
        try (RabbitAdmin admin = open()) {
            for (String queue : queues) {
                admin.channel.queueDelete(queue);
            }
        } catch (Exception e) {
            // Leftover queues are harmless: every name is unique to its run.
        }
    }

    @Override
    public void close() throws IOException {
        try {
            connection.close(5_000);
        } catch (com.rabbitmq.client.AlreadyClosedException e) {
            // nothing to do
        }
    }
}
