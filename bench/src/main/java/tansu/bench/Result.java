package tansu.bench;

/**
 * One measurement: requests (or events) per second, latencies in microseconds, errors. p90 and
 * p99.9 go only to the progress lines: they tell a tail's shape (a shoulder or a few outliers).
 */
record Result(String system, String scenario, double perSecond, long p50, long p90, long p99, long p999, long errors) {

    static Result of(String system, String scenario, double perSecond, Histogram latencies, long errors) {
        return new Result(system, scenario, perSecond, latencies.quantile(0.5), latencies.quantile(0.9),
            latencies.quantile(0.99), latencies.quantile(0.999), errors);
    }
}
