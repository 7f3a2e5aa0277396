package dev.jstomp.sample;

/**
 * A demand, sent as JSON.
 *
 * @param id a number, in publishing order
 * @param item what is asked for
 * @param quantity how many
 */
public record Demand(long id, String item, int quantity) {
}
