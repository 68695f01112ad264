package tansu.bench;

/** Latencies in microseconds, in buckets of about 1.5 % width: enough for p50 and p99. */
final class Histogram {

    private static final int SUB = 64;
    private final long[] counts = new long[40 * SUB];
    private long total;

    void record(long micros) {
        counts[bucket(Math.max(1, micros))]++;
        total++;
    }

    private static int bucket(long v) {
        int magnitude = 63 - Long.numberOfLeadingZeros(v);
        if (magnitude < 6) {
            return (int) v;
        }
        int shift = magnitude - 6;
        return Math.min((magnitude - 5) * SUB + (int) ((v >> shift) - SUB), 40 * SUB - 1);
    }

    private static long value(int bucket) {
        if (bucket < SUB) {
            return bucket;
        }
        int magnitude = bucket / SUB + 5;
        long mantissa = SUB + bucket % SUB;
        return mantissa << (magnitude - 6);
    }

    void add(Histogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    long count() {
        return total;
    }

    /** The latency below which {@code q} of the samples fall, in microseconds. */
    long quantile(double q) {
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank && seen > 0) {
                return value(i);
            }
        }
        return 0;
    }
}
