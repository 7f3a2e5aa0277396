package dev.jstomp.spring.internal;

import java.util.Locale;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.jstomp.StompErrorFrameException;
import dev.jstomp.StompException;
import dev.jstomp.StompTimeoutException;

/**
 * Turns a broker that cannot be reached, or that refuses the credentials, at start-up into Spring Boot's
 * "Description / Action" report instead of a stack trace. jstomp's messages name the broker address and
 * never the passcode.
 */
public final class JstompFailureAnalyzer extends AbstractFailureAnalyzer<StompException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StompException cause) {
        String description = "jstomp could not connect to the STOMP broker at start-up: " + cause.getMessage();
        String action;
        if (cause instanceof StompErrorFrameException) {
            action = "The broker refused the CONNECT. Check jstomp.login and jstomp.passcode (or your StompConnectHeaders"
                    + " bean), and jstomp.host, the virtual host (\"/\" on RabbitMQ by default).";
        } else if (cause instanceof StompTimeoutException) {
            action = "The broker did not answer in time. Check jstomp.url (scheme and port: tcp:// for STOMP over TCP,"
                    + " ws:// for WebSocket), or raise jstomp.connect-timeout.";
        } else {
            String lower = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
            action = (lower.contains("refused") ? "Nothing listens there. " : "")
                    + "Check that the broker is running and that jstomp.url (or jstomp.urls) names its STOMP port."
                    + " To start without the broker and keep retrying in the background, set jstomp.fail-fast=false.";
        }
        return new FailureAnalysis(description, action, cause);
    }
}
