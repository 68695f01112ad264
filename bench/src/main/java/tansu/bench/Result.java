package tansu.bench;

/** One measurement: requests (or events) per second, latencies in microseconds, errors. */
record Result(String system, String scenario, double perSecond, long p50, long p99, long errors) {
}
