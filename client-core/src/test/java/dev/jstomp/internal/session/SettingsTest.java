package dev.jstomp.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SettingsTest {

    private final AtomicBoolean frozen = new AtomicBoolean();
    private final Settings settings = new Settings(frozen::get);

    @Test
    void defaults() {
        assertThat(settings.outgoing()).isEqualTo(10_000);
        assertThat(settings.incoming()).isEqualTo(10_000);
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.receiptTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.maxFrameSize()).isEqualTo(32 * 1024 * 1024);
        assertThat(settings.webSocketMessageSize()).isEqualTo(64 * 1024);
        assertThat(settings.reconnectDelay()).isZero();
        assertThat(settings.debug()).isNull();
        assertThat(settings.callbackExecutor()).isNull();
        assertThat(settings.tolerance()).isEqualTo(2.0);
        assertThat(settings.maxReconnectDelay()).isEqualTo(30_000);
        assertThat(settings.maxReconnectAttempts()).isZero();
    }

    @Test
    void valuesAreKeptAndHeartbeatChains() {
        assertThat(settings.outgoing(0).incoming(20_000)).isSameAs(settings);
        settings.connectTimeout(Duration.ofMillis(1));
        settings.maxFrameSize(1);

        assertThat(settings.outgoing()).isZero();
        assertThat(settings.incoming()).isEqualTo(20_000);
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofMillis(1));
        assertThat(settings.maxFrameSize()).isEqualTo(1);
        assertThat(settings).hasToString("Heartbeat[outgoing=0, incoming=20000]");
    }

    @Test
    void negativeAndZeroValuesAreRejectedWithTheirName() {
        assertRejected(() -> settings.outgoing(-1), "heartbeat outgoing");
        assertRejected(() -> settings.incoming(-1), "heartbeat incoming");
        assertRejected(() -> settings.reconnectDelay(-5), "reconnectDelay");
        assertRejected(() -> settings.connectTimeout(Duration.ZERO), "connectTimeout");
        assertRejected(() -> settings.connectTimeout(Duration.ofMillis(-1)), "connectTimeout");
        assertRejected(() -> settings.connectTimeout(null), "connectTimeout");
        assertRejected(() -> settings.receiptTimeout(Duration.ofSeconds(-1)), "receiptTimeout");
        assertRejected(() -> settings.maxFrameSize(0), "maxFrameSize");
        assertRejected(() -> settings.webSocketMessageSize(-1), "webSocketMessageSize");
        assertRejected(() -> settings.maxReconnectDelay(0), "reconnectMaxDelay");
        assertRejected(() -> settings.maxReconnectAttempts(-1), "reconnectMaxAttempts");
        assertRejected(() -> settings.heldSendLimit(-1, 10), "held messages");
        assertRejected(() -> settings.heldSendLimit(10, -1), "held bytes");
        assertRejected(() -> settings.tolerance(1.4), "tolerance");
        assertRejected(() -> settings.tolerance(Double.NaN), "tolerance");
        assertThat(settings.outgoing()).as("unchanged after a rejected value").isEqualTo(10_000);
    }

    private static void assertRejected(Executable change, String name) {
        assertThatThrownBy(change::execute).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name);
    }

    @Test
    void everySettingIsFrozenWhileConnected() {
        frozen.set(true);

        assertFrozen(() -> settings.outgoing(1));
        assertFrozen(() -> settings.incoming(1));
        assertFrozen(() -> settings.debug(line -> { }));
        assertFrozen(() -> settings.reconnectDelay(1));
        assertFrozen(() -> settings.stateListener(state -> { }));
        assertFrozen(() -> settings.callbackExecutor(Runnable::run));
        assertFrozen(() -> settings.connectTimeout(Duration.ofSeconds(1)));
        assertFrozen(() -> settings.receiptTimeout(Duration.ofSeconds(1)));
        assertFrozen(() -> settings.maxFrameSize(1));
        assertFrozen(() -> settings.webSocketMessageSize(1));
        assertFrozen(() -> settings.maxReconnectDelay(1));
        assertFrozen(() -> settings.maxReconnectAttempts(1));
        assertFrozen(() -> settings.heldSendLimit(1, 1));
        assertFrozen(() -> settings.unsentHandler(frames -> { }));
        assertFrozen(() -> settings.degradedListener(degraded -> { }));
        assertFrozen(() -> settings.tolerance(3));
        assertFrozen(() -> settings.sslContext(null));
        assertThat(settings.outgoing()).isEqualTo(10_000);

        frozen.set(false);
        settings.outgoing(1);
        assertThat(settings.outgoing()).isEqualTo(1);
    }

    private static void assertFrozen(Executable change) {
        assertThatThrownBy(change::execute).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("while connected");
    }
}
