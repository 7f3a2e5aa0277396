package dev.jstomp.bench.e2e;

import java.util.Locale;

/** One measurement, one CSV line. Throughput and latency rows fill the numeric columns; others use metric/value. */
public final class Row {

    public static final String HEADER = "run_id,timestamp,mode,transport,client,round,position,messages,body_bytes,"
            + "consumers,seconds,msgs_per_s,mb_per_s,send_seconds,p50_us,p99_us,max_us,metric,value,load1,status";

    String runId = "";
    String timestamp = "";
    String mode = "";
    String transport = "";
    String client = "";
    int round;
    int position;
    long messages;
    int bodyBytes;
    int consumers;
    double seconds = Double.NaN;
    double msgsPerSec = Double.NaN;
    double mbPerSec = Double.NaN;
    double sendSeconds = Double.NaN;
    double p50Us = Double.NaN;
    double p99Us = Double.NaN;
    double maxUs = Double.NaN;
    String metric = "";
    String value = "";
    double load1 = Double.NaN;
    String status = "ok";

    public String mode() {
        return mode;
    }

    public String transport() {
        return transport;
    }

    public String client() {
        return client;
    }

    public int bodyBytes() {
        return bodyBytes;
    }

    public double msgsPerSec() {
        return msgsPerSec;
    }

    public boolean ok() {
        return "ok".equals(status);
    }

    String csv() {
        return String.join(",", runId, timestamp, mode, transport, client, Integer.toString(round),
                Integer.toString(position), Long.toString(messages), Integer.toString(bodyBytes),
                Integer.toString(consumers), num(seconds, 4), num(msgsPerSec, 1), num(mbPerSec, 3), num(sendSeconds, 4),
                num(p50Us, 1), num(p99Us, 1), num(maxUs, 1), metric, value, num(load1, 2), status);
    }

    /** Parses a line written by {@link #csv()} (the chart reads the CSV back). */
    public static Row parse(String line) {
        String[] f = line.split(",", -1);
        Row r = new Row();
        r.runId = f[0];
        r.timestamp = f[1];
        r.mode = f[2];
        r.transport = f[3];
        r.client = f[4];
        r.round = Integer.parseInt(f[5]);
        r.position = Integer.parseInt(f[6]);
        r.messages = Long.parseLong(f[7]);
        r.bodyBytes = Integer.parseInt(f[8]);
        r.consumers = Integer.parseInt(f[9]);
        r.seconds = dbl(f[10]);
        r.msgsPerSec = dbl(f[11]);
        r.mbPerSec = dbl(f[12]);
        r.sendSeconds = dbl(f[13]);
        r.p50Us = dbl(f[14]);
        r.p99Us = dbl(f[15]);
        r.maxUs = dbl(f[16]);
        r.metric = f[17];
        r.value = f[18];
        r.load1 = dbl(f[19]);
        r.status = f[20];
        return r;
    }

    private static String num(double v, int decimals) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static double dbl(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }
}
